"""Write cc-news-sample.warc.gz, a tiny crawl in Common Crawl News's shape (run from the root).

warcinfo, then per page a request and a response record (a gzip member each), plus an image
response and a 301 the reader must skip. The articles are invented.
"""

from __future__ import annotations

from pathlib import Path

from tests.test_warc import Rec, build_warc

ARTICLES = [
    (
        "https://news.example.org/2024/03/05/market-shelling",
        "Shelling hits market in northern town",
        "Artillery shells struck a crowded market in the town of Kalo on Monday, killing four "
        "civilians, local officials said. The army blamed rebel fighters for the attack.",
    ),
    (
        "https://news.example.org/2024/03/06/protest",
        "Teachers march over unpaid wages",
        "Hundreds of teachers marched peacefully through the capital on Tuesday to demand "
        "months of unpaid wages, union leaders said.",
    ),
    (
        "https://news.example.org/2024/03/07/convoy",
        "Convoy ambushed on highway",
        "Gunmen ambushed a police convoy on the highway south of the city on Wednesday, "
        "killing two officers, a police spokesman said.",
    ),
]


def main() -> None:
    records: list[Rec] = []
    for day, (url, title, body) in enumerate(ARTICLES, start=5):
        stamp = f"2024-03-{day:02d}T08:00:00Z"
        request = f"GET {url} HTTP/1.1\r\nHost: news.example.org\r\n\r\n".encode()
        records.append(Rec(url, request, kind="request", content_type=None, date=stamp))
        page = (
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><article><h1>{title}</h1><p>{body}</p></article></body></html>"
        ).encode()
        records.append(Rec(url, page, content_type="text/html; charset=UTF-8", date=stamp))
    records.append(
        Rec("https://news.example.org/logo.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    )
    records.append(Rec("https://news.example.org/old", b"", status=301))
    Path(__file__).with_name("cc-news-sample.warc.gz").write_bytes(build_warc(records))


if __name__ == "__main__":
    main()
