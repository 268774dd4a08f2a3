"""In-process measurements: pages (server time through the whole middleware stack, with the SQL
query count of one run), the signed-off PDF, and the deadline sweep over every note.

A page whose URL name does not resolve on this branch is reported as "not available", and a page
that answers anything but 200 as its status: the table always has every row.
"""

import re
import statistics
from time import perf_counter, process_time
from unittest import mock
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from accounts.models import Role

from .report import Figure

#: A page slower than this (seconds) is run SLOW_RUNS times, its warm-up included, to bound the bench.
SLOW = 2.0
SLOW_RUNS = 3
#: Pages measured with the cache emptied before every run (an approved plan's Annex 2 table is
#: cached after its first view; a draft's never is).
COLD = {"annex2_big_cold"}
#: What the search rows look for: words in every plan's needs and most offers (thousands of entries,
#: of which the CSA may see some); and words in every meeting and note (the most there are).
SEARCH_QUERY = "assessment planning"
SEARCH_QUERY_BROAD = "progress against the plan"
#: Query strings of pages measured with one (a search).
QUERY_STRINGS = {
    "search": "?" + urlencode({"q": SEARCH_QUERY}),
    "search_broad": "?" + urlencode({"q": SEARCH_QUERY_BROAD}),
}
DASHBOARD_ROLES = (
    Role.CSA,
    Role.GO_DIRECTOR,
    Role.DCS,
    Role.LA_OFFICER,
    Role.PROVIDER_ADVISER,
    Role.NATIONAL,
    Role.ADMIN,
)


def page_specs(data, scale):
    """(key, label, user, URL name, kwargs, target seconds, target queries) of every page measured."""
    u = data.users
    region, period = data.region, data.period
    specs = [
        (f"dashboard_{role}", f"Dashboard: {Role(role).label}", u[role], "accounts:dashboard", {}, 0.050, None)
        for role in DASHBOARD_ROLES
    ]
    specs += [
        ("plans_list", "Plans list (`plans:list`, national analyst)", u["national"], "plans:list", {}, None, None),
        (
            "annex2",
            f"Annex 2 page (`plans:detail`), {scale.rows} rows, lead CSA",
            u["csa"],
            "plans:detail",
            {"pk": data.plan.pk},
            None,
            None,
        ),
        (
            "annex2_big",
            f"Annex 2 page (`plans:detail`), {scale.big_rows} rows, lead CSA",
            u["csa"],
            "plans:detail",
            {"pk": data.big_plan.pk},
            0.150,
            15,
        ),
        (
            "annex2_big_cold",
            f"Annex 2 page, {scale.big_rows} rows, table not cached (a draft, or an approved plan's first view)",
            u["csa"],
            "plans:detail",
            {"pk": data.big_plan.pk},
            0.150,
            15,
        ),
        (
            "analysis_region",
            f"Regional analysis, {region.name} {period} (GO director)",
            u["go_director"],
            "plans:analysis_region",
            {"slug": region.slug, "period": period},
            0.300,
            None,
        ),
        (
            "analysis_national",
            f"National view, {period} (national analyst)",
            u["national"],
            "plans:analysis_national",
            {"period": period},
            1.0,
            None,
        ),
    ]
    draft_targets = {40: None, 200: 0.080, 1000: 0.400}
    for rows, plan in sorted(data.drafts.items()):
        specs.append(
            (
                f"annex2_draft_{rows}",
                f"Annex 2 page of a **draft**, {rows} rows, lead CSA (every action link)",
                u["csa"],
                "plans:detail",
                {"pk": plan.pk},
                draft_targets.get(rows),
                15,
            )
        )
    middle = sorted(data.drafts)[len(data.drafts) // 2]
    specs.append(
        (
            f"admin_offers_{middle}",
            f"Django admin's change list of the same draft's offers ({middle} rows, administrator)",
            u["admin"],
            "admin:plans_offer_changelist",
            {},
            None,
            None,
        )
    )
    specs += [
        ("meetings_month", "Meetings calendar, this month (CSA)", u["csa"], "meetings:month", {}, 0.080, None),
        (
            "search",
            f"Search, “{SEARCH_QUERY}”, all kinds (CSA)",
            u["csa"],
            "search:results",
            {},
            0.200,
            None,
        ),
        (
            "search_broad",
            f"Search, “{SEARCH_QUERY_BROAD}”, all kinds (CSA)",
            u["csa"],
            "search:results",
            {},
            0.200,
            None,
        ),
        (
            "compliance",
            "Meeting-note compliance, all England (national analyst)",
            u["national"],
            "meetings:compliance",
            {},
            0.250,
            None,
        ),
    ]
    return specs


def _getter(key, user):
    """A signed-in client's GET; for a cold page, one that empties the cache before each request."""
    client = Client()
    client.force_login(user)
    if key not in COLD:
        return client.get

    def get(path):
        cache.clear()
        return client.get(path)

    return get


def _time_page(figure, get, url, repeats):
    """Fill in the figure: the median of ``repeats`` timed runs after a warm-up; False (and a note why)
    when the page could not be measured."""
    try:
        started = perf_counter()
        response = get(url)
        warm_up = perf_counter() - started
    except Exception as error:  # noqa: BLE001 - a broken page is a row in the table, not a crash
        figure.note = f"error: {type(error).__name__}: {str(error)[:80]}"
        return False
    if response.status_code != 200:
        figure.note = f"HTTP {response.status_code}"
        return False
    with CaptureQueriesContext(connection) as queries:
        started = perf_counter()
        get(url)
        times = [perf_counter() - started]
    figure.queries = len(queries)
    if warm_up > SLOW:  # a page this slow gains nothing from warming up: its first run counts
        times.append(warm_up)
    runs = min(repeats, SLOW_RUNS) if warm_up > SLOW else repeats
    while len(times) < runs:
        started = perf_counter()
        get(url)
        times.append(perf_counter() - started)
    figure.value = statistics.median(times)
    if len(times) != repeats:
        figure.note = "; ".join(n for n in (figure.note, f"median of {len(times)} runs") if n)
    return True


def measure_pages(data, scale, repeats, progress=None):
    figures = []
    for key, label, user, name, kwargs, target, target_queries in page_specs(data, scale):
        figure = Figure(key=key, label=label, target=target, target_queries=target_queries)
        figures.append(figure)
        try:
            url = reverse(name, kwargs=kwargs) + QUERY_STRINGS.get(key, "")
            if key.startswith("admin_offers_"):
                url += f"?priority__jisp__id__exact={data.drafts[int(key.rsplit('_', 1)[1])].pk}"
        except NoReverseMatch:
            figure.note = f"not available (`{name}` does not resolve)"
            continue
        if key == "search":
            figure.note = (
                f"index of {data.counts.get('search entries', 0):,} entries rebuilt in {data.index_seconds:.1f} s"
            )
        if _time_page(figure, _getter(key, user), url, repeats) and progress:
            progress(f"  {label}: {figure.shown()}, {figure.queries} queries")
    return figures + cost_figures(figures, data)


def cost_figures(figures, data):
    """The draft's time against the admin's change list of the same offers (same run), and the time
    per row of each draft: flat when the page's cost grows with its rows and nothing else."""
    by_key = {f.key: f for f in figures}
    sizes = sorted(data.drafts)
    out = []
    if sizes:
        middle = sizes[len(sizes) // 2]
        draft, admin = by_key.get(f"annex2_draft_{middle}"), by_key.get(f"admin_offers_{middle}")
        ratio = draft.value / admin.value if draft and admin and draft.value and admin.value else None
        out.append(
            Figure(
                key="annex2_draft_ratio",
                label=f"Annex 2 draft, {middle} rows ÷ the admin's change list of its offers (same run)",
                value=ratio,
                unit="ratio",
                target=1.0,
                note="" if ratio else "not measured",
            )
        )
    for rows in sizes:
        figure = by_key.get(f"annex2_draft_{rows}")
        if figure and figure.value:
            out.append(
                Figure(
                    key=f"annex2_draft_{rows}_per_row",
                    label=f"Annex 2 draft, {rows} rows: time per row",
                    value=figure.value / rows,
                    unit="s/row",
                )
            )
    return out


def _page_count(pdf):
    try:
        from io import BytesIO

        from pypdf import PdfReader

        return len(PdfReader(BytesIO(pdf)).pages)
    except ImportError:  # pypdf is a development dependency
        return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def measure_pdfs(data, scale, repeats, progress=None):
    from plans.pdf import render_jisp_pdf_bytes

    figures = []
    for key, plan, rows, target in (
        ("pdf", data.plan, scale.rows, 1.5),
        ("pdf_big", data.big_plan, scale.big_rows, 3.0),
    ):
        times, cpu = [], []
        with CaptureQueriesContext(connection) as queries:
            pdf = render_jisp_pdf_bytes(plan)
        count = len(queries)
        for _ in range(repeats):
            started, started_cpu = perf_counter(), process_time()
            pdf = render_jisp_pdf_bytes(plan)
            times.append(perf_counter() - started)
            cpu.append(process_time() - started_cpu)
        seconds = statistics.median(times)
        pages = _page_count(pdf)
        figures.append(
            Figure(
                key=key,
                label=f"PDF render, {rows} rows ({pages} pages)",
                value=seconds,
                queries=count,
                target=target,
                note=f"{len(pdf) / 1024:.0f} KiB; CPU time {statistics.median(cpu):.2f} s (wall time suffers on a busy machine)",
            )
        )
        figures.append(
            Figure(
                key=f"{key}_per_page", label=f"PDF render, {rows} rows: per page", value=seconds / pages, unit="s/page"
            )
        )
        if progress:
            progress(f"  PDF {rows} rows: {seconds:.2f} s, {pages} pages")
    return figures


class _Rollback(Exception):
    pass


def _sweep(rollback):
    from meetings.tasks import sweep_deadlines

    with CaptureQueriesContext(connection) as queries:
        started = perf_counter()
        try:
            with transaction.atomic():
                result = sweep_deadlines()
                elapsed = perf_counter() - started
                if rollback:
                    raise _Rollback
        except _Rollback:
            pass
        else:
            elapsed = perf_counter() - started  # with the commit
    return elapsed, len(queries), result


def measure_sweep(data, repeats, progress=None):
    """The first sweep over the whole backlog (rolled back after each timed run, so each run does the
    same work), then the steady state: the run every 15 minutes after that one has committed.
    Emails are recorded as the sweep records them but not handed to Celery."""
    notes = data.counts["meeting notes"]
    figures = []
    with mock.patch("core.notify.dispatch", return_value=None):
        runs = [_sweep(rollback=True) for _ in range(repeats)]
        result = runs[-1][2]
        figures.append(
            Figure(
                key="sweep_first",
                label=f"`sweep_deadlines` over {notes:,} notes: first run on the backlog",
                value=statistics.median(r[0] for r in runs),
                queries=runs[-1][1],
                target=10.0,
                note=f"{result['lapsed']:,} response windows lapsed, {result['reminders']:,} reminders",
            )
        )
        _sweep(rollback=False)
        runs = [_sweep(rollback=False) for _ in range(repeats)]
        figures.append(
            Figure(
                key="sweep_steady",
                label=f"`sweep_deadlines` over {notes:,} notes: the next run (nothing new to send)",
                value=statistics.median(r[0] for r in runs),
                queries=runs[-1][1],
                target=10.0,
            )
        )
    if progress:
        progress(f"  sweep: {figures[0].shown()} then {figures[1].shown()}")
    return figures
