"""The review queue (issue #17): each kind on tests/fixtures/queue or a small site of its own, the
ranking, the JSON shape, decisions that stick, and `review` / `check` on the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, run_gloss, tree_hash, write_tree

from gloss.config import SiteConfig
from gloss.fixes import run_fix
from gloss.reviewqueue import KINDS, ReviewItem, build_queue, counts_by_kind, queue_json


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "queue", root)
    return root


def queue(root: Path) -> list[ReviewItem]:
    return build_queue(SiteConfig(root=root))


def items_of(root: Path, kind: str) -> list[ReviewItem]:
    return [i for i in queue(root) if i.kind == kind]


def entity(entity_id: str, name: str, kind: str, extra: str = "") -> tuple[str, str]:
    return f"content/entities/{entity_id}.md", f"---\nname: {name}\ntype: {kind}\naliases: []\n{extra}---\n"


def article(slug: str, body: str, tags: str = "[]") -> tuple[str, str]:
    return f"content/articles/{slug}.md", f"---\ntitle: {slug}\ntags: {tags}\n---\n{body}"


# ---------------------------------------------------------------- each kind

def test_a_guessed_type_is_queued_with_confirm_and_retype(site: Path):
    [item] = items_of(site, "type")
    assert item.entities == ["zorblat"]
    assert item.mentions == 2
    assert "the type 'person' is a guess" in item.why
    assert item.fix == ["build.py confirm zorblat", "build.py retype zorblat organization",
                        "build.py retype zorblat place"]
    assert [(e.article, e.line) for e in item.evidence] == [("content/articles/amman-talks.md", 8),
                                                             ("content/articles/film-festival.md", 9)]


def test_a_confirmed_entity_is_not_queued_for_its_type(site: Path):
    assert not [i for i in queue(site) if "glimmer" in i.entities]


def test_initials_and_their_expansion_are_a_possible_duplicate(site: Path):
    [item] = items_of(site, "duplicate")
    assert item.entities == ["fomc", "federal-open-market-committee"]
    assert item.why == "'FOMC' is the initials of Federal Open Market Committee"
    assert item.fix[0] == "build.py merge fomc federal-open-market-committee"


def test_a_short_form_claimed_by_a_longer_name_in_its_article_is_a_possible_conflation(site: Path):
    [item] = items_of(site, "conflation")
    assert item.entities == ["jordan", "neil-jordan"]
    assert item.mentions == 2  # the two in the film article; the one in Amman is the country
    assert "in film-festival, 'Jordan' may be short for Neil Jordan, named there" in item.why
    assert item.fix[0] == "build.py split jordan --in film-festival --as neil-jordan"
    assert {e.line for e in item.evidence} == {7}


def test_a_word_the_site_writes_in_lower_case_is_a_junk_candidate(site: Path):
    [item] = items_of(site, "junk")
    assert item.entities == ["cup"]
    assert "'Cup' is written in lower case in 1 article(s)" in item.why
    assert item.fix == ["build.py not-entity Cup", "build.py unlink cup", "build.py confirm cup"]


def test_an_entity_file_nothing_links_to_is_queued(site: Path):
    [item] = items_of(site, "unmentioned")
    assert item.entities == ["quiet-harbour"]
    assert item.evidence[0].article == "content/entities/quiet-harbour.md"
    assert item.fix == ["build.py unlink quiet-harbour"]


def test_a_dateline_counts_as_a_mention(make_site):
    datelined = "---\ntitle: A\ndateline: {place: rome, text: Rome}\n---\nHi.\n"
    root = make_site(dict([entity("rome", "Rome", "place"), ("content/articles/a.md", datelined)]), theme=False)
    assert queue(root) == []


def test_a_standard_equivalent_is_a_possible_duplicate(make_site):
    root = make_site(dict([entity("us", "U.S.", "place"), entity("united-states", "United States", "place"),
                           article("a", "In the [[us|U.S.]] today.\n"),
                           article("b", "In the [[united-states|United States]] today.\n")]), theme=False)
    [item] = items_of(root, "duplicate")
    assert item.entities == ["us", "united-states"]
    assert item.why in ("'U.S.' and 'United States' are standard names of one entity",
                        "'United States' and 'U.S.' are standard names of one entity")


def test_two_names_linked_side_by_side_are_a_possible_duplicate(make_site):
    root = make_site(dict([entity("saddam", "Saddam", "person"), entity("hussein", "Hussein", "person"),
                           article("a", "President [[saddam|Saddam]] [[hussein|Hussein]] spoke.\n")]), theme=False)
    [item] = items_of(root, "duplicate")
    assert set(item.entities) == {"saddam", "hussein"}
    assert "'Saddam Hussein' is linked as two names side by side" in item.why


def test_a_place_whose_words_say_a_team_in_one_section_is_a_possible_conflation(make_site):
    root = make_site(dict([
        entity("moldova", "Moldova", "place"),
        article("qualifier", "England beat [[moldova|Moldova]] 3-0, and the team flew home.\n", "[soccer]"),
        article("friendly", "Wales met [[moldova|Moldova]] on Sunday.\n", "[soccer]"),
        article("election", "Voters in [[moldova|Moldova]] went to the polls.\n")]), theme=False)
    [item] = items_of(root, "conflation")
    assert item.entities == ["moldova"]
    assert item.mentions == 2
    assert "1 of 3 mentions read as an organization ('England beat Moldova 3-0, and')" in item.why
    assert "1 mention(s) in the soccer articles, where places' names stand for teams" in item.why  # "met"
    assert "build.py split moldova --in qualifier --as moldova-soccer --type organization" in item.fix


def test_a_place_whose_every_mention_reads_as_a_team_is_a_type_question(make_site):
    root = make_site(dict([entity("leicester", "Leicester", "place"),
                           article("rugby", "Bath beat [[leicester|Leicester]] on Saturday.\n", "[rugby]")]),
                     theme=False)
    [item] = items_of(root, "type")
    assert item.entities == ["leicester"]
    assert item.fix[0] == "build.py retype leicester organization"


def test_a_month_and_a_nationality_are_junk_candidates(make_site):
    root = make_site(dict([entity("august", "August", "organization"), entity("iraqi", "Iraqi", "organization"),
                           article("a", "In [[august|August]] an [[iraqi|Iraqi]] court ruled.\n")]), theme=False)
    assert {i.entities[0]: i.why for i in items_of(root, "junk")} == {
        "august": "'August' names a time", "iraqi": "'Iraqi' is a nationality or a people, not one entity"}


# ---------------------------------------------------------------- ranking and shape

def test_items_are_ranked_by_mentions_times_doubt(site: Path):
    items = queue(site)
    assert [i.kind for i in items] == ["conflation", "duplicate", "junk", "type", "unmentioned"]
    assert all(a.rank >= b.rank for a, b in zip(items, items[1:], strict=False))


def test_queue_json_has_exactly_the_documented_keys(site: Path):
    data = queue_json(queue(site))
    assert list(data) == ["items"]
    for item in data["items"]:
        assert list(item) == ["kind", "entities", "why", "mentions", "evidence", "fix"]
        assert item["kind"] in KINDS
        assert all(list(e) == ["article", "line", "text"] for e in item["evidence"])
        assert all(f.startswith("build.py ") for f in item["fix"])
    json.dumps(data)


def test_counts_by_kind_lists_every_kind(site: Path):
    assert counts_by_kind(queue(site)) == {"type": 1, "duplicate": 1, "conflation": 1, "junk": 1, "unmentioned": 1}
    assert counts_by_kind([]) == dict.fromkeys(KINDS, 0)


def test_every_suggested_fix_runs(site: Path, tmp_path: Path):
    for item in queue(site):
        for line in item.fix:
            copy = tmp_path / f"copy-{item.kind}-{item.fix.index(line)}"
            shutil.copytree(site, copy)
            assert run_fix(SiteConfig(root=copy), line)


# ---------------------------------------------------------------- decisions stick

def test_a_fixed_item_leaves_the_queue(site: Path):
    config = SiteConfig(root=site)
    run_fix(config, "build.py split jordan --in film-festival --as neil-jordan")
    run_fix(config, "build.py merge fomc federal-open-market-committee")
    run_fix(config, "build.py not-entity Cup")
    run_fix(config, "build.py retype zorblat organization")
    run_fix(config, "build.py unlink quiet-harbour")
    assert queue(site) == []


def test_confirming_both_entities_of_a_duplicate_dismisses_it(site: Path):
    run_fix(SiteConfig(root=site), "build.py confirm fomc federal-open-market-committee")
    assert items_of(site, "duplicate") == []


def test_a_confirmed_entity_is_not_queued_as_junk_or_conflation(site: Path):
    run_fix(SiteConfig(root=site), "build.py confirm cup jordan")
    assert items_of(site, "junk") == [] and items_of(site, "conflation") == []


# ---------------------------------------------------------------- command line

def test_review_prints_each_item_with_its_evidence_and_fixes(site: Path):
    before = tree_hash(site)
    result = run_gloss(site, "review")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "1. conflation: jordan, neil-jordan (2 mentions)"
    assert "   content/articles/film-festival.md:7: Jordan said the film took years to make." in lines
    assert "   fix: python build.py split jordan --in film-festival --as neil-jordan" in lines
    assert lines[-1] == "5 items to review (1 type, 1 duplicate, 1 conflation, 1 junk, 1 unmentioned)"
    assert tree_hash(site) == before


def test_review_json_and_limit(site: Path):
    result = run_gloss(site, "review", "--format", "json", "--limit", "2")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [i["kind"] for i in data["items"]] == ["conflation", "duplicate"]
    assert data["items"][0]["evidence"][0] == {"article": "content/articles/film-festival.md", "line": 7,
                                               "text": "Jordan said the film took years to make."}
    text = run_gloss(site, "review", "--limit", "1").stdout
    assert text.splitlines()[-1] == "5 items to review; the first 1 shown (1 conflation shown)"
    assert run_gloss(site, "review", "--limit", "-1").returncode == 1


def test_check_always_reports_the_queue_by_kind(site: Path):
    result = run_gloss(site, "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == ("review: 5 items (1 type, 1 duplicate, 1 conflation, 1 junk, "
                                              "1 unmentioned); see `python build.py review`")


def test_check_on_a_site_with_nothing_to_review(make_site):
    root = make_site(dict([entity("rome", "Rome", "place"), article("a", "In [[rome|Rome]] today.\n")]), theme=False)
    assert run_gloss(root, "check").stdout.splitlines()[-1] == "review: 0 items"


def test_check_warns_where_a_rejected_name_is_still_linked(site: Path):
    write_tree(site, {"content/rejected.yml": "# not entities\n- cup\n"})
    result = run_gloss(site, "check")
    assert result.returncode == 0
    assert ("content/articles/film-festival.md:9:" in result.stderr
            and "warning: 'Cup' is a rejected name (content/rejected.yml, line 2), but it is linked here"
            in result.stderr)


@pytest.mark.parametrize("command", ["review", "retype", "unlink", "split", "confirm", "not-entity"])
def test_each_review_command_has_help(tmp_path: Path, command: str):
    result = run_gloss(tmp_path, command, "--help")
    assert result.returncode == 0
    assert f"usage: build.py {command}" in result.stdout


# ---------------------------------------------------------------- finders for what the first ones missed

def fixture_site(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root)
    return root


def item_with(items: list[ReviewItem], kind: str, *ids: str) -> ReviewItem:
    [item] = [i for i in items if i.kind == kind and set(ids) <= set(i.entities)]
    return item


def test_an_acronym_in_brackets_after_words_linked_as_other_names_is_a_possible_duplicate(tmp_path: Path):
    # "Coastal Watch Service in Varnholm (CWSV)": two mentions before the bracket, the acronym their initials
    item = item_with(queue(fixture_site(tmp_path, "queue-brackets")), "duplicate", "cwsv")
    assert item.entities == ["cwsv", "coastal-watch-service"]
    assert item.why == "'CWSV' follows 'Coastal Watch Service in Varnholm' in brackets: its initials"
    assert item.doubt == 0.8
    assert item.fix[0] == "build.py merge cwsv coastal-watch-service"
    assert item.evidence[0].line == 5


def test_a_bracket_holding_only_another_name_glosses_it_even_for_people(tmp_path: Path):
    items = queue(fixture_site(tmp_path, "queue-brackets"))
    gloss = item_with(items, "duplicate", "abu-karim", "tarek-nassif")
    assert gloss.doubt == 0.6
    assert gloss.why == "'Abu Karim (Nassif)' is linked with the other name alone in brackets: likely one entity"
    replacement = item_with(items, "duplicate", "jon-mellor", "paul-strand")  # "(Paul Strand, 61)": a substitute
    assert replacement.doubt == 0.1
    assert items.index(gloss) < items.index(replacement)
    assert item_with(items, "duplicate", "ivo-brandt", "varnholm").doubt == 0.3  # a place: where he is from


def test_a_place_standing_for_a_team_names_the_nickname_in_its_sentence(tmp_path: Path):
    # "In Oskerville, ... the Foxhounds beat the Dunmore Hawks ..., the LBB said.": the Hawks hold a place's
    # name and LBB is initials, so only the Foxhounds are named as the team Oskerville may stand for
    item = item_with(queue(fixture_site(tmp_path, "queue-teams")), "conflation", "oskerville")
    assert item.entities == ["oskerville", "foxhounds"]
    assert item.mentions == 1  # "Oskerville has won six"; "In Oskerville" and the floods read as the place
    assert item.doubt == 0.6
    assert "in roundup, 'Oskerville' may stand for the Foxhounds, named in the same sentence" in item.why
    # only the mention that stands for the team moves: "In Oskerville" (line 6) stays the place
    assert item.fix[0] == "build.py split oskerville --in roundup --as foxhounds --line 8"


def test_a_place_whose_every_mention_stands_for_a_team_weighs_as_a_team_mention_does(tmp_path: Path):
    item = item_with(queue(fixture_site(tmp_path, "queue-teams")), "type", "dunmore")
    assert item.doubt == pytest.approx(0.7)  # 0.6, and 0.1 for "beat Dunmore"


def test_a_place_continued_by_an_unlinked_capitalised_word_is_a_possible_conflation(tmp_path: Path):
    items = queue(fixture_site(tmp_path, "queue-names"))
    accord = item_with(items, "conflation", "varnholm")
    assert accord.entities == ["varnholm"] and accord.mentions == 1  # not "held in Varnholm"
    assert accord.why == "'Varnholm Accord': the name goes on past the mention, unlinked"
    assert accord.fix == ["build.py unlink varnholm --in talks --text Varnholm", "build.py confirm varnholm"]
    assert [e.line for e in accord.evidence] == [5]
    # "Meteor" starts a sentence, but the article capitalises it in mid-sentence too ("as Meteor took");
    # "Only" starts one and is an ordinary word: "Only Kessa has built" is no name; and in a line of names in
    # title case ("Selected: Kessa Juniors, Ivo Brandt, ...") capitals say nothing
    meteor = item_with(items, "conflation", "kessa")
    assert meteor.why == "'Meteor Kessa': the name goes on past the mention, unlinked"
    assert meteor.mentions == 1 and [e.line for e in meteor.evidence] == [7]


def test_a_state_named_by_its_peoples_adjective_is_a_possible_duplicate_of_the_place(tmp_path: Path):
    items = queue(fixture_site(tmp_path, "queue-names"))
    item = item_with(items, "duplicate", "latvian-republic")
    assert item.entities == ["latvian-republic", "latvia"]  # the formal name merges into the place
    assert item.why == "'Latvian Republic' names a state by the adjective of Latvia's people"
    assert item.fix[0] == "build.py merge latvian-republic latvia"
    # the gazetteer knows "Dominican Republic" as a place of its own: no such item beside Dominica
    assert not [i for i in items if "adjective" in i.why and "dominica" in i.entities]


def test_a_guessed_type_weighs_by_what_ingest_guesses_with_nothing_to_go_on(make_site):
    review = "source: a\nreview: true\n"
    root = make_site(dict([entity("quorvex", "Quorvex", "organization", review),
                           entity("halden-brisk", "Halden Brisk", "person", review),
                           entity("anna-brisk", "Anna Brisk", "person", review),
                           article("a", "[[quorvex|Quorvex]] hired [[halden-brisk|Halden Brisk]] and "
                                        "[[anna-brisk|Anna Brisk]].\n")]), theme=False)
    doubts = {i.entities[0]: (i.doubt, i.why) for i in items_of(root, "type")}
    assert doubts["quorvex"] == (0.55, "the type 'organization' is a guess (ingest's default for a one-word name)")
    assert doubts["halden-brisk"] == (0.3, "the type 'person' is a guess")
    assert doubts["anna-brisk"][0] == 0.15  # a given name first


def test_a_name_with_a_qualifier_in_brackets_merges_into_the_plain_one(make_site):
    root = make_site(dict([entity("sorrel", "Sorrel", "place"), entity("sorrel-tennis", "Sorrel (tennis)", "place"),
                           article("a", "Rain fell on [[sorrel|Sorrel]] and [[sorrel|Sorrel]] again.\n"),
                           article("b", "[[sorrel-tennis|Sorrel]] won the tie.\n")]), theme=False)
    [item] = items_of(root, "duplicate")
    assert item.entities == ["sorrel-tennis", "sorrel"]
    assert item.mentions == 1
    assert item.fix[0] == "build.py merge sorrel-tennis sorrel"


@pytest.mark.parametrize("name", ["queue-brackets", "queue-teams", "queue-names"])
def test_every_fix_the_new_finders_suggest_runs(tmp_path: Path, name: str):
    root = fixture_site(tmp_path, name)
    for number, item in enumerate(queue(root)):
        for k, line in enumerate(item.fix):
            copy = tmp_path / f"copy-{number}-{k}"
            shutil.copytree(root, copy)
            assert run_fix(SiteConfig(root=copy), line)


def test_one_story_of_a_section_saying_against_a_place_makes_no_team_section(make_site):
    # a politics section where one story of four reports "sanctions against Morrow": its places stay places
    root = make_site(dict([
        entity("kestrel", "Kestrel", "place"), entity("morrow", "Morrow", "place"),
        article("sanctions", "Leaders imposed sanctions against [[morrow|Morrow]] on Friday.\n", "[politics]"),
        article("plan", "[[kestrel|Kestrel]] rejected the plan.\n", "[politics]"),
        article("talks", "Talks opened in [[kestrel|Kestrel]] on Monday.\n", "[politics]"),
        article("close", "Talks ended in [[morrow|Morrow]] on Friday.\n", "[politics]")]), theme=False)
    assert [i.entities for i in items_of(root, "conflation")] == [["morrow"]]  # "against Morrow" only


def test_two_signals_on_one_mention_make_it_likelier_wrong_than_either(tmp_path: Path):
    # "the Kelmoor Group": the name goes on past the mention (0.6), and "Group" says an organisation (0.35)
    item = item_with(queue(fixture_site(tmp_path, "queue-names")), "conflation", "kelmoor")
    assert item.mentions == 1
    assert item.doubt == pytest.approx(1 - (1 - 0.6) * (1 - 0.35))


def test_a_place_read_as_its_team_by_ingest_is_no_conflation_of_the_place_or_the_team(make_site):
    # "Oskerville (baseball)" holds the mentions ingest read as the team; "In Oskerville" stays the place
    root = make_site(dict([
        entity("oskerville", "Oskerville", "place"),
        entity("oskerville-baseball", "Oskerville (baseball)", "organization"),
        article("roundup", "In [[oskerville|Oskerville]], rain fell. [[oskerville-baseball|Oskerville]] has won "
                           "six straight.\n", "[baseball]"),
        article("late", "[[oskerville-baseball|Oskerville]] beat Dunmore 3-2.\n", "[baseball]")]), theme=False)
    assert not any({"oskerville", "oskerville-baseball"} & set(i.entities) for i in items_of(root, "conflation"))


def test_a_place_read_as_its_team_beside_the_teams_nickname_is_a_possible_duplicate(make_site):
    root = make_site(dict([
        entity("oskerville-baseball", "Oskerville (baseball)", "organization"),
        entity("foxhounds", "Foxhounds", "organization"),
        article("roundup", "[[oskerville-baseball|Oskerville]] rallied late, and the [[foxhounds|Foxhounds]] "
                           "won 5-4.\n", "[baseball]")]), theme=False)
    [item] = items_of(root, "duplicate")
    assert set(item.entities) == {"oskerville-baseball", "foxhounds"}
    assert "in roundup, 'Oskerville' stands for a team in the sentences that name Foxhounds" in item.why


def test_an_entity_s_own_clipped_name_is_no_duplicate_of_another_name_it_begins(make_site):
    root = make_site(dict([
        ("content/entities/federal-reserve.md",
         "---\nname: Federal Reserve\ntype: organization\naliases: [Fed]\n---\n"),
        entity("federal-open-market-committee", "Federal Open Market Committee", "organization"),
        entity("fed", "Fed", "organization"),
        article("rates", "The [[federal-reserve|Fed]] met before the [[federal-open-market-committee|Federal Open "
                         "Market Committee]] did. The [[fed|Fed]] said so.\n")]), theme=False)
    duplicates = [set(i.entities) for i in items_of(root, "duplicate")]
    assert {"fed", "federal-reserve"} in duplicates  # a "Fed" entity of its own may still be either
    assert {"federal-reserve", "federal-open-market-committee"} not in duplicates
