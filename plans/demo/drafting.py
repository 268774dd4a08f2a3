"""Demo data: drafting — Newcastle upon Tyne's 2010-11 plan (version 1) in draft, led by
csa@demo.test, with the guidance's two examples as its first priorities (the offers part attaches
the demo offers to them by title), a workforce-development priority with a need from the One
Children's Workforce Tool, and an area of good practice. Idempotent: rows are found by
(plan, title) / (priority, description) / (plan, area) and never duplicated."""

from authorities.models import LocalAuthority, NationalIndicator

from ..models import JISP, GoodPractice, Need, Priority

TEENAGE_PREGNANCY = "Reduce teenage pregnancy"
CHILDRENS_CENTRES = "Children's centres reach the most disadvantaged families"

PRIORITIES = [
    {
        "title": TEENAGE_PREGNANCY,
        "description": "Under-18 conceptions remain above the regional average (LAA target, NI 112).",
        "indicators": [112],
        "needs": [("Develop a sexual health policy for young people", False)],
    },
    {
        "title": CHILDRENS_CENTRES,
        "description": "Registration is high but use by the most disadvantaged families is low.",
        "indicators": [109],
        "needs": [("Improve outreach to families not using children's centres", False)],
    },
    {
        "title": "Develop the children's workforce",
        "description": "From the Children's Trust's self-assessment with the One Children's Workforce Tool.",
        "is_workforce": True,
        "indicators": [],
        "needs": [("Common induction for staff joining the integrated teams", True)],
    },
    {
        "title": "Reduce the number of young people not in education, employment or training",
        "description": "",
        "indicators": [117],
        "needs": [("Better tracking of 16 to 18 year olds after they leave school", False)],
    },
]

GOOD_PRACTICE = (
    "Youth participation",
    "The young people's council shapes the Children and Young People's Plan; other authorities in the "
    "region have asked to learn from it.",
)


def seed(users, stdout):
    csa = users["csa@demo.test"]
    newcastle = LocalAuthority.objects.get(name="Newcastle upon Tyne")
    jisp = JISP.objects.filter(authority=newcastle, period="2010-11", version=1).first()
    if jisp is None:
        jisp = JISP(authority=newcastle, period="2010-11", version=1, status=JISP.Status.DRAFT, csa=csa)
        jisp._history_user = csa
        jisp._change_reason = "Plan started"
        jisp.save()
    indicators = {ni.number: ni for ni in NationalIndicator.objects.filter(number__in=[109, 112, 117])}
    for order, spec in enumerate(PRIORITIES, start=1):
        priority = Priority.objects.filter(jisp=jisp, title=spec["title"]).first()
        if priority is None:
            priority = Priority(
                jisp=jisp,
                title=spec["title"],
                order=order,
                description=spec["description"],
                is_workforce=spec.get("is_workforce", False),
            )
            priority._history_user = csa
            priority.save()
            priority.indicators.set([indicators[n] for n in spec["indicators"] if n in indicators])
        for n_order, (text, from_tool) in enumerate(spec["needs"], start=1):
            if not Need.objects.filter(priority=priority, description=text).exists():
                need = Need(priority=priority, order=n_order, description=text, from_workforce_tool=from_tool)
                need._history_user = csa
                need.save()
    GoodPractice.objects.get_or_create(jisp=jisp, area=GOOD_PRACTICE[0], defaults={"description": GOOD_PRACTICE[1]})
    stdout.write(f"  Newcastle upon Tyne JISP 2010-11: draft with {jisp.priorities.count()} priorities")
