"""The open data export: approved plans' rows and the national analysis, for publication, with no
personal data (no person's name or email: authorities, providers and the plans' own text only).

``files()`` yields (relative path, bytes) for every file; ``manage.py export_open_data --output DIR``
writes them and the national analyst's page (``open_data:download``) sends them as one ZIP. The
analysis tables are shaped here for the API too (``table_data``, ``totals_data``).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.text import slugify

from plans.queries import analysis
from plans.queries.published import plans_in_force

if TYPE_CHECKING:
    from plans.models import JISP
    from plans.queries.analysis import Table

LICENCE = "Open Government Licence v3.0"

PLAN_ROW_COLUMNS = [
    "period",
    "region",
    "authority",
    "gss_code",
    "plan_version",
    "approved_on",
    "priority_order",
    "priority",
    "priority_description",
    "workforce_priority",
    "national_indicators",
    "need",
    "need_from_workforce_tool",
    "provider",
    "provider_abbreviation",
    "offer",
    "deliver_by",
    "days",
    "funding",
]


# --- the analysis tables, as data --------------------------------------------------------------------


def column_key(header: str) -> str:
    """A table column's stable key: its header in snake case ("Funding (£)" → "funding")."""
    return slugify(header).replace("-", "_")


def json_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "days":
        return str(Decimal(value).quantize(Decimal("0.1")))
    if kind == "money":
        return str(Decimal(value).quantize(Decimal("0.01")))
    if isinstance(value, tuple):
        return list(value)
    return value


def table_data(table: Table) -> dict[str, Any]:
    keys = [column_key(c.header) for c in table.columns]
    return {
        "key": table.key,
        "title": table.title,
        "caption": table.caption,
        "columns": [{"key": k, "header": c.header, "kind": c.kind} for k, c in zip(keys, table.columns, strict=True)],
        "rows": [
            {k: json_value(v, c.kind) for k, v, c in zip(keys, row, table.columns, strict=True)} for row in table.rows
        ],
    }


def totals_data(totals: dict[str, Any]) -> dict[str, Any]:
    return {
        "plans": totals["plans"],
        "priorities": totals["priorities"],
        "needs": totals["needs"],
        "days": json_value(totals["days"], "days"),
        "funding": json_value(totals["funding"], "money"),
        "authorities": totals["authorities"],
        "approved": totals["approved"],
    }


def analysis_data(result: dict[str, Any], region: str | None) -> dict[str, Any]:
    """An analysis (``plans.queries.analysis.analysis``, or ``national_view`` with its regions table first)
    as the API and the export give it."""
    tables = ([result["regions"]] if "regions" in result else []) + list(result["tables"].values())
    return {
        "period": result["period"],
        "region": region,
        "approved_only": result["approved_only"],
        "note": result["note"],
        "totals": totals_data(result["totals"]),
        "tables": [table_data(t) for t in tables],
    }


# --- the plans' rows ------------------------------------------------------------------------------


def _text(value: Any) -> Any:
    """A CSV cell: numbers stay numbers; text typed by users never runs as a spreadsheet formula."""
    return analysis.export_value(value, "text")


def plan_rows(plan: JISP) -> Iterator[dict[str, Any]]:
    """One row per accepted offer, per need without one, and per priority with neither."""
    base = {
        "period": plan.period,
        "region": plan.authority.region.name,
        "authority": plan.authority.name,
        "gss_code": plan.authority.gss_code,
        "plan_version": plan.version,
        "approved_on": timezone.localdate(plan.approved_at).isoformat() if plan.approved_at else "",
    }
    for priority in plan.priorities.all():
        row = {
            **base,
            "priority_order": priority.order,
            "priority": priority.title,
            "priority_description": priority.description,
            "workforce_priority": "yes" if priority.is_workforce else "no",
            "national_indicators": "; ".join(f"NI {i.number}" for i in priority.indicators.all()),
        }
        needs = list(priority.needs.all())
        offers = list(priority.offers.all())
        met = {o.need_id for o in offers}
        for offer in offers:
            need = next((n for n in needs if n.pk == offer.need_id), None)
            yield {**row, **_need(need), **_offer(offer)}
        for need in needs:
            if need.pk not in met:
                yield {**row, **_need(need), **_offer(None)}
        if not needs and not offers:
            yield {**row, **_need(None), **_offer(None)}


def _need(need: Any) -> dict[str, Any]:
    if need is None:
        return {"need": "", "need_from_workforce_tool": ""}
    return {"need": need.description, "need_from_workforce_tool": "yes" if need.from_workforce_tool else "no"}


def _offer(offer: Any) -> dict[str, Any]:
    if offer is None:
        return {k: "" for k in ("provider", "provider_abbreviation", "offer", "deliver_by", "days", "funding")}
    return {
        "provider": offer.provider.name,
        "provider_abbreviation": offer.provider.abbreviation,
        "offer": offer.description,
        "deliver_by": offer.deliver_by.isoformat() if offer.deliver_by else "",
        "days": "" if offer.days is None else str(offer.days),
        "funding": "" if offer.funding is None else str(offer.funding),
    }


def plan_data(plan: JISP) -> dict[str, Any]:
    return {
        "period": plan.period,
        "region": plan.authority.region.slug,
        "authority": plan.authority.name,
        "gss_code": plan.authority.gss_code,
        "version": plan.version,
        "approved_on": timezone.localdate(plan.approved_at).isoformat() if plan.approved_at else None,
        "priorities": [
            {
                "order": p.order,
                "title": p.title,
                "description": p.description,
                "is_workforce": p.is_workforce,
                "national_indicators": [i.number for i in p.indicators.all()],
                "needs": [
                    {"description": n.description, "from_workforce_tool": n.from_workforce_tool} for n in p.needs.all()
                ],
                "offers": [
                    {
                        "provider": o.provider.name,
                        "provider_abbreviation": o.provider.abbreviation,
                        "need_order": o.need.order if o.need_id and o.need else None,
                        "description": o.description,
                        "deliver_by": o.deliver_by.isoformat() if o.deliver_by else None,
                        "days": None if o.days is None else str(o.days),
                        "funding": None if o.funding is None else str(o.funding),
                    }
                    for o in p.offers.all()
                ],
            }
            for p in plan.priorities.all()
        ],
    }


# --- the files ----------------------------------------------------------------------------------


def _csv(header: list[str], rows: Iterator[list[Any]] | list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")  # a BOM, so spreadsheets read the £ and accents right


def _json(data: Any) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


def files(now: datetime | None = None) -> Iterator[tuple[str, bytes]]:
    """Every file of the export: the plans' rows (CSV and JSON), the national analysis of approved
    plans for each period (one CSV per table, and all of it in JSON) and a description of the files."""
    now = now or timezone.now()
    plans = list(plans_in_force())
    yield (
        "plan-rows.csv",
        _csv(PLAN_ROW_COLUMNS, ([_text(r[c]) for c in PLAN_ROW_COLUMNS] for p in plans for r in plan_rows(p))),
    )
    yield "plans.json", _json({"generated_at": now, "licence": LICENCE, "plans": [plan_data(p) for p in plans]})
    national = []
    for period in analysis.periods(approved_only=True):
        result = analysis.national_view(period, approved_only=True)
        national.append(analysis_data(result, None))
        for table in [result["regions"], *result["tables"].values()]:
            yield (f"national/{period}/{table.key}.csv", _csv([c.header for c in table.columns], table.export_rows()))
    yield "national-analysis.json", _json({"generated_at": now, "licence": LICENCE, "periods": national})
    yield "README.txt", readme(now, [n["period"] for n in national]).encode()


def readme(now: datetime, periods: list[str]) -> str:
    return "\n".join(
        [
            "Joint Improvement Support Plans: open data",
            f"Generated {now:%d %B %Y %H:%M} UTC. Licence: {LICENCE}.",
            "",
            "plan-rows.csv: one row per accepted offer of support (or per need, or priority, without one) in each",
            "  authority's plan in force (its latest approved version) for each period.",
            "plans.json: the same plans, priority by priority, with their needs and accepted offers.",
            "national/<period>/<table>.csv: the national analysis of approved plans, region by region.",
            "national-analysis.json: every period's national analysis, with its headline totals.",
            "",
            "Periods: " + (", ".join(periods) if periods else "none yet"),
            "No person's name or email is in these files.",
            "",
        ]
    )


def write(directory: Any, now: datetime | None = None) -> list[str]:
    """Write every file under ``directory`` (a ``pathlib.Path``); returns their relative paths."""
    written = []
    for name, content in files(now):
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written.append(name)
    return written


def zip_bytes(now: datetime | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files(now):
            archive.writestr(f"jisp-open-data/{name}", content)
    return buffer.getvalue()
