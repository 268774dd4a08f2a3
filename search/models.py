"""The search index: one ``SearchEntry`` per indexed object (two for an offer whose current text the
authority may not see yet), with its text, the facets the results page filters by, and on PostgreSQL
its ``tsvector`` (English stemming, the title weighted above the body) under a GIN index.

Entries are written only by ``search.index``; who may see an entry is decided at query time by the
indexed object's own ``visible_to(user)`` (``search.queries``), never stored here.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    class Kind(models.TextChoices):
        PLAN = "plan", "Plans"
        OFFER = "offer", "Offers"
        NOTE = "note", "Meeting notes"
        MEETING = "meeting", "Meetings"
        AUTHORITY = "authority", "Local authorities"
        PROVIDER = "provider", "Providers"

    class Audience(models.TextChoices):
        #: The object's current text, for everyone who may see the object in its current state.
        CURRENT = "current", "Current text"
        #: An offer's text as last submitted, for the authority while the provider revises it.
        SUBMITTED = "submitted", "Text as last submitted"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.CURRENT)
    title = models.CharField(max_length=400)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    authority = models.ForeignKey(
        "authorities.LocalAuthority", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(max_length=7, blank=True)
    status = models.CharField(max_length=30, blank=True)
    status_label = models.CharField(max_length=60, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # PostgreSQL only (``search.index``); null on SQLite, which searches the text with ``icontains``.
    vector = SearchVectorField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "title", "pk"]
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "audience"], name="search_entry_once"),
        ]
        indexes = [
            models.Index(fields=["authority", "kind"], name="search_entry_authority_idx"),
            models.Index(fields=["period", "kind"], name="search_entry_period_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"
