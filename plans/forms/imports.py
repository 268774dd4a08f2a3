"""Plan forms: importing an Annex 2 document — the upload (authority, period, file) and, on the
preview, the provider of each offer that was not matched exactly."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms

from authorities.models import LocalAuthority
from core.uploads import DocumentField
from providers.models import Provider

from ..imports.preview import SKIP
from ..models import validate_period

#: the first bytes of an OLE2 compound file: a .doc, an .xls, or an encrypted (password-protected) Office file
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class AnnexDocumentField(DocumentField):
    """The shared upload check (size, type by content, safe name) for a Word or Excel document, with a
    message that helps when the file is an old-format or password-protected Office file."""

    def __init__(self, **kwargs):
        super().__init__(kinds=("docx", "xlsx"), **kwargs)

    def clean(self, data, initial=None):
        try:
            return super().clean(data, initial)
        except forms.ValidationError:
            head = b""
            if data is not None and hasattr(data, "read"):
                data.seek(0)
                head = data.read(8)
                data.seek(0)
            if head == OLE_MAGIC:
                raise forms.ValidationError(
                    "The selected file is an older Word or Excel file (.doc or .xls) or is protected by a password. "
                    "Open it, remove any password, save it as a Word Document (.docx) or Excel Workbook (.xlsx) and "
                    "upload that."
                ) from None
            raise


class ImportForm(forms.Form):
    authority = forms.ModelChoiceField(
        label="Local authority",
        queryset=LocalAuthority.objects.none(),
        empty_label="Select an authority",
        error_messages={"required": "Select the local authority", "invalid_choice": "Select the local authority"},
    )
    period = forms.CharField(
        label="Period",
        help_text="The financial year the plan covers, for example 2010-11",
        max_length=7,
        validators=[validate_period],
        error_messages={"required": "Enter the period, for example 2010-11"},
    )
    file = AnnexDocumentField(
        label="Annex 2 document",
        help_text="The plan on the Annex 2 template, as a Word document (DOCX) or an Excel spreadsheet (XLSX), "
        "smaller than 20 MB",
        error_messages={"required": "Select the Annex 2 document to import"},
    )

    def __init__(self, *args, authorities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if authorities is not None:
            self.fields["authority"].queryset = authorities
        self.fields["file"].widget.attrs["accept"] = ".docx,.xlsx"
        self.helper = FormHelper()
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.layout = Layout(
            Field.select("authority"),
            Field.text("period", field_width=5),
            Field("file"),
            Submit("submit", "Upload and check"),
        )


class ProviderChoiceForm(forms.Form):
    """One select per offer whose provider was not an exact match: ``provider-<key>``. Offers with
    no match start empty; near matches start on the provider found."""

    def __init__(self, *args, preview, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        providers = [(str(pk), name) for pk, name in Provider.objects.order_by("name").values_list("pk", "name")]
        self.offers = {}
        for offer in preview.choosable:
            closest = [(str(c.id), f"{c.name} ({round(c.score * 100)}% alike)") for c in offer.candidates]
            choices = [("", "Select the provider")]
            if closest:
                choices.append(("Closest matches", closest))
            choices.append(("All providers", providers))
            choices.append(("Or", [(SKIP, "Leave this offer out of the plan")]))
            name = f"provider-{offer.key}"
            self.fields[name] = forms.ChoiceField(
                label=f"Provider of the offer in row {offer.source_row}",
                choices=choices,
                widget=forms.Select(attrs={"class": "govuk-select"}),
                initial=str(offer.provider.id) if offer.provider and not offer.needs_choice else "",
                error_messages={
                    "required": f"Select the provider of the offer in row {offer.source_row}, or leave the offer out",
                    "invalid_choice": f"Select the provider of the offer in row {offer.source_row} from the list",
                },
            )
            self.offers[offer.key] = name

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = "govuk-select govuk-select--error"
                attrs["aria-describedby"] = f"id_{name}-error"

    def field_for(self, offer):
        name = self.offers.get(offer.key)
        return self[name] if name else None

    @property
    def choices(self):
        """{offer key: provider id or SKIP} for the service."""
        out = {}
        for key, name in self.offers.items():
            value = self.cleaned_data.get(name)
            out[key] = SKIP if value == SKIP else int(value)
        return out
