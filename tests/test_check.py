"""`build.py check` and `build`: every problem as path:line:col: message, exit 1, site untouched."""

from __future__ import annotations

from pathlib import Path

from conftest import run_gloss, tree_hash

ENTITIES = {
    "content/entities/ahmad-massoud.md": "---\nname: Ahmad Massoud\ntype: person\naliases: [Massoud]\n---\n",
    "content/entities/ahmad-shah-massoud.md": "---\nname: Ahmad Shah Massoud\ntype: person\naliases: [Massoud]\n---\n",
    "content/entities/kabul.md": "---\nname: Kabul\ntype: place\n---\n",
}
BROKEN = {
    **ENTITIES,
    "content/articles/unknown.md": "---\ntitle: U\n---\nIn [[Kabul]] and\n[[Atlantis]] too.\n",
    "content/articles/ambiguous.md": "---\ntitle: A\n---\nFirst line.\n\nThen [[Massoud]] spoke.\n",
    "content/articles/yaml.md": "---\ntitle: Y\ndate: [2021\n---\nBody.\n",
    "content/articles/unclosed.md": "---\ntitle: C\n---\nIt [[Kabul said.\n",
}


def test_check_prints_one_located_message_per_problem_and_exits_1(make_site) -> None:
    root = make_site(BROKEN)
    result = run_gloss(root, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if not line.startswith("    hint:")]
    errors = [line for line in lines if "warning:" not in line]
    assert "content/articles/ambiguous.md:6:6: ambiguous entity 'Massoud': it could be ahmad-massoud " \
           "(Ahmad Massoud), ahmad-shah-massoud (Ahmad Shah Massoud)" in errors
    assert "content/articles/unclosed.md:4:4: unclosed '[[': a mention needs a closing ']]'" in errors
    assert "content/articles/unknown.md:5:1: unknown entity 'Atlantis'" in errors
    assert any(e.startswith("content/articles/yaml.md:4:1: front matter is not valid YAML") for e in errors)
    assert len(errors) == 4
    assert "check: 4 errors, 2 warnings" in result.stdout


def test_unknown_mention_target_suggests_the_closest_ids_and_names(make_site) -> None:
    root = make_site({**ENTITIES, "content/articles/typos.md": (
        "---\ntitle: T\n---\nIn [[kabull]], [[Ahmad Masoud]] and [[Atlantis]].\n")})
    result = run_gloss(root, "check")
    assert result.returncode == 1
    hints = [line.strip() for line in result.stderr.splitlines() if line.startswith("    hint:")]
    assert "hint: did you mean `kabul` (Kabul)? Otherwise create it with" in hints[0]  # a typo of an id
    assert hints[1].startswith("hint: did you mean `ahmad-massoud` (Ahmad Massoud) or `ahmad-shah-massoud` "
                               "(Ahmad Shah Massoud)?")  # of a name: the closest first
    assert hints[2].startswith("hint: create it with")  # nothing near it
    assert "check: 3 errors, 2 warnings" in result.stdout


def test_check_on_good_content_exits_0(mini_site: Path) -> None:
    result = run_gloss(mini_site, "check")
    assert result.returncode == 0, result.stderr
    assert "check: 0 errors, 0 warnings" in result.stdout


def test_failed_build_leaves_previous_site_byte_for_byte(mini_site: Path) -> None:
    assert run_gloss(mini_site, "build").returncode == 0
    before = tree_hash(mini_site / "_site")
    article = mini_site / "content/articles/talks.md"
    article.write_text(article.read_text() + "\nAnd [[Nowhere]].\n")
    result = run_gloss(mini_site, "build")
    assert result.returncode == 1
    assert "unknown entity 'Nowhere'" in result.stderr
    assert "the previous site was left as it was" in result.stderr
    assert tree_hash(mini_site / "_site") == before
    assert [p.name for p in mini_site.iterdir() if p.name.startswith("._site")] == []


def test_broken_template_is_reported_with_its_name_and_line(mini_site: Path) -> None:
    (mini_site / "theme/templates/tag.html").write_text("{% extends 'base.html' %}\n{% block main %}\n{{ tag }\n")
    result = run_gloss(mini_site, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "theme/templates/tag.html:3:1: template syntax error" in result.stderr
    assert not (mini_site / "_site").exists()


def test_missing_template_names_the_page_that_needed_it(mini_site: Path) -> None:
    (mini_site / "theme/templates/tag.html").unlink()
    result = run_gloss(mini_site, "build")
    assert result.returncode == 1
    assert "template 'tag.html' is missing (needed for tags/afghanistan/index.html)" in result.stderr


def test_usage_errors_exit_2(mini_site: Path) -> None:
    assert run_gloss(mini_site, "frobnicate").returncode == 2
    assert run_gloss(mini_site, "new-entity").returncode == 2


def test_every_command_has_help(mini_site: Path) -> None:
    for command in ["build", "ingest", "check", "serve", "new-entity"]:
        result = run_gloss(mini_site, command, "--help")
        assert result.returncode == 0 and "usage:" in result.stdout


def test_new_entity_writes_a_stub_and_refuses_a_taken_name(mini_site: Path) -> None:
    result = run_gloss(mini_site, "new-entity", "Ali Nazary", "--type", "person", "--description", "NRF spokesman.")
    assert result.returncode == 0, result.stderr
    text = (mini_site / "content/entities/ali-nazary.md").read_text()
    assert text == "---\nname: Ali Nazary\ntype: person\naliases: []\ndescription: NRF spokesman.\n---\n"
    again = run_gloss(mini_site, "new-entity", "Mujahid", "--type", "person")
    assert again.returncode == 1
    assert "the name 'Mujahid' already belongs to zabihullah-mujahid" in again.stderr


def test_dateline_with_an_unknown_place_is_an_error_at_its_line(make_site) -> None:
    root = make_site({**ENTITIES, "content/articles/filed.md":
                      "---\ntitle: F\ndate: 1996-08-30\ndateline: {place: atlantis, text: Atlantis}\n---\nBody.\n",
                      "content/articles/plain.md": "---\ntitle: P\ndateline: Kabul\n---\nBody.\n",
                      "content/articles/known.md": "---\ntitle: K\ndateline: {place: kabul, text: Kabul}\n---\nB.\n"})
    result = run_gloss(root, "check")
    assert result.returncode == 1
    assert "content/articles/filed.md:4:1: unknown place 'atlantis' in the dateline" in result.stderr
    assert 'hint: create it with: python build.py new-entity "Atlantis" --type place --id atlantis' in result.stderr
    assert "check: 1 error," in result.stdout


def test_dateline_of_the_wrong_shape_is_an_error_with_a_hint(make_site) -> None:
    root = make_site({"content/articles/bad.md": "---\ntitle: B\ndateline: {city: kabul}\n---\nBody.\n"})
    result = run_gloss(root, "check")
    assert result.returncode == 1
    assert "content/articles/bad.md:3:1: unknown key 'city' in the dateline" in result.stderr
    assert "dateline: {place: london, text: London}" in result.stderr


def test_dateline_linked_to_a_person_is_a_warning(make_site) -> None:
    root = make_site({**ENTITIES, "content/articles/p.md":
                      "---\ntitle: P\ndateline: {place: ahmad-massoud, text: Massoud}\n---\nBody.\n"})
    result = run_gloss(root, "check")
    assert result.returncode == 0
    assert "content/articles/p.md:3:1: warning: the dateline's place 'ahmad-massoud' is a person" in result.stderr


def test_a_file_with_thousands_of_problems_shows_its_first_twenty_and_counts_the_rest(make_site) -> None:
    broken = "\n\n".join(f"It [[Kabul said {n}." for n in range(500))  # 500 unclosed mentions
    root = make_site({**ENTITIES, "content/articles/many.md": f"---\ntitle: M\n---\n{broken}\n",
                      "content/articles/unknown.md": "---\ntitle: U\n---\nIn [[Atlantis]].\n"})
    result = run_gloss(root, "check")
    assert result.returncode == 1
    shown = [line for line in result.stderr.splitlines() if line.startswith("content/articles/many.md:")]
    assert len(shown) == 21  # the first twenty, in line order, and the count of the rest
    assert shown[0].startswith("content/articles/many.md:4:4: unclosed '[['")
    assert shown[-1] == "content/articles/many.md: 480 more problems in this file, not shown"
    assert "content/articles/unknown.md:4:4: unknown entity 'Atlantis'" in result.stderr  # other files in full
    assert "check: 501 errors" in result.stdout  # every problem still counted
