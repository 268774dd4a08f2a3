"""The regional and national analysis against hand-counted plans (tests/plans/analysis_fixtures.py)."""

from decimal import Decimal

import pytest

from plans.models import JISP
from plans.queries import analysis as q
from tests.plans import analysis_fixtures
from tests.plans.analysis_fixtures import PERIOD
from tests.plans.factories import JISPFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(world):
    return analysis_fixtures.build(world)


def rows(result, key):
    return result["tables"][key].rows


def test_current_plans_are_the_latest_unsuperseded_version(world, plans):
    current = set(q.current_plans(PERIOD, [world.ne]))
    assert current == {plans.newcastle, plans.gateshead}
    assert set(q.current_plans(PERIOD, [world.ne], approved_only=True)) == {plans.newcastle}
    assert set(q.current_plans(PERIOD)) == {plans.newcastle, plans.gateshead, plans.leeds}


def test_approved_only_keeps_the_approved_plan_while_its_revision_is_in_draft(world, plans):
    plans.leeds.status = JISP.Status.SUPERSEDED
    plans.leeds.save()
    revision = JISPFactory(authority=world.leeds, period=PERIOD, version=2, status=JISP.Status.DRAFT)
    assert list(q.current_plans(PERIOD, [world.yh])) == [revision]
    assert list(q.current_plans(PERIOD, [world.yh], approved_only=True)) == [plans.leeds]


def test_indicators_for_go_staff_count_every_current_plan(world, plans):
    result = q.regional_analysis(world.ne, PERIOD)
    assert rows(result, "indicators") == [
        ["NI 112 Under 18 conception rate", "Be healthy", 2, 2, 3, ["Gateshead", "Newcastle upon Tyne"]],
        ["NI 109 Delivery of Sure Start Children's Centres", "Stay safe", 1, 1, 1, ["Newcastle upon Tyne"]],
    ]
    assert rows(result, "outcomes") == [
        ["Be healthy", 2, 2, 3, ["Gateshead", "Newcastle upon Tyne"]],
        ["Stay safe", 1, 1, 1, ["Newcastle upon Tyne"]],
    ]


def test_indicators_for_analysts_count_approved_plans_only(world, plans):
    result = q.regional_analysis(world.ne, PERIOD, approved_only=True)
    assert [r[:5] for r in rows(result, "indicators")] == [
        ["NI 112 Under 18 conception rate", "Be healthy", 1, 1, 2],
        ["NI 109 Delivery of Sure Start Children's Centres", "Stay safe", 1, 1, 1],
    ]
    assert result["totals"]["plans"] == 1
    assert "approved plans only" in result["note"]


def test_days_and_funding_committed_count_accepted_offers(world, plans):
    result = q.regional_analysis(world.ne, PERIOD)
    assert rows(result, "providers") == [
        ["Together for Children", Decimal("12.0"), Decimal("5500.00"), 2, 2],
        ["National Strategies", Decimal("4.5"), Decimal("1000.00"), 1, 1],
    ]
    assert rows(result, "authorities") == [
        ["Gateshead", Decimal("2.0"), Decimal("500.00"), 1, 1],
        ["Newcastle upon Tyne", Decimal("14.5"), Decimal("6000.00"), 2, 2],
    ]
    totals = result["totals"]
    assert (totals["days"], totals["funding"]) == (Decimal("16.5"), Decimal("6500.00"))
    assert (totals["authorities"], totals["approved"], totals["plans"]) == (3, 1, 2)
    assert (totals["priorities"], totals["needs"]) == (3, 4)
    assert (totals["days_display"], totals["funding_display"]) == ("16.5", "£6,500")


def test_workforce_priorities(world, plans):
    assert rows(q.regional_analysis(world.ne, PERIOD), "workforce") == [
        ["Newcastle upon Tyne", "Teenage pregnancy", "No", 2, 1],
        ["Newcastle upon Tyne", "Children's centres", "Yes", 1, 0],
    ]


def test_authorities_without_an_approved_plan(world, plans):
    assert rows(q.regional_analysis(world.ne, PERIOD), "without_approved") == [
        ["Gateshead", "Draft"],
        ["Sunderland", "No plan"],
    ]
    # Analysts are not told what is in draft.
    assert rows(q.regional_analysis(world.ne, PERIOD, approved_only=True), "without_approved") == [
        ["Gateshead"],
        ["Sunderland"],
    ]


def test_an_authority_whose_approved_plan_is_being_revised_has_an_approved_plan(world, plans):
    from authorities.models import LocalAuthority
    from plans.models import JISP
    from tests.plans.factories import JISPFactory

    sunderland = LocalAuthority.objects.get(name="Sunderland")
    JISPFactory(authority=sunderland, period=PERIOD, version=1, status=JISP.Status.SUPERSEDED)
    JISPFactory(authority=sunderland, period=PERIOD, version=2, status=JISP.Status.DRAFT)
    result = q.regional_analysis(world.ne, PERIOD)
    assert rows(result, "without_approved") == [["Gateshead", "Draft"]]
    assert result["totals"]["approved"] == 2


def test_good_practice_areas_group_across_spelling(world, plans):
    assert rows(q.regional_analysis(world.ne, PERIOD), "good_practice") == [
        ["Early years", 2, ["Gateshead", "Newcastle upon Tyne"]],
        ["Youth offending", 1, ["Newcastle upon Tyne"]],
    ]


def test_offer_statuses_list_every_status(world, plans):
    assert rows(q.regional_analysis(world.ne, PERIOD), "offer_statuses") == [
        ["Invited", 1],
        ["Submitted", 1],
        ["Challenged", 0],
        ["Accepted", 3],
        ["Withdrawn", 0],
    ]


def test_a_period_with_no_plans_gives_empty_tables(world, plans):
    result = q.regional_analysis(world.ne, "2011-12")
    assert rows(result, "indicators") == []
    assert rows(result, "providers") == []
    assert len(rows(result, "without_approved")) == 3
    assert result["totals"]["plans"] == 0


def test_national_view_goes_region_by_region(world, plans):
    result = q.national_view(PERIOD, approved_only=True)
    assert [r[:4] for r in rows(result, "indicators")] == [
        ["North East", "NI 112 Under 18 conception rate", "Be healthy", 1],
        ["North East", "NI 109 Delivery of Sure Start Children's Centres", "Stay safe", 1],
        ["Yorkshire and the Humber", "NI 112 Under 18 conception rate", "Be healthy", 1],
    ]
    assert rows(result, "providers") == [
        ["North East", "Together for Children", Decimal("10.0"), Decimal("5000.00"), 1, 1],
        ["North East", "National Strategies", Decimal("4.5"), Decimal("1000.00"), 1, 1],
        ["Yorkshire and the Humber", "Together for Children", Decimal("6.0"), Decimal("2000.00"), 1, 1],
    ]
    assert rows(result, "without_approved") == [["North East", "Gateshead"], ["North East", "Sunderland"]]
    assert result["regions"].rows == [
        ["North East", 3, 1, 1, 2, 3, Decimal("14.5"), Decimal("6000.00")],
        ["Yorkshire and the Humber", 1, 1, 1, 1, 1, Decimal("6.0"), Decimal("2000.00")],
    ]
    everything = q.national_view(PERIOD, approved_only=False)
    assert everything["regions"].rows[0] == ["North East", 3, 1, 2, 3, 4, Decimal("16.5"), Decimal("6500.00")]


def test_regional_summary_and_agenda(world, plans):
    summary = q.regional_summary(world.ne, PERIOD)
    assert [(r["number"], r["authorities"], r["names"]) for r in summary["top_indicators"]] == [
        (112, 2, ["Gateshead", "Newcastle upon Tyne"]),
        (109, 1, ["Newcastle upon Tyne"]),
    ]
    assert summary["top_outcomes"] == [
        {"outcome": "Be healthy", "authorities": 2},
        {"outcome": "Stay safe", "authorities": 1},
    ]
    text = q.agenda_text(world.ne, PERIOD)
    assert "1. NI 112 Under 18 conception rate — shared by 2 authorities: Gateshead, Newcastle upon Tyne" in text
    assert "2. NI 109 Delivery of Sure Start Children's Centres — shared by 1 authority: Newcastle upon Tyne" in text


def test_summary_for_forum_respects_who_may_see_it(world, plans):
    summary = q.summary_for_forum(world.csa, world.forum)
    assert summary["period"] == "2010-11"  # the latest period with plans
    assert summary["can_build_agenda"] is True
    assert q.summary_for_forum(world.csa, world.forum, PERIOD)["totals"]["plans"] == 2
    national = q.summary_for_forum(world.national, world.forum)
    assert national["period"] == PERIOD  # nothing approved in 2010-11
    assert national["totals"]["plans"] == 1
    assert national["can_build_agenda"] is False
    assert q.summary_for_forum(world.dcs, world.forum) is None
    assert q.summary_for_forum(world.csa_other, world.forum) is None
    assert q.summary_for_forum(world.provider, world.forum) is None


def test_periods_for_analysts_exclude_drafts(world, plans):
    assert q.periods([world.ne]) == ["2010-11", "2009-10"]
    assert q.periods([world.ne], approved_only=True) == ["2009-10"]
