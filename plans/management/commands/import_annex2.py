"""``manage.py import_annex2 PATH --authority NAME_OR_GSS --period 2010-11 --as EMAIL [--dry-run]``

Imports an Annex 2 document (Word .docx or Excel .xlsx) as the authority's draft plan for the period,
through the same service as the import page and as the person given (who must be the authority's
lead CSA). Prints the preview, then the new plan's address. ``--dry-run`` prints the preview and
creates nothing. An offer whose provider could not be matched needs ``--choose KEY=PROVIDER`` (its
key from the preview, a provider's abbreviation or name, or ``skip`` to leave it out). Any error
ends with a non-zero exit status.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from accounts.models import User
from authorities.models import LocalAuthority
from core.errors import ServiceError
from core.notify import absolute_url
from plans.imports import KIND_LABELS
from plans.imports.preview import INFO, SKIP
from plans.services import imports as services
from providers.models import Provider

MARKS = {"choice": "CHOOSE", "warning": "CHECK", "info": "note"}


class Command(BaseCommand):
    help = "Import an Annex 2 document (.docx or .xlsx) as an authority's draft plan for a period."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the Annex 2 document: a Word document (.docx) or Excel workbook (.xlsx)")
        parser.add_argument("--authority", required=True, help="the local authority's name or GSS code")
        parser.add_argument("--period", required=True, help="the financial year, like 2010-11")
        parser.add_argument("--as", dest="email", required=True, help="the email of the authority's lead CSA")
        parser.add_argument("--dry-run", action="store_true", help="print the preview and create nothing")
        parser.add_argument(
            "--choose",
            action="append",
            default=[],
            metavar="KEY=PROVIDER",
            help="the provider of the offer KEY (from the preview): an abbreviation, a name, or 'skip'",
        )

    def handle(self, *args, path, authority, period, email, dry_run, choose, **options):
        actor = self._user(email)
        place = self._authority(authority)
        choices = dict(self._choice(text) for text in choose)
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"There is no file at {path}")
        try:
            with source.open("rb") as handle:
                upload = File(handle, name=source.name)
                preview = services.preview_annex2(actor=actor, authority=place, period=period, upload=upload)
                self._print(preview, source.name, place, period)
                unknown = sorted(set(choices) - {o.key for o in preview.offers})
                if unknown:
                    raise CommandError(
                        f"The preview has no offer {', '.join(unknown)}: use the keys it shows (like r12)"
                    )
                missing = [o for o in preview.to_choose if o.key not in choices]
                if missing:
                    keys = ", ".join(o.key for o in missing)
                    raise CommandError(
                        f"{len(missing)} offer{'s have' if len(missing) != 1 else ' has'} no provider ({keys}): give "
                        "each with --choose KEY=PROVIDER (an abbreviation or a name) or --choose KEY=skip. "
                        "Nothing was created."
                    )
                if dry_run:
                    self.stdout.write("Dry run: nothing was created.")
                    return
                jisp = services.import_annex2(
                    actor=actor, authority=place, period=period, upload=upload, choices=choices
                )
        except PermissionDenied as error:
            raise CommandError(
                f"{actor.email} may not import a plan for {place}: only the authority's lead Children's Services "
                "Adviser can. Nothing was created."
            ) from error
        except ServiceError as error:
            raise CommandError(f"{error.message} Nothing was created.") from error
        self.stdout.write(self.style.SUCCESS(f"Created {jisp} in draft: {absolute_url(jisp.get_absolute_url())}"))

    # --- arguments --------------------------------------------------------------------------------

    def _user(self, email):
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active user with the email {email}")
        return user

    def _authority(self, name_or_code):
        text = name_or_code.strip()
        found = list(LocalAuthority.objects.filter(Q(gss_code__iexact=text) | Q(name__iexact=text))[:2])
        if not found:
            raise CommandError(f"There is no local authority named or coded {name_or_code}")
        if len(found) > 1:
            raise CommandError(f"More than one local authority is called {name_or_code}: give its GSS code")
        return found[0]

    def _choice(self, text):
        key, sep, value = text.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise CommandError(f"--choose takes KEY=PROVIDER, like r12=TfC or r12=skip, not {text}")
        if value.lower() == SKIP:
            return key, SKIP
        found = Provider.objects.filter(Q(abbreviation__iexact=value) | Q(name__iexact=value)).first()
        if found is None:
            raise CommandError(f"There is no provider with the abbreviation or name {value}")
        return key, found.pk

    # --- the preview ------------------------------------------------------------------------------

    def _print(self, preview, name, authority, period):
        out = self.stdout.write
        out(
            f"{name}: {KIND_LABELS.get(preview.kind, preview.kind)}, the Annex 2 table read from its {preview.location}"
        )
        out(f"To import as: {authority} JISP {period} (draft, offers accepted)")
        for label, value in preview.header_rows:
            out(f"  {label}: {value}")
        for issue in preview.issues:
            out(f"  [{MARKS[issue.level]}] {issue.message}")
        for number, priority in enumerate(preview.priorities, start=1):
            indicators = f" [NI {', '.join(str(n) for n in priority.indicators)}]" if priority.indicators else ""
            out("")
            out(f"Priority {number} (row {priority.source_row}): {priority.title}{indicators}")
            for issue in priority.issues:
                out(f"    [{MARKS[issue.level]}] {issue.message}")
            for need in priority.needs:
                out(f"  Need: {need.description}")
            for offer in priority.offers:
                who = offer.provider.name if offer.provider and not offer.needs_choice else f"? “{offer.provider_text}”"
                resources = ", ".join(
                    part
                    for part in (
                        f"{offer.days} days" if offer.days else "",
                        f"£{offer.funding}" if offer.funding else "",
                        f"deliver by {offer.deliver_by}" if offer.deliver_by else "",
                    )
                    if part
                )
                out(
                    f"  Offer {offer.key}: {who}: {' '.join(offer.description.split())}"
                    + (f" ({resources})" if resources else "")
                )
                for issue in offer.issues:
                    if issue.level != INFO or offer.needs_choice:
                        out(f"    [{MARKS[issue.level]}] {issue.message}")
        out("")
        out(
            f"{len(preview.priorities)} priorities, {preview.need_count} needs, {len(preview.offers)} offers; "
            f"{len(preview.to_choose)} offer(s) without a provider."
        )
