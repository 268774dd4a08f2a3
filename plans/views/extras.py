"""Plan views: the parts of a plan beside the Annex 2 table — areas of good practice, and the
providers' deployment plans held with it (part 2 of the plan)."""

from django.http import FileResponse, Http404
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import require
from core.actions import posted, reopen

from ..forms.drafting import DeploymentPlanForm, GoodPracticeForm
from ..models import JISP, DeploymentPlan, GoodPractice
from ..services import drafting as services
from .common import confirm_removal, drafting_action, get_part, get_plan, row_url

GOOD_PRACTICE = GoodPractice.objects.select_related("jisp__authority__region")
DEPLOYMENT_PLANS = DeploymentPlan.objects.select_related("jisp__authority__region", "provider")


# --- good practice --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def good_practice_add(request, pk):
    jisp = get_plan(request, pk, "plans.change_jisp")
    return drafting_action(
        request,
        GoodPracticeForm(posted(request), button="Add good practice"),
        lambda data: services.add_good_practice(
            actor=request.user, jisp=jisp, area=data["area"], description=data["description"]
        ),
        success="The area of good practice has been added",
        then=row_url(jisp, "good-practice"),
        jisp=jisp,
        title="Add an area of good practice",
        lead="Areas the authority does well, for learning across authorities.",
        cancel_url=row_url(jisp, "good-practice"),
        allowed=jisp.is_editable,
    )


@require_http_methods(["GET", "POST"])
def good_practice_edit(request, pk):
    good = get_part(GOOD_PRACTICE, request, pk, "jisp")
    jisp = good.jisp
    require(request.user, "plans.change_jisp", jisp)
    initial = {
        "area": good.area,
        "description": good.description,
        "fingerprint": services.good_practice_fingerprint(good),
    }
    return drafting_action(
        request,
        GoodPracticeForm(posted(request), initial=initial),
        lambda data: services.edit_good_practice(
            actor=request.user,
            good_practice=good,
            fingerprint=data["fingerprint"],
            area=data["area"],
            description=data["description"],
        ),
        success="The area of good practice has been changed",
        then=row_url(jisp, "good-practice"),
        on_stale=reopen(
            GoodPracticeForm,
            request,
            good,
            version_field="fingerprint",
            version=services.good_practice_fingerprint,
            latest=lambda good: [("Area of good practice", good.area), ("Description", good.description)],
        ),
        jisp=jisp,
        title="Change an area of good practice",
        cancel_url=row_url(jisp, "good-practice"),
        allowed=jisp.is_editable,
    )


@require_http_methods(["GET", "POST"])
def good_practice_remove(request, pk):
    good = get_part(GOOD_PRACTICE, request, pk, "jisp")
    jisp = good.jisp
    return confirm_removal(
        request,
        jisp=jisp,
        button="Remove",
        remove=lambda: services.remove_good_practice(actor=request.user, good_practice=good),
        done=f"“{good.area}” has been removed from good practice",
        done_url=row_url(jisp, "good-practice"),
        title=f"Remove “{good.area}” from good practice",
        lead="The area of good practice will be removed from the plan.",
        allowed=jisp.is_editable,
        cancel_url=row_url(jisp, "good-practice"),
    )


# --- deployment plans -----------------------------------------------------------------------------


def _accepts_uploads(jisp):
    return jisp.is_editable or jisp.status == JISP.Status.APPROVED


@require_http_methods(["GET", "POST"])
def deployment_plan_upload(request, pk):
    jisp = get_plan(request, pk, "plans.change_jisp")
    return drafting_action(
        request,
        DeploymentPlanForm(posted(request), request.FILES if request.method == "POST" else None),
        lambda data: services.upload_deployment_plan(
            actor=request.user, jisp=jisp, provider=data["provider"], upload=data["file"]
        ),
        success=lambda plan: f"The deployment plan “{plan.original_name}” has been uploaded",
        then=row_url(jisp, "deployment-plans"),
        jisp=jisp,
        title="Upload a deployment plan",
        lead="Part 2 of the plan: a provider's deployment plan (for example the National Strategies "
        "Deployment Plan), held with the plan so that you and the Director of Children's Services can "
        "monitor delivery.",
        cancel_url=row_url(jisp, "deployment-plans"),
        allowed=_accepts_uploads(jisp),
    )


@require_GET
def deployment_plan_download(request, pk):
    plan = get_part(DEPLOYMENT_PLANS, request, pk, "jisp")
    require(request.user, "plans.download_deployment_plan", plan)
    try:
        handle = plan.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("The deployment plan file is missing") from error
    return FileResponse(handle, as_attachment=True, filename=plan.original_name, content_type=plan.content_type)


@require_http_methods(["GET", "POST"])
def deployment_plan_remove(request, pk):
    plan = get_part(DEPLOYMENT_PLANS, request, pk, "jisp")
    jisp = plan.jisp
    return confirm_removal(
        request,
        jisp=jisp,
        button="Remove the deployment plan",
        remove=lambda: services.remove_deployment_plan(actor=request.user, deployment_plan=plan),
        done=f"The deployment plan “{plan.original_name}” has been removed",
        done_url=row_url(jisp, "deployment-plans"),
        title=f"Remove the deployment plan “{plan.original_name}”",
        lead=f"The {plan.provider} deployment plan will no longer be held with the plan.",
        allowed=jisp.is_editable,  # an approved plan keeps the deployment plans its PDF lists
        cancel_url=row_url(jisp, "deployment-plans"),
    )


urlpatterns = [
    path("<int:pk>/good-practice/add/", good_practice_add, name="good_practice_add"),
    path("good-practice/<int:pk>/edit/", good_practice_edit, name="good_practice_edit"),
    path("good-practice/<int:pk>/remove/", good_practice_remove, name="good_practice_remove"),
    path("<int:pk>/deployment-plans/upload/", deployment_plan_upload, name="deployment_plan_upload"),
    path("deployment-plans/<int:pk>/", deployment_plan_download, name="deployment_plan_download"),
    path("deployment-plans/<int:pk>/remove/", deployment_plan_remove, name="deployment_plan_remove"),
]
