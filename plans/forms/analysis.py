"""Plan forms: the analysis region and period picker."""

from django import forms


class AnalysisChoiceForm(forms.Form):
    region = forms.ModelChoiceField(
        queryset=None,
        to_field_name="slug",
        empty_label=None,
        error_messages={"required": "Select a region", "invalid_choice": "Select a region"},
    )
    period = forms.ChoiceField(error_messages={"required": "Select a period", "invalid_choice": "Select a period"})

    def __init__(self, *args, regions, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["period"].choices = [(p, p) for p in periods]
