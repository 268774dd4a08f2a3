"""The sizes of a benchmark run: ``national`` is the issue's dataset, ``small`` a tiny one for tests."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    plan_authorities: int | None  # authorities with plans (None: all 152)
    periods: tuple
    rows: int  # Annex 2 rows (priorities) of an ordinary plan
    big_rows: int  # rows of the one large plan
    draft_rows: tuple  # rows of the draft plans measured for the cost per row (the middle one: the ratio)
    advisers: int
    notes: int
    repeats: int  # timed runs per page (after one warm-up)
    pdf_repeats: int
    sweep_repeats: int
    load_requests: int  # per page, at most
    load_seconds: float  # per page, at most


SCALES = {
    "national": Scale(
        name="national",
        plan_authorities=None,
        periods=("2008-09", "2009-10", "2010-11"),
        rows=40,
        big_rows=200,
        draft_rows=(40, 200, 1000),
        advisers=500,
        notes=100_000,
        repeats=7,
        pdf_repeats=3,
        sweep_repeats=3,
        load_requests=1500,
        load_seconds=30.0,
    ),
    "small": Scale(
        name="small",
        plan_authorities=6,
        periods=("2008-09", "2009-10", "2010-11"),
        rows=4,
        big_rows=12,
        draft_rows=(4, 12, 30),
        advisers=10,
        notes=300,
        repeats=1,
        pdf_repeats=1,
        sweep_repeats=1,
        load_requests=40,
        load_seconds=5.0,
    ),
}
