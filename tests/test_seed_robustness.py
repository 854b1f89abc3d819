"""Bad seeds through the real command line: each gets its own message and exit code, and a refused
seed leaves content/ byte for byte as it was (issue 7, "seeds")."""

from __future__ import annotations

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import pytest
from conftest import FIXTURES, ROOT, run_gloss, tree_hash

from gloss.content import is_slug
from gloss.textfile import UNPUBLISHABLE

SEEDS = FIXTURES / "seeds"
EXISTING = "---\ntitle: Storm hits the coast\n---\nWritten by hand.\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project with one hand-written article and one good seed already in seeds/."""
    root = tmp_path / "site"
    (root / "seeds").mkdir(parents=True)
    (root / "content" / "articles").mkdir(parents=True)
    (root / "content" / "entities").mkdir()
    (root / "site.yml").write_text("title: Seeds\n", encoding="utf-8")
    (root / "content/articles/storm-hits-the-coast.md").write_text(EXISTING, encoding="utf-8")
    (root / "seeds" / "good.txt").write_text("Rain in Rome\nIt rained in Rome on Monday.\n", encoding="utf-8")
    return root


def add_seed(root: Path, name: str, data: bytes | None = None) -> Path:
    path = root / "seeds" / name
    if data is None:
        shutil.copyfile(SEEDS / name, path)
    else:
        path.write_bytes(data)
    return path


def article(root: Path, name: str) -> str:
    return (root / "content" / "articles" / name).read_bytes().decode("utf-8")


def refused(root: Path, name: str, data: bytes | None, message: str) -> None:
    """Ingest refuses the whole run with `message`, exit 1, no traceback, content/ untouched."""
    add_seed(root, name, data)
    before = tree_hash(root / "content")
    result = run_gloss(root, "ingest")
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_hash(root / "content") == before


def test_empty_seed_is_refused(root: Path):
    refused(root, "empty.txt", None, "seeds/empty.txt:1:1: seed is empty (0 bytes)\n"
                                     "    hint: put the article's text in the file, or delete it")


def test_whitespace_only_seed_is_refused(root: Path):
    assert (SEEDS / "whitespace.txt").read_bytes().strip() == b""
    refused(root, "whitespace.txt", None, "seeds/whitespace.txt:1:1: seed has only whitespace, no text")


def test_binary_seed_is_refused(root: Path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    refused(root, "image.txt", png, "seeds/image.txt: seed is a binary file, not text\n"
                                    "    hint: ingest reads plain-text (.txt) or Markdown (.md) articles")


def test_binary_seed_without_nul_bytes_is_refused(root: Path):
    refused(root, "noise.txt", bytes([1, 2, 3, 27, 65, 66]) * 200, "seeds/noise.txt: seed is a binary file, not text")


def test_seed_in_an_unknown_encoding_is_refused(root: Path):
    refused(root, "mixed.txt", b"Storm\nIt came \x81 in the night.\n",
            "seeds/mixed.txt:2:9: seed is not UTF-8, Latin-1 or Windows-1252 text (byte 14 cannot be read)")


def test_five_megabyte_single_line_seed_is_refused_quickly(root: Path):
    line = ("The storm hit Lisbon on Monday, officials said, and the National Weather Service (NWS) "
            "warned of more. ") * 50_000
    data = line.encode("utf-8")[:5_000_000] + b"\n"
    refused(root, "huge.txt", data, "seeds/huge.txt: seed is 5.0 MB, more than the 1 MB ingest takes for one "
                                    "article\n    hint: split it into one file per article")


def test_long_single_line_seed_under_the_limit_is_ingested(root: Path):
    line = "The storm hit Lisbon on Monday, officials said, and the National Weather Service (NWS) warned. " * 9000
    add_seed(root, "long.txt", line.encode("utf-8"))
    assert (root / "seeds/long.txt").stat().st_size > 800_000
    result = run_gloss(root, "ingest", "seeds/long.txt")
    assert result.returncode == 0, result.stderr
    [written] = [p for p in (root / "content/articles").glob("the-storm-hit-lisbon*.md")]
    assert written.read_text(encoding="utf-8").count("[[lisbon|Lisbon]]") == 9000


@pytest.mark.parametrize(("name", "encoding", "where", "expected"), [
    ("latin1.txt", "Latin-1", "1:11", "The café near the [[limmat|Limmat]] closed after the storm, said "
                                      "[[jurg-muller|Jürg Müller]]."),
    ("windows1252.txt", "Windows-1252", "2:1", "“We closed the café,” said [[zoe-martin|Zoé Martin]] – the owner."),
])
def test_latin1_and_windows1252_seeds_are_converted_with_a_warning(root: Path, name: str, encoding: str,
                                                                    where: str, expected: str):
    add_seed(root, name)
    before = (root / "content/articles/storm-hits-the-coast.md").read_bytes()
    result = run_gloss(root, "ingest", f"seeds/{name}")
    assert result.returncode == 0, result.stderr
    assert (f"seeds/{name}:{where}: warning: seed is not UTF-8: read it as {encoding} and wrote the article as UTF-8\n"
            "    hint: check the accented letters and quotes in the article") in result.stderr
    [written] = [p for p in (root / "content/articles").glob("storm-in-*.md")]
    assert expected in written.read_text(encoding="utf-8")
    assert (root / "content/articles/storm-hits-the-coast.md").read_bytes() == before


def test_utf8_bom_is_dropped_without_a_warning(root: Path):
    assert (SEEDS / "bom.txt").read_bytes().startswith(b"\xef\xbb\xbf")
    add_seed(root, "bom.txt")
    result = run_gloss(root, "ingest", "seeds/bom.txt")
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    text = article(root, "storm-in-berlin.md")
    assert text.startswith("---\ntitle: Storm in Berlin\n")
    assert "\ufeff" not in text


@pytest.mark.parametrize(("name", "city"), [("crlf.txt", "Madrid"), ("cr.txt", "Lisbon")])
def test_crlf_and_lone_cr_line_ends_give_the_same_paragraphs(root: Path, name: str, city: str):
    data = (SEEDS / name).read_bytes()
    assert (b"\r\n" in data) == (name == "crlf.txt") and b"\r" in data
    add_seed(root, name)
    result = run_gloss(root, "ingest", f"seeds/{name}")
    assert result.returncode == 0, result.stderr
    text = article(root, f"storm-in-{city.lower()}.md")
    assert "\r" not in text
    assert text.endswith(f"---\nThe storm hit [[{city.lower()}|{city}]] on Monday.\n\n"
                         f"Officials in [[{city.lower()}|{city}]] said it was over.\n")


def test_seed_whose_slug_is_taken_by_an_article_gets_its_own_and_says_so(root: Path):
    add_seed(root, "storm-hits-the-coast.txt")
    before = (root / "content/articles/storm-hits-the-coast.md").read_bytes()
    result = run_gloss(root, "ingest", "seeds/storm-hits-the-coast.txt")
    assert result.returncode == 0, result.stderr
    assert ("seeds/storm-hits-the-coast.txt: warning: the slug 'storm-hits-the-coast' is taken by "
            "content/articles/storm-hits-the-coast.md, so this seed's article is "
            "content/articles/storm-hits-the-coast-2.md") in result.stderr
    assert (root / "content/articles/storm-hits-the-coast.md").read_bytes() == before
    assert article(root, "storm-hits-the-coast-2.md").startswith("---\ntitle: Storm hits the coast\n")


def test_title_in_cyrillic_is_transliterated_into_the_slug(root: Path):
    add_seed(root, "cyrillic-title.txt")
    assert run_gloss(root, "ingest", "seeds/cyrillic-title.txt").returncode == 0
    assert article(root, "pozhar-v-moskve.md").startswith("---\ntitle: Пожар в Москве\n")


@pytest.mark.parametrize("names", [("punctuation-title.txt", "other-punctuation-title.txt"), ("chinese-title.txt",)])
def test_title_without_latin_letters_gets_a_safe_unique_hashed_slug(root: Path, names: tuple[str, ...]):
    for name in names:
        add_seed(root, name)
    result = run_gloss(root, "ingest", *(f"seeds/{n}" for n in names))
    assert result.returncode == 0, result.stderr
    slugs = [p.stem for p in (root / "content/articles").glob("article-*.md")]
    assert len(slugs) == len(names)
    assert all(re.fullmatch(r"article-[0-9a-f]{10}", s) and is_slug(s) for s in slugs)


def test_every_fixture_seed_ingests_or_is_refused_without_a_traceback(root: Path):
    for path in SEEDS.iterdir():
        add_seed(root, path.name)
    result = run_gloss(root, "ingest")
    assert "Traceback" not in result.stderr
    assert result.returncode == 1  # the empty and blank seeds stop the run before anything is written
    assert sorted(os.listdir(root / "content/articles")) == ["storm-hits-the-coast.md"]


# ---------------------------------------------------------------- control characters and UTF-16 (issue 19)

CONTROLLED = ("Storm\x1b[1m in Oslo\x07\n\n"
              "The storm hit Oslo\x0b on Monday.\x01 Officials in Oslo said it was\x0c over.\n")


def test_a_seeds_control_characters_are_removed_and_every_output_parses_strictly(root: Path):
    """ESC, BEL, VT, FF and \\x01 in a seed's title and body: ingest removes them (saying where the first
    was), so feed.xml and sitemap.xml parse as XML, the annotations as JSON, and every page as HTML
    without a parse error."""
    (root / "site.yml").write_text("title: Seeds\nbase_url: https://example.org/\n", encoding="utf-8")
    shutil.copytree(ROOT / "theme", root / "theme")
    add_seed(root, "controls.txt", CONTROLLED.encode("utf-8"))
    result = run_gloss(root, "build", "--no-search")
    assert result.returncode == 0, result.stderr
    assert ("seeds/controls.txt:1:6: warning: seed has 5 control character(s), such as ESC or BEL: removed them "
            "(no page or feed can hold them)") in result.stderr
    text = article(root, "storm-1m-in-oslo.md")
    assert text.startswith("---\ntitle: Storm[1m in Oslo\n")
    assert "The storm hit [[oslo|Oslo]]  on Monday. Officials in [[oslo|Oslo]] said it was  over." in text
    site = root / "_site"
    for name in ("feed.xml", "sitemap.xml"):
        ET.fromstring((site / name).read_bytes())  # XML 1.0 refuses these characters outright
    for path in [site / "annotations.jsonld", *(site / "annotations").glob("*.jsonld")]:
        json.loads(path.read_bytes())
    parser = html5lib.HTMLParser(strict=True)
    for page in site.rglob("*.html"):
        parser.parse(page.read_bytes())
    for path in site.rglob("*"):
        if path.suffix in {".html", ".xml", ".json", ".jsonld", ".txt"}:
            assert not UNPUBLISHABLE.search(path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize(("encoding", "order"), [("utf-16", "little-endian"), ("utf-16-be", "big-endian"),
                                                 ("utf-16-le", "little-endian")])
def test_a_utf16_seed_is_read_as_utf16_with_a_warning(root: Path, encoding: str, order: str):
    """What Windows editors save as "Unicode": with a byte order mark (utf-16), or without one, its
    byte order seen from the zero bytes of its ASCII letters."""
    add_seed(root, "unicode.txt", "Storm in Zürich\n\nThe storm hit Zürich on Monday.\n".encode(encoding))
    result = run_gloss(root, "ingest", "seeds/unicode.txt")
    assert result.returncode == 0, result.stderr
    assert (f"seeds/unicode.txt: warning: seed is not UTF-8: read it as UTF-16 ({order}) and wrote the article "
            "as UTF-8") in result.stderr
    assert "binary" not in result.stderr
    assert article(root, "storm-in-zurich.md").endswith("---\nThe storm hit [[zurich|Zürich]] on Monday.\n")
