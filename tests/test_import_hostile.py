"""Both importers take the file as hostile: no cell evaluated, refused characters refused, limits held,
a clear located error for a damaged file, never a traceback, and nothing written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import run_cli, write_content
from playbook_site.importers import sheets

KPI = """
    name: New pipeline
    definition: Amount of new opportunities.
    formula: Sum of Amount
    unit: currency
    currency: USD
    direction: higher
    owner: sales-manager
    target:
      value: 1000000
      period: quarter
"""


def command(kind: str, file: Path, root: Path) -> list[str]:
    if kind == "results":
        return [
            "import",
            "results",
            str(file),
            "--kpi",
            "new-pipeline",
            "--content",
            str(root),
            "--date",
            "Date",
            "--value",
            "Amount",
        ]
    return ["import", "definitions", str(file), "--content", str(root)]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_content(tmp_path / "content", {"kpis/new-pipeline.yml": KPI})


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def roles_csv(summary: str) -> str:
    return f'Name,Function,Summary,Responsibilities\nAccount Executive,Sales,"{summary}",Closes deals\n'


def results_csv(amount: str) -> str:
    return f'Date,Amount\n2026-01-05,100\n2026-01-06,"{amount}"\n'


def xlsx(path: Path, rows: list[list[object]], title: str = "Roles") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


HIDDEN = ["\u200b", "\u202e", "\x1b", "\U000e0041"]  # zero-width space, right-to-left override, escape, a tag character


@pytest.mark.parametrize("char", HIDDEN, ids=["zwsp", "rlo", "esc", "tag"])
@pytest.mark.parametrize("kind", ["results", "definitions"])
def test_a_refused_character_in_a_csv_cell_is_located(tmp_path: Path, root: Path, kind: str, char: str) -> None:
    file = tmp_path / ("export.csv" if kind == "results" else "roles.csv")
    file.write_text(results_csv(f"1{char}00") if kind == "results" else roles_csv(f"Closes{char} deals."), encoding="utf-8")
    before = snapshot(root)
    result = run_cli(*command(kind, file, root))
    assert result.exit_code == 1, result.stdout + result.stderr
    line, column = (3, 2) if kind == "results" else (2, 3)
    assert f"{file}:{line}:{column}: error: line {line}, column {column} contains the invisible character U+" in result.stderr
    assert "[control-character]" in result.stderr and "Traceback" not in result.stderr
    assert char not in result.stderr  # shown escaped, never obeyed
    assert snapshot(root) == before


@pytest.mark.parametrize("kind", ["results", "definitions"])
def test_a_refused_character_in_a_workbook_cell_is_located_by_sheet_and_cell(tmp_path: Path, root: Path, kind: str) -> None:
    if kind == "results":
        file = xlsx(tmp_path / "export.xlsx", [["Date", "Amount"], ["2026-01-05", 100], ["2026-01-06\u200b", 50]], "Deals")
        where = f"{file}[Deals]:3:1: error: sheet `Deals`, cell A3 contains the invisible character U+200B"
    else:
        file = xlsx(
            tmp_path / "team.xlsx", [["Name", "Function", "Summary"], ["Account Executive", "Sales", "Closes\u202e deals."]]
        )
        where = f"{file}[Roles]:2:3: error: sheet `Roles`, cell C2 contains the invisible character U+202E"
    before = snapshot(root)
    result = run_cli(*command(kind, file, root))
    assert result.exit_code == 1
    assert where in result.stderr, result.stderr
    assert snapshot(root) == before


def test_a_formula_in_the_value_column_is_refused_never_evaluated(tmp_path: Path, root: Path) -> None:
    file = tmp_path / "export.csv"
    file.write_text(results_csv("=1+1"), encoding="utf-8")
    result = run_cli(*command("results", file, root))
    assert result.exit_code == 1
    assert f"{file}:3:2: error: line 3, column 2: `=1+1` is a formula: it is never evaluated [bad-number]" in result.stderr
    assert not (root / "results").exists()


def test_a_workbook_formula_is_read_as_its_stored_value_never_evaluated(tmp_path: Path, root: Path) -> None:
    """openpyxl stores a formula without a cached value: the importer sees an empty cell, never computes it."""
    file = xlsx(tmp_path / "export.xlsx", [["Date", "Amount"], ["2026-01-05", 100], ["2026-01-06", "=1000*1000"]], "Deals")
    result = run_cli(*command("results", file, root), "--period", "quarter", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "2026-Q1: new -> 100" in result.stdout and "1 rows without a value" in result.stdout


@pytest.mark.parametrize("kind", ["results", "definitions"])
def test_html_in_a_cell_follows_the_content_rules(tmp_path: Path, root: Path, kind: str) -> None:
    if kind == "definitions":
        file = tmp_path / "roles.csv"
        file.write_text(
            roles_csv("Closes <img src=x onerror=alert(1)> deals.").replace("Account Executive", "Closer"), encoding="utf-8"
        )
        result = run_cli(*command(kind, file, root))
        assert result.exit_code == 1 and "raw HTML is not allowed in text" in result.stderr
        assert not (root / "roles" / "closer.yml").exists()
    else:  # a header cell with markup names a column; nothing of it reaches the results file
        file = tmp_path / "export.csv"
        file.write_text("<b>Date</b>,Amount\n2026-01-05,100\n", encoding="utf-8")
        result = run_cli(
            "import",
            "results",
            str(file),
            "--kpi",
            "new-pipeline",
            "--content",
            str(root),
            "--date",
            "<b>Date</b>",
            "--value",
            "Amount",
        )
        assert result.exit_code == 0, result.stderr
        assert (root / "results" / "new-pipeline.csv").read_text(encoding="utf-8") == "period,value\n2026-Q1,100\n"


def bomb(path: Path, size: int) -> Path:
    """An XLSX-named zip whose one part expands to `size` bytes of the same character."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b"<" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                part.write(chunk)
    return path


@pytest.mark.parametrize("kind", ["results", "definitions"])
def test_a_zip_bomb_is_refused_before_it_is_expanded(tmp_path: Path, root: Path, kind: str) -> None:
    file = bomb(tmp_path / "export.xlsx", sheets.MAX_EXPANDED_BYTES + 1024 * 1024)
    assert file.stat().st_size < 1024 * 1024  # small on disk
    result = run_cli(*command(kind, file, root))
    assert result.exit_code == 1
    assert "the spreadsheet expands to" in result.stderr and "[file-too-large]" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["results", "definitions"])
def test_a_file_beyond_the_size_limit_is_refused_unread(tmp_path: Path, root: Path, kind: str) -> None:
    file = tmp_path / "export.csv"
    with file.open("wb") as stream:
        stream.truncate(sheets.MAX_FILE_BYTES + 1)  # sparse: no time spent writing it
    result = run_cli(*command(kind, file, root))
    assert result.exit_code == 1
    assert f"the file is {sheets.MAX_FILE_BYTES + 1:,} bytes; an import reads at most" in result.stderr


def test_too_many_cells_are_refused(tmp_path: Path, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheets, "MAX_CELLS", 100)
    file = tmp_path / "export.csv"
    file.write_text("Date,Amount\n" + "2026-01-05,1\n" * 60, encoding="utf-8")
    result = run_cli(*command("results", file, root))
    assert result.exit_code == 1 and "holds more than 100 cells" in result.stderr


DAMAGED = {
    "random.xlsx": b"\x00\x01not a zip at all" * 50,
    "truncated.xlsx": b"",  # filled in below from a real workbook, cut in half
    "not-a-workbook.xlsx": b"",  # a zip without a workbook inside
    "fake.xls": b"Date,Amount\n2026-01-05,1\n",
    "latin1.csv": "Date,Amount,Note\n2026-01-05,1,caf\xe9\n".encode("latin-1"),
    "unclosed.csv": b'Date,Amount\n2026-01-05,"1\n2026-01-06,2\n',
    "empty.csv": b"",
}


@pytest.mark.parametrize("name", list(DAMAGED))
@pytest.mark.parametrize("kind", ["results", "definitions"])
def test_a_damaged_file_gets_a_clear_error_and_no_traceback(tmp_path: Path, root: Path, kind: str, name: str) -> None:
    file = tmp_path / name
    data = DAMAGED[name]
    if name == "truncated.xlsx":
        whole = xlsx(tmp_path / "whole.xlsx", [["Date", "Amount"], ["2026-01-05", 1]]).read_bytes()
        data = whole[: len(whole) // 2]
    elif name == "not-a-workbook.xlsx":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "hello")
        data = buffer.getvalue()
    file.write_bytes(data)
    before = snapshot(root)
    result = run_cli(*command(kind, file, root))
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    expected = {
        "latin1.csv": "the file is not UTF-8 (byte 0xe9 cannot be decoded) [not-utf8]",
        "unclosed.csv": "CSV syntax error",
        "empty.csv": "the file holds no cells [empty-file]",
    }.get(name, "[unreadable]")
    assert expected in result.stderr, result.stderr
    assert snapshot(root) == before


def test_an_unknown_format_is_wrong_usage(tmp_path: Path, root: Path) -> None:
    file = tmp_path / "export.pdf"
    file.write_bytes(b"%PDF-1.7")
    result = run_cli(*command("results", file, root))
    assert result.exit_code == 2 and "cannot read a `.pdf` file" in result.stderr


@pytest.mark.parametrize("kind", ["results", "definitions"])
def test_a_content_folder_that_is_a_link_is_refused(tmp_path: Path, kind: str) -> None:
    elsewhere = write_content(tmp_path / "elsewhere" / "content", {"kpis/new-pipeline.yml": KPI})
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "content").symlink_to(elsewhere, target_is_directory=True)
    before = snapshot(elsewhere)
    if kind == "results":
        file = tmp_path / "export.csv"
        file.write_text(results_csv("5"), encoding="utf-8")
    else:
        file = tmp_path / "roles.csv"
        file.write_text(roles_csv("Closes deals.").replace("Account Executive", "Closer"), encoding="utf-8")
    args = command(kind, file, repo / "content")
    result = run_cli(*[arg if arg != str(repo / "content") else "content" for arg in args], cwd=repo)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "is a symbolic link" in result.stderr
    assert snapshot(elsewhere) == before


def lying_zip(data: bytes, declared: int) -> bytes:
    """A zip of one part `data` whose headers say it expands to `declared` bytes (with the CRC of that prefix)."""
    import struct
    import zlib

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", data)
    raw = bytearray(buffer.getvalue())
    crc = zlib.crc32(data[:declared])
    local = raw.index(b"PK\x03\x04")
    struct.pack_into("<I", raw, local + 14, crc)
    struct.pack_into("<I", raw, local + 22, declared)
    central = raw.index(b"PK\x01\x02")
    struct.pack_into("<I", raw, central + 16, crc)
    struct.pack_into("<I", raw, central + 24, declared)
    return bytes(raw)


def test_a_part_that_lies_about_its_size_is_read_only_as_far_as_it_says() -> None:
    """calamine is handed the parts as the zipfile module reads them, which stops at the declared size:
    a part declaring 1 KB that expands to 50 MB reaches it as 1 KB."""
    data = b"<row>" + b"x" * (50 * 1024 * 1024) + b"</row>"
    raw = lying_zip(data, 1024)
    assert zipfile.ZipFile(io.BytesIO(raw)).infolist()[0].file_size == 1024  # what the archive declares
    rebuilt = sheets._bounded_zip(raw, "lie.xlsx")
    (part,) = zipfile.ZipFile(io.BytesIO(rebuilt)).infolist()
    assert part.file_size == 1024 and zipfile.ZipFile(io.BytesIO(rebuilt)).read(part) == data[:1024]


@pytest.mark.parametrize("kind", ["results", "definitions"])
def test_a_lying_workbook_is_a_clear_error(tmp_path: Path, root: Path, kind: str) -> None:
    file = tmp_path / "lie.xlsx"
    file.write_bytes(lying_zip(b"<worksheet>" + b"<row/>" * 100_000 + b"</worksheet>", 64))
    result = run_cli(*command(kind, file, root))
    assert result.exit_code == 1 and "[unreadable]" in result.stderr and "Traceback" not in result.stderr
