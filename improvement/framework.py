"""The default self-assessment framework, from the sector-led improvement documents: outcomes,
safeguarding, leadership and management, capacity to improve, and use of resources, each with its
judgement scale (Ofsted's four points; use of resources on the Audit Commission's) and the evidence
expected. The app's data migration creates it on a new database; ``ensure_default_framework`` puts
it back where a database was emptied (tests that flush, ``manage.py flush``)."""

FOUR_POINT = ["Outstanding", "Good", "Satisfactory", "Inadequate"]
RESOURCES = ["Performs excellently", "Performs well", "Performs adequately", "Performs poorly"]

AREAS = [
    (
        "Outcomes for children and young people",
        "How well children and young people are doing across the five Every Child Matters outcomes, and how "
        "the gaps between vulnerable groups and their peers are narrowing.",
        "The local profile of National Indicators with trends and comparison with statistical neighbours; what "
        "has changed since last year and why.",
        FOUR_POINT,
    ),
    (
        "Safeguarding",
        "How effectively children are protected: contact, referral and assessment, child protection, looked "
        "after children and the Local Safeguarding Children Board.",
        "Case file audits, timeliness of assessments, re-referral rates, the LSCB's annual report and the "
        "findings of inspections and serious case reviews.",
        FOUR_POINT,
    ),
    (
        "Leadership and management",
        "The clarity of ambition and priorities, the partnership's governance, performance management, the "
        "workforce and the voice of children and families.",
        "The Children and Young People's Plan, governance arrangements, workforce data and how feedback from "
        "children and families has changed services.",
        FOUR_POINT,
    ),
    (
        "Capacity to improve",
        "The track record of improvement and the capacity — leadership, workforce, resources and partnerships "
        "— to sustain it.",
        "Improvement achieved against previous plans, risks to performance you have identified and what you "
        "are doing about them.",
        FOUR_POINT,
    ),
    (
        "Use of resources",
        "How well resources are planned, commissioned and managed to achieve value for money.",
        "Budget and spend against comparators, commissioning strategy and the savings and outcomes it has achieved.",
        RESOURCES,
    ),
]


NAME = "Children's services self-assessment framework"
DESCRIPTION = "The universal self-improvement cycle: understanding, planning, doing and reviewing."


def create_default_framework(Framework, Area, Level):  # noqa: N803 - model classes (or a migration's)
    """Create the default framework as the current one, unless there is a framework already."""
    if Framework.objects.exists():
        return None
    framework = Framework.objects.create(name=NAME, description=DESCRIPTION, is_current=True)
    for order, (title, description, evidence, scale) in enumerate(AREAS, start=1):
        area = Area.objects.create(
            framework=framework, order=order, title=title, description=description, evidence_prompt=evidence
        )
        Level.objects.bulk_create([Level(area=area, rank=rank, label=label) for rank, label in enumerate(scale, 1)])
    return framework


def ensure_default_framework():
    """The current framework, creating the default one if there is no framework at all."""
    from .models import AssessmentFramework, FrameworkArea, JudgementLevel

    create_default_framework(AssessmentFramework, FrameworkArea, JudgementLevel)
    return AssessmentFramework.objects.filter(is_current=True).first()
