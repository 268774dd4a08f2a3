"""Demo data for onboarding: one pending invitation (the CSA has invited a new officer of
Newcastle upon Tyne, who has not set up their account yet) and one provider with nobody on the
portal (the Children's Workforce Development Council, invited to offer on Newcastle's draft plan: its
contact address was emailed a link to ask for access, and the Annex 2 row says "No adviser on the
portal yet"). Idempotent."""

from accounts.models import Invitation, Role, User
from accounts.services import invite_user
from authorities.models import LocalAuthority
from plans.models import JISP, Offer, Priority
from plans.services.offers import invite_providers
from providers.models import Provider

PENDING_EMAIL = "new.officer@demo.test"
NO_ADVISER = "CWDC"
CONTACT = "enquiries@cwdc.demo.test"
PRIORITY = "Children's centres reach the most disadvantaged families"


def seed(users, stdout):
    csa = users["csa@demo.test"]
    newcastle = LocalAuthority.objects.get(name="Newcastle upon Tyne")
    has_account = User.objects.filter(email=PENDING_EMAIL).exists()
    if not has_account and not Invitation.objects.pending().filter(email=PENDING_EMAIL).exists():
        Invitation.objects.open().filter(email=PENDING_EMAIL).delete()
        invite_user(
            actor=csa,
            email=PENDING_EMAIL,
            full_name="Noor Newcomer",
            role=Role.LA_OFFICER,
            authority=newcastle,
        )
    provider = Provider.objects.filter(abbreviation=NO_ADVISER).first()
    if provider is None:
        return
    if provider.contact_email != CONTACT:
        provider.contact_email = CONTACT
        provider.save(update_fields=["contact_email"])
    priority = (
        Priority.objects.filter(jisp__authority=newcastle, jisp__status=JISP.Status.DRAFT, title=PRIORITY)
        .select_related("jisp")
        .first()
    )
    if priority is not None and not Offer.objects.filter(priority=priority, provider=provider).exists():
        invite_providers(
            actor=csa,
            priority=priority,
            providers=[provider],
            message="Please offer the workforce support children's centre staff need to reach the families "
            "who do not use the centres.",
        )
    stdout.write(f"  {PENDING_EMAIL} has a pending invitation; {provider} has nobody on the portal yet.")
