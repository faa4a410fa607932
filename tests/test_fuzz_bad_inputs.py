"""The bad-input matrix: each hostile or broken page gives a stored Failure or a sensible
Document, and never stops the batch it came in (docs/reliability.md).
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest

from sitrep.adapters.store import SQLiteStore
from sitrep.errors import InputError
from sitrep.process import process_paths
from sitrep.records import DocumentStatus, Failure, Page
from sitrep.settings import Settings
from sitrep.stages.read import decode_bytes, read_pages
from sitrep.stages.segment import segment_page
from tests.test_fuzz_readers import check_document

ARABIC = (
    "قالت وزارة الصحة إن غارة جوية على مدينة حلب أسفرت عن مقتل خمسة مدنيين يوم الاثنين، "
    "وفق ما أفاد به مسؤولون محليون في المدينة."
)
CYRILLIC = (
    "Министерство обороны сообщило, что в понедельник в результате обстрела города погибли "
    "пять мирных жителей, ещё двенадцать человек ранены."
)
REPORT = (
    "Gunmen attack village in the north\n\n"
    "Gunmen killed three people in an attack on a village near the town on Monday, police said.\n\n"
    "The region has seen repeated violence since the conflict began.\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def read_one(path: Path, **limits: int) -> Page | Failure:
    items = list(read_pages([path], **limits))
    assert len(items) == 1, items
    return items[0]


def failure_of(item: Page | Failure, *fragments: str) -> Failure:
    assert isinstance(item, Failure), item
    assert item.stage == "read"
    for fragment in fragments:
        assert fragment in item.message, item.message
    return item


@pytest.mark.parametrize("suffix", [".txt", ".html", ".md"])
@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n ", b"\xef\xbb\xbf", b"\xef\xbb\xbf  \n"])
def test_empty_files_fail_as_empty(tmp_path: Path, suffix: str, content: bytes) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(content)
    failure_of(read_one(path), str(path), "empty")


@pytest.mark.parametrize("content", [PNG, b"PK\x03\x04" + b"\x00\x14" * 500, bytes(range(32)) * 40])
def test_binary_files_fail_as_binary(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "photo.html"
    path.write_bytes(content)
    failure_of(read_one(path), str(path), "binary")


def test_a_page_over_max_bytes_fails_naming_the_setting(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(REPORT * 50, encoding="utf-8")
    failure_of(read_one(path, max_bytes=1_000), "read.max_bytes", "raise the setting")
    assert isinstance(read_one(path, max_bytes=100_000), Page)


def test_a_huge_single_jsonl_line_fails_alone_and_is_never_held_whole(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    huge = json.dumps({"text": "x " * 30_000})  # 60 kB on one line, the limit is 1 kB
    path.write_text(
        "\n".join([json.dumps({"text": REPORT}), huge, json.dumps({"text": REPORT + "!"})])
    )
    items = list(read_pages([path], max_line_bytes=1_000))
    assert [type(i).__name__ for i in items] == ["Page", "Failure", "Page"]
    failure_of(items[1], f"{path}:2", "read.max_line_bytes")


def test_invalid_json_lines_each_fail_with_their_line_and_the_rest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"text": REPORT}),
        "{not json",
        "[1, 2, 3]",
        json.dumps({"text": 42}),
        json.dumps({"html": None, "text": None}),
        json.dumps({"text": REPORT, "published": "2024-02-30"}),
        json.dumps({"text": REPORT, "published": "20188-01-01"}),
        "\ufeff" + json.dumps({"text": REPORT + " (bom)"}),
        json.dumps({"html": "<p>ok</p>"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_pages([path]))
    assert [i.origin for i in items] == [f"{path}:{n}" for n in range(1, 10)]
    kinds = ["Page" if isinstance(i, Page) else "Failure" for i in items]
    assert kinds == ["Page", *["Failure"] * 6, "Page", "Page"]
    assert "2024-02-30" in items[5].message and "20188-01-01" in items[6].message


def test_broken_html_is_segmented_not_failed(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Clash in the north</title></head><body><div><p>Gunmen killed three "
        "people in an attack on a village on Monday, police said.<p>Residents fled <b><i>the area"
        "</b></i><table><tr><td>unclosed<div class='comment'><p>Terrible news</div></span>"
        "</html></html><p>after the end &bogus; &#xD800; <!-- unclosed comment"
    )
    path = tmp_path / "broken.html"
    path.write_text(html, encoding="utf-8")
    page = read_one(path)
    assert isinstance(page, Page)
    document = segment_page(page)
    check_document(document)
    assert "Gunmen killed three people" in document.text


def test_an_unclosed_title_swallows_the_page_into_no_body_not_a_crash() -> None:
    # HTML parsing reads everything after an unclosed <title> as its text, as browsers do.
    html = "<html><head><title>Clash</head><body><p>Gunmen killed three people on Monday.</p>"
    document = segment_page(Page(origin="title.html", html=html))
    check_document(document)
    assert document.status in (DocumentStatus.NO_BODY, DocumentStatus.PENDING)


@pytest.mark.parametrize(
    ("text", "encoding", "suffix"),
    [
        (ARABIC, "cp1256", ".txt"),
        (ARABIC, "cp1256", ".html"),
        (CYRILLIC, "windows-1251", ".txt"),
        (CYRILLIC, "windows-1251", ".html"),
        (ARABIC, "utf-16-le", ".txt"),
        (ARABIC, "utf-16-be", ".txt"),
        (REPORT, "utf-16-le", ".txt"),
        (CYRILLIC, "utf-16-le", ".html"),
    ],
)
def test_undeclared_charsets_are_decoded(
    tmp_path: Path, text: str, encoding: str, suffix: str
) -> None:
    path = tmp_path / f"page{suffix}"
    body = f"<html><body><p>{text}</p></body></html>" if suffix == ".html" else text
    path.write_bytes(body.encode(encoding))  # no BOM, no <meta charset>
    page = read_one(path)
    assert isinstance(page, Page), page
    content = page.html if page.html is not None else page.text
    assert content is not None and text.strip().split("\n")[0] in content


def test_utf16_without_bom_is_read_not_called_binary() -> None:
    # Regression: BOM-less UTF-16 was refused as "binary data (NUL bytes)".
    assert decode_bytes(REPORT.encode("utf-16-le")) == REPORT
    assert decode_bytes(ARABIC.encode("utf-16-be")) == ARABIC
    with pytest.raises(InputError, match="binary"):
        decode_bytes(b"ab\x00\x00cd\x00e")  # NULs on both sides: not UTF-16


def test_a_page_of_comments_only_in_comment_markup_has_no_body() -> None:
    items = "".join(
        f"<li class='comment' id='comment-{i}'><cite class='fn'>Reader {i}</cite>"
        f"<div class='comment-content'><p>Comment number {i}, what a shame.</p></div></li>"
        for i in range(5)
    )
    html = f"<html><body><ol class='comment-list'>{items}</ol></body></html>"
    document = segment_page(Page(origin="comments.html", html=html))
    check_document(document)
    assert len(document.comments) == 5
    assert document.status is DocumentStatus.NO_BODY
    assert not any(s.kind.value == "body" and "Comment number" in s.text for s in document.segments)


def test_a_page_of_comments_only_as_text_does_not_fail() -> None:
    text = "\n\n".join(f"Reader {i}\n\nWhat a shame, same story every year." for i in range(20))
    document = segment_page(Page(origin="comments.txt", text=text))
    check_document(document)


@pytest.mark.parametrize("n", [6_000])
def test_thousands_of_comments_are_capped_quickly(n: int) -> None:
    items = "".join(
        f"<li class='comment' id='comment-{i}'><cite class='fn'>R{i % 50}</cite>"
        f"<p>Comment {i} says something about the attack.</p></li>"
        for i in range(n)
    )
    html = (
        "<html><body><article><p>Gunmen killed three people in an attack on a village on "
        f"Monday, police said.</p></article><ol class='comment-list'>{items}</ol></body></html>"
    )
    started = time.monotonic()
    document = segment_page(Page(origin="many.html", html=html), max_comments=5_000)
    html_seconds = time.monotonic() - started
    check_document(document)
    assert len(document.comments) == 5_000
    text = (
        REPORT
        + "\n\nComments\n\n"
        + "\n\n".join(
            f"Reader{i % 50}\n\nI think comment {i} is right, this is terrible!" for i in range(n)
        )
    )
    started = time.monotonic()
    from_text = segment_page(Page(origin="many.txt", text=text), max_comments=1_000)
    text_seconds = time.monotonic() - started
    check_document(from_text)
    assert len(from_text.comments) <= 1_000
    # Regression: trafilatura's jusText fallback is quadratic in paragraphs; 6,000 comments
    # took 41 s before pages that large skipped it (3 s after).
    assert html_seconds < 15 and text_seconds < 15, (html_seconds, text_seconds)


@pytest.mark.slow
def test_the_whole_matrix_in_one_batch_never_crashes_it(tmp_path: Path) -> None:
    """Every bad page in one folder, one run of the real pipeline, beside two good pages."""
    folder = tmp_path / "pages"
    folder.mkdir()
    files: dict[str, bytes] = {
        "a-good.txt": REPORT.encode(),
        "b-empty.txt": b"",
        "c-binary.html": PNG,
        "d-big.txt": (REPORT * 2_000).encode(),
        "e-broken.html": b"<html><p>Gunmen killed three people on Monday, police said.<div><b></p>",
        "f-arabic.txt": ARABIC.encode("cp1256"),
        "g-cyrillic.html": f"<p>{CYRILLIC}</p>".encode("windows-1251"),
        "h-utf16.txt": REPORT.replace("village", "hamlet").encode("utf-16-le"),
        "i-export.jsonl": b'{"text": "x"\n[1]\n' + json.dumps({"text": "y " * 5_000}).encode(),
        "j-comments.txt": "\n\n".join(
            f"Reader {i}\n\nWhat a shame, same story every year." for i in range(3_000)
        ).encode(),
        "k-dates.txt": (
            b"Attack reported on an impossible date\n\n"
            b"On February 30, gunmen killed three people in a village near the town, "
            b"police said.\n\n"
            b"In the year 20188, troops shelled the village, killing two people, "
            b"officials said.\n\n"
            b"On 31/02/2024 protesters marched through the town, witnesses said.\n"
        ),
        "l-good.html": (
            b"<html><head><title>Troops clash with rebels</title></head><body><article><p>Troops "
            b"clashed with rebels near the border town on Tuesday, killing five fighters, the army "
            b"said.</p></article></body></html>"
        ),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    # Small limits stand for the real 20 MB ones.
    settings = Settings({"read.max_bytes": 300_000, "read.max_line_bytes": 5_000})
    with SQLiteStore(tmp_path / "matrix.db") as store:
        summary = process_paths(
            [folder], settings=settings, store=store, published=date(2024, 3, 1)
        )
        documents = {d.origin.rsplit("/", 1)[-1]: d for d in store.documents()}
        failures = {f.origin.rsplit("/", 1)[-1]: f for f in store.failures()}
        events = [
            e for d in store.documents() if (full := store.get_document(d.id)) for e in full.events
        ]
    # Every file (and each JSON Lines record) is accounted for: a document or a failure.
    expected_failures = {
        "b-empty.txt",
        "c-binary.html",
        "d-big.txt",
        "i-export.jsonl:1",
        "i-export.jsonl:2",
        "i-export.jsonl:3",
    }
    assert set(failures) == expected_failures, failures
    assert set(documents) == set(files) - {
        "b-empty.txt",
        "c-binary.html",
        "d-big.txt",
        "i-export.jsonl",
    }
    assert summary.pages == len(documents) + len(failures)
    for name in ("a-good.txt", "l-good.html", "e-broken.html", "h-utf16.txt", "k-dates.txt"):
        assert documents[name].status is DocumentStatus.OK, (name, documents[name])
    assert documents["f-arabic.txt"].status is DocumentStatus.UNSUPPORTED_LANGUAGE
    # One short paragraph is too little for the article extractor: no body, not a failure.
    assert documents["g-cyrillic.html"].status in (
        DocumentStatus.UNSUPPORTED_LANGUAGE,
        DocumentStatus.NO_BODY,
    )
    assert (
        documents["a-good.txt"].n_events if hasattr(documents["a-good.txt"], "n_events") else True
    )
    assert events, "the good pages gave no events"
    for event in events:
        assert event.event_date is None or date(2000, 1, 1) <= event.event_date <= date(2024, 3, 1)
