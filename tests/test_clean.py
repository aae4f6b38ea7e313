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


def _clean_html(*blocks: Block) -> Document:
    raw = RawDocument(Source(Path("/x.html"), "x.html", 1, "0"), "", "html", "utf-8")
    return clean(Document(raw=raw, blocks=blocks))


def test_html_embedded_post_ending_in_its_link_is_not_a_caption() -> None:
    tweet = "Nobody will take the slogan away from the county, so rest easy. https://t.co/AbCdEfGh"
    pic = "We should not forget last year's campaign either.https://t.co/x1 pic.twitter.com/ZzYyXw"
    doc = _clean_html(Block("quote", tweet), Block("paragraph", PROSE), Block("quote", pic))
    assert [b.text for b in doc.blocks] == [tweet, PROSE, pic]
    # a real credit with a slash still goes
    assert _clean_html(Block("paragraph", "Fans wait outside the stadium J.Smith/AP")).blocks == ()


def test_html_table_rows_are_not_a_menu() -> None:
    table = ("Ticker | Company | Last | Change\nABC | ABC WIDGETS INC. | 21.50 | -1.20\n"
             "XYZ | XYZ HOLDINGS | 9.75 | 0.10")
    doc = _clean_html(Block("paragraph", PROSE), Block("table", table))
    assert [b.kind for b in doc.blocks] == ["paragraph", "table"]
    # the same pipes in a one-line paragraph are a flattened menu
    assert _reasons(_clean_html(Block("paragraph", "News | Sport | Weather | Travel"))) == {
        "News | Sport | Weather | Travel": "navigation"}


def test_long_paragraph_ending_in_bracketed_acronym_is_not_a_caption() -> None:
    para = " ".join([PROSE] * 3) + " The topic is the electronic patient record (ePA)"
    short = "Das Thema wird diskutiert: die elektronische Patientenakte (ePA)"
    doc = _clean_html(Block("paragraph", para), Block("paragraph", short))
    assert [b.text for b in doc.blocks] == [para, short]
    # an upper-case agency credit in brackets is still a caption, and so is a credit line
    doc = _clean_html(Block("paragraph", "Rescue workers search the rubble (AP Photo/Jane Roe)"),
                      Block("paragraph", "Main image credit: Getty"), Block("paragraph", "© Reuters"))
    assert doc.blocks == ()


def test_signing_up_for_a_product_is_not_a_newsletter_box() -> None:
    deal = "Sign up for the streaming bundle using the same email as your existing account"
    doc = _clean_html(Block("list_item", deal), Block("paragraph", "Sign up for the newsletter Daily Brief"),
                      Block("paragraph", "Subscribe to our newsletter."))
    assert [b.text for b in doc.blocks] == [deal]


PROSE2 = ("Officials said the new rules would take effect next spring, after a public consultation "
          "that drew more than four thousand written responses from residents.")
MENU = ["Home", "World", "Sport", "Business", "Culture", "Travel"]


def test_items_announced_by_a_colon_stay_with_the_article() -> None:
    rows = [f"{n}) Board game number {n} in the sale" for n in range(1, 13)]
    page = "\n".join([*MENU, "Offers for the holiday", PROSE, PROSE2,
                      "Here are the offers not to miss this year:", *rows, "Leave a comment", *MENU])
    body = _clean(page).body
    assert all(row in body for row in rows)
    assert "Leave a comment" not in body and "Travel" not in body


def test_embedded_post_signoff_keeps_the_article_going() -> None:
    page = "\n".join([*MENU, "Senate adjourns", PROSE, "See the posts:",
                      "The chamber observes a minute of silence today.",
                      "— The Senate (@TheSenate) October 9, 2018", PROSE2,
                      "— The Senate (@TheSenate) October 9, 2018", *MENU])
    body = _clean(page).body
    assert PROSE2 in body and body.count("(@TheSenate)") == 2


def test_headlines_under_a_related_heading_are_teasers() -> None:
    page = "\n".join([*MENU, "A headline", PROSE, "Related articles",
                      "Protesters send a warning to the capital", "Students under siege at a campus",
                      PROSE2, PROSE])
    doc = _clean(page)
    assert _reasons(doc)["Students under siege at a campus"] == "teaser"
    assert PROSE2 in doc.body


def test_author_bio_and_author_box_end_the_article() -> None:
    teaser = ("Dozens of fires are spreading across the region, burning more than two million acres "
              "and putting wildlife at risk, officials said.")
    for closing in (["Jane Doe is a freelance writer living in Minneapolis"],
                    ["Sobre Carlos Nadal", "Pai de dois filhos, Carlos Nadal escreve sobre educação e "
                     "alfabetização há mais de dez anos no blog."]):
        page = "\n".join([*MENU, "A headline", PROSE, PROSE2, PROSE, *closing, "A NATIONAL TRAGEDY",
                          teaser, *MENU])
        body = _clean(page).body
        assert PROSE2 in body and teaser not in body and closing[-1] not in body


def test_standfirst_before_the_byline_is_not_body() -> None:
    dek = ("The government has sent troops to restore order after months of protests, "
           "warnings from officials suggest.")
    page = "\n".join([*MENU, "Troops sent to the city", dek, "By Jane Doe",
                      "PUBLISHED: 10:48, Tue, Nov 19, 2019", PROSE, PROSE2, *MENU])
    doc = _clean(page)
    assert doc.body.split("\n\n") == [PROSE, PROSE2]
    assert doc.signals.title == "Troops sent to the city"


def test_date_in_byline_and_dated_head_line_become_signals() -> None:
    page = "\n".join([*MENU, "Review: a game that shoots for the moon",
                      "By Sam Saed, Wednesday, 20 November 2019 08:05 GMT", PROSE, PROSE2])
    sig = _clean(page).signals
    assert sig.authors == ("Sam Saed",)
    assert ("Wednesday, 20 November 2019", "byline_date") in sig.published
    page = "\n".join([*MENU, "Attorney General investigating the company",
                      "Reuters November 18, 2019 11:03 PM", PROSE, PROSE2])
    sig = _clean(page).signals
    assert sig.title == "Attorney General investigating the company"
    assert ("November 18, 2019", "byline_date") in sig.published
    sig = _clean("\n".join(["A headline here", "By Jo Roe Updated Nov 13, 2019, 10:28am EST",
                            PROSE, PROSE2])).signals
    assert sig.authors == ("Jo Roe",) and ("Nov 13, 2019", "label_updated") in sig.updated


def test_headline_is_scored_not_taken_from_the_line_above_the_region() -> None:
    # The headline stands above a gallery counter and share links, a sidebar headline sits nearer
    # the article, and the page's top line repeats the headline with the site's name.
    head = "Council approves the harbour budget after long debate"
    page = "\n".join([f"{head} - The Daily Planet", *MENU, head, "By Jane Doe", "March 3, 2021",
                      "1 / 23", "Share permalink", "Learn More", "Most read",
                      "Mayor opens new library wing", PROSE, PROSE2, *MENU])
    doc = _clean(page)
    assert doc.signals.title == head
    assert doc.body.split("\n\n") == [PROSE, PROSE2]


def test_standfirst_and_dateline_are_not_the_headline() -> None:
    dek = "Officials expect the new rules to cut waiting times by half."
    page = "\n".join([*MENU, "Troops sent to the city", dek, "Monday 5:30PM", PROSE, PROSE2])
    sig = _clean(page).signals
    assert sig.title == "Troops sent to the city" and sig.subtitle == dek


# The cleaner's shortcuts give what the plain forms give (output byte for byte as before them).
_LINES = [PROSE, "Home > World > Asia", "home » news", "Startseite › Politik › Inland", "Advertisement",
          "Share this article", "Photo: Jane Doe / AP", "By Jane Doe | Updated Nov. 18, 2019",
          "Tags: budget, council", "Read more: the council's plan", "12 comments", "About the author",
          "About Jane Doe", "Leave a Reply", "© 2019 The Daily Planet. All rights reserved.", "We use cookies.",
          "Published under: Politics", "(AP Photo/Jane Doe)", "ConnectWiseHP TonerRSA ÀbcDéf", "“Quoted.”",
          "Ends with a bracket.)", "İstanbul ſtreet ΣΑΣ", "", "a", "…", "Follow us on Twitter"]


def test_one_scan_gives_the_candidates_of_each_list():
    from pipeline.clean import _rules
    from pipeline.prefilter import fold

    r = _rules()
    for text in _LINES + [PROSE + " " + t for t in _LINES]:
        low = fold(text)
        for group in ("group", "group_long", "group_phrases"):
            for name, items in r[group].lists(low).items():
                assert items == r[group].guards[name].candidates(low), (group, name, text)
                assert items == r[group].candidates(name, r[group].scan(low)), (group, name, text)


def test_shortcut_forms_agree_with_the_plain_ones():
    from pipeline.clean import (_JAMMED, _JAMMED_CAPITAL, _TERMINAL, _breadcrumb, _norm, _rules,
                                _terminal, _nwords, _BREADCRUMB)

    ends = _rules()["end"]
    for text in _LINES + [t + tail for t in _LINES for tail in ("", ".”", ")]", " !’", "'")]:
        bare = text.strip(" []()<>{}|·•-–—")
        assert bool(_rules()["end_any"].match(bare)) == any(p.match(bare) for p in ends), text
        assert _terminal(text) == bool(_TERMINAL.search(text)), text
        assert len(_JAMMED_CAPITAL.findall(text)) == len(_JAMMED.findall(text)), text
        assert _nwords(_norm(text)) == len(text.split()), text
        parts = _BREADCRUMB.split(text)
        plain = parts[1:-1] if len(parts) >= 3 and parts[0].lower() in (
            "home", "start", "startseite", "accueil", "inicio", "início", "home page", "homepage", "главная") else None
        assert _breadcrumb(text) == plain, text
