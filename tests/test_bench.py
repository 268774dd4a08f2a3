"""``manage.py bench`` at the tiny scale, without the load test, in its own process and its own
temporary SQLite database: it runs to the end and its report has every row (timings are not asserted)."""

import os
import subprocess
import sys

from django.conf import settings

from bench.measure import DASHBOARD_ROLES

ROWS = [
    *(f"Dashboard: {label}" for label in ("Children's Services Adviser", "GO Director", "Director of Children's")),
    "Dashboard: Local authority officer",
    "Dashboard: Provider adviser",
    "Dashboard: National analyst",
    "Dashboard: Administrator",
    "Plans list (`plans:list`",
    "Annex 2 page (`plans:detail`), 4 rows",
    "Annex 2 page (`plans:detail`), 12 rows",
    "Annex 2 page, 12 rows, table not cached",
    "Regional analysis, London",
    "National view, 2010-11",
    "Meetings calendar",
    "Search, “assessment planning”, all kinds (CSA)",
    "Search, “progress against the plan”, all kinds (CSA)",
    "Meeting-note compliance",
    "PDF render, 4 rows (",
    "PDF render, 4 rows: per page",
    "PDF render, 12 rows (",
    "PDF render, 12 rows: per page",
    "`sweep_deadlines` over 300 notes: first run",
    "`sweep_deadlines` over 300 notes: the next run",
    "Throughput: Annex 2 page",
    "Throughput: Django admin change list",
    "Ratio: Annex 2 page ÷ admin change list",
    "Annex 2 page of a **draft**, 4 rows",
    "Annex 2 page of a **draft**, 12 rows",
    "Annex 2 page of a **draft**, 30 rows",
    "Django admin's change list of the same draft's offers (12 rows",
    "Annex 2 draft, 12 rows ÷ the admin's change list",
    "Annex 2 draft, 4 rows: time per row",
    "Annex 2 draft, 12 rows: time per row",
    "Annex 2 draft, 30 rows: time per row",
    "Throughput: draft Annex 2 page, 4 rows",
    "Throughput: the admin's change list of that draft's offers",
    "Ratio: Annex 2 draft ÷ admin change list",
]


def test_bench_small_writes_a_report_with_every_row(tmp_path):
    output = tmp_path / "latest.md"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["JISP_VAR_DIR"] = str(tmp_path / "var")
    result = subprocess.run(
        [sys.executable, "manage.py", "bench", "--scale", "small", "--skip-load", "--output", str(output)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = output.read_text(encoding="utf-8")
    assert report in result.stdout  # printed as well as written
    assert "| Measure | Result | Queries | Target | Met |" in report
    assert "cores, Python 3." in report
    assert "SQLite" in report
    table = [line for line in report.splitlines() if line.startswith("| ") and not line.startswith("| Measure")]
    assert len(table) == len(ROWS) == len(DASHBOARD_ROLES) + 30
    for row in ROWS:
        assert sum(line.startswith(f"| {row}") for line in table) == 1, row
    # Pages that exist on this branch are measured, with their query counts; the rest say why not.
    for line in table:
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert cells[1], line
        if cells[1].startswith(("not available", "skipped")):
            continue
        assert cells[1].endswith(("ms", " s", "s/page", "ms/row", "×")), line
    assert "skipped (`--skip-load`)" in report
