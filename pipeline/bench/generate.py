"""Deterministic benchmark corpus: fictional news articles as text dumps, Markdown and HTML pages."""

from __future__ import annotations

import datetime as dt
import html
import json
import random
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

VOCAB = Path(__file__).with_name("vocab.toml")
# Share of each format: the seeds and zyte corpora are about half pages copied as text; the rest
# is split between saved HTML pages and Markdown exports.
FORMATS = (("txt_wire", 0.25), ("txt_wordpress", 0.2), ("md", 0.25), ("html", 0.3))
MIN_WORDS, MAX_WORDS = 300, 2000
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


@cache
def vocab() -> dict:
    return tomllib.loads(VOCAB.read_text(encoding="utf-8"))


@dataclass
class _Story:
    """One invented story: its cast and setting, reused across its paragraphs."""

    rng: random.Random
    outlet: tuple[str, str]
    date: dt.date
    people: list[tuple[str, str]]      # (full name, role)
    places: list[str]
    orgs: list[str]
    topic: str
    thing: str
    author: str

    def place(self) -> str:
        return self.rng.choice(self.places)

    def fill(self, template: str) -> str:
        r, v = self.rng, vocab()
        person, role = r.choice(self.people)
        return template.format(
            person=person, role=role, place=self.place(), place2=self.place(), org=r.choice(self.orgs),
            org2=r.choice(self.orgs), topic=self.topic if r.random() < 0.6 else r.choice(v["topics"]),
            thing=self.thing if r.random() < 0.6 else r.choice(v["things"]), n=r.randint(12, 9800),
            m=r.randint(2, 11), small=r.randint(2, 9), weekday=r.choice(_WEEKDAYS), month=r.choice(_MONTHS),
            day=r.randint(1, 28), year=r.randint(1961, 2019), year2=r.randint(2025, 2031),
            street=r.choice(v["place_stems"]) + r.choice(("", "wood", "ton", "ley")),
            relative=r.choice(v["relatives"]), agency=r.choice(v["agencies"]), outlet=self.outlet[0],
            verb=r.choice(("approve", "reject", "delay", "review", "scrap")),
        )


def _name(r: random.Random) -> str:
    v = vocab()
    return f"{r.choice(v['first_names'])} {r.choice(v['last_names'])}"


def _place(r: random.Random) -> str:
    v = vocab()
    stem = r.choice(v["place_stems"]) + r.choice(v["place_roots"])
    return f"{r.choice(v['place_heads'])} {stem}" if r.random() < 0.3 else stem


def _story(r: random.Random) -> _Story:
    v = vocab()
    places = [_place(r) for _ in range(3)]
    orgs = [f"{places[0]} {r.choice(v['org_kinds'])}" for _ in range(2)] + [r.choice(v["org_kinds"])]
    people = [(_name(r), r.choice(v["roles"])) for _ in range(r.randint(3, 6))]
    date = dt.date(2015, 1, 1) + dt.timedelta(days=r.randint(0, 3650))
    return _Story(r, tuple(r.choice(v["outlets"])), date, people, places, orgs, r.choice(v["topics"]),
                  r.choice(v["things"]), _name(r))


def _quote_sentence(s: _Story) -> str:
    r, v = s.rng, vocab()
    person, role = r.choice(s.people)
    quote, cue = s.fill(r.choice(v["quotes"])), r.choice(v["cues"])
    last = person.split()[-1]
    style = r.randrange(5)
    if style == 0:
        return f"\u201c{quote},\u201d {person}, the {role}, {cue}."
    if style == 1:
        return f"\u201c{quote},\u201d {last} {cue}."
    if style == 2:
        return f"{role.capitalize()} {person} {cue}: \u201c{quote}.\u201d"
    if style == 3:  # partial quote in reported speech
        words = quote.split()
        return f"{last} said the {r.choice(s.orgs)} had \u201c{' '.join(words[: r.randint(3, 6)])}\u201d."
    fact = s.fill(r.choice(v["facts"]))
    return f"{person} said that {fact[0].lower()}{fact[1:]}"  # indirect speech over a whole clause


def _paragraphs(s: _Story, words: int) -> list[str]:
    r, v = s.rng, vocab()
    paras, count = [], 0
    while count < words:
        sentences = []
        for _ in range(r.randint(2, 4)):
            sentences.append(_quote_sentence(s) if r.random() < 0.3 else s.fill(r.choice(v["facts"])))
        para = " ".join(sentences)
        paras.append(para)
        count += len(para.split())
    return paras


def _split_mid_sentence(r: random.Random, paras: list[str]) -> list[str]:
    """Some pages break a paragraph in the middle of a sentence (the cleaner must rejoin it)."""
    if len(paras) < 4 or r.random() < 0.6:
        return paras
    i = r.randrange(1, len(paras) - 1)
    words = paras[i].split()
    cut = r.randrange(3, max(4, len(words) - 3))
    if words[cut - 1].endswith((".", ":", "\u201d")):
        return paras
    return paras[:i] + [" ".join(words[:cut]), " ".join(words[cut:])] + paras[i + 1 :]


def _long_date(d: dt.date) -> str:
    return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"


def _caption(s: _Story) -> str:
    r, v = s.rng, vocab()
    return f"{s.fill(r.choice(v['captions']))} {s.fill(r.choice(v['credit_styles']))}"


def _teasers(s: _Story, k: int) -> list[str]:
    return [s.fill(s.rng.choice(vocab()["teasers"])) for _ in range(k)]


def _txt_wire(s: _Story, title: str, stand: str, paras: list[str], section: str) -> str:
    r = s.rng
    out = ["Don't miss", "", ""]
    for t in _teasers(s, r.randint(2, 4)):
        out += ["", t, "", "Read more", ""]
    out += ["", title, "", f"Text by {s.author}", "", f"Latest update : {s.date.isoformat()}", "", stand, ""]
    body = _split_mid_sentence(r, paras)
    for p in body:  # wire dumps often lose the blank line between paragraphs
        out += [p] if r.random() < 0.5 else [p, ""]
    out += ["", "", f"Date created : {s.date.isoformat()}", ""]
    for t in _teasers(s, r.randint(1, 3)):
        out += [f"  \u2022 {section}", "", f"    {t}", "", "    Read more", ""]
    out.append(f"\u00a9 {s.date.year} {s.outlet[0]} \u2013 {s.outlet[1]}")
    return "\n".join(out) + "\n"


def _txt_wordpress(s: _Story, title: str, stand: str, paras: list[str], section: str) -> str:
    r = s.rng
    out = [f"Home > {section} > {title}", "", title, "", _long_date(s.date), "", ""]
    cap = _caption(s)
    out += [cap.rsplit(" ", 3)[0], cap, ""]
    for p in _split_mid_sentence(r, paras):
        out += [p, ""]
    out += ["Share this:", "Twitter", "Facebook", "", "Like this:", "Like Loading...", "", "Related", ""]
    for t in _teasers(s, 2):
        when = s.date - dt.timedelta(days=r.randint(20, 700))
        out += [t, _long_date(when), f"In \"{section}\"", ""]
    out.append("%d bloggers like this:")
    return "\n".join(out) + "\n"


def _md(s: _Story, title: str, stand: str, paras: list[str], section: str) -> str:
    r = s.rng
    home = f"https://{s.outlet[1]}"
    out = [f"[Home]({home}/) / [{section}]({home}/{section.lower()}/)", "", f"# {title}", "", f"*{stand}*", "",
           f"{s.author}  ", f"{s.date.day} {_MONTHS[s.date.month - 1]} {s.date.year}", ""]
    body = _split_mid_sentence(r, paras)
    for i, p in enumerate(body):
        if i and i % 6 == 0:
            out += [f"## {s.fill(r.choice(vocab()['teasers']))}", ""]
        if i == 2:
            out += [f"![{s.thing}]({home}/img/{r.randint(1000, 9999)}.jpg)", "", f"*{_caption(s)}*", ""]
        if i == 4 and r.random() < 0.5:
            out += [f"- {s.fill(r.choice(vocab()['facts']))}" for _ in range(r.randint(2, 4))] + [""]
        if r.random() < 0.15:
            org = r.choice(s.orgs)
            p = p.replace(org, f"[{org}]({home}/tag/{r.randint(1, 999)})", 1)
        out += [p, ""]
    out += ["Share: [Twitter](https://twitter.example/share) | [Facebook](https://facebook.example/share)", "",
            f"*Contact the newsroom at news@{s.outlet[1]}. Subscribe to our newsletter for daily updates.*", ""]
    return "\n".join(out)


def _html(s: _Story, title: str, stand: str, paras: list[str], section: str) -> str:
    r, e = s.rng, html.escape
    name, domain = s.outlet
    url = f"https://{domain}/{section.lower()}/{s.date:%Y/%m/%d}/story-{r.randint(10000, 99999)}"
    when = f"{s.date.isoformat()}T{r.randint(5, 22):02d}:{r.randint(0, 59):02d}:00+00:00"
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "datePublished": when, "author": [{"@type": "Person", "name": s.author}],
                     "publisher": {"@type": "Organization", "name": name}})
    nav = "\n".join(f'    <a href="/{x.lower()}">{x}</a>' for x in vocab()["sections"][:7])
    related = "\n".join(f'    <li><a href="/{section.lower()}/{r.randint(1, 99999)}">{e(t)}</a></li>'
                        for t in _teasers(s, 3))
    share = ('<div class="share-bar"><a href="https://facebook.example/share">Share on Facebook</a> '
             '<a href="https://twitter.example/intent">Tweet</a> <a href="mailto:?subject=story">Email</a></div>')
    body = []
    for i, p in enumerate(paras):
        if i == 1:
            body.append(f'  <figure><img src="https://{domain}/img/{r.randint(1, 9999)}.jpg" alt="{e(s.thing)}">'
                        f"<figcaption>{e(_caption(s))}</figcaption></figure>")
        if i and i % 5 == 0:
            body.append(f'  <div class="ad-slot"><p>Advertisement</p></div>')
        body.append(f"  <p>{e(p)}</p>")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{e(title)} | {e(name)}</title>
<meta name="description" content="{e(stand)}">
<meta name="author" content="{e(s.author)}">
<meta property="og:type" content="article">
<meta property="og:title" content="{e(title)}">
<meta property="og:site_name" content="{e(name)}">
<meta property="og:url" content="{url}">
<meta property="article:published_time" content="{when}">
<meta property="article:section" content="{section}">
<link rel="canonical" href="{url}">
<style>body {{ font-family: Georgia, serif; }} .share-bar a {{ padding: 4px; }}</style>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{ dataLayer.push(arguments); }}</script>
<script type="application/ld+json">{ld}</script>
</head>
<body>
<div class="cookie-banner"><p>We use cookies to improve your experience and to analyse our traffic. By clicking "Accept all" you agree to our <a href="/cookies">cookie policy</a>.</p><button>Accept all</button></div>
<header class="site-header"><a class="logo" href="/">{e(name)}</a>
  <nav class="site-nav">
{nav}
  </nav>
</header>
<main>
<nav class="breadcrumb"><a href="/">Home</a> &rsaquo; <a href="/{section.lower()}">{section}</a></nav>
<article>
  <header>
    <h1>{e(title)}</h1>
    <p class="standfirst">{e(stand)}</p>
    <p class="byline">By <a rel="author" href="/authors/{r.randint(1, 999)}">{e(s.author)}</a></p>
    <p class="dateline"><time datetime="{when}">{s.date.day} {_MONTHS[s.date.month - 1]} {s.date.year}</time></p>
  </header>
  {share}
{chr(10).join(body)}
</article>
<aside class="related">
  <h2>Related stories</h2>
  <ul>
{related}
  </ul>
</aside>
{share}
</main>
<footer class="site-footer"><p>&copy; {s.date.year} {e(name)}. All rights reserved.</p>
<p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a> <a href="/contact">Contact us</a></p></footer>
</body>
</html>
"""


_WRITERS = {"txt_wire": (_txt_wire, ".txt"), "txt_wordpress": (_txt_wordpress, ".txt"), "md": (_md, ".md"),
            "html": (_html, ".html")}


def article(seed: int, index: int) -> tuple[str, str, str]:
    """(file name, format, text) of article `index`; the same seed and index give the same bytes."""
    r = random.Random(seed * 1_000_003 + index)
    kinds, weights = zip(*FORMATS)
    kind = r.choices(kinds, weights)[0]
    s = _story(r)
    v = vocab()
    # word counts skewed like news: most stories 400-900 words, a long tail up to MAX_WORDS
    words = int(min(MAX_WORDS, max(MIN_WORDS, r.lognormvariate(6.5, 0.45))))
    title, stand = s.fill(r.choice(v["titles"])), s.fill(r.choice(v["standfirsts"]))
    title = title[0].upper() + title[1:]
    writer, ext = _WRITERS[kind]
    text = writer(s, title, stand, _paragraphs(s, words), r.choice(v["sections"]))
    return f"{index:06d}_{kind}{ext}", kind, text


def generate(out: Path, n: int, seed: int = 0, start: int = 0) -> dict[str, int]:
    """Write articles start..start+n-1 under `out` (in folders of 1,000); counts by format."""
    counts: dict[str, int] = {}
    for index in range(start, start + n):
        name, kind, text = article(seed, index)
        folder = out / f"{index // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
        counts[kind] = counts.get(kind, 0) + 1
    return counts
