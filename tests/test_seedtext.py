"""Seed structure: headlines, datelines, bylines, subheadings and sentences."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gloss.errors import GlossError
from gloss.seedtext import headline_from_sentence, parse_seed, read_seed, split_sentences, summary_of


def test_long_first_line_gives_headline_from_first_clause_and_stays_in_body():
    text = ("The Taliban say they now have full control over Panjshir, the last pocket of territory north "
            "of Kabul still outside their rule, but resistance forces have vowed to fight.\nSecond line.\n")
    doc = parse_seed(text)
    assert doc.title == "The Taliban say they now have full control over Panjshir"
    assert doc.blocks[0].text.startswith("The Taliban say")


def test_headline_is_never_cut_mid_word():
    sentence = " ".join(["word"] * 10 + ["unbroken"] * 10)
    title = headline_from_sentence(sentence)
    assert all(w in ("word", "unbroken", "unbroken…") for w in title.split())


def test_all_caps_section_headline_becomes_title_and_tag():
    doc = parse_seed("SOCCER - SHEARER NAMED AS ENGLAND CAPTAIN.\nLONDON 1996-08-30\nAlan Shearer was named.\n")
    assert doc.title == "Shearer Named as England Captain"
    assert doc.tags == ["soccer"]
    assert doc.dateline == "LONDON"
    assert doc.date == dt.date(1996, 8, 30)
    assert [b.text for b in doc.blocks] == ["Alan Shearer was named."]


def test_reuters_dateline_prefix_leaves_the_body():
    text = "Taliban take the valley\nKABUL, Sept 6 (Reuters) - The Taliban said on Monday they held it.\n"
    doc = parse_seed(text)
    assert doc.dateline == "KABUL"
    assert doc.date is None  # no year in the dateline: a guessed one would be invented
    assert doc.blocks[0].text == "The Taliban said on Monday they held it."
    assert text[doc.blocks[0].start:].startswith(doc.blocks[0].text)


def test_byline_becomes_author():
    doc = parse_seed("Storm hits the coast\nBy Jane Smith\nThe storm came at night.\n")
    assert doc.author == "Jane Smith"
    assert [b.text for b in doc.blocks] == ["The storm came at night."]


def test_short_line_without_end_punctuation_is_a_subheading():
    doc = parse_seed("A long first sentence that ends like a sentence does.\nResistance vows to continue fighting\n"
                     "They said so.\n")
    assert [b.kind for b in doc.blocks] == ["paragraph", "heading", "paragraph"]


def test_sentences_split_after_closing_quotes_but_not_after_abbreviations():
    text = 'Mr. Smith went to Washington. "It is done." The U.S. agreed with J. Doe.'
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert sentences == ["Mr. Smith went to Washington.", '"It is done."', "The U.S. agreed with J. Doe."]


def test_summary_takes_whole_sentences():
    summary = summary_of(["First sentence is here. Second one follows it. Third."], target=30)
    assert summary == "First sentence is here. Second one follows it."


@pytest.mark.parametrize("data, message", [(b"", "empty"), (b"  \n", "only whitespace"), (b"\x00\x01", "binary"),
                                           (b"caf\x81", "not UTF-8, Latin-1 or Windows-1252")])
def test_bad_seed_is_refused(tmp_path: Path, data: bytes, message: str):
    seed = tmp_path / "bad.txt"
    seed.write_bytes(data)
    with pytest.raises(GlossError, match=message):
        read_seed(seed, "seeds/bad.txt")


def test_dateline_with_region_and_byline_before_it():
    doc = parse_seed("GOLF - HENKE TAKES LEAD.\nLarry Fine MILWAUKEE, Wisconsin 1996-08-29\nNolan Henke fired a 62.\n")
    assert (doc.author, doc.dateline, doc.region, doc.date) == ("Larry Fine", "MILWAUKEE", "Wisconsin",
                                                                 dt.date(1996, 8, 29))
    assert [b.text for b in doc.blocks] == ["Nolan Henke fired a 62."]


def test_name_alone_above_the_dateline_is_the_author():
    doc = parse_seed("Top Belarus politician blasts president.\nLarisa Sayenko\nMINSK 1996-08-30\n"
                     "A senior official spoke.\n")
    assert (doc.author, doc.dateline) == ("Larisa Sayenko", "MINSK")
    assert doc.title == "Top Belarus politician blasts president"


def test_caps_headline_keeps_acronyms_and_irish_names_readable():
    doc = parse_seed("NFL AMERICAN FOOTBALL-O'BRIEN RETIRES.\nBody text here.\n")
    assert doc.title == "NFL American Football-O'Brien Retires"


def test_markdown_seed_headings_give_title_and_subheadings():
    doc = parse_seed("# Storm hits\n\nThe storm came.\n\n## Aftermath\n\nIt left. #1 fan.\n", markdown=True)
    assert doc.title == "Storm hits"
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("paragraph", "The storm came."), ("heading", "Aftermath"), ("paragraph", "It left. #1 fan.")]


def test_date_alone_on_the_line_under_the_place_completes_the_dateline():
    doc = parse_seed("Seat maker shares rise on merger.\nFARMINGTON HILLS, Mich.\n1996-08-30\nShares rose.\n")
    assert (doc.title, doc.dateline, doc.region, doc.date) == (
        "Seat maker shares rise on merger", "FARMINGTON HILLS", "Mich.", dt.date(1996, 8, 30))
    assert [b.text for b in doc.blocks] == ["Shares rose."]


def test_a_line_in_capitals_without_a_date_under_it_stays_in_the_body():
    doc = parse_seed("Markets close\nSome first sentence here.\nSTOCKS SINK AS RATES JUMP\nThe Dow fell.\n")
    assert doc.dateline == "" and doc.wire_tags == []
    assert [b.kind for b in doc.blocks] == ["paragraph", "heading", "paragraph"]


def test_agency_dateline_without_a_date_leaves_the_first_sentence():
    doc = parse_seed("Taliban take the valley\nKABUL (Reuters) - The Taliban said they held it.\n")
    assert (doc.dateline, doc.date) == ("KABUL", None)
    assert [b.text for b in doc.blocks] == ["The Taliban said they held it."]


def test_name_with_inner_capital_above_the_dateline_is_the_author():
    doc = parse_seed("Mexican avocados not expected in U.S.\nMaggie McNeil\nWASHINGTON 1996-08-30\nThey said so.\n")
    assert (doc.title, doc.author, doc.dateline) == ("Mexican avocados not expected in U.S", "Maggie McNeil",
                                                     "WASHINGTON")


def test_service_tag_that_lost_its_bracket_is_taken_only_under_a_dateline():
    doc = parse_seed("Motel explodes.\nROCHESTER, N.H. 1996-08-30\nAdds deaths, other details)\nTwo died.\n")
    assert doc.wire_tags == ["Adds deaths, other details)"]
    assert [b.text for b in doc.blocks] == ["Two died."]
    plain = parse_seed("Motel explodes.\nAdds deaths, other details)\nTwo died.\n")
    assert plain.wire_tags == []


def test_desk_sign_off_and_copyright_leave_the_end_but_a_currency_note_stays():
    doc = parse_seed("Thieves hire a truck.\nLAGOS 1996-08-30\nThey paid a corporal.\n($1=80 naira)\n"
                     "-- Lagos Newsroom +234 1 266 0000\n(c) Reuters Limited 1996\n")
    assert doc.desk == ["-- Lagos Newsroom +234 1 266 0000", "(c) Reuters Limited 1996"]
    assert [b.text for b in doc.blocks] == ["They paid a corporal.", "($1=80 naira)"]


def test_text_without_wire_blanks_what_left_the_body_and_keeps_every_offset():
    text = "Storm hits.\nBy Jane Smith\nLONDON 1996-08-30\nThe storm came.\n-- London Newsroom +44 171 542 8062\n"
    doc = parse_seed(text)
    blanked = doc.without_wire()
    assert len(blanked) == len(text) and blanked.count("\n") == text.count("\n")
    assert "Jane" not in blanked and "LONDON" not in blanked and "Newsroom" not in blanked
    assert "Storm hits." in blanked and "The storm came." in blanked


def test_a_last_line_opened_by_a_dash_without_a_phone_number_is_dialogue_not_the_desk():
    doc = parse_seed("Night talk\nMOSCOW 1996-08-30\nThey met at night.\n— Yes, he said, we will go.\n")
    assert doc.desk == []
    assert [b.text for b in doc.blocks] == ["They met at night.", "— Yes, he said, we will go."]
