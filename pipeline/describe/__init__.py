"""Describe stage: a cleaned Document becomes an Article (title, dates, outlet, authors, tags, language)."""

from __future__ import annotations

import re
import unicodedata

from pipeline.describe.authors import normalise_authors
from pipeline.describe.dates import date_from_url, resolve_dates
from pipeline.describe.language import detect_language
from pipeline.describe.outlets import OutletMatch, _host, resolve_outlet
from pipeline.model import Article, Document, Reason, Signals, StageError
from schemas.text import word_count

_SPACE = re.compile(r"\s+")
_MARKUP = re.compile(r"(?:\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`|^#+\s*)")


def clean_line(text: str | None) -> str | None:
    """A one-line field: markup and control characters removed, whitespace collapsed."""
    if not text:
        return None
    if not text.isprintable():      # printable: no character of a category C (nothing to drop)
        text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\t\n")
    text = _SPACE.sub(" ", _MARKUP.sub("", text)).strip()
    return text or None


def _tags(signals: Signals, sidecar: dict) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for tag in list(sidecar.get("tags") or []) + list(signals.tags):
        tag = clean_line(tag)
        if tag and tag.casefold() not in seen:
            seen[tag.casefold()] = tag
    return tuple(seen.values())


def describe(doc: Document) -> Article:
    """Turn a cleaned Document into an Article row; the sidecar overrides what the page says."""
    source = doc.raw.source
    sidecar = source.sidecar or {}
    body = doc.body.strip()
    if not body:
        raise StageError(Reason.NO_ARTICLE, "no article text left after cleaning")
    signals = doc.signals
    url = clean_line(sidecar.get("url")) or clean_line(signals.url)
    dates = resolve_dates(signals, sidecar)
    published, updated, date_source = dates.published, dates.updated, dates.date_source
    if published is None and url:
        published = date_from_url(url)
        date_source = "url" if published else date_source
    outlet = resolve_outlet(doc, url=url, hint=sidecar.get("outlet"))
    site_name = clean_line(signals.site_name)
    if outlet is None and site_name and len(site_name) <= 80:
        # a site that names itself but is not in the registry: its own name beats nothing
        host = _host(url) if url else None
        outlet = OutletMatch(site_name, host, None, "site_name_unregistered")
    if updated is not None and published is not None and updated <= published:
        updated = None  # the column means "updated later"; same-day metadata adds nothing
    authors = tuple(sidecar["authors"]) if sidecar.get("authors") else normalise_authors(signals.authors)
    language = detect_language(body, hint=sidecar.get("language") or signals.language)
    warnings = (source.sidecar_error,) if source.sidecar_error else ()
    return Article(
        article_id=source.sha256[:16],
        source_path=source.rel_path,
        source_format=doc.raw.format,
        content_sha256=source.sha256,
        url=url,
        outlet=outlet.name if outlet else None,
        outlet_domain=outlet.domain if outlet else None,
        outlet_country=outlet.country if outlet else None,
        outlet_signal=outlet.signal if outlet else None,
        title=clean_line(sidecar.get("title")) or clean_line(signals.title),
        subtitle=clean_line(signals.subtitle),
        authors=authors,
        published_date=published,
        updated_date=updated,
        date_source=date_source if published else None,
        language=language,
        tags=_tags(signals, sidecar),
        body=body,
        word_count=word_count(body),
        paragraph_count=body.count("\n\n") + 1,
        warnings=warnings,
    )
