"""Sources registry (sources.toml) and polite fetching of pages and feeds into raw/<source>/."""

from __future__ import annotations

import datetime as dt
import email.utils
import glob
import hashlib
import json
import re
import shutil
import tomllib
import urllib.parse
import urllib.robotparser
from dataclasses import dataclass, field
from pathlib import Path

import httpx

try:  # feeds come from the network: refuse entity expansion when defusedxml is there
    from defusedxml import ElementTree as ET
except ImportError:  # pragma: no cover
    import xml.etree.ElementTree as ET

from pipeline import __version__
from pipeline.sources import SIDECAR_SUFFIX

USER_AGENT = f"news-dataset/{__version__} (dataset builder; polite: one request at a time, robots.txt honoured)"
# 429 and 5xx may pass; anything else (404, 403, a page too big) will not get better by retrying.
TRANSIENT_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class FetchError(Exception):
    """A fetch failed for good (bad status, too big, not a page); not retried."""


class TransientFetchError(FetchError):
    """A fetch failed in a way that may pass: timeout, connection error, 429 or 5xx."""


class RegistryError(ValueError):
    """sources.toml is malformed."""


@dataclass(frozen=True)
class RegistrySource:
    """One named entry of sources.toml: exactly one of path, url or feed."""

    name: str
    path: str | None = None        # local folder or glob (relative to the registry file)
    url: str | None = None         # a single page
    feed: str | None = None        # an RSS or Atom feed; each item's link is fetched
    outlet: str | None = None
    language: str | None = None
    max_items: int = 50            # feed items fetched per refresh

    @property
    def kind(self) -> str:
        return "path" if self.path else "url" if self.url else "feed"


@dataclass
class FetchReport:
    """What one refresh brought into raw/: files added, already there, and failures by source."""

    added: list[str] = field(default_factory=list)
    skipped: int = 0
    failed: dict[str, list[str]] = field(default_factory=dict)

    def fail(self, source: str, message: str) -> None:
        self.failed.setdefault(source, []).append(message)


def load_registry(path: Path) -> list[RegistrySource]:
    """Parse sources.toml: `[[source]]` tables with name and one of path/url/feed."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RegistryError(f"cannot read {path}: {exc}") from None
    entries, seen = [], set()
    known = set(RegistrySource.__dataclass_fields__)
    for i, item in enumerate(data.get("source", [])):
        where = f"{path}: source #{i + 1}"
        if not isinstance(item, dict):
            raise RegistryError(f"{where}: expected a table")
        unknown = set(item) - known
        if unknown:
            raise RegistryError(f"{where}: unknown keys {sorted(unknown)}")
        name = item.get("name")
        if not isinstance(name, str) or not _NAME.match(name) or name in seen:
            raise RegistryError(f"{where}: name must be a unique folder name (letters, digits, _ . -)")
        seen.add(name)
        targets = [k for k in ("path", "url", "feed") if item.get(k)]
        if len(targets) != 1:
            raise RegistryError(f"{where} ({name}): give exactly one of path, url, feed")
        for key in ("url", "feed"):
            if item.get(key) and urllib.parse.urlsplit(item[key]).scheme not in ("http", "https"):
                raise RegistryError(f"{where} ({name}): {key} must be an http(s) URL")
        if item.get("path") and not Path(item["path"]).is_absolute():
            item = {**item, "path": str(path.parent / item["path"])}
        entries.append(RegistrySource(**item))
    return entries


def _hints(source: RegistrySource) -> dict:
    return {k: v for k, v in (("outlet", source.outlet), ("language", source.language)) if v}


def copy_local(source: RegistrySource, raw: Path, report: FetchReport) -> None:
    """Copy a local folder or glob into raw/<name>/ (new or changed files only; nothing is deleted)."""
    root = Path(source.path)
    target = raw / source.name
    if root.is_dir():
        files = [(p, p.relative_to(root)) for p in sorted(root.rglob("*")) if p.is_file()]
    else:
        files = [(Path(p), Path(p).name) for p in sorted(glob.glob(source.path, recursive=True)) if Path(p).is_file()]
    if root.resolve() == target.resolve():
        return   # the registry names a folder already in raw/: nothing to copy
    for path, rel in files:
        if any(part.startswith(".") for part in Path(rel).parts):
            continue
        dest = target / rel
        if dest.is_file() and dest.read_bytes() == path.read_bytes():
            report.skipped += 1
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
        report.added.append(dest.relative_to(raw).as_posix())
        if not path.name.endswith(SIDECAR_SUFFIX) and _hints(source):
            sidecar = dest.with_name(dest.name + SIDECAR_SUFFIX)
            own = [p for p in (path.with_name(path.stem + SIDECAR_SUFFIX), path.with_name(path.name + SIDECAR_SUFFIX))
                   if p.is_file()]
            if not own and not sidecar.exists():
                sidecar.write_text(json.dumps({**_hints(source), "source": source.name}, indent=1), encoding="utf-8")


def page_path(raw: Path, source: str, url: str) -> Path:
    """Where a fetched page lives: raw/<source>/<readable slug>-<url hash>.html (stable per URL)."""
    parts = urllib.parse.urlsplit(url)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", (parts.netloc + parts.path)).strip("-")[-60:] or "page"
    return raw / source / f"{slug}-{hashlib.sha256(url.encode()).hexdigest()[:10]}.html"


def already_fetched(raw: Path, source: str, url: str) -> bool:
    path = page_path(raw, source, url)
    return path.is_file() or path.with_suffix(".txt").is_file()


class Fetcher:
    """One HTTP client for a refresh: timeout, size cap, User-Agent and robots.txt per host."""

    def __init__(self, timeout_s: float = 20.0, max_bytes: int = 5_000_000, user_agent: str = USER_AGENT):
        self.max_bytes = max_bytes
        self.user_agent = user_agent
        self.client = httpx.Client(timeout=timeout_s, follow_redirects=True, headers={"User-Agent": user_agent})
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def allowed(self, url: str) -> bool:
        parts = urllib.parse.urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        if host not in self._robots:
            parser = None
            try:
                response = self.client.get(host + "/robots.txt")
                if response.status_code == 200:
                    parser = urllib.robotparser.RobotFileParser()
                    parser.parse(response.text.splitlines())
            except httpx.HTTPError:
                parser = None   # no robots.txt reachable: the page fetch itself will tell
            self._robots[host] = parser
        parser = self._robots[host]
        return parser is None or parser.can_fetch(self.user_agent, url)

    def get(self, url: str) -> tuple[bytes, str]:
        """(body, content type) of a URL; TransientFetchError or FetchError on failure."""
        try:
            with self.client.stream("GET", url) as response:
                if response.status_code in TRANSIENT_STATUS:
                    raise TransientFetchError(f"{url}: HTTP {response.status_code}")
                if response.status_code != 200:
                    raise FetchError(f"{url}: HTTP {response.status_code}")
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError(f"{url}: {declared} bytes is over the limit of {self.max_bytes}")
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(f"{url}: over the limit of {self.max_bytes} bytes")
                    chunks.append(chunk)
                ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
                return b"".join(chunks), ctype
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            raise TransientFetchError(f"{url}: {type(exc).__name__}: {exc}") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from None


def save_page(raw: Path, source: RegistrySource, url: str, body: bytes, ctype: str,
              extra: dict | None = None) -> str:
    """Write a fetched page and its sidecar (url, fetch time, hints); return its path under raw/."""
    if ctype and ctype not in _HTML_TYPES and ctype != "text/plain":
        raise FetchError(f"{url}: content type {ctype!r} is not a page")
    path = page_path(raw, source.name, url)
    if ctype == "text/plain":
        path = path.with_suffix(".txt")
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {"url": url, "fetched_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "source": source.name, **_hints(source), **(extra or {})}
    # sidecar first: a page is never in raw/ without its provenance
    path.with_name(path.name + SIDECAR_SUFFIX).write_text(json.dumps(meta, indent=1, ensure_ascii=False),
                                                          encoding="utf-8")
    path.write_bytes(body)
    return path.relative_to(raw).as_posix()


def _iso_date(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip()
    try:
        return email.utils.parsedate_to_datetime(text).date().isoformat()   # RSS: RFC 822
    except (TypeError, ValueError):
        pass
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()   # Atom: RFC 3339
    except ValueError:
        return None


def parse_feed(body: bytes, base_url: str) -> list[dict]:
    """Items of an RSS 2.0 / RSS 1.0 / Atom feed as {url, title, published}, in feed order."""
    try:
        root = ET.fromstring(body)
    except Exception as exc:   # ParseError, or defusedxml refusing entities
        raise FetchError(f"{base_url}: not a readable feed: {exc}") from None
    items = []
    for node in root.iter():
        tag = node.tag.rsplit("}", 1)[-1]
        if tag not in ("item", "entry"):
            continue
        link = None
        for child in node:
            ctag = child.tag.rsplit("}", 1)[-1]
            if ctag == "link":
                href = child.get("href")
                if href and child.get("rel", "alternate") == "alternate":
                    link = href
                elif child.text and child.text.strip():
                    link = child.text.strip()
                if link:
                    break
        if not link:
            continue
        title = next((c.text for c in node if c.tag.rsplit("}", 1)[-1] == "title"), None)
        date = next((c.text for c in node if c.tag.rsplit("}", 1)[-1] in ("pubDate", "published", "date", "updated")),
                    None)
        item = {"url": urllib.parse.urljoin(base_url, link), "title": (title or "").strip() or None,
                "published": _iso_date(date)}
        items.append(item)
    return items
