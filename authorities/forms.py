"""Forms for CSA reassignment and regional forums, with GOV.UK error messages."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from accounts.models import Role, User

from .models import Region, RegionalForum


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.email})"


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        organisation = obj.authority or obj.provider or obj.region
        return f"{obj}, {obj.role_label}" + (f", {organisation}" if organisation else "")


class ReassignCsaForm(forms.Form):
    csa = UserChoiceField(
        label="Lead Children's Services Adviser",
        queryset=User.objects.none(),
        empty_label="Select an adviser",
        error_messages={
            "required": "Select a Children's Services Adviser",
            "invalid_choice": "Select an adviser of the authority's region",
        },
    )

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["csa"].queryset = User.objects.filter(
            role=Role.CSA, region_id=authority.region_id, is_active=True
        ).order_by("full_name")
        self.fields["csa"].help_text = f"Active advisers of {authority.region}."
        if authority.csa_id and not self.is_bound:
            self.initial["csa"] = authority.csa_id
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.select("csa"), Button("submit", "Reassign adviser"))


class ForumForm(forms.Form):
    region = forms.ModelChoiceField(
        queryset=Region.objects.all(),
        empty_label="Select a region",
        error_messages={"required": "Select the forum's region", "invalid_choice": "Select one of your regions"},
    )
    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={"required": "Enter the forum's name", "max_length": "Name must be 200 characters or fewer"},
    )
    chair = UserChoiceField(
        label="Chair",
        queryset=User.objects.filter(is_active=True).order_by("full_name"),
        required=False,
        empty_label="No chair yet",
        error_messages={"invalid_choice": "Select an active user as chair"},
    )
    members = UserMultipleChoiceField(
        label="Members",
        queryset=User.objects.filter(is_active=True).select_related("authority", "provider", "region"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The chair is always a member.",
        error_messages={"invalid_choice": "Select active users as members"},
    )
    partners = forms.ModelMultipleChoiceField(
        label="Partner providers",
        # the providers app sits above this one: its model is reached through the relation
        queryset=RegionalForum.partners.field.related_model.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select providers from the list"},
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        if actor.region_id:
            self.fields["region"].queryset = Region.objects.filter(pk=actor.region_id)
            if not self.is_bound:
                self.initial.setdefault("region", actor.region_id)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("region"),
            Field.text("name"),
            Field.select("chair"),
            Field.checkboxes("members", legend_size=Size.MEDIUM, small=True),
            Field.checkboxes("partners", legend_size=Size.MEDIUM, small=True),
            Button("submit", "Save forum"),
        )
