"""The review fixes (issue #17): retype, confirm, unlink, split, not-entity.

Each command runs on a copy of tests/fixtures/review through the real command line, and the
expected result is spelt out file by file: every other byte stays as it was. A refusal leaves
content/ byte-identical, whether the cause is a conflict or a read-only file; a full disk, Ctrl-C
and kill -9 are in tests/test_all_or_none.py, for every command that writes content/.
"""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest
from conftest import FIXTURES, run_gloss, tree_hash

from gloss.config import SiteConfig
from gloss.errors import GlossError
from gloss.fixes import parse_fix, plan_split, plan_unlink, run_fix
from gloss.rejected import HEADER

ARTICLE = "content/articles/panjshir-falls.md"
SECOND = "content/articles/second.md"
KABUL = "content/entities/kabul.md"
TALIBAN = "content/entities/taliban.md"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "review", root)
    return root


def texts(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted((root / "content").rglob("*")) if p.is_file()}


def replaced(text: str, *pairs: tuple[str, str]) -> str:
    """`text` with each (old, new) replaced exactly once, in order: the expected result, spelt out."""
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def fixed(root: Path, *args: str) -> str:
    result = run_gloss(root, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


# ---------------------------------------------------------------- each command's bytes

def test_retype_sets_the_type_and_confirms_it(site: Path):
    before = texts(site)
    assert "retyped kabul from place to organization, confirmed" in fixed(site, "retype", "kabul", "organization")
    expected = dict(before)
    expected[KABUL] = replaced(before[KABUL], ("type: place\n", "type: organization\n"),
                               ("description: Capital of Afghanistan.\n",
                                "description: Capital of Afghanistan.\nconfirmed: true\n"))
    assert texts(site) == expected


def test_confirm_drops_the_review_flag_and_marks_the_entity_confirmed(site: Path):
    path = site / TALIBAN
    path.write_text(path.read_text(encoding="utf-8").replace("aliases: []\n", "aliases: []\nreview: true\n"),
                    encoding="utf-8")
    before = texts(site)
    assert fixed(site, "confirm", "taliban", "kabul").strip() == "confirmed taliban, kabul"
    expected = dict(before)
    expected[TALIBAN] = replaced(before[TALIBAN], ("review: true\n", ""),
                                 ("Afghanistan.\n---", "Afghanistan.\nconfirmed: true\n---"))
    expected[KABUL] = replaced(before[KABUL], ("Afghanistan.\n---", "Afghanistan.\nconfirmed: true\n---"))
    assert texts(site) == expected
    assert "already confirmed; nothing changed" in fixed(site, "confirm", "kabul")


def test_unlink_in_one_article_keeps_the_entity_that_others_mention(site: Path):
    before = texts(site)
    assert "unlinked 1 mention of kabul in 1 file" in fixed(site, "unlink", "kabul", "--in", "second")
    expected = dict(before)
    expected[SECOND] = replaced(before[SECOND], ("Only [[kabul|Kabul]] and", "Only Kabul and"))
    assert texts(site) == expected


def test_unlink_everywhere_deletes_the_entity_file_once_nothing_mentions_it(site: Path):
    before = texts(site)
    out = fixed(site, "unlink", "taliban")
    assert "unlinked 3 mentions of taliban in 3 files; deleted content/entities/taliban.md" in out
    expected = dict(before)
    del expected[TALIBAN]
    expected[ARTICLE] = replaced(before[ARTICLE], ("[[taliban|Taliban]] spokesman", "Taliban spokesman"))
    expected[SECOND] = replaced(before[SECOND], ("and [[taliban]] here", "and taliban here"))
    expected["content/entities/zabihullah-mujahid.md"] = replaced(
        before["content/entities/zabihullah-mujahid.md"], ("for the [[taliban|Taliban]];", "for the Taliban;"))
    assert texts(site) == expected
    assert run_gloss(site, "check").returncode == 0


def test_unlink_by_shown_text_leaves_the_other_mentions(site: Path):
    before = texts(site)
    fixed(site, "unlink", "kabul", "--in", "panjshir-falls", "--text", "the capital")
    expected = dict(before)
    expected[ARTICLE] = replaced(before[ARTICLE], ("- [[kabul|the capital]] in a list", "- the capital in a list"))
    assert texts(site) == expected


def test_unlinked_text_is_escaped_so_it_reads_the_same(site: Path):
    path = site / SECOND
    path.write_text(path.read_text(encoding="utf-8") + "\n[[kabul|*Kabul* City]] and [[kabul|Kabul_1]]\n",
                    encoding="utf-8")
    fixed(site, "unlink", "kabul", "--in", "second")
    assert path.read_text(encoding="utf-8").endswith("\n\\*Kabul\\* City and Kabul\\_1\n")


def test_split_moves_an_articles_mentions_to_a_new_entity(site: Path):
    before = texts(site)
    out = fixed(site, "split", "kabul", "--in", "panjshir-falls", "--as", "kabul-province")
    assert ("moved 4 mentions of kabul in content/articles/panjshir-falls.md to kabul-province "
            "(new entity content/entities/kabul-province.md)") in out
    expected = dict(before)
    expected[ARTICLE] = replaced(
        before[ARTICLE], ("spoke in [[Kabul]].", "spoke in [[kabul-province|Kabul]]."),
        ("- [[kabul|the capital]] in a list", "- [[kabul-province|the capital]] in a list"),
        ("| [[kabul]] |", "| [[kabul-province\\|kabul]] |"),
        ("in [[kabul]]<<}", "in [[kabul-province|kabul]]<<}"))
    expected["content/entities/kabul-province.md"] = (
        "---\nname: Kabul (province)\ntype: place\naliases: []\nsource: panjshir-falls\n---\n")
    assert texts(site) == expected
    assert "`[[kabul]]`" in expected[ARTICLE]  # code is left alone
    assert run_gloss(site, "check").returncode == 0


def test_split_and_unlink_by_line_leave_the_article_s_other_mentions(site: Path):
    before = texts(site)
    out = fixed(site, "split", "kabul", "--in", "panjshir-falls", "--as", "kabul-province", "--line", "6",
                "--line", "13")
    assert "moved 2 mentions of kabul" in out
    fixed(site, "unlink", "kabul", "--in", "panjshir-falls", "--line", "27")
    expected = dict(before)
    expected[ARTICLE] = replaced(
        before[ARTICLE], ("spoke in [[Kabul]].", "spoke in [[kabul-province|Kabul]]."),
        ("- [[kabul|the capital]] in a list", "- [[kabul-province|the capital]] in a list"),
        ("in [[kabul]]<<}", "in kabul<<}"))
    expected["content/entities/kabul-province.md"] = (
        "---\nname: Kabul (province)\ntype: place\naliases: []\nsource: panjshir-falls\n---\n")
    assert texts(site) == expected


def test_split_into_an_entity_that_exists_only_moves_the_mentions(site: Path):
    before = texts(site)
    fixed(site, "split", "kabul", "--in", "second", "--as", "taliban", "--name", "ignored")
    expected = dict(before)
    expected[SECOND] = replaced(before[SECOND], ("[[kabul|Kabul]]", "[[taliban|Kabul]]"))
    assert texts(site) == expected


def test_not_entity_unlinks_the_name_everywhere_and_records_it(site: Path):
    before = texts(site)
    out = fixed(site, "not-entity", "mujahid")
    assert "'mujahid' is not an entity: unlinked 9 mentions in 3 files; added it to content/rejected.yml" in out
    expected = dict(before)
    expected[ARTICLE] = replaced(
        before[ARTICLE],
        ("[[mujahid|Mujahid]] said the war was over; [[Mujahid]] repeated it, and so did [[MUJAHID]].",
         "Mujahid said the war was over; Mujahid repeated it, and so did MUJAHID."),
        ("- [[mujahid]] in a list", "- mujahid in a list"),
        ("| [[mujahid]] and [[Mujahid]] |", "| mujahid and Mujahid |"),
        ("said by [[mujahid|Mujahid]] in", "said by Mujahid in"))
    expected[TALIBAN] = replaced(before[TALIBAN], ("[[mujahid|Mujahid]];", "Mujahid;"))
    expected["content/entities/zabihullah-mujahid.md"] = replaced(
        before["content/entities/zabihullah-mujahid.md"], ("often just [[Mujahid]].", "often just Mujahid."))
    expected["content/rejected.yml"] = HEADER + "- mujahid\n"
    assert texts(site) == expected  # "[[mujahid|the spokesman]]" still links it: its file stays
    assert "it was already rejected" in fixed(site, "not-entity", "MUJAHID")
    assert (site / "content/rejected.yml").read_text(encoding="utf-8") == HEADER + "- mujahid\n"


def test_not_entity_appends_to_the_rejected_list_as_written(site: Path):
    rejected = site / "content/rejected.yml"
    rejected.write_text("# mine\n- Cup  # a word\n", encoding="utf-8")
    fixed(site, "not-entity", "World: Cup")
    assert rejected.read_text(encoding="utf-8") == "# mine\n- Cup  # a word\n- 'World: Cup'\n"


# ---------------------------------------------------------------- refusals change nothing

@pytest.mark.parametrize(("args", "message"), [
    (("retype", "nowhere", "place"), "no entity with the id 'nowhere'"),
    (("retype", "kabul", "planet"), "entity type 'planet' is not declared"),
    (("confirm", "kabul", "nowhere"), "no entity with the id 'nowhere'"),
    (("unlink", "kabul", "--in", "no-such-article"), "no article 'no-such-article'"),
    (("unlink", "kabul", "--text", "Kandahar"), "no mention of kabul shown as 'Kandahar'"),
    (("split", "kabul", "--in", "second", "--as", "kabul"), "cannot split 'kabul' into itself"),
    (("split", "mujahid", "--in", "second", "--as", "x"), "does not mention mujahid"),
    (("split", "kabul", "--in", "second", "--as", "Not A Slug"), "is not a valid entity id"),
    (("split", "kabul", "--in", "second", "--as", "kabul-2", "--name", "Zabihullah"),
     "the name 'Zabihullah' already belongs to zabihullah-mujahid"),
    (("split", "kabul", "--in", "second", "--as", "kabul-2", "--type", "planet"), "entity type 'planet'"),
    (("not-entity", " "), "give the name that is not an entity"),
    (("unlink", "kabul", "--line", "6"), "--line needs --in"),
    (("split", "kabul", "--in", "panjshir-falls", "--as", "x", "--line", "7"),
     "does not mention kabul on line 7"),
])
def test_a_refused_fix_changes_nothing(site: Path, args: tuple[str, ...], message: str):
    before = tree_hash(site)
    result = run_gloss(site, *args)
    assert result.returncode == 1, result.stdout
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_hash(site) == before


def test_a_rejected_list_that_is_not_a_list_is_refused(site: Path):
    (site / "content/rejected.yml").write_text("names: [Cup]\n", encoding="utf-8")
    before = tree_hash(site)
    result = run_gloss(site, "not-entity", "Mujahid")
    assert result.returncode == 1
    assert "content/rejected.yml:1:1: the rejected names must be a list" in result.stderr
    assert tree_hash(site) == before


@pytest.mark.parametrize("args", [("unlink", "taliban"), ("not-entity", "Taliban"), ("retype", "taliban", "place"),
                                  ("merge", "mujahid", "zabihullah-mujahid")])
def test_a_fix_that_would_change_a_read_only_file_changes_nothing(site: Path, args: tuple[str, ...]):
    locked = site / TALIBAN
    locked.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    before = tree_hash(site)
    result = run_gloss(site, *args)
    assert result.returncode == 1, result.stdout
    assert "is read-only, so nothing was changed" in result.stderr
    assert tree_hash(site) == before
    assert not list(site.rglob("*.tmp"))


def test_a_read_only_folder_is_refused_too(site: Path):
    folder = site / "content/entities"
    folder.chmod(0o555)
    try:
        before = tree_hash(site)
        result = run_gloss(site, "split", "kabul", "--in", "second", "--as", "kabul-2")
        assert result.returncode == 1
        assert "is a read-only folder" in result.stderr
        assert tree_hash(site) == before
    finally:
        folder.chmod(0o755)


# ---------------------------------------------------------------- run_fix, as the review page calls it

def test_run_fix_reads_the_queues_command_lines(site: Path):
    config = SiteConfig(root=site)
    assert run_fix(config, "build.py unlink kabul --in second --text Kabul").startswith("unlinked 1 mention ")
    assert run_fix(config, ["confirm", "kabul"]) == "confirmed kabul"
    assert "Only Kabul and" in (site / SECOND).read_text(encoding="utf-8")


@pytest.mark.parametrize("line", ["", "build.py", "build.py build", "retype kabul", "unlink --bogus kabul",
                                  "split kabul --in second", "entities --help", "confirm --help"])
def test_run_fix_refuses_what_is_not_a_fix_command(site: Path, line: str):
    before = tree_hash(site)
    with pytest.raises(GlossError):
        run_fix(SiteConfig(root=site), line)
    assert tree_hash(site) == before


def test_parse_fix_strips_the_program_name():
    assert parse_fix("python build.py retype kabul place").command == "retype"
    assert parse_fix(["build.py", "not-entity", "World Cup"]).name == "World Cup"


def test_plans_say_what_they_change_before_anything_is_written(site: Path):
    config = SiteConfig(root=site)
    before = tree_hash(site)
    plan = plan_unlink(config, "taliban")
    assert {p.relative_to(site).as_posix() for p in plan.deletes} == {TALIBAN}
    assert plan_split(config, "kabul", "second", "kabul-2").rewritten == 1
    assert tree_hash(site) == before


# ---------------------------------------------------------------- decisions stick across ingests

STORM = "Talks resume\nZorblat said on Friday that talks would resume.\n"
COMPANY = ("Oil output rises\nZorblat shares rose on Friday, and Zorblat executives met. "
           "Zorblat shares fell on Monday.\n")


def seeded(root: Path, seeds: dict[str, str]) -> Path:
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    for name, text in seeds.items():
        (root / "seeds" / name).write_text(text, encoding="utf-8")
    return root


def later_company_news(root: Path) -> None:
    seeded(root, {"b.txt": COMPANY, "c.txt": COMPANY.replace("Oil output rises", "Oil output rises again")})
    assert run_gloss(root, "ingest").returncode == 0


def test_without_a_decision_a_later_ingest_retypes_the_guess(tmp_path: Path):
    root = seeded(tmp_path / "site", {"a.txt": STORM})
    assert run_gloss(root, "ingest").returncode == 0
    later_company_news(root)
    assert "type: organization" in (root / "content/entities/zorblat.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("decision", [("confirm", "zorblat"), ("retype", "zorblat", "person")])
def test_a_later_ingest_never_retypes_or_reflags_a_decided_entity(tmp_path: Path, decision: tuple[str, ...]):
    root = seeded(tmp_path / "site", {"a.txt": STORM})
    assert run_gloss(root, "ingest").returncode == 0
    stub = root / "content/entities/zorblat.md"
    fixed(root, *decision)
    decided = stub.read_text(encoding="utf-8")
    assert "confirmed: true" in decided and "review:" not in decided
    later_company_news(root)
    assert stub.read_text(encoding="utf-8") == decided


def test_a_later_ingest_never_recreates_a_rejected_name(tmp_path: Path):
    root = seeded(tmp_path / "site", {"a.txt": "Cup final\nThe Acme Cup final drew 40,000 fans in Leeds.\n"})
    assert run_gloss(root, "ingest").returncode == 0
    assert (root / "content/entities/acme-cup.md").exists()
    fixed(root, "not-entity", "Acme Cup")
    assert not (root / "content/entities/acme-cup.md").exists()
    seeded(root, {"b.txt": "Cup again\nFans of the Acme Cup met in Leeds, and the Acme Cup was shown.\n"})
    assert run_gloss(root, "ingest").returncode == 0
    article = (root / "content/articles/cup-again.md").read_text(encoding="utf-8")
    assert "the Acme Cup met" in article and "[[acme-cup" not in article
    assert not (root / "content/entities/acme-cup.md").exists()
    assert "[[leeds|Leeds]]" in article
    assert "rejected name" not in run_gloss(root, "check").stderr
