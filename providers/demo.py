"""Demo data for providers: the partners of the North East forum."""

from authorities.models import RegionalForum

from .models import Provider


def seed(users, stdout):
    forum = RegionalForum.objects.get(
        region__slug="north-east", name="North East Regional Children and Young People's Forum"
    )
    forum.partners.set(Provider.objects.filter(abbreviation__in=["TfC", "NS", "RIEPs", "C4EO"]))
