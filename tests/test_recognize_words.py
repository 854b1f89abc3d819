"""Words that are never entities by themselves (months, weekdays, ordinary nouns, nationalities) and
descriptions only from a clear apposition or title: each rule on a small text of its own."""

from __future__ import annotations

from gloss.linking import link_mentions

TYPES = ["person", "organization", "place"]


def names(text: str) -> list[str]:
    return [m.text for m in link_mentions(text, None, TYPES).mentions]


def description(text: str, entity_id: str) -> str:
    return link_mentions(text, None, TYPES).new_entities[entity_id].description


def test_may_is_a_month_at_a_sentence_start_after_in_and_before_a_date():
    text = ("May was the wettest month on record in Lisbon.\n"
            "The talks in Geneva ended in May, officials said.\n"
            "Prices have risen since May 5 and fell in the May crackdown.\n")
    assert names(text) == ["Lisbon", "Geneva"]


def test_may_as_a_surname_stays_a_name_and_the_month_beside_it_does_not():
    found = [(m.text, m.entity) for m in link_mentions(
        "Theresa May visited Paris in May.\nMay said the visit went well.\n", None, TYPES).mentions]
    assert found == [("Theresa May", "theresa-may"), ("Paris", "paris"), ("May", "theresa-may")]


def test_weekdays_and_month_ranges_are_not_entities():
    assert names("Monday-Friday trading in Tokyo was thin.\nNet profit for the January-June period rose.\n"
                 "Wednesday brought rain to Oslo.\n") == ["Tokyo", "Oslo"]


def test_ordinary_noun_starting_a_sentence_is_not_an_entity():
    assert names("Police said the seven men were held in Lagos.\nAnalysts expect a cut.\n"
                 "Traders said the dollar rose.\nGovernment officials met on Friday.\n") == ["Lagos"]


def test_ordinary_noun_before_a_title_and_a_name_is_cut_off():
    result = link_mentions("Police Commissioner John Smith said the road was closed.\n", None, TYPES)
    assert [(m.text, m.type) for m in result.mentions] == [("John Smith", "person")]
    assert result.new_entities["john-smith"].description == "Police Commissioner."


def test_portfolio_after_a_title_is_not_a_name():
    result = link_mentions("U.S. Secretary of State Warren Christopher met the Secretary of State of Peru.\n",
                           None, TYPES)
    assert [(m.text, m.type) for m in result.mentions] == [
        ("U.S.", "place"), ("Warren Christopher", "person"), ("Peru", "place")]


def test_surname_that_is_a_word_stays_a_name_when_the_full_name_is_there():
    found = names("Jeffrey Archer spoke in Leeds.\nArcher said the plan would work.\n")
    assert found == ["Jeffrey Archer", "Leeds", "Archer"]


def test_nationality_adjectives_and_plurals_are_not_entities():
    text = ("German officials met Iraqi troops near Basra.\nPalestinians and Israelis protested in Hebron.\n"
            "South Korean envoys flew to Manila.\nThree Russian soldiers died near Grozny.\n"
            "The Iraqi said Arab-Israeli talks would resume.\n")
    assert names(text) == ["Basra", "Hebron", "Manila", "Grozny"]


def test_nationality_before_a_name_is_cut_but_a_country_named_so_stays():
    found = [(m.text, m.type) for m in link_mentions(
        "German Chancellor Helmut Kohl visited the Czech Republic.\n", None, TYPES).mentions]
    assert found == [("Helmut Kohl", "person"), ("Czech Republic", "place")]


def test_description_from_an_apposition_keeps_its_article():
    text = "Ahmad Massoud, the leader of the National Resistance Front, is safe.\n"
    assert description(text, "ahmad-massoud") == "The leader of the National Resistance Front."


def test_description_from_a_title_before_the_name():
    assert description("Britain's Prime Minister John Major flew home.\n", "john-major") == \
        "Britain's Prime Minister."
    assert description("The army of Kurdish rebel leader Massoud Barzani advanced.\n", "massoud-barzani") == \
        "Kurdish rebel leader."


def test_no_description_from_words_that_only_stand_before_a_role():
    text = "Yeltsin had backed security chief Alexander Lebed.\nYeltsin visits wife Naina Yeltsina.\n"
    result = link_mentions(text, None, TYPES).new_entities
    assert result["alexander-lebed"].description == ""
    assert result["naina-yeltsina"].description == ""


def test_no_description_from_an_apposition_whose_role_word_is_in_a_clause():
    text = "Boris Yeltsin, a man whose security chief was sacked, flew home.\n"
    assert description(text, "boris-yeltsin") == ""


def test_titles_without_a_name_and_their_portfolios_are_not_entities():
    text = ("British Prime Minister John Major met Privatisation Minister Wieslaw Kaczmarek.\n"
            "The Foreign Minister said so.\n")
    assert names(text) == ["John Major", "Wieslaw Kaczmarek"]


def test_nationality_with_one_ordinary_noun_is_one_name_and_a_cut_off_head_is_none():
    assert names("Alexander Lebed met leaders of the Chechen Republic in Grozny.\n") == [
        "Alexander Lebed", "Chechen Republic", "Grozny"]
    assert "War" not in names("The treaty ended the War of Spanish Succession in Europe.\n")
