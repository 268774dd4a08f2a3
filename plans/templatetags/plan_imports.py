"""``{% imported_from jisp %}``: on the Annex 2 page, the Annex 2 document a plan was imported from,
with a link to the original for those who may export the plan."""

from django import template

from accounts.permissions import can
from plans.models import AnnexImport

register = template.Library()


@register.inclusion_tag("plans/imports/_source.html", takes_context=True)
def imported_from(context, jisp):
    source = (
        AnnexImport.objects.filter(jisp=jisp, status=AnnexImport.Status.IMPORTED)
        .select_related("uploaded_by")
        .order_by("-finished_at")
        .first()
    )
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"source": source, "can_download": bool(source and user and can(user, "plans.export_jisp", jisp))}
