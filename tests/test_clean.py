"""Unit tests of the boilerplate classifier and paragraph repair on small inline pages."""

from __future__ import annotations

from pathlib import Path

from pipeline.clean import clean, lexicon_files
from pipeline.model import Block, Document, RawDocument, Source
from pipeline.parse.text import parse_text

PROSE = ("The committee met on Tuesday to discuss the budget, and members agreed that the "
         "plan needed more work before it could be presented to the full council.")


def _clean(text: str, fmt: str = "txt") -> Document:
    raw = RawDocument(Source(Path("/x"), "x", len(text), "0"), text, fmt, "utf-8")
    return clean(parse_text(raw))


def _reasons(doc: Document) -> dict[str, str]:
    return {b.text: r for b, r in doc.dropped}


def test_lexicon_files_exist_and_are_data() -> None:
    files = lexicon_files()
    assert files and all(f.exists() and f.name.startswith("boilerplate_") for f in files)


def test_menu_outside_main_region_is_dropped() -> None:
    page = "\n".join(["Home", "World", "Sport", "Business", "A headline about the budget",
                      PROSE, PROSE.replace("Tuesday", "Monday"), "About us", "Careers", "Jobs"])
    doc = _clean(page)
    assert doc.body.split("\n\n") == [PROSE, PROSE.replace("Tuesday", "Monday")]
    reasons = _reasons(doc)
    assert reasons["Jobs"] == "outside_main_region"
    assert reasons["Careers"] == "footer"
    assert doc.signals.title == "A headline about the budget"


def test_labels_become_signals() -> None:
    page = "\n".join(["Budget talks stall again", "By Jane Doe and John Roe",
                      "Published: March 3, 2021", "Updated: March 4, 2021", PROSE,
                      "Tags: Budget, Council"])
    doc = _clean(page)
    assert doc.signals.authors == ("Jane Doe and John Roe",)
    assert ("March 3, 2021", "label_published") in doc.signals.published
    assert ("March 4, 2021", "label_updated") in doc.signals.updated
    assert doc.signals.tags == ("Budget", "Council")
    assert doc.body == PROSE


def test_teasers_share_and_wordpress_footer() -> None:
    page = "\n".join([PROSE, "Read more", "Share this article", "Facebook", "Twitter", PROSE,
                      "%d bloggers like this:"])
    reasons = _reasons(_clean(page))
    assert reasons["Read more"] == "teaser"
    assert reasons["Facebook"] == "share"
    assert reasons["%d bloggers like this:"] == "footer"


def test_breadcrumb_categories_become_tags() -> None:
    doc = _clean("Home > Politics, Budget > Budget talks stall\n\nBudget talks stall\n\n" + PROSE)
    assert doc.signals.tags == ("Politics", "Budget")
    assert _reasons(doc)["Home > Politics, Budget > Budget talks stall"] == "breadcrumb"


def test_caption_with_credit_and_its_repeat() -> None:
    cap = "Council members arrive for the budget meeting in the city hall"
    doc = _clean("\n".join(["Budget talks stall", cap, cap + " / AP", PROSE]))
    reasons = _reasons(doc)
    assert reasons[cap] == reasons[cap + " / AP"] == "caption"


def test_sentence_split_mid_way_is_joined() -> None:
    doc = _clean("Title of the story here\n\n" + PROSE + "\n\nThe mayor met with the senior officials\n\n"
                 "in the city on Monday. " + PROSE, "md")
    assert "The mayor met with the senior officials in the city on Monday." in doc.body


def test_html_format_gets_only_block_rules() -> None:
    src = Source(Path("/x.html"), "x.html", 1, "0")
    raw = RawDocument(src, "", "html", "utf-8")
    blocks = (Block("paragraph", "Short line"), Block("paragraph", PROSE),
              Block("paragraph", "Read more"), Block("paragraph", "Published under: A , B"),
              Block("paragraph", "Another short line"))
    doc = clean(Document(raw=raw, blocks=blocks))
    assert [b.text for b in doc.blocks] == ["Short line", PROSE, "Another short line"]
    assert doc.signals.tags == ("A", "B")
    assert doc.signals.title is None


def test_empty_document() -> None:
    doc = _clean("")
    assert doc.blocks == () and doc.body == ""
