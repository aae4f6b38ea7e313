"""Unit tests of byline normalisation on inline strings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.describe.authors import normalise_authors


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # splitting
        (["Jane Doe and John Roe"], ("Jane Doe", "John Roe")),
        (["Jane Doe, John Roe and Mary Major"], ("Jane Doe", "John Roe", "Mary Major")),
        (["Jane Doe; John Roe"], ("Jane Doe", "John Roe")),
        (["Jane Doe & John Roe"], ("Jane Doe", "John Roe")),
        (["By Stefan Becket, Kathryn Watson, Grace Segers"], ("Stefan Becket", "Kathryn Watson", "Grace Segers")),
        # labels
        (["By Jane Doe"], ("Jane Doe",)),
        (["by jane doe"], ("Jane Doe",)),
        (["Text by Jane Doe"], ("Jane Doe",)),
        (["Written by Jane Doe"], ("Jane Doe",)),
        (["Author: Jane Doe"], ("Jane Doe",)),
        (["Words by Jane Doe"], ("Jane Doe",)),
        (["BY: JANE DOE"], ("Jane Doe",)),
        (["Posted on March 30, 2015 by Jane Doe"], ("Jane Doe",)),
        (["Текст Венера Ерофеева"], ("Венера Ерофеева",)),
        (["Reporting by Jane Doe; Editing by John Roe"], ("Jane Doe",)),
        (["Jane Doe, photos by John Roe"], ("Jane Doe",)),
        # roles, outlets, places, bios
        (["Jane Doe, Reuters"], ("Jane Doe",)),
        (["Jane Doe | Reuters"], ("Jane Doe",)),
        (["Jane Doe, Staff Writer"], ("Jane Doe",)),
        (["Jane Doe in Beijing"], ("Jane Doe",)),
        (["Jane Doe, in Beijing"], ("Jane Doe",)),
        (["Jane Doe for The Guardian"], ("Jane Doe",)),
        (["Phil Helsel is a reporter for NBC News"], ("Phil Helsel",)),
        (["Tom Krisher; Ap Auto Writer"], ("Tom Krisher",)),
        (["Victor Tangermann; Futurism"], ("Victor Tangermann",)),
        (["By Amy Kuperinsky | NJ Advance Media for NJ.com"], ("Amy Kuperinsky",)),
        (["Amy Kuperinsky; NJ Advance Media"], ("Amy Kuperinsky",)),
        (["By Bill Hoppe | Special to the Pioneer Press"], ("Bill Hoppe",)),
        (["By Tim Childers - Live Science Contributor 2019-11-19T12:48:14Z Space"], ("Tim Childers",)),
        (["By Troy L. Smith, Cleveland.com"], ("Troy L. Smith",)),
        (["By Jonathan GarberFOXBusiness"], ("Jonathan Garber",)),
        (["Senior Writer Jane Doe"], ("Jane Doe",)),
        # dates, times, e-mails, handles
        (["By Chaim Gartenberg@cgartenberg Nov 19, 2019, 7:53pm EST"], ("Chaim Gartenberg",)),
        (["By Jason Cipriani | November 18, 2019 -- 19:14 GMT | Topic: Hardware"], ("Jason Cipriani",)),
        (["By Joseph Tsidulko November 19, 2019, 07:47 PM EST"], ("Joseph Tsidulko",)),
        (["By Justine Coleman - 11/18/19 11:04 PM EST"], ("Justine Coleman",)),
        (["By Kashmira Gander On 11/13/19 at 4:00 PM EST"], ("Kashmira Gander",)),
        (["By Umair Irfan Updated Nov 13, 2019, 10:28am EST"], ("Umair Irfan",)),
        (["By Sherif Saed, Wednesday, 20 November 2019 08:05 GMT"], ("Sherif Saed",)),
        (["by Regan December 6, 2017"], ("Regan",)),
        (["Mike Wuerthele; Malcolm Owen Monday; November"], ("Mike Wuerthele", "Malcolm Owen")),
        (["jane.doe@example.com Jane Doe"], ("Jane Doe",)),
        (["Jane Doe (@janedoe)"], ("Jane Doe",)),
        (["Jane Doe https://example.com/jane"], ("Jane Doe",)),
        # case
        (["PETER SYMONDS"], ("Peter Symonds",)),
        (["RONALD MCDONALD"], ("Ronald McDonald",)),
        (["SEAN O'BRIEN"], ("Sean O'Brien",)),
        (["MARIA DE LA CRUZ"], ("Maria de la Cruz",)),
        (["Maria de la Cruz"], ("Maria de la Cruz",)),
        (["Ronald McDonald"], ("Ronald McDonald",)),
        (["Bryan DeArdo"], ("Bryan DeArdo",)),
        (["Jean-Paul Sartre"], ("Jean-Paul Sartre",)),
        # agencies and newsrooms are the byline when alone
        (["Text by News Wires"], ("News Wires",)),
        (["AFP"], ("AFP",)),
        (["REUTERS"], ("Reuters",)),
        (["By The Associated Press"], ("The Associated Press",)),
        (["Staff and agencies"], ("Staff and agencies",)),
        (["Detroit News wire services Published"], ("Detroit News wire services",)),
        (["News Nation Bureau"], ("News Nation Bureau",)),
        (["Regan"], ("Regan",)),
        # dedupe, preserving order and keeping the fullest spelling
        (["Jane Doe", "JANE DOE", "John Roe", "jane doe"], ("Jane Doe", "John Roe")),
        (["Troy Smith; Troy L Smith; Cleveland com"], ("Troy L Smith",)),
        # not names
        (["Admin"], ()),
        (["By admin - 2018-09-16"], ()),
        (["This is a sentence that is clearly not a name at all"], ()),
        (["One Two Three Four Five Six Seven"], ()),
        (["Agent 007"], ()),
        (["by India Post News Weekly 0 Comments"], ()),
        (["The Russian; Syrian defense ministries"], ()),
        (["November"], ()),
        ([""], ()),
        ([], ()),
    ],
)
def test_normalise_authors(raw, expected):
    assert normalise_authors(raw) == expected


def test_a_bare_string_is_one_byline():
    assert normalise_authors("By Jane Doe and John Roe") == ("Jane Doe", "John Roe")


def test_seed_004_byline():
    assert normalise_authors(["Peter Symonds"]) == ("Peter Symonds",)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=4))
def test_never_raises_and_outputs_are_clean(raw):
    out = normalise_authors(raw)
    assert len(out) == len({name.casefold() for name in out})
    for name in out:
        assert name == name.strip() and name
        assert not any(ch.isdigit() for ch in name)
        assert len(name.split()) <= 6
