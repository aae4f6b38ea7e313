"""Parse an HTML page into blocks and metadata signals with trafilatura."""

from __future__ import annotations

import re
from collections.abc import Iterator
from copy import copy
from datetime import datetime
from typing import Any

import trafilatura
from lxml.etree import XPath, strip_tags
from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.core import trafilatura_sequence
from trafilatura.metadata import extract_metadata
from trafilatura.settings import Extractor
from trafilatura.utils import load_html

from pipeline.model import Block, Document, RawDocument, Reason, Signals, StageError

# Settings measured on /work/shared/corpora/zyte-articles (88 pages, gold.jsonl, body F1 of
# pipeline.quality.corpus_score over Document.body, this module's post-processing included,
# trafilatura 2.3.1, include_comments=False unless said):
#   favor_precision=True               P=0.9691 R=0.9729 F1=0.9710   <- chosen
#   balanced (trafilatura default)     P=0.9596 R=0.9747 F1=0.9671
#   favor_recall=True                  P=0.9564 R=0.9748 F1=0.9655
#   fast=True (no fallback), balanced  P=0.9596 R=0.9762 F1=0.9678   (~1.3x faster)
#   fast=True + favor_precision        P=0.9583 R=0.9616 F1=0.9599
#   favor_precision, include_tables=False   P=0.9652 R=0.9591 F1=0.9621 (tables were content)
#   favor_precision, include_comments=True  F1=0.9710 (unchanged: comments never reach .body)
#   favor_precision, deduplicate=True       P=0.9580 R=0.9615 F1=0.9597, one page lost whole:
#     trafilatura's duplicate cache is process-wide, so what a worker drops depends on the pages
#     it saw before; never use it in a stage.
#   without _split_headline (title/dek/trailing headings kept)  F1=0.9692
# include_formatting is off: blocks are plain text. output_format="xml" keeps the body tree and
# skips trafilatura's own text rendering, which we do not use (blocks are rendered from the tree).
_OPTIONS: dict[str, Any] = dict(
    with_metadata=True,
    favor_precision=True,
    include_comments=False,
    include_tables=True,
    include_formatting=False,
    include_images=False,
    include_links=False,
    deduplicate=False,
    output_format="xml",
)

# Pages state their last revision in a few standard places (Open Graph / schema.org);
# trafilatura keeps only the original date, so the revision date is read here. (Compiled once:
# tree.xpath(expression) compiles it again on every call.)
_MODIFIED_XPATH = XPath(
    "//meta[@property='article:modified_time' or @property='og:updated_time'"
    " or @itemprop='dateModified' or @name='last-modified' or @name='dcterms.modified']/@content"
    " | //time[@itemprop='dateModified']/@datetime"
)
_JSON_LD_XPATH = XPath("//script[@type='application/ld+json']/text()")
_JSON_LD_MODIFIED = re.compile(r'"dateModified"\s*:\s*"([^"]{4,40})"')
_LANG_XPATH = XPath("//meta[@http-equiv='content-language' or @http-equiv='Content-Language']/@content")

_BLOCK_TAGS = {"p", "head", "list", "quote", "table", "code", "div"}


def parse_html(raw: RawDocument) -> Document:
    """Blocks of the page's main text and the metadata signals of the page (raises StageError)."""
    try:
        tree = load_html(raw.text)
    except Exception as exc:  # lxml can raise on pathological input; that is a crash, not "no text"
        raise StageError(Reason.HTML_CRASH, f"HTML parser raised {type(exc).__name__}: {exc}") from exc
    if tree is None:
        raise StageError(Reason.NO_ARTICLE, "no HTML tree could be built from the page")
    updated, language = _page_extras(tree)
    try:
        doc = _extract(tree, _sidecar_url(raw))
    except Exception as exc:
        raise StageError(Reason.HTML_CRASH, f"trafilatura raised {type(exc).__name__}: {exc}") from exc
    if doc is None or doc.body is None:
        raise StageError(Reason.NO_ARTICLE, "trafilatura found no main text on the page")

    blocks = list(_blocks(doc.body))
    signals = _signals(doc, updated, language)
    blocks, subtitle = _split_headline(blocks, signals.title, doc.description)
    if subtitle:
        signals = Signals(**{**signals.__dict__, "subtitle": subtitle})
    if not any(b.kind != "heading" for b in blocks):
        raise StageError(Reason.NO_ARTICLE, "the extracted main text holds no paragraph")
    return Document(raw=raw, blocks=tuple(blocks), signals=signals)


# The trafilatura release whose bare_extraction _extract repeats step by step (requirements.lock);
# with any other release, or options the repeated steps leave out, _extract calls bare_extraction.
_REPEATED_RELEASE = "2.3.1"
# bare_extraction's keyword -> the Extractor argument it becomes
_EXTRACTOR_ARGS = {"output_format": "output_format", "fast": "fast", "favor_precision": "precision",
                   "favor_recall": "recall", "include_comments": "comments", "include_formatting": "formatting",
                   "include_links": "links", "include_images": "images", "include_tables": "tables",
                   "deduplicate": "dedup", "with_metadata": "with_metadata"}
_REPEATABLE = (trafilatura.__version__ == _REPEATED_RELEASE and set(_OPTIONS) <= set(_EXTRACTOR_ARGS)
               and _OPTIONS.get("with_metadata") and not _OPTIONS.get("deduplicate")
               and _OPTIONS.get("output_format") != "python")


def _extract(tree: HtmlElement, url: str | None) -> Any:
    """bare_extraction(tree, url=url, **_OPTIONS), without its two per-page costs we do not need:
    building the Extractor (its config reads, ~0.08 ms a page) and copying the whole page tree,
    which it does to leave a caller's tree intact (~0.12 ms; parse_html never reads the tree
    again). Measured on the bench corpus' 561 pages; tests/parse/test_html_fast.py checks that
    the Document is bare_extraction's."""
    if not _REPEATABLE:
        return bare_extraction(tree, url=url, **_OPTIONS)
    options = _extractor(url)
    # trafilatura 2.3.1 core.bare_extraction with these options: metadata on; no language filter,
    # URL or author blacklist, prune_xpath, only_with_metadata or duplicate test; no text rendering
    try:
        document = extract_metadata(tree, options.url, options.date_params, options.fast, options.author_blacklist)
        postbody, temp_text, commentsbody, temp_comments = trafilatura_sequence(tree, options, options.url or document.url)
        if options.max_tree_size:   # unset in trafilatura's default config
            if len(postbody) > options.max_tree_size:
                strip_tags(postbody, "hi")
            if len(postbody) > options.max_tree_size:
                return None
        if len(temp_text) < options.min_output_size and len(temp_comments) < options.min_output_comm_size:
            return None
    except (TypeError, ValueError):     # bare_extraction's "discarding data"
        return None
    document.raw_text, document.commentsbody = temp_text, commentsbody
    document.body = postbody
    return document


def _new_extractor() -> Extractor:
    """The Extractor bare_extraction builds from _OPTIONS (and no url)."""
    return Extractor(**{_EXTRACTOR_ARGS[k]: v for k, v in _OPTIONS.items()})


_TEMPLATE: list[Extractor] = []    # the last Extractor built: its date parameters hold the day


def _extractor(url: str | None) -> Extractor:
    """Extractor(url=url, **_OPTIONS as bare_extraction maps them), from a template of the day:
    an Extractor's date parameters hold the day it was built (htmldate's max_date)."""
    today = datetime.now().astimezone().strftime("%Y-%m-%d")   # as trafilatura's set_date_params
    if not _TEMPLATE or _TEMPLATE[0].date_params["max_date"] != today:
        _TEMPLATE[:] = [_new_extractor()]
    options = _TEMPLATE[0]
    if url is None:
        return options      # trafilatura never changes an Extractor it is given (it copies one first)
    options = copy(options)
    options.url = url
    options.source = url.encode("utf-8", "replace").decode("utf-8")
    return options


def _sidecar_url(raw: RawDocument) -> str | None:
    url = raw.source.sidecar.get("url") if raw.source.sidecar else None
    return url if isinstance(url, str) and url else None


def _page_extras(tree: HtmlElement) -> tuple[tuple[tuple[str, str], ...], str | None]:
    """Revision dates and the declared language, which trafilatura's metadata does not keep."""
    updated: list[tuple[str, str]] = []
    seen: set[str] = set()
    for value in _MODIFIED_XPATH(tree):
        value = str(value).strip()
        if value and value not in seen:
            seen.add(value)
            updated.append((value, "meta_modified"))
    for script in _JSON_LD_XPATH(tree):
        for value in _JSON_LD_MODIFIED.findall(str(script)):
            if value not in seen:
                seen.add(value)
                updated.append((value, "jsonld_modified"))
    root = tree.getroottree().getroot()
    language = (root.get("lang") or root.get("xml:lang") or "").strip() or None
    if language is None:
        declared = _LANG_XPATH(tree)
        language = str(declared[0]).strip() or None if declared else None
    return tuple(updated), language


def _signals(doc: Any, updated: tuple[tuple[str, str], ...], language: str | None) -> Signals:
    tags: list[str] = []
    for value in list(doc.categories or []):
        tags.append(value.strip())
    for value in list(doc.tags or []):
        # keywords metas are comma-separated lists; trafilatura keeps each meta as one string
        tags.extend(part.strip() for part in value.split(","))
    return Signals(
        title=_clean(doc.title) or None,
        authors=_split_authors(doc.author),
        published=((doc.date, "html_metadata"),) if doc.date else (),
        updated=updated,
        tags=tuple(dict.fromkeys(t for t in tags if t)),
        site_name=_clean(doc.sitename) or None,
        url=doc.url or None,
        language=doc.language or language,
    )


def _split_authors(author: str | None) -> tuple[str, ...]:
    if not author:
        return ()
    names = (_clean(name) for name in author.split(";"))
    return tuple(dict.fromkeys(n for n in names if n))


def _split_headline(blocks: list[Block], title: str | None, description: str | None) -> tuple[list[Block], str | None]:
    """Drop the headline repeated in the body; take the dek out when the page marks it.

    The meta description is often an SEO summary or the first sentence, so it is not a subtitle
    by itself. It counts as one only when the page also shows it as a heading directly under the
    headline (a dek styled as h2/h3), i.e. the page marks that text as the standfirst; then it is
    moved from the body to Signals.subtitle. Otherwise the subtitle stays None.
    """
    key_title = _key(title)
    key_desc = _key(description)
    subtitle = None
    i = 0
    # only the leading headings, before any paragraph, can be the page's headline and dek
    while i < len(blocks) and blocks[i].kind == "heading":
        key = _key(blocks[i].text)
        if key and key == key_title:
            blocks = blocks[:i] + blocks[i + 1 :]
            continue
        if key and key == key_desc and subtitle is None:
            subtitle = blocks[i].text
            blocks = blocks[:i] + blocks[i + 1 :]
            continue
        i += 1
    # a heading that closes the body introduces nothing (comment forms, "related" boxes whose
    # links trafilatura already removed); zyte-articles F1 0.9708 -> 0.9710
    while blocks and blocks[-1].kind == "heading":
        blocks = blocks[:-1]
    return blocks, subtitle


def _key(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _blocks(body: HtmlElement) -> Iterator[Block]:
    if body.text and body.text.strip():
        yield Block("paragraph", _clean(body.text))
    for child in body:
        if child.tag == "p" and not len(child):
            # most blocks: a paragraph of text alone (what _element_blocks makes of it, in one step)
            text = _lines(child.text or "")
            if text:
                yield Block("paragraph", text)
        else:
            yield from _element_blocks(child, 0)
        if child.tail and child.tail.strip():
            yield Block("paragraph", _clean(child.tail))


def _element_blocks(el: HtmlElement, depth: int) -> Iterator[Block]:
    tag = el.tag
    if tag == "head":
        level = _heading_level(el.get("rend"))
        text = _inline_text(el)
        if text:
            yield Block("heading", text, level=level)
    elif tag == "list":
        for item in el:
            if item.tag == "item":
                yield from _item_blocks(item, depth)
    elif tag == "quote" and any(child.tag in _BLOCK_TAGS for child in el):
        for child in el:
            for block in _element_blocks(child, depth):
                yield Block("quote", block.text, block.level) if block.kind == "paragraph" else block
    elif tag == "quote":
        text = _inline_text(el)
        if text:
            yield Block("quote", text)
    elif tag == "table":
        text = _table_text(el)
        if text:
            yield Block("table", text)
    elif tag == "div":
        if el.text and el.text.strip():
            yield Block("paragraph", _clean(el.text))
        for child in el:
            yield from _element_blocks(child, depth)
            if child.tail and child.tail.strip():
                yield Block("paragraph", _clean(child.tail))
    elif tag == "graphic":
        return
    else:  # p, code and anything trafilatura adds later: plain text of the element
        text = _inline_text(el)
        if text:
            yield Block("code" if tag == "code" else "paragraph", text)


def _item_blocks(item: HtmlElement, depth: int) -> Iterator[Block]:
    nested = [child for child in item if child.tag == "list"]
    text = _inline_text(item, skip=nested)
    if text:
        yield Block("list_item", text, level=depth)
    for sub in nested:
        for sub_item in sub:
            if sub_item.tag == "item":
                yield from _item_blocks(sub_item, depth + 1)


def _table_text(table: HtmlElement) -> str:
    rows = []
    for row in table.iter("row"):
        cells = [_inline_text(cell).replace("\n", " ") for cell in row if cell.tag == "cell"]
        cells = [c for c in cells if c]
        if cells:
            rows.append(" | ".join(cells))
    return "\n".join(rows)


def _heading_level(rend: str | None) -> int:
    if rend and len(rend) == 2 and rend[0] == "h" and rend[1].isdigit():
        return int(rend[1])
    return 0


def _inline_text(el: HtmlElement, skip: list[HtmlElement] | None = None) -> str:
    """Text of an element with <lb/> as single line breaks and no blank lines inside a block."""
    if not len(el):          # most paragraphs: text and no child element
        return _lines(el.text or "")
    parts: list[str] = []
    skipped = skip or []

    def walk(node: HtmlElement) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if child in skipped:
                pass
            elif child.tag == "lb":
                parts.append("\n")
            elif child.tag in _BLOCK_TAGS or child.tag in ("item", "row"):
                parts.append("\n")
                walk(child)
                parts.append("\n")
            elif child.tag == "cell":
                walk(child)
                parts.append(" ")
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return _lines("".join(parts))


def _lines(text: str) -> str:
    """Each line with its runs of whitespace as one space and no space at its ends; no blank lines.
    (str.split() and the regex class \\s both split on exactly the str.isspace() characters.)"""
    if "\n" not in text:
        return " ".join(text.split())
    return "\n".join(filter(None, [" ".join(line.split()) for line in text.split("\n")]))
