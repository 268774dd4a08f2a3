from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Provider, ProvisionFeedback


@admin.register(Provider)
class ProviderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "abbreviation", "kind", "party_to_protocol", "capacity_days_per_year"]
    list_filter = ["kind", "party_to_protocol", "regions"]
    search_fields = ["name", "abbreviation"]
    filter_horizontal = ["regions"]


@admin.register(ProvisionFeedback)
class ProvisionFeedbackAdmin(SimpleHistoryAdmin):
    list_display = ["provider", "authority", "rating", "given_by", "given_at"]
    list_filter = ["rating", "provider"]
    search_fields = ["provider__name", "authority__name", "comments"]
    list_select_related = ["provider", "authority", "given_by"]
