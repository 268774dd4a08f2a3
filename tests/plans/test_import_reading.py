"""Reading Annex 2 documents into a preview (no database: the providers and National Indicators are
the reference data's own CSV files): what a CSA would see in the preview for documents written the
ways real plans are written, and the refusal of hostile or unreadable files."""

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from docx import Document
from openpyxl import Workbook

from plans.imports import DocumentRefused, Preview, build_preview, read_document
from plans.imports.matching import ProviderMatcher
from plans.imports.parsing import deliver_by_in, find_indicators, parse_resources, split_items
from plans.imports.source import Paragraph
from tests.plans import annex2_documents as docs

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_ROWS = list(csv.DictReader((ROOT / "providers/data/providers.csv").open(encoding="utf-8")))
PROVIDERS = [(i, row["name"], row["abbreviation"]) for i, row in enumerate(PROVIDER_ROWS, start=1)]
ABBREVIATION = {i: abbreviation for i, _, abbreviation in PROVIDERS}
INDICATORS = {
    int(row["number"]): row["title"]
    for row in csv.DictReader((ROOT / "authorities/data/national_indicators.csv").open(encoding="utf-8"))
}


def preview_of(data, kind, period="2010-11", authority="Newcastle upon Tyne"):
    document = read_document(io.BytesIO(data), kind)
    return build_preview(document, providers=PROVIDERS, indicators=INDICATORS, period=period, authority_name=authority)


def refusal(data, kind):
    with pytest.raises(DocumentRefused) as caught:
        preview_of(data, kind)
    return caught.value.message


def as_rows(preview):
    """The preview as plain rows: what the plan will hold."""
    return [
        (
            p.title,
            [n.description for n in p.needs],
            p.indicators,
            [
                (
                    ABBREVIATION[o.provider.id] if o.provider else None,
                    o.description,
                    o.days_value,
                    o.funding_value,
                    o.deliver_by_date,
                    o.notes,
                )
                for o in p.offers
            ],
        )
        for p in preview.priorities
    ]


def expected_rows(specs=None):
    specs = docs.seed_table() if specs is None else specs
    return [
        (
            s.written,
            s.needs,
            [s.ni] if s.ni else [],
            [(o.abbreviation, o.text, o.days, o.funding, deliver_by_in(o.text), o.notes) for o in s.offers],
        )
        for s in specs
    ]


# --- the seed's table, in both formats ------------------------------------------------------------


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_the_seed_table_reads_back_row_for_row(kind):
    data = docs.docx_bytes() if kind == "docx" else docs.xlsx_bytes()
    preview = preview_of(data, kind)
    assert as_rows(preview) == expected_rows()
    assert preview.header == {
        "authority": "Newcastle upon Tyne",
        "dcs": "Sam Okafor",
        "government_office": "Government Office for the North East",
        "csa": "Chris Adviser",
    }
    assert not preview.to_choose
    assert preview.issues == []
    teenage = preview.priorities[0]
    assert [o.deliver_by for o in teenage.offers] == ["2010-05-31", None, "2010-07-31", "2010-09-30"]
    assert [o.need_index for o in teenage.offers] == [0, 0, 0, 0]  # the one need of the priority
    assert preview.priorities[2].is_workforce  # "Develop the children's workforce"


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_a_priority_written_once_without_merging_continues_down_the_rows(kind):
    data = docs.docx_bytes(merge=False) if kind == "docx" else docs.xlsx_bytes(merge=False)
    assert as_rows(preview_of(data, kind)) == expected_rows()


def test_merged_cells_are_read_as_one_priority_and_needs_cell():
    document = read_document(io.BytesIO(docs.docx_bytes()), "docx")
    table = document.tables[1]
    first_offer_rows = [row for row in table.rows if row.cells[0].text.startswith("Reduce teenage pregnancy")]
    assert len(first_offer_rows) == 4  # the merged cell is the same cell on each of its rows
    assert [row.cells[0].merged for row in first_offer_rows] == [False, True, True, True]
    assert table.rows[0].cells[0].text == "Improvement Support"
    assert table.rows[0].cells[1].text == ""


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_an_adapted_template_renamed_reordered_and_with_a_column_of_its_own(kind):
    extra = {"Lead officer": "Jo Bloggs, Head of Integrated Services"}
    builder = docs.docx_bytes if kind == "docx" else docs.xlsx_bytes
    preview = preview_of(builder(headings=docs.ADAPTED_HEADINGS, extra=extra), kind)
    rows = as_rows(preview)
    expected = expected_rows()
    assert [r[:3] for r in rows] == [e[:3] for e in expected]
    first = preview.priorities[0].offers[0]
    assert (
        first.notes
        == "Visits with the teenage pregnancy partnership board.\nLead officer: Jo Bloggs, Head of Integrated Services"
    )
    assert [o[:5] for r in rows for o in r[3]] == [o[:5] for e in expected for o in e[3]]
    assert any("“Lead officer” is not part of the Annex 2 template" in i.message for i in preview.issues)
    assert dict(preview.columns)["Examples of tailored support"] == "offer"


def test_several_needs_and_offers_in_one_cell_as_paragraphs_and_bullets():
    spec = docs.PrioritySpec(title="Reduce teenage pregnancy", ni=112, needs=["A sexual health policy", "Better data"])
    document = Document()
    table = document.add_table(rows=2, cols=6)
    for i, heading in enumerate(docs.HEADINGS):
        table.cell(0, i).text = heading
    row = table.rows[1].cells
    row[0].text = spec.written
    docs._set_paragraphs(row[1], spec.needs, bullets=True)
    docs._set_paragraphs(row[2], ["RTPC", "TPNST"])
    docs._set_paragraphs(
        row[3],
        [
            "By May 2010, conduct 2 visits to help develop a new sexual health policy for young people",
            "By September 2010, conduct an intensive 3 day diagnostic visit and report on local",
            "services for young people",  # the same offer, carried on to a new line
        ],
    )
    docs._set_paragraphs(row[4], ["2 days", "3 days + £4,500"])
    out = io.BytesIO()
    document.save(out)
    preview = preview_of(out.getvalue(), "docx")
    (priority,) = preview.priorities
    assert [n.description for n in priority.needs] == ["A sexual health policy", "Better data"]
    assert [(ABBREVIATION[o.provider.id], o.days, o.funding) for o in priority.offers] == [
        ("RTPC", "2", None),
        ("TPNST", "3", "4500.00"),
    ]
    assert priority.offers[1].description.endswith("report on local\nservices for young people")
    assert [o.key for o in priority.offers] == ["r2-1", "r2-2"]
    assert priority.offers[0].need_index is None  # two needs in the cell: the offers answer the priority


def test_the_guidance_example_table_reads_each_indicator_as_its_priority():
    """National Indicator / Improvement Support Provider / Examples of Tailored Support, as printed in
    the guidance: the indicator cell merged down over its provider's three offers."""
    document = Document()
    table = document.add_table(rows=1, cols=3)
    for i, heading in enumerate(["National Indicator", "Improvement Support Provider", "Examples of Tailored Support"]):
        table.cell(0, i).text = heading
    examples = {
        "112 Under 18 conception rate": ("Regional Teenage Pregnancy Coordinator", 3),
        "109 Delivery of Sure Start Children's Centres": ("Together for Children Adviser", 3),
    }
    for indicator, (provider, count) in examples.items():
        first = len(table.rows)
        for k in range(count):
            cells = table.add_row().cells
            cells[2].text = f"By June 2009, provide {k + 1} days support"
            if k == 0:
                cells[0].text, cells[1].text = indicator, provider
        table.cell(first, 0).merge(table.cell(first + count - 1, 0))
        table.cell(first, 1).merge(table.cell(first + count - 1, 1))
    out = io.BytesIO()
    document.save(out)
    preview = preview_of(out.getvalue(), "docx", period="2009-10")
    assert [(p.title, p.indicators) for p in preview.priorities] == [
        ("112 Under 18 conception rate", [112]),
        ("109 Delivery of Sure Start Children's Centres", [109]),
    ]
    providers = [[ABBREVIATION[o.provider.id] for o in p.offers] for p in preview.priorities]
    assert providers == [["RTPC"] * 3, ["TfC"] * 3]
    assert preview.priorities[1].offers[0].match_status == "contained"  # "… Adviser": checked, not asked


def test_a_workbook_with_the_template_guidance_row_notes_and_totals():
    workbook = Workbook()
    ws = workbook.active
    ws.append(["Local Authority/ Children's Trust", "Leeds", "Director of Children's Services", ""])
    ws.append(["Improvement Support"])
    ws.append(docs.HEADINGS)
    ws.append(["This column should record the priorities agreed with the authority.", "This column should record"])
    ws.append(
        [
            "Narrow the gap (NIs 102 and 999)",
            "Better data",
            "Natonal Strategies",
            "By 31 March 2011, a review",
            "£1.2k",
            "Agreed at the KIT meeting",
        ]
    )
    ws.append(["", "", "CWDC", "A workforce audit", "3 days per term", ""])
    ws.append([])
    ws.append(["Total", "", "", "", 5])
    out = io.BytesIO()
    workbook.save(out)
    preview = preview_of(out.getvalue(), "xlsx")
    (priority,) = preview.priorities
    assert priority.indicators == [102]
    assert priority.unknown_indicators == [999]
    assert any("NI 999 is not in the National Indicator Set" in i.message for i in priority.issues)
    review, audit = priority.offers
    assert (review.match_status, ABBREVIATION[review.provider.id], review.funding) == ("near", "NS", "1200.00")
    assert review.deliver_by == "2011-03-31"
    assert review.notes == "Agreed at the KIT meeting"
    assert any("by its spelling" in i.message for i in review.issues)
    assert (audit.days, audit.funding, audit.notes) == (None, None, "Resources as written: 3 days per term")
    assert any("could not be read as days and £" in i.message for i in audit.issues)
    assert any("Newcastle upon Tyne" in i.message and "“Leeds”" in i.message for i in preview.issues)


def test_unmatched_and_ambiguous_providers_are_left_to_choose_with_the_closest_first():
    rows = [
        ("Reduce teenage pregnancy", "", "RTPC and TPNST", "By May 2010, joint visits", "2 days"),
        ("", "", "Local consultant", "By May 2010, a review", "1 day"),
        ("", "", "", "By May 2010, something nobody named", ""),
        ("", "", "Together for Childern", "By June 2010, centres", ""),
    ]
    workbook = Workbook()
    ws = workbook.active
    ws.append(docs.HEADINGS[:5])
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    offers = preview_of(out.getvalue(), "xlsx").offers
    assert [o.match_status for o in offers] == ["ambiguous", "unmatched", "unmatched", "near"]
    both, consultant, carried, typo = offers
    assert [ABBREVIATION[c.id] for c in both.candidates] == ["RTPC", "TPNST"]
    assert both.needs_choice
    assert consultant.needs_choice
    assert consultant.provider is None
    assert carried.provider_text == "Local consultant"
    assert carried.needs_choice
    assert ABBREVIATION[typo.provider.id] == "TfC"
    assert typo.provider.score >= 0.9
    assert not typo.needs_choice


def test_a_deliver_by_date_after_the_period_is_not_recorded():
    spec = docs.PrioritySpec(
        title="Reduce teenage pregnancy",
        ni=None,
        needs=[],
        offers=[docs.OfferSpec("NS", "NS", "By June 2011, a review", "1 day", Decimal(1), None)],
    )
    (offer,) = preview_of(docs.xlsx_bytes([spec]), "xlsx").offers
    assert offer.deliver_by is None
    assert "after the end of the plan's period (31 March 2011)" in offer.issues[0].message


def test_the_preview_survives_json():
    preview = preview_of(docs.docx_bytes(headings=docs.ADAPTED_HEADINGS, extra={"Lead officer": "Jo"}), "docx")
    assert Preview.from_dict(preview.to_dict()) == preview


# --- what is not an Annex 2 document --------------------------------------------------------------


def test_a_document_without_a_table_is_refused_naming_what_is_missing():
    document = Document()
    document.add_paragraph("Local Authority: Newcastle upon Tyne")
    out = io.BytesIO()
    document.save(out)
    assert "The document has no table" in refusal(out.getvalue(), "docx")


def test_a_table_without_provider_and_offer_columns_is_refused_naming_them():
    message = refusal(docs.xlsx_bytes(headings=["Priority", "Needs", "Resources", "Notes"]), "xlsx")
    assert "The nearest is sheet “JISP 2010-11”" in message
    assert "no “Provider” or “Offer” column" in message


def test_a_table_with_headings_and_no_rows_is_refused():
    assert "no rows under them" in refusal(docs.docx_bytes([]), "docx")


# --- hostile files --------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_is_opened():
    data = docs.zip_bomb_docx()
    assert len(data) < settings.UPLOAD_MAX_BYTES
    assert "zip bomb" in refusal(data, "docx")


def test_a_part_that_expands_a_thousandfold_is_refused():
    data = docs.ratio_bomb_xlsx()
    assert len(data) < 1024 * 1024
    assert "which no real document does" in refusal(data, "xlsx")


def test_a_macro_enabled_document_renamed_docx_is_refused():
    assert "contains macros" in refusal(docs.macro_docx(), "docx")


def test_xml_with_entities_is_refused():
    assert "declares XML entities" in refusal(docs.entity_bomb_docx(), "docx")


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_five_thousand_rows_are_refused_with_the_limit(kind):
    data = docs.many_rows_docx() if kind == "docx" else docs.many_rows_xlsx()
    assert len(data) < settings.UPLOAD_MAX_BYTES
    message = refusal(data, kind)
    assert "The portal imports plans of up to 1,000 rows" in message


def test_the_row_limit_can_be_changed(settings):
    settings.ANNEX_IMPORT_MAX_ROWS = 2
    assert "up to 2 rows" in refusal(docs.docx_bytes(), "docx")


@pytest.mark.parametrize(("data", "kind"), [(docs.damaged_docx, "docx"), (docs.damaged_xlsx, "xlsx")])
def test_a_damaged_file_is_refused_with_a_clear_message(data, kind):
    assert "could not be read" in refusal(data(), kind)


# --- the pieces -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found", "unknown"),
    [
        ("Reduce teenage pregnancy (NI 112)", [112], []),
        ("NI112", [112], []),
        ("NIs 110 and 117", [110, 117], []),
        ("NI 110, 112 & 999", [110, 112], [999]),
        ("112 Under 18 conception rate", [112], []),
        ("3 days support on NI 112 and 3 days", [112], []),
        ("112 young people", [], []),  # a number, but not followed by the indicator's title
    ],
)
def test_national_indicators_in_text(text, found, unknown):
    assert find_indicators([text], INDICATORS) == (found, unknown)


@pytest.mark.parametrize(
    ("text", "days", "funding", "understood"),
    [
        ("3 days", "3", None, True),
        ("2 days + £4,500", "2", "4500.00", True),
        ("£1.2k", None, "1200.00", True),
        ("½ day", "0.5", None, True),
        ("1½ days", "1.5", None, True),
        ("£2m", None, "2000000.00", True),
        ("Three days support", "3", None, True),
        ("n/a", None, None, True),
        ("3 days per term", None, None, False),
        ("2.3 days", None, None, False),
        ("TBC", None, None, False),
    ],
)
def test_resources(text, days, funding, understood):
    parsed = parse_resources(text)
    assert (parsed.days, parsed.funding, parsed.understood) == (
        Decimal(days) if days else None,
        Decimal(funding) if funding else None,
        understood,
    )


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("By May 2010, conduct 2 visits", date(2010, 5, 31)),
        ("By February 2012, a review", date(2012, 2, 29)),
        ("By the end of Sept 2010 a review", date(2010, 9, 30)),
        ("By 15 May 2010, a visit", date(2010, 5, 15)),
        ("Conduct 2 visits by May 2010", None),
    ],
)
def test_deliver_by(text, when):
    assert deliver_by_in(text) == when


def test_a_paragraph_in_lower_case_continues_the_item_before():
    items = split_items([Paragraph("By May 2010, a visit to"), Paragraph("the west end"), Paragraph("- a second")])
    assert items == ["By May 2010, a visit to\nthe west end", "a second"]


@pytest.mark.parametrize(
    ("written", "abbreviation", "status"),
    [
        ("TfC", "TfC", "exact"),
        ("TFC", "TfC", "exact"),
        ("NS", "NS", "exact"),
        ("CWDC", "CWDC", "exact"),
        ("RTPC", "RTPC", "exact"),
        ("Children’s Workforce Development Council", "CWDC", "exact"),
        ("Regional Teenage Pregnancy Coordinator (Jane Smith)", "RTPC", "exact"),
        ("National Stratagies", "NS", "near"),
        ("Together for Children Adviser", "TfC", "contained"),
        ("Together for Disabled Children", "TDC", "exact"),
        ("RIEP", "RIEPs", "contained"),
    ],
)
def test_provider_matching(written, abbreviation, status):
    match = ProviderMatcher(PROVIDERS).match(written)
    assert (match.status, ABBREVIATION[match.provider.id]) == (status, abbreviation)


def test_an_offer_status_column_leaves_out_offers_never_agreed():
    """The portal's export of a draft plan has its open offers, marked in an "Offer status" column."""
    workbook = Workbook()
    ws = workbook.active
    ws.append(["Priority", "Needs", "Provider", "Offer", "Resources (days)", "Resources (£)", "Notes", "Offer status"])
    ws.append(
        [
            "Reduce teenage pregnancy",
            "A policy",
            "Regional Teenage Pregnancy Coordinator",
            "By May 2010, visits",
            2,
            None,
            "",
            "Accepted",
        ]
    )
    ws.append(["", "", "National Strategies", "A generic programme", 1.5, None, "", "Submitted"])
    ws.append(["", "", "Together for Children", "", None, None, "", "Invited"])
    ws.append(["", "", "National Strategies", "Withdrawn text", 1, None, "", "Withdrawn"])
    out = io.BytesIO()
    workbook.save(out)
    preview = preview_of(out.getvalue(), "xlsx")
    (priority,) = preview.priorities
    assert [(o.description, o.days) for o in priority.offers] == [
        ("By May 2010, visits", "2"),
        ("A generic programme", "1.5"),
    ]
    assert "status as “Submitted”: it is imported as accepted" in priority.offers[1].issues[0].message
    left_out = [i.message for i in priority.issues]
    assert any("Together for Children is marked “Invited”" in m for m in left_out)
    assert any("National Strategies is marked “Withdrawn”" in m for m in left_out)
