"""The bad-input matrix: every mistake gets a located message and an exit code, never a traceback,
and neither content/ nor the last good _site/ changes by a byte.

Each case starts from the mini site, already built; writes (or deletes) a few files; runs the real
command line; and checks the message, the exit code and both trees. Errors are run with `build`
(the command that could damage _site/), warnings with `check` (a successful build rewrites _site/).
"""

from __future__ import annotations

import errno
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, run_gloss, tree_hash

from gloss.cli import system_error

BAD = "content/articles/bad.md"


def article(body: str, front: str = "title: Bad\n") -> dict[str, str]:
    """An article whose body starts on line 4 when the front matter is one line."""
    return {BAD: f"---\n{front}---\n{body}"}


def entity(entity_id: str, name: str, kind: str = "place", aliases: str = "[]") -> dict[str, str]:
    """An entity file: name on line 2, type on line 3, aliases on line 4."""
    return {f"content/entities/{entity_id}.md": f"---\nname: {name}\ntype: {kind}\naliases: {aliases}\n---\n"}


def many_names(count: int) -> str:
    """A seed naming `count` different people, one a sentence (made-up names of made-up syllables)."""
    rng = random.Random(count)
    syllables = ["ka", "lo", "mi", "ren", "dar", "vel", "tor", "sam", "qui", "bel", "nor", "zan", "fe", "rik", "pa"]
    word = lambda: "".join(rng.choice(syllables) for _ in range(3)).title()  # noqa: E731
    return "A Day Of Names\n\n" + " ".join(f"{word()} {word()} spoke on Monday." for _ in range(count)) + "\n"


MASSOUDS = {**entity("ahmad-massoud", "Ahmad Massoud", "person", "[Massoud]"),
            **entity("ahmad-shah-massoud", "Ahmad Shah Massoud", "person", "[Massoud]")}
CYCLE = {**entity("a-one", "A One", aliases="[B Two]"), **entity("b-two", "B Two", aliases="[A One]")}

@dataclass
class Case:
    files: dict[str, str | bytes | None]  # None deletes the file
    messages: tuple[str, ...]
    code: int = 1
    command: tuple[str, ...] = ("build",)


def warning(files: dict, *messages: str) -> Case:
    return Case(files, messages, code=0, command=("check",))


CASES = {
    # articles
    "no front matter": Case({BAD: "title: Bad\nBody.\n"}, (
        f"{BAD}:1:1: no front matter: the file must start with a '---' line",
        "hint: add '---', then 'title: ...', then '---' at the top of the file")),
    "front matter not closed": Case({BAD: "---\ntitle: Bad\nBody.\n"}, (
        f"{BAD}:1:1: front matter is not closed", "hint: add a line with only '---'")),
    "YAML syntax error at its line and column": Case(article("Body.\n", "title: Bad\nsummary: a: b\n"), (
        f"{BAD}:3:11: front matter is not valid YAML: mapping values are not allowed in this context",
        "hint: check indentation, colons and quotes")),
    "unclosed YAML list says where it opened": Case(article("Body.\n", "title: Bad\ntags: [a, b\n"), (
        "front matter is not valid YAML: did not find expected ',' or ']' "
        "(while parsing a flow sequence that starts at line 3, column 7)",)),
    "front matter is a list": Case({BAD: "---\n- title\n- Bad\n---\nBody.\n"}, (
        f"{BAD}:2:1: front matter must be a mapping of keys to values, but it is a list",)),
    "front matter is a scalar": Case({BAD: "---\njust a title\n---\nBody.\n"}, (
        f"{BAD}:2:1: front matter must be a mapping of keys to values, but it is a single value (str)",)),
    "missing title": Case({BAD: "---\nsummary: s\n---\nBody.\n"}, (f"{BAD}:2:1: missing 'title' in front matter",)),
    "date: yesterday": Case(article("Body.\n", "title: Bad\ndate: yesterday\n"), (
        f"{BAD}:3:1: 'date' must be a date like 2021-09-06, not 'yesterday'",)),
    "date that does not exist": Case(article("Body.\n", "title: Bad\ndate: 2021-02-30\n"), (
        f"{BAD}:3:7: front matter has a value that cannot be read: day is out of range for month",)),
    "tags: 5": Case(article("Body.\n", "title: Bad\ntags: 5\n"), (
        f"{BAD}:3:1: 'tags' must be a list of text, like [a, b]",)),
    "tag that cannot be a folder name": Case(article("Body.\n", "title: Bad\ntags: ['..', x]\n"), (
        f"{BAD}:3:1: tag '..' has no letters or digits to make a page name from",)),
    # An article's slug is its file name, so two articles can only share one by differing in case
    # (one file on macOS and Windows): such a name is not a slug, and the message says why it matters.
    "duplicate slug differing in case": Case({"content/articles/Talks.md": "---\ntitle: Again\n---\nB.\n"}, (
        "content/articles/Talks.md:1:1: article file name 'Talks.md' is not a slug",
        "if another article has that name already, choose another")),
    "not UTF-8": Case({BAD: "---\ntitle: Bad\n---\nCaf\xe9 au lait.\n".encode("latin-1")}, (
        f"{BAD}:4:4: file is not UTF-8 text: byte 0xE9 cannot be read as UTF-8", "hint: save it as UTF-8")),
    "binary file": Case({BAD: b"\x00\x01\x02\xff\xfe binary"}, (f"{BAD}:1:4: file is binary data, not text",)),
    "unknown front matter key": warning(article("Body.\n", "title: Bad\ncolour: red\n"),
                                        f"{BAD}:3:1: warning: unknown front matter key 'colour' (ignored)"),
    # annotations
    "unknown entity": Case(article("See [[Atlantis]].\n"), (
        f"{BAD}:4:5: unknown entity 'Atlantis'", 'hint: create it with: python build.py new-entity "Atlantis"')),
    "ambiguous alias": Case({**MASSOUDS, **article("Then\n[[Massoud]] spoke.\n")}, (
        f"{BAD}:5:1: ambiguous entity 'Massoud': it could be ahmad-massoud (Ahmad Massoud), "
        "ahmad-shah-massoud (Ahmad Shah Massoud)", "hint: write the id instead, e.g. [[ahmad-massoud|Massoud]]")),
    "unclosed [[": Case(article("It [[Kabul said.\n"), (f"{BAD}:4:4: unclosed '[[': a mention needs a closing ']]'",)),
    "unclosed {==": Case(article("It {==held out.\n"), (f"{BAD}:4:4: unclosed '{{==': it needs a closing '==}}'",)),
    "unclosed {>>": Case(article("It {>>a note.\n"), (f"{BAD}:4:4: unclosed '{{>>': it needs a closing '<<}}'",)),
    "empty mention [[]]": Case(article("See [[]].\n"), (f"{BAD}:4:5: mention has no entity: '[[]]'",)),
    "mention without target [[|text]]": Case(article("See [[|text]].\n"), (
        f"{BAD}:4:5: mention has no entity: '[[|text]]'",)),
    "mention with empty text [[Kabul|]]": Case(article("See [[Kabul|]].\n"), (
        f"{BAD}:4:5: mention has an empty text after '|'",)),
    "nested mentions": Case(article("See [[Kabul|the [[Taliban]] city]].\n"), (
        f"{BAD}:4:5: mentions cannot be nested",)),
    "CriticMarkup across paragraphs": Case(article("It {==held\n\nout==} long.\n"), (
        f"{BAD}:4:4: unclosed '{{==': it needs a closing '==}}'", "CriticMarkup cannot span paragraphs")),
    "substitution without ~>": Case(article("It {~~was~~} so.\n"), (
        f"{BAD}:4:4: substitution needs '~>' between old and new text",)),
    "footnote without definition": warning(article("Said so.[^9]\n"),
                                           f"{BAD}:4:1: warning: footnote [^9] has no definition"),
    # entities
    "entity id not a slug": Case(entity("Bad_Id", "Bad"), (
        "content/entities/Bad_Id.md:1:1: entity id 'Bad_Id' is not a slug", "e.g. bad-id.md")),
    "entity id with dots": Case(entity("a.b", "A B"), ("content/entities/a.b.md:1:1: entity id 'a.b' is not a slug",)),
    "entity id that is only a dot": Case(entity(".", "Dot"), (
        "content/entities/..md:1:1: entity id '.' is not a slug",)),
    "entity id reserved on Windows": Case(entity("con", "Con"), (
        "content/entities/con.md:1:1: entity id 'con' is not a slug",)),
    "new-entity id escaping content/": Case({}, ("'../../x' is not a valid entity id",),
                                           command=("new-entity", "X", "--type", "place", "--id", "../../x")),
    "new-entity absolute id": Case({}, ("'/tmp/gloss-x' is not a valid entity id",),
                                   command=("new-entity", "X", "--type", "place", "--id", "/tmp/gloss-x")),
    "new-entity name with no letters": Case({}, ("cannot make an id from the name '...'",),
                                            command=("new-entity", "...", "--type", "place")),
    "entity type not declared": Case(entity("kabul-city", "Kabul City", "city"), (
        "content/entities/kabul-city.md:3:1: entity type 'city' is not declared in site.yml",
        "hint: use one of: person, organization, place")),
    "alias equal to another entity's name makes its mentions ambiguous": Case(
        entity("kabul-city", "Kabul City", aliases="[Kabul]"),
        ("content/articles/panjshir-falls.md:7:90: ambiguous entity 'Kabul': it could be kabul (Kabul), "
         "kabul-city (Kabul City)",)),
    "alias repeating the entity's own name": warning(
        entity("kabul-city", "Kabul City", aliases="[Kabul City, KC]"),
        "content/entities/kabul-city.md:4:1: warning: alias 'Kabul City' is this entity's own name or id (ignored)"),
    "two entities sharing an alias: warned at the aliases line": pytest.param(warning(
        MASSOUDS, "content/entities/ahmad-shah-massoud.md:4:1: warning: the name 'massoud' is shared by "
                  "ahmad-massoud, ahmad-shah-massoud")),
    "alias equal to another entity's name: warned at the aliases line": pytest.param(Case(
        entity("kabul-city", "Kabul City", aliases="[Kabul]"),
        ("content/entities/kabul-city.md:4:1: warning: the name 'kabul' is shared by kabul, kabul-city",))),
    # A cycle: two entities each listing the other's name (or id) as an alias, as a half-done merge leaves them.
    "cycle of aliases": pytest.param(warning(
        CYCLE,
        "content/entities/a-one.md:4:1: warning: entities a-one and b-two list each other as aliases (a cycle)")),
    "alias that is another entity's id": pytest.param(warning(
        entity("kabul-city", "Kabul City", aliases="[zabihullah-mujahid]"),
        "content/entities/kabul-city.md:4:1: warning: alias 'zabihullah-mujahid' is the id of another entity")),
    # config
    "missing site.yml": warning({"site.yml": None}, "site.yml: warning: no site.yml found; using defaults"),
    "unknown site.yml key": Case({"site.yml": "title: Mini\ntitel: typo\n"}, (
        "site.yml:2:1: unknown key 'titel' in site.yml", "hint: known keys: author, base_url")),
    "site.yml wrong type": Case({"site.yml": "title: [Mini]\n"}, ("site.yml:1:1: 'title' must be text, not list",)),
    "site.yml wrong bool": Case({"site.yml": "raw_html: 'yes'\n"}, (
        "site.yml:1:1: 'raw_html' must be true or false, not str ('yes')",)),
    "site.yml not UTF-8": Case({"site.yml": "title: Caf\xe9\n".encode("latin-1")}, ("site.yml is not UTF-8",)),
    "site.yml YAML error": Case({"site.yml": "title: Mini\ndescription: [a\n"}, (
        "site.yml:3:1: site.yml is not valid YAML",)),
    **{f"output_dir {out}": Case({"site.yml": f"output_dir: '{out}'\n"}, (
        f"site.yml:1:1: output_dir '{out}' would overwrite your project files", "hint: use a folder of its own"))
       for out in ("content", "seeds", ".", "/", "..")},
    "output_dir inside content/": Case({"site.yml": "output_dir: content/site\n"}, (
        "site.yml:1:1: output_dir 'content/site' is inside content/",)),
    # one huge input (issue 19, point 6): refused at the limit, with the limit in the message
    "article larger than 4 MB": Case({BAD: "---\ntitle: Big\n---\n" + "word " * 900_000}, (
        f"{BAD}: file is 4.5 MB, more than the 4 MB Gloss reads for one article or entity",
        "hint: split it into several articles")),
    "seed naming more new entities than an article has": Case({"seeds/names.txt": many_names(2600)}, (
        "seeds/names.txt: seed names 2,600 new entities, more than the 2,000 ingest makes for one article",
        "hint: split it into one file per article"), command=("ingest",)),
    # control characters (point 7): refused in content, with their place; a seed's are removed (test below)
    "control character in an article's body": Case(article("See \x1b[31mKabul\x07.\n"), (
        f"{BAD}:4:5: file has a control character, U+001B (and 1 more): no page or feed can hold it",
        "hint: delete it: it is invisible")),
    "control character written as an escape in front matter": Case(article("Body.\n", 'title: "Bad\\ebell"\n'), (
        f"{BAD}:2:8: front matter has a control character, U+001B, in a value: no page or feed can hold it",
        "hint: remove its escape")),
    "vertical tab in an entity's name": Case(entity("kabul-city", "Kabul\x0bCity"), (
        "content/entities/kabul-city.md:2:12: file has a control character, U+000B",)),
    "control character in site.yml": Case({"site.yml": "title: Mini\x01\n"}, (
        "site.yml:1:12: site.yml has a control character, U+0001",)),
    # ids and addresses (points 8, 11)
    "entity type id with a quote": Case({"site.yml": 'title: Mini\nentity_types:\n  - {id: \'pl"ace\'}\n'}, (
        "site.yml:2:1: entity type id 'pl\"ace' is not a slug", "hint: ids are lowercase letters")),
    "entity type declared twice": Case({"site.yml": "entity_types: [person, place, place]\n"}, (
        "site.yml:1:1: entity type 'place' is declared twice",)),
    "base_url javascript:": Case({"site.yml": "title: Mini\nbase_url: 'javascript:alert(1)//'\n"}, (
        "site.yml:2:1: 'base_url' must be an http(s) address like https://example.org/, not 'javascript:alert(1)//'",
    )),
    "base_url without a host": Case({"site.yml": "base_url: 'https:///x'\n"},
                                    ("'base_url' must be an http(s) address",)),
    "empty title": Case(article("Body.\n", "title: ''\n"), (f"{BAD}:2:1: 'title' is empty",)),
    "empty entity name": Case(entity("nameless", "' '"), ("content/entities/nameless.md:2:1: 'name' is empty",)),
    "empty alias": warning(entity("kabul-city", "Kabul City", aliases="['', KC]"),
                           "content/entities/kabul-city.md:4:1: warning: an alias is empty (ignored)"),
    "duplicate key in front matter": warning(article("Body.\n", "title: Bad\nsummary: a\ntitle: Worse\n"),
                                             f"{BAD}:4:1: warning: key 'title' is given twice (first on line 2): "
                                             "only this last value counts"),
    "duplicate key inside a front matter mapping": warning(
        {"content/entities/kabul-city.md": "---\nname: Kabul City\ntype: place\nlinks:\n  web: https://a.example/\n"
                                           "  web: https://b.example/\n---\n"},
        "content/entities/kabul-city.md:6:1: warning: key 'web' is given twice (first on line 5)"),
    "duplicate key in site.yml": warning({"site.yml": "title: Mini\ntitle: Again\n"},
                                         "site.yml:2:1: warning: key 'title' is given twice (first on line 1)"),
    "article in a subfolder": warning({"content/articles/more/late.md": "---\ntitle: Late\n---\nBody.\n"},
                                      "content/articles/more: warning: folder more/ is not read: articles are the "
                                      "*.md files in content/articles/ itself"),
    "article named *.MD": warning({"content/articles/Late.MD": "---\ntitle: Late\n---\nBody.\n"},
                                  "content/articles/Late.MD: warning: Late.MD is not read: only files named *.md are",
                                  "hint: rename it to Late.md"),
    "entity named *.markdown": warning({"content/entities/late.markdown": "---\nname: Late\ntype: place\n---\n"},
                                       "content/entities/late.markdown: warning: late.markdown is not read"),
    "look-alike name beside an existing one": warning(
        entity("kabul-2", "K\u0430bul"),
        "content/entities/kabul-2.md:2:1: warning: the name 'K\u0430bul' looks like 'Kabul' of kabul but is spelt "
        "with other letters (\u0430: Cyrillic)"),
    "look-alike alias in full-width letters": warning(
        entity("kabul-city", "Kabul City", aliases="[\uff2b\uff41\uff42\uff55\uff4c]"),
        "content/entities/kabul-city.md:4:1: warning: the name '\uff2b\uff41\uff42\uff55\uff4c' looks like 'Kabul' of "
        "kabul"),
    # tracebacks and causes (point 10)
    "ingest manifest that is not a mapping of articles": Case({"content/.gloss-ingest.json": "[1, 2]\n"}, (
        "content/.gloss-ingest.json: ingest manifest is not what ingest writes: a list, not a mapping of articles",
        "hint: restore it from version control, or delete it"), command=("ingest",)),
    "ingest manifest entry that is not a mapping": Case(
        {"content/.gloss-ingest.json": '{"content/articles/a.md": 5}'}, (
        "content/.gloss-ingest.json: ingest manifest is not what ingest writes: the entry of "
        "'content/articles/a.md' needs text values for seed, seed_sha256, written_sha256",), command=("ingest",)),
    "type evidence file that is not what ingest writes": Case(
        {"content/.gloss-types.json": '{"evidence": {"kabul": 5}}',
         "seeds/rain.txt": "Rain in Kabul\n\nIt rained in Kabul on Monday.\n"},
        ("content/.gloss-types.json: type evidence file is not valid: it is not what ingest writes",),
        command=("ingest",)),
    "seed file name with a control character": Case({"seeds/bad\x1b.txt": "Rain\n\nIt rained.\n"}, (
        "seeds: seed file name 'bad\\x1b.txt' has a control character",), command=("ingest",)),
    "new-entity name with a control character": Case({}, (
        "the name 'Ka\\x1bbul' has a control character, U+001B: no page or feed can hold it",),
        command=("new-entity", "Ka\x1bbul", "--type", "place")),
    "new-entity with an empty alias": Case({}, ("the alias is empty",),
                                           command=("new-entity", "Kabul City", "--type", "place", "--alias", " ")),
    "UTF-16 article": Case({BAD: "---\ntitle: Bad\n---\nBody.\n".encode("utf-16")}, (
        f"{BAD}: file is UTF-16 (little-endian) text, not UTF-8", 'hint: save it as UTF-8 in your editor ("UTF-8", '
                                                                 'not "Unicode")')),
    "UTF-16 article without a byte order mark": Case({BAD: "---\ntitle: Bad\n---\nBody.\n".encode("utf-16-be")}, (
        f"{BAD}: file is UTF-16 (big-endian) text, not UTF-8",)),
    "an entity file with an error is named as the cause of its mentions' errors": Case(
        {"content/entities/kabul.md": "---\nname: Kabul\ntype: [place\n---\n"}, (
            "content/entities/kabul.md:4:1: front matter is not valid YAML",
            "content/articles/panjshir-falls.md:7:90: unknown entity 'Kabul': content/entities/kabul.md has an error, "
            "so kabul is not loaded\n    hint: fix the error reported in content/entities/kabul.md; this mention will "
            "then link")),
    # theme
    "template syntax error": Case({"theme/templates/tag.html": "{% extends 'base.html' %}\n{% block main %}\n{{ x }\n"},
                                  ("theme/templates/tag.html:3:1: template syntax error",)),
    "missing template": Case({"theme/templates/tag.html": None}, (
        "template 'tag.html' is missing (needed for tags/afghanistan/index.html)",)),
}


@pytest.fixture(scope="module")
def built_mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini site with its last good build."""
    root = tmp_path_factory.mktemp("good") / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    shutil.copytree(ROOT / "theme", root / "theme")
    result = run_gloss(root, "build", "--no-search")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def site(built_mini: Path, tmp_path: Path) -> Path:
    root = tmp_path / "mini"
    shutil.copytree(built_mini, root, symlinks=True)
    return root


def apply(root: Path, files: dict[str, str | bytes | None]) -> None:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if data is None:
            path.unlink()
        elif isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_bad_input_gets_a_located_message_and_changes_nothing(site: Path, case: Case) -> None:
    apply(site, case.files)
    content, output = tree_hash(site / "content"), tree_hash(site / "_site")
    everything_else = {p for p in site.parent.parent.rglob("*")}
    result = run_gloss(site, *case.command)
    assert "Traceback" not in result.stderr + result.stdout
    for message in case.messages:
        assert message in result.stderr, f"{message!r} not in:\n{result.stderr}"
    assert result.returncode == case.code, result.stderr
    assert tree_hash(site / "content") == content
    assert tree_hash(site / "_site") == output
    assert [p.name for p in site.iterdir() if p.name.startswith("._site")] == []
    assert {p for p in site.parent.parent.rglob("*")} - everything_else <= set(site.rglob("*"))


def test_mention_in_code_span_stays_code(site: Path) -> None:
    apply(site, article("Write `[[Atlantis]]` and `{==x` for a mention.\n"))
    result = run_gloss(site, "build", "--no-search")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    html = (site / "_site/articles/bad/index.html").read_text(encoding="utf-8")
    assert "<code>[[Atlantis]]</code>" in html and "<code>{==x</code>" in html


@pytest.mark.parametrize(("name", "data"), [
    ("CRLF", b"---\r\ntitle: Line ends\r\n---\r\nSee [[Kabul]].\r\n"),
    ("CR", b"---\rtitle: Line ends\r---\rSee [[Kabul]].\r"),
    ("BOM", b"\xef\xbb\xbf---\ntitle: Line ends\n---\nSee [[Kabul]].\n"),
])
def test_article_with_other_line_ends_or_bom_builds(site: Path, name: str, data: bytes) -> None:
    apply(site, {BAD: data})
    result = run_gloss(site, "build", "--no-search")
    assert result.returncode == 0, result.stderr
    html = (site / "_site/articles/bad/index.html").read_text(encoding="utf-8")
    assert "<h1>Line ends</h1>" in html or ">Line ends</h1>" in html
    assert 'data-entity="kabul"' in html


def test_errors_in_cr_only_file_have_editor_line_numbers(site: Path) -> None:
    apply(site, {BAD: b"---\rtitle: Bad\r---\rFine.\r\rSee [[Atlantis]].\r"})
    result = run_gloss(site, "check")
    assert result.returncode == 1
    assert f"{BAD}:6:5: unknown entity 'Atlantis'" in result.stderr


def test_missing_project_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run_gloss(tmp_path, "--root", str(tmp_path / "nowhere"), "check")
    assert result.returncode == 2
    assert f"{tmp_path / 'nowhere'}: error: no such project folder" in result.stderr
    assert not (tmp_path / "nowhere").exists()


def test_a_file_in_the_way_gets_a_located_message_and_keeps_the_last_site(site: Path) -> None:
    """What the system refuses (a full disk, a file where a folder must go) is reported like bad input."""
    shutil.rmtree(site / ".gloss-cache")
    (site / ".gloss-cache").write_text("not a folder\n", encoding="utf-8")
    output = tree_hash(site / "_site")
    result = run_gloss(site, "build", "--no-search")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert f"{site / '.gloss-cache'}: the system refused this path: File exists" in result.stderr
    assert "hint: a file stands where a folder must go (or the other way round): move it out of the way" \
        in result.stderr
    assert tree_hash(site / "_site") == output


# ---------------------------------------------------------------- limits, causes and hints (issue 19)

def _limited(resource_id: int, limit: int):
    return lambda: resource.setrlimit(resource_id, (limit, limit))


def test_a_three_gigabyte_seed_is_refused_by_its_size_without_being_read(site: Path) -> None:
    """Its size is looked at first: read, it would not fit in the 512 MB this process may use."""
    (site / "seeds").mkdir()
    with (site / "seeds/huge.txt").open("wb") as handle:
        handle.truncate(3_000_000_000)  # sparse: no disk is used
    content = tree_hash(site / "content")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(site), "ingest"], text=True,
                            capture_output=True, timeout=120, preexec_fn=_limited(resource.RLIMIT_AS, 512 * 2**20))
    assert result.returncode == 1, result.stderr
    assert "seeds/huge.txt: seed is 3000.0 MB, more than the 1 MB ingest takes for one article" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_hash(site / "content") == content


def test_an_os_error_without_a_path_names_the_file_being_written_and_its_reason(site: Path) -> None:
    """A write that the system stops half-way (here a file size limit, as a full disk does) names the
    file, not '<gloss>', and the hint fits the reason: not 'free some disk space' for every error."""
    (site / "seeds").mkdir()
    (site / "seeds/long.txt").write_text("Long Day\n\n" + "It rained in Kabul on Monday. " * 400, encoding="utf-8")
    content = tree_hash(site / "content")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(site), "ingest"], text=True,
                            capture_output=True, timeout=120, preexec_fn=_limited(resource.RLIMIT_FSIZE, 4096))
    assert result.returncode == 1, result.stderr
    assert "content/articles/long-day.md: the system refused this path: File too large" in result.stderr
    assert "hint: the file is larger than this system lets a program write" in result.stderr
    assert "<gloss>" not in result.stderr and "Traceback" not in result.stderr
    assert tree_hash(site / "content") == content


@pytest.mark.parametrize(("number", "hint"), [
    (errno.ENOSPC, "the disk is full: free some space"),
    (errno.EACCES, "you may not read or write this path: check its permissions"),
    (errno.EROFS, "this file system is read-only"),
    (errno.ENOENT, "it is not there: was it moved or deleted while the command ran?"),
])
def test_each_os_error_gets_the_hint_of_its_reason(tmp_path: Path, number: int, hint: str) -> None:
    named = system_error(OSError(number, os.strerror(number), str(tmp_path / "x.md")), tmp_path)
    assert named.format().startswith(f"{tmp_path / 'x.md'}: the system refused this path: {os.strerror(number)}")
    unnamed = system_error(OSError(number, os.strerror(number)), tmp_path)
    assert unnamed.format().startswith(f"{tmp_path}: the system refused: {os.strerror(number)}")
    assert unnamed.hint.startswith(hint) and named.hint.startswith(hint)
    assert ("free some" in hint) == ("free some" in named.hint)


def test_mentions_of_an_entity_whose_file_has_an_error_do_not_say_create_it(site: Path) -> None:
    apply(site, {"content/entities/kabul.md": "---\nname: Kabul\ntype: [place\n---\n"})
    result = run_gloss(site, "check")
    assert result.returncode == 1
    assert result.stderr.count("content/entities/kabul.md:4:1: front matter is not valid YAML") == 1
    assert result.stderr.count("content/entities/kabul.md has an error, so kabul is not loaded") >= 2
    assert "unknown entity 'Kabul'\n    hint: create it with" not in result.stderr
    assert "unknown entity 'kabul'\n    hint: create it with" not in result.stderr


def _busy_children(pid: int) -> int:
    """How many of the process's children have run for 50 ms of CPU (workers at work on a task)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        stats = [Path(f"/proc/{child}/stat").read_text().rpartition(")")[2].split() for child in children]
    except OSError:
        return 0
    return sum(int(stat[11]) * 1000 // os.sysconf("SC_CLK_TCK") >= 50 for stat in stats)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux's /proc to see the workers")
def test_a_killed_build_leaves_no_worker_printing_a_broken_pipe(tmp_path: Path) -> None:
    """The builder is killed while its workers parse: each ends quietly when it finds no one to give
    its results to (the pipe closed), with no BrokenPipeError traceback on the terminal."""
    root = tmp_path / "big"
    shutil.copytree(FIXTURES / "mini", root)
    shutil.copytree(ROOT / "theme", root / "theme")
    body = "See [[Kabul]] and [[taliban|the Taliban]] again. " * 200
    for i in range(600):
        (root / f"content/articles/a{i}.md").write_text(f"---\ntitle: A{i}\n---\n{body}\n", encoding="utf-8")
    build = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(root), "build", "--no-search",
                              "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while build.poll() is None and _busy_children(build.pid) < 2:
        time.sleep(0.005)  # until both workers are at work
    assert build.poll() is None, "the build ended before its workers started"
    build.kill()
    _, stderr = build.communicate(timeout=120)  # returns once the workers, which share the pipe, are gone
    assert "BrokenPipeError" not in stderr and "Traceback" not in stderr, stderr
