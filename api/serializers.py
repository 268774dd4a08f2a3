"""What the API returns, field by field. Field names are part of the API's contract (the schema at
``/api/v1/schema/`` documents them): rename none, add new ones beside the old. No person's name or
email appears in any of them."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from authorities.models import LocalAuthority, NationalIndicator, Region
from plans.models import JISP, Offer
from providers.models import Provider


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "slug", "name", "government_office", "abbreviation"]


class AuthoritySerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text="The region's slug.")
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = LocalAuthority
        fields = ["id", "name", "gss_code", "region", "region_name", "la_type", "support_status"]


class ProviderSerializer(serializers.ModelSerializer):
    regions = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text="The slugs of the regions it serves."
    )

    class Meta:
        model = Provider
        fields = [
            "id",
            "name",
            "abbreviation",
            "kind",
            "regions",
            "remit",
            "party_to_protocol",
            "capacity_days_per_year",
            "engagement_preference",
        ]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = NationalIndicator
        fields = ["id", "number", "title", "ecm_outcome"]


class NeedSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    order = serializers.IntegerField(read_only=True)
    description = serializers.CharField(read_only=True)
    from_workforce_tool = serializers.BooleanField(read_only=True)
    proposed_by_authority = serializers.BooleanField(read_only=True)


class OfferSerializer(serializers.Serializer):
    """An accepted offer of support in an approved plan."""

    id = serializers.IntegerField(read_only=True)
    need = serializers.IntegerField(source="need_id", read_only=True, allow_null=True, help_text="The need it meets.")
    provider = serializers.IntegerField(source="provider_id", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    status = serializers.ChoiceField(choices=Offer.Status.choices, read_only=True)
    description = serializers.CharField(read_only=True)
    deliver_by = serializers.DateField(read_only=True, allow_null=True)
    days = serializers.DecimalField(max_digits=6, decimal_places=1, read_only=True, allow_null=True)
    funding = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, allow_null=True)
    is_tailored = serializers.BooleanField(read_only=True)


class PrioritySerializer(serializers.Serializer):
    """One Annex 2 row: a priority with its needs and accepted offers."""

    id = serializers.IntegerField(read_only=True)
    order = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    is_workforce = serializers.BooleanField(read_only=True)
    indicators = serializers.SerializerMethodField(help_text="The numbers of its National Indicators.")
    needs = NeedSerializer(many=True, read_only=True)
    offers = OfferSerializer(many=True, read_only=True)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_indicators(self, priority):
        return [indicator.number for indicator in priority.indicators.all()]


class PlanSerializer(serializers.Serializer):
    """An approved (or superseded) Joint Improvement Support Plan with its rows."""

    id = serializers.IntegerField(read_only=True)
    authority = serializers.IntegerField(source="authority_id", read_only=True)
    authority_name = serializers.CharField(source="authority.name", read_only=True)
    gss_code = serializers.CharField(source="authority.gss_code", read_only=True)
    region = serializers.CharField(source="authority.region.slug", read_only=True)
    period = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=JISP.Status.choices, read_only=True)
    approved_at = serializers.DateTimeField(read_only=True, allow_null=True)
    priorities = PrioritySerializer(many=True, read_only=True)


# --- analysis ------------------------------------------------------------------------------------


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The key of this column's values in each row.")
    header = serializers.CharField()
    kind = serializers.ChoiceField(choices=["text", "int", "days", "money", "list", "status"])


class TableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    caption = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = serializers.ListField(
        child=serializers.DictField(child=serializers.JSONField()),
        help_text="One object per row, keyed by the columns' keys: numbers as numbers (days and pounds as "
        "decimal strings), lists as arrays.",
    )


class TotalsSerializer(serializers.Serializer):
    plans = serializers.IntegerField()
    priorities = serializers.IntegerField()
    needs = serializers.IntegerField()
    days = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    funding = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    authorities = serializers.IntegerField()
    approved = serializers.IntegerField(help_text="Authorities with an approved plan for the period.")


class AnalysisSerializer(serializers.Serializer):
    period = serializers.CharField()
    region = serializers.CharField(allow_null=True, help_text="The region's slug; null for the national analysis.")
    approved_only = serializers.BooleanField(help_text="Whether only approved plans are counted (as for your role).")
    note = serializers.CharField()
    totals = TotalsSerializer()
    tables = TableSerializer(many=True)


class AnalysisPeriodsSerializer(serializers.Serializer):
    periods = serializers.ListField(child=serializers.CharField(), help_text="Newest first.")
    regions = serializers.ListField(child=serializers.CharField(), help_text="The slugs of the regions you may see.")
    national = serializers.BooleanField(help_text="Whether you may see the national analysis.")


# --- compliance ------------------------------------------------------------------------------------


class StageSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=["draft", "response", "final"])
    on_time = serializers.IntegerField()
    on_time_with_extension = serializers.IntegerField()
    late = serializers.IntegerField()
    extension_days = serializers.IntegerField()
    median_working_days = serializers.FloatField(allow_null=True)


class ComplianceGroupSerializer(serializers.Serializer):
    label = serializers.CharField()
    notes = serializers.IntegerField()
    stages = StageSerializer(many=True)


class ComplianceSerializer(serializers.Serializer):
    today = serializers.DateField()
    region = serializers.CharField(allow_null=True)
    total = ComplianceGroupSerializer()
    by_provider = ComplianceGroupSerializer(many=True)
    overdue = serializers.IntegerField(help_text="Notes whose draft or final note is overdue.")
