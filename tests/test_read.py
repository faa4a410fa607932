"""Tests for the read stage: files, folders, JSON Lines, charsets and per-record failures."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from sitrep.errors import InputError
from sitrep.records import Failure, Page
from sitrep.stages.read import decode_bytes, parse_iso_date, read_pages

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _pages(items: list[Page | Failure]) -> list[Page]:
    return [i for i in items if isinstance(i, Page)]


def _failures(items: list[Page | Failure]) -> list[Failure]:
    return [i for i in items if isinstance(i, Failure)]


def test_reads_text_and_html_by_suffix(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Headline\n\nBody.", encoding="utf-8")
    (tmp_path / "b.html").write_text("<html><body><p>Hi</p></body></html>", encoding="utf-8")
    (tmp_path / "c.md").write_text("# Notes", encoding="utf-8")
    pages = _pages(list(read_pages([tmp_path])))
    assert [Path(p.origin).name for p in pages] == ["a.txt", "b.html", "c.md"]
    assert pages[0].text == "Headline\n\nBody." and pages[0].html is None
    assert pages[1].html is not None and pages[1].text is None


def test_folder_walk_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "z").mkdir()
    (tmp_path / "z" / "b.txt").write_text("b", encoding="utf-8")
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("h", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\x00\x00")
    origins = [Path(p.origin).relative_to(tmp_path).as_posix() for p in read_pages([tmp_path])]
    assert origins == ["a.txt", "z/b.txt"]


def test_missing_path_is_a_failure_and_reading_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Some text", encoding="utf-8")
    items = list(read_pages([tmp_path / "nope.txt", good]))
    assert isinstance(items[0], Failure)
    assert items[0].stage == "read" and items[0].error == "FileNotFoundError"
    assert "nope.txt" in items[0].message and items[0].record_id == items[0].origin
    assert isinstance(items[1], Page)


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty"), (b"   \n\n ", "empty"), (b"GIF89a\x00\x01\x00\x00", "binary")],
)
def test_empty_and_binary_files_fail(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(content)
    (failure,) = list(read_pages([path]))
    assert isinstance(failure, Failure)
    assert reason in failure.message and str(path) in failure.message


def test_control_characters_mean_binary(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(bytes(range(1, 32)) * 50)
    (failure,) = list(read_pages([path]))
    assert isinstance(failure, Failure) and "binary" in failure.message


def test_file_over_max_bytes_fails_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("x" * 2000, encoding="utf-8")
    (failure,) = list(read_pages([path], max_bytes=1000))
    assert isinstance(failure, Failure)
    assert "read.max_bytes" in failure.message and "2,000" in failure.message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Café – «déjà»".encode("utf-8-sig"), "Café – «déjà»"),
        ("Café – «déjà»".encode("utf-16"), "Café – «déjà»"),
        ("Café – «déjà»".encode(), "Café – «déjà»"),
        ("Café – “quoted”".encode("cp1252"), "Café – “quoted”"),
    ],
)
def test_decode_bytes(data: bytes, expected: str) -> None:
    assert decode_bytes(data) == expected


def test_decode_uses_declared_html_charset() -> None:
    html = '<html><head><meta charset="windows-1251"></head><body>Харків</body></html>'
    assert "Харків" in decode_bytes(html.encode("cp1251"), html=True)


def test_decode_guesses_undeclared_charset() -> None:
    text = "Обстріл Харкова триває вже кілька тижнів, повідомила влада області. " * 5
    assert "Харкова" in decode_bytes(text.encode("cp1251"))


def test_decode_normalises_newlines() -> None:
    assert decode_bytes(b"a\r\nb\rc") == "a\nb\nc"


def test_decode_rejects_nul_bytes() -> None:
    with pytest.raises(InputError, match="binary"):
        decode_bytes(b"abc\x00def")


def _jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_one_page_per_line_with_origin_and_dates(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "crawl.jsonl",
        [
            json.dumps({"text": "A", "url": "https://x/a", "published": "2024-03-05T10:00:00Z"}),
            "",
            json.dumps({"html": "<p>B</p>", "date": "2024-03-06"}),
            json.dumps({"text": "C"}),
        ],
    )
    pages = _pages(list(read_pages([path], published=date(2024, 1, 1))))
    assert [p.origin for p in pages] == [f"{path}:1", f"{path}:3", f"{path}:4"]
    assert pages[0].url == "https://x/a" and pages[0].published == date(2024, 3, 5)
    assert pages[0].published_source == "record"
    assert pages[1].html == "<p>B</p>" and pages[1].published == date(2024, 3, 6)
    # The user's date only fills records that have none.
    assert pages[2].published == date(2024, 1, 1) and pages[2].published_source == "user"


def test_jsonl_title_becomes_headline_of_text(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "a.jsonl", [json.dumps({"title": "Big news", "text": "Body."})])
    (page,) = _pages(list(read_pages([path])))
    assert page.text == "Big news\n\nBody."


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("{not json", "invalid JSON"),
        ('["a list"]', "JSON object"),
        ('{"url": "https://x"}', "no 'text' or 'html'"),
        ('{"text": 5}', "'text' must be a string"),
        ('{"text": "a", "published": "yesterday"}', "not an ISO date"),
        ('{"text": "a", "date": 20240305}', "ISO date string"),
    ],
)
def test_bad_jsonl_lines_fail_with_line_numbers(tmp_path: Path, line: str, fragment: str) -> None:
    path = _jsonl(tmp_path / "a.jsonl", [json.dumps({"text": "ok"}), line, '{"text": "after"}'])
    items = list(read_pages([path]))
    assert len(items) == 3
    failure = items[1]
    assert isinstance(failure, Failure)
    assert failure.origin == f"{path}:2" and failure.record_id == f"{path}:2"
    assert fragment in failure.message and f"{path}:2" in failure.message
    assert isinstance(items[2], Page) and items[2].text == "after"


def test_jsonl_line_over_limit_fails_and_next_line_is_read(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "a.ndjson", [json.dumps({"text": "x" * 500}), '{"text": "small"}'])
    items = list(read_pages([path], max_line_bytes=100))
    assert isinstance(items[0], Failure) and "read.max_line_bytes" in items[0].message
    assert (
        isinstance(items[1], Page) and items[1].text == "small" and items[1].origin.endswith(":2")
    )


def test_empty_jsonl_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    (failure,) = list(read_pages([path]))
    assert isinstance(failure, Failure) and "empty" in failure.message


def test_user_published_date_fills_files(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("text", encoding="utf-8")
    (page,) = _pages(list(read_pages([path], published=date(2018, 8, 23))))
    assert page.published == date(2018, 8, 23) and page.published_source == "user"
    (bare,) = _pages(list(read_pages([path])))
    assert bare.published is None and bare.published_source is None


def test_unknown_suffix_named_explicitly_is_sniffed(tmp_path: Path) -> None:
    html = tmp_path / "saved"
    html.write_text("<!DOCTYPE html><html><body><p>x</p></body></html>", encoding="utf-8")
    text = tmp_path / "notes"
    text.write_text("plain words", encoding="utf-8")
    pages = _pages(list(read_pages([html, text])))
    assert pages[0].html is not None and pages[1].text == "plain words"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", date(2024, 3, 5)),
        ("2024-03-05T23:30:00+02:00", date(2024, 3, 5)),
        ("2024-03-05T10:00:00Z", date(2024, 3, 5)),
        (" 2024-03-05 ", date(2024, 3, 5)),
    ],
)
def test_parse_iso_date(value: str, expected: date) -> None:
    assert parse_iso_date(value) == expected


def test_parse_iso_date_rejects_other_formats() -> None:
    with pytest.raises(InputError, match="not an ISO date"):
        parse_iso_date("March 5, 2024")


def test_reads_the_examples_folder() -> None:
    items = list(read_pages([EXAMPLES]))
    assert not _failures(items)
    origins = [
        Path(p.origin.rsplit(":", 1)[0] if ".jsonl:" in p.origin else p.origin).name for p in items
    ]
    assert "coalition-strikes-deir-ezzor.txt" in origins and "crawl-export.jsonl" in origins
