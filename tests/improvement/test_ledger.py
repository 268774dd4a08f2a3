"""The reciprocity ledger against a dataset computed by hand, by authority, support status and
region; and the overview's figures split by support status."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from authorities.models import LocalAuthority
from improvement import queries as q
from improvement.models import PeerChallenge
from tests.accounts.factories import UserFactory
from tests.improvement import factories as f

pytestmark = pytest.mark.django_db
STATUS = LocalAuthority.SupportStatus


@pytest.fixture
def dataset(world):
    """Six authorities in two regions, seven entries in 2026-27 and one in 2025-26 (left out).

    | authority  | region | status             | given 2026-27      | received 2026-27   |
    |------------|--------|--------------------|--------------------|--------------------|
    | Newcastle  | NE     | performance risk   | 5 (to Bradford)    | 3 + 2.5 + 4 = 9.5  |
    | Gateshead  | NE     | universal          | 3 + 3.5 = 6.5      | 0                  |
    | Sunderland | NE     | intervention       | 2.5                | 2                  |
    | Durham     | NE     | universal          | 0                  | 0                  |
    | Leeds      | YH     | universal          | 4 + 2 = 6          | 1                  |
    | Bradford   | YH     | improvement notice | 1                  | 3.5 + 5 = 8.5      |
    """
    w = world
    LocalAuthority.objects.filter(pk=w.newcastle.pk).update(support_status=STATUS.PERFORMANCE_RISK)
    sunderland, sunderland_dcs = f.authority_with_dcs("Sunderland", "E08000024", w.ne)
    LocalAuthority.objects.filter(pk=sunderland.pk).update(support_status=STATUS.INTERVENTION)
    durham = f.authority_with_dcs("County Durham", "E06000047", w.ne)[0]
    bradford, bradford_dcs = f.authority_with_dcs("Bradford", "E08000032", w.yh)
    LocalAuthority.objects.filter(pk=bradford.pk).update(support_status=STATUS.IMPROVEMENT_NOTICE)
    gateshead_dcs = f.dcs_of(w.gateshead)
    leeds_officer = UserFactory(email="officer@leeds.example.gov.uk", role=Role.LA_OFFICER, authority=w.leeds)
    f.entry(gateshead_dcs, w.gateshead, w.newcastle, 3)
    f.entry(sunderland_dcs, sunderland, w.newcastle, D("2.5"))
    f.entry(w.dcs_other, w.leeds, w.newcastle, 4, given_on=date(2027, 3, 31))
    f.entry(leeds_officer, w.leeds, sunderland, 2, given_on=date(2026, 4, 1))
    f.entry(gateshead_dcs, w.gateshead, bradford, D("3.5"))
    f.entry(w.dcs, w.newcastle, bradford, 5)
    f.entry(bradford_dcs, bradford, w.leeds, 1)
    f.entry(w.dcs, w.newcastle, w.leeds, 10, year="2025-26", given_on=date(2026, 3, 31))
    return {"sunderland": sunderland, "durham": durham, "bradford": bradford}


def figures(totals):
    return (totals.authorities, totals.given, totals.received, totals.under, totals.met, totals.over, totals.shortfall)


def test_each_authoritys_days_given_and_received(world, dataset):
    rows = {r.authority.name: r for r in q.ledger("2026-27")}
    expected = {
        "Newcastle upon Tyne": (D("5"), D("9.5"), D("-4.5"), q.MET),
        "Gateshead": (D("6.5"), D("0"), D("6.5"), q.OVER),
        "Sunderland": (D("2.5"), D("2"), D("0.5"), q.UNDER),
        "County Durham": (D("0"), D("0"), D("0"), q.UNDER),
        "Leeds": (D("6"), D("1"), D("5"), q.OVER),
        "Bradford": (D("1"), D("8.5"), D("-7.5"), q.UNDER),
    }
    assert {name: (r.given, r.received, r.net, r.standing) for name, r in rows.items()} == expected
    assert rows["Sunderland"].shortfall == D("2.5")
    assert rows["Gateshead"].shortfall == 0


def test_totals_by_support_status_and_nationally(world, dataset):
    statuses, total = q.by_status(q.ledger("2026-27"))
    assert {t.value: figures(t) for t in statuses} == {
        STATUS.UNIVERSAL: (3, D("12.5"), D("1"), 1, 0, 2, D("5")),
        STATUS.PERFORMANCE_RISK: (1, D("5"), D("9.5"), 0, 1, 0, D("0")),
        STATUS.INTERVENTION: (1, D("2.5"), D("2"), 1, 0, 0, D("2.5")),
        STATUS.IMPROVEMENT_NOTICE: (1, D("1"), D("8.5"), 1, 0, 0, D("4")),
    }
    assert figures(total) == (6, D("21"), D("21"), 3, 1, 2, D("11.5"))
    assert total.expected == D("30")


def test_totals_by_region_and_a_regions_own_ledger(world, dataset):
    regions = {t.label: t for t in q.by_region(q.ledger("2026-27"))}
    assert figures(regions["North East"]) == (4, D("14"), D("11.5"), 2, 1, 1, D("7.5"))
    assert figures(regions["Yorkshire and the Humber"]) == (2, D("7"), D("9.5"), 1, 0, 1, D("4"))
    by_status = {t.value: figures(t) for t in regions["North East"].statuses}
    assert by_status[STATUS.UNIVERSAL] == (2, D("6.5"), D("0"), 1, 0, 1, D("5"))
    north_east = {r.authority.name: (r.given, r.received) for r in q.ledger("2026-27", region=world.ne)}
    assert north_east == {
        "Newcastle upon Tyne": (D("5"), D("9.5")),  # days received from Leeds, in another region, count
        "Gateshead": (D("6.5"), D("0")),
        "Sunderland": (D("2.5"), D("2")),
        "County Durham": (D("0"), D("0")),
    }


def test_another_year_has_its_own_figures(world, dataset):
    rows = {r.authority.name: (r.given, r.received) for r in q.ledger("2025-26") if r.given or r.received}
    assert rows == {"Newcastle upon Tyne": (D("10"), D("0")), "Leeds": (D("0"), D("10"))}


def test_the_ledger_is_three_queries_however_many_entries(world, dataset):
    with CaptureQueriesContext(connection) as few:
        q.ledger("2026-27")
    for i in range(20):
        f.entry(world.dcs_other, world.leeds, dataset["bradford"], 1, given_on=date(2026, 5, 1 + i))
    with CaptureQueriesContext(connection) as many:
        rows = q.ledger("2026-27")
    assert len(few) == len(many) == 3
    assert next(r for r in rows if r.authority.name == "Leeds").given == D("26")


def test_the_ledger_page_shows_the_figures_and_who_is_under_and_over(world, dataset, client):
    client.force_login(world.national)
    page = client.get("/improvement/ledger/", {"year": "2026-27"}).content.decode()
    assert "Reciprocity ledger 2026-27: England" in page
    under = page.split('id="under"')[1].split("</ul>")[0]
    over = page.split('id="over"')[1].split("</ul>")[0]
    assert "County Durham: 0 of 5 days given" in under
    assert "Bradford: 1 of 5 days given, 8.5 received" in under
    assert "Gateshead: 6.5 days given, 0 received" in over
    assert "Leeds" in over
    assert "Newcastle" not in over + under
    north_east = client.get("/improvement/ledger/", {"year": "2026-27", "region": "north-east"}).content.decode()
    assert "Bradford" not in north_east.split('id="authorities"')[1]


def test_the_overview_splits_every_figure_by_support_status(world, dataset):
    lead = f.make_lead(world.admin)
    shared = f.self_assessment(world.newcastle, shared=True)
    f.self_assessment(world.gateshead)
    f.self_assessment(world.leeds, shared=True)
    f.self_assessment(world.leeds, year="2025-26", shared=True)
    issued = f.challenge(shared, lead, status=PeerChallenge.Status.LETTER_ISSUED)
    f.challenge(f.self_assessment(dataset["bradford"], shared=True), lead, status=PeerChallenge.Status.CANCELLED)
    f.brokerage(issued, world.csa)
    columns, table = q.overview("2026-27")
    assert columns == ["Universal", "Performance risk", "Intervention", "Improvement notice", "All authorities"]
    rows = dict(table)
    assert rows["Authorities"] == [3, 1, 1, 1, 6]
    assert rows["Self-assessments started"] == [2, 1, 0, 1, 4]
    assert rows["Self-assessments shared for peer challenge"] == [1, 1, 0, 1, 3]
    assert rows["Peer challenges on site this year"] == [0, 1, 0, 0, 1]
    assert rows["Peer challenge letters issued"] == [0, 1, 0, 0, 1]
    assert rows["Support packages brokered"] == [0, 1, 0, 0, 1]
    assert rows["Brokered support plans approved"] == [0, 0, 0, 0, 0]
    assert rows["Days of peer challenge given"] == [D("12.5"), D("5"), D("2.5"), D("1"), D("21")]
    assert rows["Days of peer challenge received"] == [D("1"), D("9.5"), D("2"), D("8.5"), D("21")]
    assert rows["Authorities giving fewer than 5 days"] == [1, 0, 1, 1, 3]
    assert rows["Authorities giving more than 5 days"] == [2, 0, 0, 0, 2]
    yh = dict(q.overview("2026-27", region=world.yh)[1])
    assert yh["Authorities"] == [1, 0, 0, 1, 2]
    assert yh["Self-assessments started"] == [1, 0, 0, 1, 2]
