"""Fetch GeoNames dumps (per country, or allCountries) for ``sitrep gazetteer import``.

The network sits behind a small ``Fetcher`` protocol: ``UrllibFetcher`` is the real one,
tests pass a fake. A failure says whether to retry later (timeouts, 5xx, 429, a cut
connection) or to drop the request (404, a file over the size limit).
"""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sitrep.errors import SitrepError

BASE_URL = "https://download.geonames.org/export/dump/"
ADMIN_FILES = ("admin1CodesASCII.txt", "admin2Codes.txt")
# allCountries.zip is ~400 MB; a country's file is far smaller. A response growing past the
# limit is cut off rather than filling the disk.
MAX_BYTES = 1_000_000_000
TIMEOUT_S = 60.0
_CHUNK = 1 << 16
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


class DownloadError(SitrepError):
    """A GeoNames file could not be fetched.

    Args:
        retry: True for faults that may pass (timeouts, server errors, rate limits): try
            again later; False for ones that will not (no such file, too large): drop it.
    """

    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry


class Fetcher(Protocol):
    """Fetches one URL into a file."""

    def fetch(self, url: str, dest: Path, *, max_bytes: int, timeout: float) -> int:
        """Write the body at ``url`` to ``dest``; return its size in bytes.

        Raises:
            DownloadError: with ``retry`` telling a passing fault from a permanent one.
        """
        ...


class UrllibFetcher:
    """Fetcher over the standard library's urllib (no extra dependency)."""

    def fetch(self, url: str, dest: Path, *, max_bytes: int, timeout: float) -> int:
        """Stream ``url`` into ``dest`` (through a temporary file), at most ``max_bytes``."""
        tmp = dest.with_name(f"{dest.name}.{os.getpid()}.part")
        request = urllib.request.Request(url, headers={"User-Agent": "sitrep gazetteer download"})
        size = 0
        try:
            with (
                urllib.request.urlopen(request, timeout=timeout) as response,
                open(tmp, "wb") as out,
            ):
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise DownloadError(
                        f"{url} is {int(declared):,} bytes, over the {max_bytes:,}-byte limit",
                        retry=False,
                    )
                while chunk := response.read(_CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise DownloadError(
                            f"{url} grew past the {max_bytes:,}-byte limit", retry=False
                        )
                    out.write(chunk)
        except urllib.error.HTTPError as e:
            tmp.unlink(missing_ok=True)
            passing = e.code in (408, 429) or e.code >= 500
            raise DownloadError(
                f"{url}: HTTP {e.code} {e.reason}" + (" (retry later)" if passing else ""),
                retry=passing,
            ) from e
        except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
            tmp.unlink(missing_ok=True)
            raise DownloadError(f"{url}: {e} (retry later)", retry=True) from e
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        os.replace(tmp, dest)
        return size


@dataclass(frozen=True)
class Downloaded:
    """One fetched file."""

    url: str
    path: Path
    bytes: int


def download_urls(countries: Sequence[str], *, alternate_names: bool = False) -> list[str]:
    """The GeoNames URLs for ``countries`` (ISO alpha-2 codes, or "allCountries").

    Raises:
        DownloadError: a code is not two letters (nothing to retry).
    """
    urls: list[str] = []
    for code in countries:
        if code == "allCountries":
            name = code
        elif _COUNTRY.match(code):
            name = code.upper()
        else:
            raise DownloadError(
                f"{code!r} is not an ISO 3166-1 alpha-2 country code (e.g. SY) or allCountries",
                retry=False,
            )
        urls.append(f"{BASE_URL}{name}.zip")
        if alternate_names:
            alt = "alternateNamesV2" if name == "allCountries" else f"alternatenames/{name}"
            urls.append(f"{BASE_URL}{alt}.zip")
    urls += [BASE_URL + name for name in ADMIN_FILES]
    return list(dict.fromkeys(urls))


def _file_name(url: str) -> str:
    tail = url.removeprefix(BASE_URL)
    # Per-country alternate names are also called "SY.zip": keep them apart.
    return tail.replace("alternatenames/", "alternatenames-")


def download_geonames(
    countries: Sequence[str],
    dest: str | Path,
    *,
    fetcher: Fetcher | None = None,
    alternate_names: bool = False,
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT_S,
    progress: Callable[[str], None] | None = None,
) -> list[Downloaded]:
    """Fetch the GeoNames files for ``countries`` into the folder ``dest``.

    Args:
        countries: ISO alpha-2 codes ("SY", "UA") or "allCountries".
        fetcher: how to fetch (``UrllibFetcher()`` when None).
        alternate_names: also fetch the countries' alternate-name files.
        max_bytes / timeout: per-file size limit and socket timeout.
        progress: called with each URL before it is fetched.

    Raises:
        DownloadError: the first file that failed (``retry`` says whether to try again).
    """
    urls = download_urls(countries, alternate_names=alternate_names)
    folder = Path(dest)
    folder.mkdir(parents=True, exist_ok=True)
    client = fetcher if fetcher is not None else UrllibFetcher()
    done: list[Downloaded] = []
    for url in urls:
        if progress is not None:
            progress(url)
        path = folder / _file_name(url)
        size = client.fetch(url, path, max_bytes=max_bytes, timeout=timeout)
        done.append(Downloaded(url=url, path=path, bytes=size))
    return done
