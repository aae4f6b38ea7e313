"""Quotes stage rules on small inline sentences, one rule per test, plus properties over any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.quotes import extract_quotes, lexicon_files
from pipeline.quotes.marks import find_spans
from pipeline.quotes.score import article, same_speaker
from pipeline.quotes.speakers import speaker_id


def quotes(body: str):
    qs = extract_quotes(article("t", body))
    for q in qs:
        assert body[q.start_char:q.end_char] == q.quote_text
    return qs


def one(body: str, text_start: str):
    found = [q for q in quotes(body) if q.quote_text.startswith(text_start)]
    assert found, f"no quote starting {text_start!r} in {[q.quote_text for q in quotes(body)]}"
    return found[0]


def test_lexicons_exist():
    names = {p.name for p in lexicon_files()}
    assert "quote_cues.txt" in names and "quote_first_names.txt" in names


def test_direct_quote_with_cue_after():
    q = one("“Either we act now or we fail,” she said. The talks ended.", "Either")
    assert q.quote_type == "direct" and q.cue == "said" and q.speaker_mention == "she"
    assert q.quote_text == "Either we act now or we fail"  # the trailing comma is not quoted speech


def test_cue_before_with_colon():
    q = one('Pentagon press secretary George Little commented: "We are drawing attention to the fact."', "We are")
    assert q.quote_type == "direct" and q.speaker == "George Little" and q.speaker_role == "Pentagon press secretary"


def test_inverted_cue_and_short_form():
    body = ("John Tkacik, a former State Department specialist, spoke first.\n\n"
            '"China took the purge with equanimity," said Tkacik.')
    q = one(body, "China took")
    assert q.speaker == "John Tkacik" and q.speaker_mention == "Tkacik" and q.speaker_kind == "person"


def test_honorific_short_form_resolves_to_full_name():
    body = ("The under secretary, Michele Flournoy, met the generals.\n\n"
            "Ms Flournoy said there would be serious consequences if the tests went on.")
    q = one(body, "there would be")
    assert q.quote_type == "indirect" and q.speaker == "Michele Flournoy"


def test_pronoun_takes_the_earlier_person():
    body = ("The director, Major-General Yang Hui, referred to the “close co-operation” with the US.\n\n"
            "Speaking later, he said: “The North is in an ‘inferior position’ to the South.”")
    q = one(body, "The North")
    assert q.speaker == "Yang Hui" and q.speaker_mention == "he"
    assert "‘inferior position’" in q.quote_text  # the nested quote stays inside


def test_pronoun_respects_gender_of_first_name():
    body = ("Sonya Zoghlin, the lawyer, spoke to reporters. Patrick Smith, the defendant, was silent.\n\n"
            '"I am sorry," he said later.')
    assert one(body, "I am sorry").speaker == "Patrick Smith"


def test_according_to_document():
    body = "North Korea is resentful of China, according to the draft report. Officials declined to comment."
    q = one(body, "North Korea")
    assert q.quote_type == "indirect" and q.speaker_kind == "document" and q.cue == "according to"


def test_follow_on_quote_inherits_speaker():
    body = ('Disney executive Kevin Mayer spoke on Tuesday.\n\n"We had issues," Mayer said.\n\n'
            '"We want to serve consumers the way they wish to be served."')
    qs = quotes(body)
    assert [q.speaker for q in qs] == ["Kevin Mayer", "Kevin Mayer"]
    assert qs[1].cue is None and qs[1].quote_type == "direct"


def test_multi_paragraph_quote():
    body = ('“You’ve beaten good teams,” Boudreau said. “You’ve been in every game.\n\n'
            '“I said the same thing in Washington.”\n\nThe Sabres lost.')
    texts = [q.quote_text for q in quotes(body)]
    assert "I said the same thing in Washington." in texts
    assert all("Sabres" not in t for t in texts)


def test_scare_quotes_and_titles_are_not_quotes():
    body = ('Missiles are not aimed at so-called “rogue states” such as Iran. Far from being “defensive”, '
            'the system allows a “first strike”. A comment titled "China should abandon North Korea" appeared.')
    assert quotes(body) == []


def test_attributive_phrase_next_to_a_cue_is_not_a_quote():
    assert quotes('Officials said a "skinny" trade deal was near.') == []


def test_partial_quote_in_reported_speech():
    q = one("Hong Lei warned on Monday that “missile defence will intensify antagonism”.", "missile")
    assert q.quote_type == "partial" and q.speaker == "Hong Lei"


def test_mismatched_marks_single_open_double_close():
    body = "'Sino-North Korean relations are at their lowest point in decades,\" says the draft report."
    q = one(body, "Sino-North")
    assert q.quote_type == "direct" and q.speaker_kind == "document"


def test_apostrophes_are_not_marks():
    spans = find_spans("Korea’s leaders don't say 'no' to China's offer.")
    assert len(spans) == 1


def test_stray_mark_does_not_swallow_the_article():
    body = 'He said "this never closes.\n\nThe next paragraph has "a quote," she said.'
    texts = [q.quote_text for q in quotes(body)]
    assert "a quote" in texts and all("next paragraph" not in t for t in texts)


def test_guillemets_and_latex_marks():
    assert one("«Nous restons ici», a dit le maire, said the mayor.", "Nous").quote_type == "direct"
    assert one("``We will win,'' the coach said.", "We will win").speaker_mention == "the coach"


def test_unnamed_nominal_speaker():
    q = one('A Chinese official whose name was removed said Beijing believed the North had "gone too far".', "gone")
    assert q.speaker is None and q.speaker_kind == "unnamed"


def test_ids_are_deterministic_and_speaker_id_folds_names():
    body = '"We will see," Chun Yung-woo said.'
    assert [q.quote_id for q in quotes(body)] == [q.quote_id for q in quotes(body)]
    assert speaker_id("Chun Yung-woo") == speaker_id("Chun Yung-Woo") == speaker_id("chun yung woo")
    assert speaker_id("José Núñez") == speaker_id("Jose Nunez")


def test_same_speaker_rule():
    assert same_speaker("John Tkacik", "Tkacik") and same_speaker(None, None)
    assert not same_speaker("John Tkacik", None) and not same_speaker("Hong Lei", "Yang Hui")


MARKS = st.sampled_from(list("“”‘’\"'«»`") + ["``", "''", "\n\n", " said ", " he said. ", ", according to ", ": "])
TEXT = st.lists(st.one_of(MARKS, st.text(min_size=0, max_size=12)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_never_raises_and_offsets_hold(body):
    first = extract_quotes(article("p", body))
    for q in first:
        assert 0 <= q.start_char < q.end_char <= len(body)
        assert body[q.start_char:q.end_char] == q.quote_text
        assert q.quote_type in ("direct", "partial", "indirect")
        assert q.speaker_kind in ("person", "organisation", "document", "unnamed", "unknown")
        assert 0 <= q.confidence <= 1
    assert len({q.quote_id for q in first}) == len(first)
    assert first == extract_quotes(article("p", body))          # deterministic
