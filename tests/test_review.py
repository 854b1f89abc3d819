"""Review tools on a copy of tests/fixtures/review: entities, merge, rename, annotate."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, run_gloss, tree_hash

from gloss.config import SiteConfig
from gloss.errors import GlossError
from gloss.review import Plan, apply, find_mentions, plan_merge, plan_rename

ARTICLE = "content/articles/panjshir-falls.md"
SECOND = "content/articles/second.md"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "review", root)
    return root


def texts(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted((root / "content").rglob("*.md"))}


def replaced(text: str, *pairs: tuple[str, str]) -> str:
    """`text` with each (old, new) replaced exactly once, in order: the expected result, spelt out."""
    for old, new in pairs:
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    return text


def test_merge_rewrites_every_mention_and_nothing_else(site: Path):
    before = texts(site)
    result = run_gloss(site, "merge", "mujahid", "zabihullah-mujahid")
    assert result.returncode == 0, result.stderr
    assert "merged mujahid into zabihullah-mujahid: 10 mentions rewritten in 3 files" in result.stdout
    after = texts(site)
    expected = dict(before)
    del expected["content/entities/mujahid.md"]
    expected[ARTICLE] = replaced(
        before[ARTICLE],
        ("[[mujahid|Mujahid]] said", "[[zabihullah-mujahid|Mujahid]] said"),
        ("[[Mujahid]] repeated", "[[zabihullah-mujahid|Mujahid]] repeated"),
        ("[[MUJAHID]].", "[[zabihullah-mujahid|MUJAHID]]."),
        ("[[mujahid|the spokesman]]", "[[zabihullah-mujahid|the spokesman]]"),
        ("- [[mujahid]] in a list", "- [[zabihullah-mujahid|mujahid]] in a list"),
        ("| [[mujahid]] and [[Mujahid]] |",  # a bar in a table cell is escaped
         "| [[zabihullah-mujahid\\|mujahid]] and [[zabihullah-mujahid\\|Mujahid]] |"),
        ("said by [[mujahid|Mujahid]]", "said by [[zabihullah-mujahid|Mujahid]]"),
    )
    expected["content/entities/zabihullah-mujahid.md"] = replaced(
        before["content/entities/zabihullah-mujahid.md"],
        ("aliases: [Zabihullah]\n", "aliases: [Zabihullah, Mujahid, The Spokesman]\n"),
        ("often just [[Mujahid]]", "often just [[zabihullah-mujahid|Mujahid]]"),
    )
    expected["content/entities/taliban.md"] = replaced(
        before["content/entities/taliban.md"], ("[[mujahid|Mujahid]]", "[[zabihullah-mujahid|Mujahid]]"))
    assert after == expected
    assert run_gloss(site, "check").returncode == 0


def test_merge_leaves_mentions_in_code_alone(site: Path):
    assert run_gloss(site, "merge", "mujahid", "zabihullah-mujahid").returncode == 0
    text = (site / ARTICLE).read_text(encoding="utf-8")
    assert "`[[mujahid|Mujahid]]` and `[[kabul]]`" in text
    assert "```\n[[mujahid]] in a fenced block\n```" in text
    assert "    [[mujahid]] in an indented block" in text


def test_merge_keeps_crlf_line_ends(site: Path):
    path = site / SECOND
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert run_gloss(site, "merge", "kabul", "taliban").returncode == 0
    data = path.read_bytes()
    assert data.count(b"\r\n") == 4 and data.count(b"\n") == 4
    assert b"Only [[taliban|Kabul]] and [[taliban]] here" in data


@pytest.mark.parametrize(("args", "message"), [
    (("mujahid", "nobody"), "content/entities/nobody.md: no entity with the id 'nobody'"),
    (("nobody", "mujahid"), "content/entities/nobody.md: no entity with the id 'nobody'"),
    (("mujahid", "mujahid"), "content/entities/mujahid.md:1:1: cannot merge 'mujahid' into itself"),
])
def test_merge_refuses_and_changes_nothing(site: Path, args: tuple[str, str], message: str):
    before = tree_hash(site)
    result = run_gloss(site, "merge", *args)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_hash(site) == before


def test_merge_refuses_an_alias_that_belongs_to_a_third_entity(site: Path):
    taliban = site / "content/entities/taliban.md"
    taliban.write_text(taliban.read_text(encoding="utf-8").replace("aliases: []", "aliases: [The Spokesman]"),
                       encoding="utf-8")
    before = tree_hash(site)
    result = run_gloss(site, "merge", "mujahid", "zabihullah-mujahid")
    assert result.returncode == 1
    assert ("content/entities/mujahid.md:1:1: the name 'The Spokesman' of mujahid also belongs to taliban"
            in result.stderr)
    assert tree_hash(site) == before


def test_merge_keeps_the_old_entitys_notes(site: Path):
    old = site / "content/entities/mujahid.md"
    old.write_text(old.read_text(encoding="utf-8") + "Often quoted in [[kabul]] by [[mujahid|himself]].\n",
                   encoding="utf-8")
    assert run_gloss(site, "merge", "mujahid", "zabihullah-mujahid").returncode == 0
    text = (site / "content/entities/zabihullah-mujahid.md").read_text(encoding="utf-8")
    assert text.endswith("\n\nOften quoted in [[kabul]] by [[zabihullah-mujahid|himself]].\n")


def test_rename_changes_the_id_everywhere_and_nothing_else(site: Path):
    before = texts(site)
    result = run_gloss(site, "rename", "kabul", "kabul-city-afghanistan")
    assert result.returncode == 0, result.stderr
    after = texts(site)
    expected = dict(before)
    expected["content/entities/kabul-city-afghanistan.md"] = expected.pop("content/entities/kabul.md")
    expected[ARTICLE] = replaced(
        before[ARTICLE],
        ("[[kabul|the capital]]", "[[kabul-city-afghanistan|the capital]]"),
        ("| [[kabul]] |", "| [[kabul-city-afghanistan\\|kabul]] |"),  # a bar in a table cell is escaped
        ("in [[kabul]]<<}", "in [[kabul-city-afghanistan|kabul]]<<}"),
    )
    expected[SECOND] = replaced(before[SECOND], ("[[kabul|Kabul]]", "[[kabul-city-afghanistan|Kabul]]"))
    expected["content/entities/taliban.md"] = replaced(
        before["content/entities/taliban.md"], ("[[kabul]]", "[[kabul-city-afghanistan|kabul]]"))
    assert after == expected
    assert "spoke in [[Kabul]]" in after[ARTICLE]  # a name still names it: left as written
    assert "`[[kabul]]`" in after[ARTICLE]
    assert run_gloss(site, "check").returncode == 0


@pytest.mark.parametrize(("new", "message"), [
    ("taliban", "content/entities/taliban.md: an entity with the id 'taliban' already exists"),
    ("kabul", "content/entities/kabul.md: an entity with the id 'kabul' already exists"),
    ("Kabul City", "content/entities/kabul.md: 'Kabul City' is not a valid entity id"),
    ("../x", "content/entities/kabul.md: '../x' is not a valid entity id"),
    ("con", "content/entities/kabul.md: 'con' is not a valid entity id"),
])
def test_rename_refuses_and_changes_nothing(site: Path, new: str, message: str):
    before = tree_hash(site)
    result = run_gloss(site, "rename", "kabul", new)
    assert result.returncode == 1
    assert message in result.stderr
    assert tree_hash(site) == before


def test_failed_write_leaves_every_file_as_it_was(site: Path):
    config = SiteConfig(root=site)
    plan = plan_merge(config, "mujahid", "zabihullah-mujahid")
    plan.writes[site / SECOND / "x.md"] = "cannot be written"  # a file stands where a folder must be
    before = tree_hash(site)
    with pytest.raises(NotADirectoryError):
        apply(config, plan, "merge")
    assert tree_hash(site) == before
    assert [p.name for p in site.rglob(".*")] == []


def test_apply_refuses_to_delete_a_folder_and_changes_nothing(site: Path):
    plan = Plan(writes={site / SECOND: "changed\n"}, deletes=[site / "content" / "entities"])
    before = tree_hash(site)
    with pytest.raises(GlossError, match="content/entities is not a file, so nothing was changed"):
        apply(SiteConfig(root=site), plan, "merge")
    assert tree_hash(site) == before


def test_plan_rename_counts_only_mentions_written_with_the_id(site: Path):
    plan = plan_rename(SiteConfig(root=site), "mujahid", "spokesman")
    assert plan.rewritten == 6  # not [[Mujahid]] or [[MUJAHID]]: names still resolve after a rename
    with pytest.raises(GlossError, match="already exists"):
        plan_rename(SiteConfig(root=site), "mujahid", "taliban")


def test_find_mentions_locates_mentions_in_containers_and_skips_code():
    path = FIXTURES / "review" / ARTICLE
    text = path.read_text(encoding="utf-8")
    found = find_mentions(text, Path(ARTICLE))
    assert all(text.startswith("[[", m.start) for m in found)
    assert [text[m.target_start:m.target_end] for m in found] == [m.target for m in found]
    # quote (10), list (12, 13), table (17) and note (27) found; code span (19) and code blocks (21-25) not
    assert [m.line for m in found] == [6, 6, 6, 8, 8, 8, 10, 12, 13, 17, 17, 17, 27, 27]
    assert [m.in_table for m in found].count(True) == 3


def test_entities_lists_mention_counts_and_articles(site: Path):
    result = run_gloss(site, "entities", "--sort", "mentions")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "name", "type", "mentions", "articles"]
    assert lines[1].split()[:4] == ["mujahid", "Mujahid", "person", "7"]
    assert "panjshir-falls, second" in result.stdout
    assert lines[-1] == "4 entities, 15 mentions"
    places = run_gloss(site, "entities", "--type", "place").stdout.splitlines()
    assert [line.split()[0] for line in places[1:-1]] == ["kabul"]
    wrong = run_gloss(site, "entities", "--type", "planet")
    assert wrong.returncode == 1 and "entity type 'planet' is not declared in site.yml" in wrong.stderr
    assert wrong.stderr.startswith("site.yml: entity type 'planet'")  # the project's file, as other messages name it


def test_annotate_json_offsets_index_the_file_text(tmp_path: Path, site: Path):
    seed = tmp_path / "seed.txt"
    raw = ("\ufeffTaliban spokesman Zabihullah Mujahid spoke in Kabul.\r\n"
           "Later, Mujahid said the Taliban won in Herat.\r\n")
    seed.write_bytes(raw.encode("utf-8"))
    result = run_gloss(site, "annotate", str(seed), "--format", "json")
    assert result.returncode == 0, result.stderr
    mentions = json.loads(result.stdout)["mentions"]
    text = seed.read_bytes().decode("utf-8")
    assert mentions and all(text[m["start"]:m["end"]] == m["text"] for m in mentions)
    assert set(mentions[0]) == {"start", "end", "text", "entity", "type"}
    by_text = {m["text"]: m["entity"] for m in mentions}
    assert by_text["Zabihullah Mujahid"] == "zabihullah-mujahid"  # through the site's registry
    assert by_text["Mujahid"] == "mujahid"  # the registry's name wins over the short form
    cold = json.loads(run_gloss(site, "annotate", str(seed), "--no-registry").stdout)["mentions"]
    assert {m["text"]: m["entity"] for m in cold}["Mujahid"] == "zabihullah-mujahid"


def test_annotate_text_format_and_missing_file(tmp_path: Path, site: Path):
    seed = tmp_path / "seed.txt"
    seed.write_text("Fighters held Kabul.\n", encoding="utf-8")
    result = run_gloss(site, "annotate", str(seed), "--format", "text")
    assert result.stdout == "14\t19\tplace\tkabul\tKabul\n"
    missing = run_gloss(site, "annotate", str(tmp_path / "nope.txt"))
    assert missing.returncode == 1 and "nope.txt: no such file" in missing.stderr
