"""The benchmark's figures and its Markdown report (printed, and written to ``var/bench/latest.md``)."""

import os
import platform
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone


@dataclass
class Figure:
    key: str  # stable: the test looks rows up by it
    label: str
    value: float | None = None  # seconds, requests per second or a ratio; None when not measured
    unit: str = "s"  # "s" (shown in ms below 1 s), "req/s" or "ratio"
    queries: int | None = None
    target: float | None = None  # the aim, in the same unit
    target_queries: int | None = None
    at_least: bool = False  # the target is a floor (throughput, ratio), not a ceiling
    note: str = ""

    @property
    def met(self):
        if self.value is None or (self.target is None and self.target_queries is None):
            return None
        ok = True
        if self.target is not None:
            ok = self.value >= self.target if self.at_least else self.value <= self.target
        if self.target_queries is not None and self.queries is not None:
            ok = ok and self.queries < self.target_queries
        return ok

    def shown(self):
        if self.value is None:
            return self.note or "not measured"
        return _amount(self.value, self.unit)

    def shown_target(self):
        parts = []
        if self.target is not None:
            amount = _amount(self.target, self.unit).replace(".00 ", " ").replace(".00×", "×")
            parts.append(("≥ " if self.at_least else "< ") + amount)
        if self.target_queries is not None:
            parts.append(f"< {self.target_queries} queries")
        return ", ".join(parts) or "—"


def _amount(value, unit):
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "ratio":
        return f"{value:.2f}×"
    if unit == "req/s":
        return f"{value:.1f} req/s"
    if unit == "s/row":
        return f"{value * 1000:.2f} ms/row"
    if unit == "s/page":
        return f"{value:.3f} s/page"
    return f"{value:g} {unit}"


def machine(database):
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "database": database,
        "platform": platform.platform(terse=True),
    }


def render(figures, *, scale, data, machine, seconds, repeats, skipped_load):
    counts = ", ".join(f"{n:,} {label}" for label, n in data.counts.items())
    states = ", ".join(f"{label.replace('_', ' ')} {n:,}" for label, n in data.note_states.items())
    lines = [
        "# JISP portal benchmark",
        "",
        f"- **When**: {timezone.localtime():%d %B %Y %H:%M} (run took {seconds:.0f} s; dataset built in "
        f"{data.seconds:.0f} s)",
        f"- **Machine**: {machine['cores']} cores, Python {machine['python']}, {machine['database']} "
        f"({machine['platform']})",
        f"- **Dataset** (`--scale {scale.name}`): {counts}",
        f"- **Meeting notes by state**: {states}",
        f"- **Method**: server time is the median of {repeats} runs through Django's full middleware stack "
        "(after one warm-up run), with the SQL queries of one run beside it, the objects left by building the "
        "dataset frozen out of the garbage collector's passes as a server's worker never holds them; PDF and "
        "sweep likewise"
        + ("; the load test was skipped (`--skip-load`)." if skipped_load else "; throughput under gunicorn."),
        "",
        "| Measure | Result | Queries | Target | Met |",
        "|---|---:|---:|---|:---:|",
    ]
    for f in figures:
        met = {True: "yes", False: "**no**", None: "—"}[f.met]
        queries = "—" if f.queries is None else str(f.queries)
        lines.append(f"| {f.label} | {f.shown()} | {queries} | {f.shown_target()} | {met} |")
    notes = [f for f in figures if f.note and f.value is not None]
    if notes:
        lines += ["", "Notes:", ""]
        lines += [f"- {f.label}: {f.note}" for f in notes]
    return "\n".join(lines) + "\n"


def write(text, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
