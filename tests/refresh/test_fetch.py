"""Sources registry and polite fetching, against a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipeline import fetch, store

PARAS = [
    "The harbour board of Kestrel Bay approved new berth fees on Tuesday after a long debate about the "
    "dredging of the outer channel and the cost of repairing the old sea wall, officials said.",
    "\u201cWe cannot keep the port open on goodwill alone,\u201d said Mara Quell, who chairs the board, adding "
    "that the fees would rise by four per cent from the first of March for every vessel over twenty metres.",
    "Fishing crews said the increase would hurt small boats most, and several skippers told the meeting that "
    "they would move to the neighbouring harbour at Port Alder if the charges went ahead as planned this spring.",
    "The board agreed to publish the full budget next month and to hold a second public hearing before the "
    "fees take effect, the chair said after the vote, which passed by seven votes to two.",
]


def page(title: str) -> bytes:
    body = "".join(f"<p>{p} ({title})</p>" for p in PARAS)
    return (f"<html><head><title>{title}</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>{title}</h1>{body}</article><footer>Contact us</footer></body></html>").encode()


RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Bay News</title>
<item><title>Berth fees rise</title><link>/news/a.html</link><pubDate>Tue, 10 Jun 2025 04:00:00 GMT</pubDate></item>
<item><title>Second hearing set</title><link>http://HOST/news/b.html</link></item>
<item><title>Members only</title><link>/private/c.html</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><title>One</title><link rel="alternate" href="https://example.org/one"/><published>2024-05-01T10:00:00Z</published></entry>
<entry><title>Two</title><link href="/two"/><updated>2024-05-02T10:00:00+02:00</updated></entry></feed>"""


@pytest.fixture
def site():
    hits: Counter[str] = Counter()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits[self.path] += 1
            host = f"127.0.0.1:{self.server.server_address[1]}"
            routes = {
                "/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /private/\n"),
                "/feed.xml": (200, "application/rss+xml", RSS.replace(b"HOST", host.encode())),
                "/news/a.html": (200, "text/html; charset=utf-8", page("Berth fees rise")),
                "/news/b.html": (200, "text/html", page("Second hearing set")),
                "/single.html": (200, "text/html", page("Sea wall repairs begin")),
                "/big.html": (200, "text/html", b"<p>" + b"x" * 200_000 + b"</p>"),
                "/image.png": (200, "image/png", b"\x89PNG\r\n"),
            }
            if self.path == "/flaky.html" and hits[self.path] == 1:
                status, ctype, body = 503, "text/plain", b"busy"
            elif self.path == "/flaky.html":
                status, ctype, body = 200, "text/html", page("Ferry timetable changes")
            else:
                status, ctype, body = routes.get(self.path, (404, "text/plain", b"not found"))
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.server.agents.add(self.headers.get("User-Agent"))

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.agents = set()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits, server.agents
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _registry(tmp_path: Path, base: str) -> Path:
    local = tmp_path / "inbox"
    local.mkdir()
    (local / "note.md").write_text("# Ferry fares\n\n" + "\n\n".join(PARAS) + "\n", encoding="utf-8")
    path = tmp_path / "sources.toml"
    path.write_text(f"""
[[source]]
name = "inbox"
path = "inbox"
outlet = "Bay Courier"
language = "en"

[[source]]
name = "bay-feed"
feed = "{base}/feed.xml"
outlet = "Bay News"

[[source]]
name = "single"
url = "{base}/single.html"

[[source]]
name = "flaky"
url = "{base}/flaky.html"

[[source]]
name = "broken"
url = "{base}/missing.html"

[[source]]
name = "big"
url = "{base}/big.html"
""", encoding="utf-8")
    return path


def test_refresh_fetches_politely_and_builds(prefect_harness, site, tmp_path):
    from pipeline.flows import RefreshConfig, refresh

    base, hits, agents = site
    config = RefreshConfig(raw=tmp_path / "raw", out=tmp_path / "out", sources_file=_registry(tmp_path, base),
                           retry_delays_s=[0, 0], host_delay_s=0, fetch_max_bytes=100_000)
    first = refresh(config)
    raw = tmp_path / "raw"
    added = sorted(first.fetched.added)
    assert len(added) == 5, added   # inbox note, two feed items, single page, flaky page after a retry
    assert "inbox/note.md" in added
    assert hits["/flaky.html"] == 2                       # 503 is transient: retried once, then saved
    assert hits["/missing.html"] == 1                     # 404 is not: no retry
    assert hits["/private/c.html"] == 0                   # robots.txt is honoured
    assert set(first.fetched.failed) == {"broken", "big", "bay-feed"}
    assert any("limit" in m for m in first.fetched.failed["big"])
    assert agents == {fetch.USER_AGENT}

    a = fetch.page_path(raw, "bay-feed", f"{base}/news/a.html")
    meta = json.loads(a.with_name(a.name + ".meta.json").read_text())
    assert meta["url"] == f"{base}/news/a.html" and meta["outlet"] == "Bay News" and meta["source"] == "bay-feed"
    assert meta["published"] == "2025-06-10" and meta["fetched_at"]
    note_meta = json.loads((raw / "inbox" / "note.md.meta.json").read_text())
    assert note_meta["outlet"] == "Bay Courier" and note_meta["language"] == "en"

    assert not first.build.up_to_date and first.build.rows["articles"] == 5
    articles = {r["source_path"]: r for r in store.load_table(tmp_path / "out", "articles").to_pylist()}
    assert articles[a.relative_to(raw).as_posix()]["outlet"] == "Bay News"
    assert articles[a.relative_to(raw).as_posix()]["url"] == f"{base}/news/a.html"

    # nothing new anywhere: nothing fetched twice, no version written
    before = sum(hits[p] for p in ("/news/a.html", "/news/b.html", "/single.html", "/flaky.html"))
    second = refresh(config)
    assert second.fetched.added == [] and second.build.up_to_date
    assert sum(hits[p] for p in ("/news/a.html", "/news/b.html", "/single.html", "/flaky.html")) == before
    assert len(store.list_versions(tmp_path / "out")) == 1


def test_parse_atom_feed():
    items = fetch.parse_feed(ATOM, "https://example.org/feed")
    assert items == [
        {"url": "https://example.org/one", "title": "One", "published": "2024-05-01"},
        {"url": "https://example.org/two", "title": "Two", "published": "2024-05-02"},
    ]


def test_feed_with_entities_is_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss><channel><item><link>&a;</link></item></channel></rss>'
    with pytest.raises(fetch.FetchError):
        fetch.parse_feed(bomb, "https://example.org/feed")


@pytest.mark.parametrize("text, message", [
    ('[[source]]\nname = "x"\n', "exactly one of"),
    ('[[source]]\nname = "x"\nurl = "ftp://a/b"\n', "http(s)"),
    ('[[source]]\nname = "../up"\npath = "a"\n', "unique folder name"),
    ('[[source]]\nname = "x"\npath = "a"\n[[source]]\nname = "x"\npath = "b"\n', "unique folder name"),
    ('[[source]]\nname = "x"\npath = "a"\nouttlet = "typo"\n', "unknown keys"),
    ("[[source]\n", "cannot read"),
])
def test_registry_errors_are_clear(tmp_path, text, message):
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(fetch.RegistryError, match=message.replace("(", r"\(").replace(")", r"\)")):
        fetch.load_registry(path)


def test_example_registry_parses():
    entries = fetch.load_registry(Path(__file__).resolve().parents[2] / "sources.example.toml")
    assert {e.kind for e in entries} == {"path", "url", "feed"}
