"""Plan exports: the files the plan pages offer for download, built from the plan queries — a plan
as an XLSX workbook (the Annex 2 header block, then the table and the totals by provider), and each
table of the regional and national analysis as CSV or XLSX."""

import csv
import io

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from .queries import analysis as analysis_q
from .queries.workflow import annex2_rows, offers_for, provider_totals

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)
HEADING_FILL = PatternFill("solid", fgColor="F3F2F1")
HEADINGS = ["Priority", "Needs", "Provider", "Offer", "Resources (days)", "Resources (£)", "Notes", "Offer status"]
WIDTHS = (34, 40, 28, 60, 16, 14, 30, 14)


def _attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _save(workbook):
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- a plan as XLSX -------------------------------------------------------------------------------


def download_name(jisp):
    """A plan's files are named for the authority, the period and the version (no extension)."""
    return f"{slugify(jisp.authority.name)}-jisp-{jisp.period}-version-{jisp.version}"


def plan_xlsx(jisp, user):
    """The plan as an XLSX download (what ``user`` may see of its offers)."""
    return _attachment(build_xlsx(jisp, user), XLSX, f"{download_name(jisp)}.xlsx")


def build_xlsx(jisp, user):
    """The Annex 2 header block then the table, as an XLSX workbook (bytes)."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"JISP {jisp.period} v{jisp.version}"
    _plan_header(ws, jisp)
    ws.append([])
    ws.append(HEADINGS)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font, cell.fill = BOLD, HEADING_FILL
    rows = annex2_rows(jisp, offers=offers_for(user, jisp))
    for row in rows:
        _priority_rows(ws, row)
    _totals_by_provider(ws, rows)
    _as_text(ws)
    _layout(ws, header_row)
    return _save(wb)


def _plan_header(ws, jisp):
    """The title, then the Annex 2 header block: authority, DCS, Government Office, CSA, status."""
    authority = jisp.authority
    ws.append([f"{authority}: Joint Improvement Support Plan {jisp.period} (version {jisp.version})"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    csa = jisp.csa or authority.csa
    dcs = authority.dcs.full_name if authority.dcs else ""
    ws.append(["Local Authority/ Children's Trust", str(authority), "Director of Children's Services", dcs])
    office = authority.region.government_office
    ws.append(["Government Office", office, "Children's Services Adviser", csa.full_name if csa else ""])
    ws.append(["Status", jisp.get_status_display()])
    for r in (3, 4, 5):
        ws.cell(r, 1).font = BOLD
        ws.cell(r, 3).font = BOLD


def _number(value):
    return float(value) if value is not None else None


def _priority_rows(ws, row):
    """A priority with its needs, then one line per offer (the priority and needs on the first)."""
    needs = "\n".join(n.description for n in row.needs)
    if not row.offers:
        ws.append([row.priority.title, needs, "", "", None, None, "", ""])
    for i, offer in enumerate(row.offers):
        first = i == 0
        ws.append(
            [
                row.priority.title if first else "",
                needs if first else "",
                offer.provider.name,
                offer.description,
                _number(offer.days),
                _number(offer.funding),
                offer.notes,
                offer.get_status_display(),
            ]
        )


def _totals_by_provider(ws, rows):
    totals, overall = provider_totals(rows)
    ws.append([])
    ws.append(["Totals by provider", "", "", "", "Days", "£"])
    for cell in ws[ws.max_row]:
        cell.font = BOLD
    for t in totals:
        ws.append(["", "", t["provider"], "", float(t["days"]), float(t["funding"])])
    ws.append(["Total", "", "", "", float(overall["days"]), float(overall["funding"])])
    ws.cell(ws.max_row, 1).font = BOLD


def _as_text(ws):
    """User text such as "=HYPERLINK(...)" stays text, never a formula."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _layout(ws, header_row):
    for letter, width in zip("ABCDEFGH", WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = ws.cell(header_row + 1, 1)


# --- the analysis tables --------------------------------------------------------------------------


def regional_table(region, period, key, fmt, *, approved_only):
    """One table of a region's analysis for a period, as a ``fmt`` (csv or xlsx) download."""
    data = analysis_q.regional_analysis(region, period, approved_only=approved_only)["tables"][key]
    name = f"jisp-analysis-{region.slug}-{period}-{slugify(data.title)}"
    return table_file(data, name, fmt, f"{data.title}, {region}, {period}")


def national_table(period, key, fmt, *, approved_only):
    """One table of the national view (``regions``: the regions side by side) as a download."""
    result = analysis_q.national_view(period, approved_only=approved_only)
    data = result["regions"] if key == "regions" else result["tables"][key]
    name = f"jisp-analysis-national-{period}-{slugify(data.title)}"
    return table_file(data, name, fmt, f"{data.title}, England, {period}")


def table_file(table, filename, fmt, heading):
    """An analysis table as ``filename.csv`` or ``filename.xlsx`` (titled ``heading``)."""
    if fmt == "csv":
        # With a byte-order mark, so that Excel reads "£" and accented names correctly.
        return _attachment(("\ufeff" + _csv(table)).encode("utf-8"), "text/csv; charset=utf-8", f"{filename}.csv")
    return _attachment(_xlsx(table, heading), XLSX, f"{filename}.xlsx")


def _csv(table):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in table.columns])
    writer.writerows(table.export_rows())
    return buffer.getvalue()


def _xlsx(table, heading):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.title[:31]
    sheet.append([c.header for c in table.columns])
    for cell in sheet[1]:
        cell.font = BOLD
    for row in table.export_rows():
        sheet.append(row)
    for index, column in enumerate(table.columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        if column.kind == "money":
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "£#,##0.00"
        sheet.column_dimensions[letter].width = 14 if column.numeric else 40
    sheet.freeze_panes = "A2"
    workbook.properties.title = heading
    return _save(workbook)
