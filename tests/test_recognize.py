"""Entity recognition and linking within one text, on small texts of their own."""

from __future__ import annotations

from pathlib import Path

from gloss.content import Entity, EntityRegistry
from gloss.linking import link_mentions

TYPES = ["person", "organization", "place"]
SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_22fdcdff3e63ad71.txt"


def links(text: str, registry: EntityRegistry | None = None) -> list[tuple[str, str, str]]:
    return [(m.text, m.entity, m.type) for m in link_mentions(text, registry, TYPES).mentions]


def entity(entity_id: str, name: str, type_: str, aliases: list[str] | None = None) -> Entity:
    return Entity(id=entity_id, path=Path(f"content/entities/{entity_id}.md"), name=name, type=type_,
                  aliases=aliases or [])


def test_short_form_links_to_nearest_full_name():
    text = ("The son of the fighter Ahmad Shah Massoud vowed to fight.\n"
            "Ahmad Massoud, the leader of the front, is safe.\n"
            "On Sunday, Massoud said he was open to talks.\n")
    found = links(text)
    assert ("Massoud", "ahmad-massoud", "person") in found
    assert ("Massoud", "ahmad-shah-massoud", "person") not in found


def test_surname_after_full_name_links_back():
    found = links("Taliban spokesman, Zabihullah Mujahid, tweeted on Monday.\nMujahid claimed victory.\n")
    assert found.count(("Mujahid", "zabihullah-mujahid", "person")) == 1


def test_acronym_defined_in_parentheses_becomes_alias():
    result = link_mentions("Ahmad Massoud leads the National Resistance Front (NRF). The NRF said it would fight.\n",
                       None, TYPES)
    front = result.new_entities["national-resistance-front"]
    assert front.type == "organization"
    assert "NRF" in front.aliases
    assert [m.entity for m in result.mentions if m.text == "NRF"] == ["national-resistance-front"] * 2


def test_misspelt_acronym_is_linked_and_flagged():
    text = "The National Resistance Front (NRF) spoke.\nLater the NFR proposed talks.\n"
    result = link_mentions(text, None, TYPES)
    nfr = [m for m in result.mentions if m.text == "NFR"]
    assert nfr and nfr[0].entity == "national-resistance-front"
    assert "misspelling" in nfr[0].review
    assert "NFR" not in result.new_entities["national-resistance-front"].aliases


def test_possessive_links_name_without_s():
    found = links("The Taliban’s deputy leader spoke.\nIran's government agreed with the Taliban.\n")
    assert ("Taliban", "taliban", "organization") in found
    assert ("Iran", "iran", "place") in found


def test_valley_and_province_variants_link_to_the_place():
    found = links("Fighters held Panjshir for years.\nPanjshir province fell.\nThey fought across Panjshir Valley.\n")
    assert {e for _, e, _ in found} == {"panjshir"}
    assert ("Panjshir Valley", "panjshir", "place") in found


def test_sentence_initial_common_words_and_dates_are_not_entities():
    found = links("Media cited reports on Monday.\nFighters in Kabul held out against the Soviet army.\n"
                  "However, Afghan forces left.\nNeighboring Iran agreed.\n")
    assert {t for t, _, _ in found} == {"Kabul", "Iran"}


def test_organisation_of_a_country_keeps_the_country_linked():
    result = link_mentions("The assault is condemned, Iran's Foreign Ministry spokesman Saeed Khatibzadeh said.\n",
                       None, TYPES)
    by_text = {m.text: (m.entity, m.type) for m in result.mentions}
    assert by_text["Iran"] == ("iran", "place")
    assert by_text["Foreign Ministry"] == ("iran-s-foreign-ministry", "organization")
    assert by_text["Saeed Khatibzadeh"][1] == "person"
    assert result.new_entities["saeed-khatibzadeh"].description == "Iran's Foreign Ministry spokesman."


def test_descriptions_come_from_appositions_and_role_phrases():
    text = ("Forces led by the former vice president, Amrullah Saleh, fought on.\n"
            "Ahmad Massoud, the leader of the National Resistance Front, is safe.\n"
            "Ali Nazary spoke for the group.\n")
    new = link_mentions(text, None, TYPES).new_entities
    assert new["amrullah-saleh"].description == "Former vice president."
    assert new["ahmad-massoud"].description == "The leader of the National Resistance Front."
    assert new["ali-nazary"].description == ""


def test_registry_names_match_longest_first():
    registry = EntityRegistry([entity("national-resistance-front", "National Resistance Front", "organization",
                                      ["NRF"]),
                               entity("resistance", "Resistance", "organization")])
    found = links("The National Resistance Front said so, and the NRF agreed.\n", registry)
    assert found == [("National Resistance Front", "national-resistance-front", "organization"),
                     ("NRF", "national-resistance-front", "organization")]


def test_short_form_of_registry_entity_links_where_the_full_name_appears_and_is_not_learnt():
    registry = EntityRegistry([entity("zabihullah-mujahid", "Zabihullah Mujahid", "person")])
    result = link_mentions("Zabihullah Mujahid spoke.\nLater, Mujahid said more.\n", registry, TYPES)
    assert [m.entity for m in result.mentions] == ["zabihullah-mujahid"] * 2
    assert result.new_aliases == {}
    assert result.new_entities == {}


def test_unclear_type_is_annotated_and_marked_for_review():
    result = link_mentions("They met Zorblat yesterday near the hills.\n", None, TYPES)
    assert [m.text for m in result.mentions] == ["Zorblat"]
    assert result.new_entities["zorblat"].review
    assert "guess" in result.mentions[0].review


def test_seed_with_empty_registry_finds_what_an_editor_would():
    result = link_mentions(SEED.read_text(encoding="utf-8"), None, TYPES)
    types = {e.id: e.type for e in result.new_entities.values()}
    assert types == {
        "taliban": "organization", "panjshir": "place", "kabul": "place", "afghanistan": "place",
        "zabihullah-mujahid": "person", "mullah-abdul-ghani-baradar": "person", "amrullah-saleh": "person",
        "ahmad-shah-massoud": "person", "ahmad-massoud": "person",
        "national-resistance-front-of-afghanistan": "organization", "ali-nazary": "person",
        "tajikistan": "place", "iran": "place", "iran-s-foreign-ministry": "organization",
        "saeed-khatibzadeh": "person",
    }
    texts = {m.text for m in result.mentions}
    assert not texts & {"Media", "Monday", "Sunday", "Soviet", "Afghan", "Anti", "Resistance", "Fighters"}
    assert result.new_entities["zabihullah-mujahid"].description == "Taliban spokesman."
    assert set(result.new_entities["national-resistance-front-of-afghanistan"].aliases) == {"NRF"}


def test_misspelt_name_is_linked_to_the_known_one_and_flagged():
    result = link_mentions("Taliban spokesman Zabihullah Mujahid spoke.\nLater Zabihulah Mujahid said more.\n",
                       None, TYPES)
    second = result.mentions[-1]
    assert (second.text, second.entity) == ("Zabihulah Mujahid", "zabihullah-mujahid")
    assert "misspelling of 'Zabihullah Mujahid'" in second.review
    assert set(result.new_entities) == {"taliban", "zabihullah-mujahid"}


def test_new_person_sharing_a_registry_surname_is_flagged_as_likely_duplicate():
    registry = EntityRegistry([entity("ahmad-shah-massoud", "Ahmad Shah Massoud", "person")])
    result = link_mentions("Ahmad Massoud spoke on Sunday.\n", registry, TYPES)
    [mention] = result.mentions
    assert mention.entity == "ahmad-massoud"
    assert mention.review == "may be the same as ahmad-shah-massoud"


def test_dateline_city_and_region_are_places():
    found = links("Henke leads in Milwaukee\nMILWAUKEE, Wisconsin 1996-08-29\nNolan Henke fired a 62.\n")
    assert ("MILWAUKEE", "milwaukee", "place") in found
    assert ("Wisconsin", "wisconsin", "place") in found


def test_acronym_initials_extend_the_name_across_small_words():
    found = links("The Organization for Security and Cooperation in Europe (OSCE) postponed the vote.\n")
    assert found[0][0] == "Organization for Security and Cooperation in Europe"
    assert found[1] == ("OSCE", found[0][1], "organization")


def test_names_joined_by_ampersand_are_one_organisation():
    found = links("Shares of Douglas & Lomason Co rose on Friday.\n")
    assert found == [("Douglas & Lomason Co", "douglas-lomason-co", "organization")]


def test_titles_inside_a_run_split_it():
    found = links("Russian Prime Minister Viktor Chernomyrdin said so, and Cofinec CEO Stephen Frater agreed.\n")
    assert ("Viktor Chernomyrdin", "viktor-chernomyrdin", "person") in found
    assert ("Stephen Frater", "stephen-frater", "person") in found
    assert ("Cofinec", "cofinec", "organization") in found


def test_all_caps_headline_links_only_names_known_from_the_text():
    text = "SOCCER - SHEARER NAMED AS ENGLAND CAPTAIN.\nAlan Shearer was named England captain on Friday.\n"
    found = links(text)
    assert ("SHEARER", "alan-shearer", "person") in found
    assert ("ENGLAND", "england", "place") in found
    assert not any(t in ("SOCCER", "NAMED", "CAPTAIN") for t, _, _ in found)


def test_surname_before_the_full_name_links_forward():
    found = links("Yeltsin endorses plan.\nPresident Boris Yeltsin backed it on Friday.\nLater Yeltsin left.\n")
    assert [e for t, e, _ in found] == ["boris-yeltsin"] * 3


def test_misspelt_acronym_of_a_registry_entity_is_linked_and_flagged():
    registry = EntityRegistry([entity("nrf", "National Resistance Front", "organization", ["NRF"])])
    [mention] = link_mentions("The NFR proposed talks.\n", registry, TYPES).mentions
    assert mention.entity == "nrf"
    assert mention.review == "'NFR' looks like a misspelling of 'NRF'"


def test_organisation_named_after_its_country_does_not_learn_the_bare_name_as_alias():
    result = link_mentions("Iran's Foreign Ministry said so.\n", None, TYPES)
    assert result.new_entities["iran-s-foreign-ministry"].aliases == []


def test_census_given_name_makes_a_person_even_against_a_sporting_rival():
    found = links("Kessler came back from two sets down against Dwayne Vellacourt in the semi-final.\n")
    assert ("Dwayne Vellacourt", "dwayne-vellacourt", "person") in found


def test_given_name_alone_is_a_person():
    found = links("The prize went to the village band. Lorena thanked the judges.\n")
    assert ("Lorena", "lorena", "person") in found


def test_place_word_of_a_name_makes_it_a_place():
    found = links("Nine farmers were arrested in the southern province of Qelmora on Friday.\n")
    assert ("Qelmora", "qelmora", "place") in found


def test_name_followed_by_a_country_after_a_comma_is_a_place():
    found = links("The trawler sank off Varnholt, Norway, after a storm.\n")
    assert ("Varnholt", "varnholt", "place") in found


def test_unknown_two_word_name_ending_in_an_ordinary_word_is_no_person():
    found = links("Qorvath Cement rose 5 percent on Tuesday while Ulmeri Vantosz watched.\n")
    assert ("Qorvath Cement", "qorvath-cement", "organization") in found
    assert ("Ulmeri Vantosz", "ulmeri-vantosz", "person") in found


def test_unknown_name_with_a_set_of_capitals_is_no_person():
    found = links("KV Dralstad won the cup on Sunday.\n")
    assert ("KV Dralstad", "kv-dralstad", "organization") in found


def test_noun_saying_what_an_organisation_is_before_its_name():
    found = links("The report was confirmed by the news weekly Vellmar Kurier on Monday.\n")
    assert ("Vellmar Kurier", "vellmar-kurier", "organization") in found


def test_a_town_that_wins_and_is_played_for_is_its_team():
    found = links("Marek Olszak homered for Leicester in the ninth inning. Two runs later Leicester won.\n")
    assert found.count(("Leicester", "leicester", "organization")) == 2


def test_a_town_people_live_in_stays_a_place():
    found = links("Marek Olszak moved to Leicester in May and now lives in Leicester with his sister.\n")
    assert ("Leicester", "leicester", "place") in found


def test_registry_place_read_as_a_surname_gives_the_person_no_place_evidence():
    registry = EntityRegistry([entity("jordan", "Jordan", "place")])
    text = ("Director Ailbhe Jordan says she never lost sleep over a film.\n"
            "Jordan said the film was fair. Jordan added that it was long.\n")
    result = link_mentions(text, registry, TYPES)
    person = next(m.entity for m in result.mentions if m.text == "Ailbhe Jordan")
    assert [m.entity for m in result.mentions if m.text == "Jordan"] == [person, person]
    evidence = result.evidence[person]
    assert evidence.get("place", 0) < evidence.get("person", 0)


def test_name_after_from_is_a_person_when_shaped_like_one():
    found = links("The council read a letter from Tavish Obrenko about the bulldozers.\n")
    assert ("Tavish Obrenko", "tavish-obrenko", "person") in found


def test_name_with_a_small_word_in_it_is_no_person():
    found = links("Vasco Tern, who tied for second at last week's Grand Series of Golf, is back.\n")
    assert ("Grand Series of Golf", "grand-series-of-golf", "organization") in found


def test_name_before_a_country_ending_the_sentence_is_a_place():
    found = links("The jet came down over Varnholt, Norway.\nNobody survived.\n")
    assert ("Varnholt", "varnholt", "place") in found


def test_two_particles_in_a_row_stay_inside_the_name():
    found = links("Scrum-half Pieter van der Kolk was his side's best player.\n")
    assert ("Pieter van der Kolk", "pieter-van-der-kolk", "person") in found
    assert not any(text in ("Pieter", "Kolk") for text, _, _ in found)


def test_swahili_particle_wa_stays_inside_the_name():
    found = links("Prime Minister Mobutu wa Kasende said the talks would go on.\n")
    assert ("Mobutu wa Kasende", "mobutu-wa-kasende", "person") in found


def test_first_name_in_brackets_is_no_entity_and_makes_the_surname_a_person():
    found = links('"He reminded me of (Dwayne) Tallqvist when he started," the manager said.\n')
    assert ("Tallqvist", "tallqvist", "person") in found
    assert not any(text == "Dwayne" for text, _, _ in found)


def test_names_inside_a_quoted_title_are_no_entities():
    found = links('She is best known for "Night Train to Varnholt" and for her work in Oslo.\n')
    assert not any(text == "Varnholt" for text, _, _ in found)
    assert ("Oslo", "oslo", "place") in found


def test_quoted_speech_keeps_its_names():
    found = links('"We met Kessler in Varnholt last week," the minister said.\n')
    assert any(text == "Varnholt" for text, _, _ in found)


def test_kind_of_organisation_alone_links_to_the_one_the_text_named():
    text = ("Spending rose in July, the Varnholt Trade Department said on Friday.\n"
            "Department officials said the gain was small.\n")
    found = links(text)
    assert ("Department", "varnholt-trade-department", "organization") in found
    assert not any(entity_id == "department" for _, entity_id, _ in found)


def test_of_inside_a_company_name_that_ends_in_a_legal_form():
    found = links("Strikes spread, mine managers Dravik Fields of Norway Ltd said on Friday.\n")
    assert ("Dravik Fields of Norway Ltd", "dravik-fields-of-norway-ltd", "organization") in found


def test_person_of_a_company_stays_a_person():
    found = links('"It will be slow," said Dwayne Tallqvist of Dravik Holdings Ltd in Oslo.\n')
    assert ("Dwayne Tallqvist", "dwayne-tallqvist", "person") in found


def test_arabic_article_keeps_a_name_whole():
    found = links("The cleric Yusuf al-Qaradeni said the talks had failed.\n")
    assert ("Yusuf al-Qaradeni", "yusuf-al-qaradeni", "person") in found
    assert not any(text == "Yusuf" for text, _, _ in found)


def test_kind_of_place_of_a_known_place_is_a_place():
    found = links("Talks with the Federal Republic of Norway began on Monday.\n")
    assert ("Federal Republic of Norway", "federal-republic-of-norway", "place") in found


def test_champions_before_a_town_make_it_the_team():
    found = links("There were big wins for champions Leicester on Saturday.\n")
    assert ("Leicester", "leicester", "organization") in found


def test_name_joined_by_an_arabic_particle_is_a_person():
    found = links("Karachi made 230, with Nadim-ul-Rashad taking four wickets.\n")
    assert ("Nadim-ul-Rashad", "nadim-ul-rashad", "person") in found


def test_given_name_that_is_an_english_word_opening_a_sentence_is_no_name():
    found = links('"Will they come back?" he asked. Hope is fading in the valley.\n')
    assert found == []


def names(text: str) -> list[str]:
    from gloss.recognize import find_candidates
    return [c.text for c in find_candidates(text)]


def test_a_sentence_starting_with_a_place_of_several_words_keeps_its_first_word():
    assert names("New Zealand won. New York Mayor Rudolph Giuliani spoke.") == [
        "New Zealand", "New York", "Rudolph Giuliani"]


def test_a_word_before_a_full_name_at_a_sentence_start_is_dropped_but_an_unknown_first_name_kept():
    assert names("Tries came from centre Walter Little. Centre Walter Little scored.") == ["Walter Little"] * 2
    assert names("He left. Grant Michael Smith said so.") == ["Grant Michael Smith"]
    assert names("The team: 8 - Zinzan Brooke, 7 - Josh Kronfeld") == ["Zinzan Brooke", "Josh Kronfeld"]


def test_an_acronym_or_a_kind_of_organisation_starting_a_sentence_is_part_of_the_name():
    assert names("Pirelli said. CITIC Pacific is a major company.") == ["Pirelli", "CITIC Pacific"]
    assert names("He wants a promise from (Air France chairman) Christian Blanc.") == [
        "Air France", "Christian Blanc"]


def test_a_title_s_own_words_are_no_name():
    assert names("The treaty was signed by the Holy Roman Emperor Charles VI and France.") == [
        "Charles VI", "France"]


def test_people_named_with_a_place_as_first_name_or_before_a_possessive_are_people():
    found = links("Rodriguez homered off Chad Ogea (7-5) in the first. The group fought to topple "
                  "President Hosni Mubarak's government.\n")
    assert ("Chad Ogea", "chad-ogea", "person") in found
    assert ("Hosni Mubarak", "hosni-mubarak", "person") in found


def test_a_club_s_short_name_says_nothing_of_a_person():
    found = links("Mauro Silva will miss the game with Real Madrid. Real started strongly, but Real said "
                  "Silva had no passport. Real told reporters so.\n")
    assert ("Real", "real-madrid", "organization") in found


def test_a_country_s_initials_before_a_name_are_a_name_of_their_own():
    assert names("The U.S. Federal Reserve met. U.S. Assistant Secretary of State John Kornblum spoke.") == [
        "U.S.", "Federal Reserve", "U.S.", "John Kornblum"]
    assert names("The U.S. Treasury Department said so.") == ["U.S. Treasury Department"]


def test_a_place_s_title_of_several_words_leaves_the_place():
    assert names("Hong Kong Financial Secretary Donald Tsang said so.") == ["Hong Kong", "Donald Tsang"]


def test_a_group_s_fighters_after_its_name_say_organisation_even_in_a_list_with_a_place():
    found = links("A committee monitoring the truce between Israel and Hizbollah guerrillas will meet.\n")
    assert ("Hizbollah", "hizbollah", "organization") in found


def test_initials_go_on_to_the_name_after_them_but_a_country_s_may_end_a_sentence():
    assert names("Shares of J.P. Morgan rose, said an analyst at A.G. Edwards & Sons.") == [
        "J.P. Morgan", "A.G. Edwards & Sons"]
    assert names("He lives in the U.S. The next day Smith left.") == ["U.S.", "Smith"]


def test_initials_or_a_nickname_in_brackets_inside_a_name_leave_one_person():
    found = link_mentions("1990 - British historian Alan John Percivale (A.J.P.) Taylor died. A friend, James "
                          "Leander (Leo) Nichols, spoke. John Major (Conservative) Labour won.\n", None, TYPES)
    assert [(m.text, m.entity) for m in found.mentions][:2] == [
        ("Alan John Percivale (A.J.P.) Taylor", "alan-john-percivale-taylor"),
        ("James Leander (Leo) Nichols", "james-leander-nichols")]
    assert found.new_entities["alan-john-percivale-taylor"].name == "Alan John Percivale Taylor"
    assert ("John Major", "john-major") in [(m.text, m.entity) for m in found.mentions]


def test_a_building_or_ground_after_a_name_says_place():
    found = links("Yeltsin travelled to spend the night at the Barvikha sanatorium. They met at the Kosevo "
                  "stadium.\n")
    assert ("Barvikha", "barvikha", "place") in found and ("Kosevo", "kosevo", "place") in found
