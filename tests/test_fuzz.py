"""Property-based tests: whatever text comes in, Gloss answers with a GlossError or a page, and the
page says exactly what the source said.

Bounded for `make test`; `make fuzz` runs the same properties with GLOSS_FUZZ_EXAMPLES examples
(20,000 by default), and the worst-case inputs at GLOSS_FUZZ_BYTES (a megabyte) rather than tens of
kilobytes. Cases a long session found are kept below as explicit examples.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import html5lib
import pytest
import worstcase
from conftest import FIXTURES, ROOT
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from gloss.config import load_config
from gloss.content import parse_article
from gloss.errors import GlossError, Problems
from gloss.markup import MENTION_PLACEHOLDER, create_markdown
from gloss.parse import parse_document
from gloss.render import html_text

EXAMPLES = int(os.environ.get("GLOSS_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BUILDS = settings(max_examples=max(EXAMPLES // 5, 20), deadline=None,
                  suppress_health_check=[HealthCheck.too_slow])
MD = create_markdown()
RAW_MD = create_markdown(raw_html=True)
# For the tests that the text is kept: typography (curly quotes, dashes) is the typographer's, tested
# case by case in tests/fixtures/markup/typography.md.
PLAIN_MD = create_markdown().disable(["replacements", "smartquotes", "gloss_lone_quotes"])

# Text that is full of Gloss and Markdown syntax, so that random draws hit the parser's corners.
SYNTAX = st.sampled_from(["[[", "]]", "|", "{==", "==}", "{>>", "<<}", "{++", "++}", "{--", "--}", "{~~", "~>",
                          "~~}", "`", "\\", "[^1]", "[^1]: ", "\n", "\n\n", "*", "_", "<", ">", "&", "#", "- ",
                          "1. ", "> ", "    ", "<b>", "</div>", "<script>", "](", ")", "\x00", "\r", "\ufeff"])
SOUP = st.lists(st.one_of(SYNTAX, st.text(max_size=8)), max_size=40).map("".join)
ANY_TEXT = st.one_of(st.text(), SOUP)


@FUZZ
@given(ANY_TEXT)
@example("{==a{>>b<<}==}")
@example("[[a|{==b]]==}")
@example("{>>[[a]]<<}[^1]\n\n[^1]: {>>x")
def test_parser_never_raises_on_any_text(text: str) -> None:
    for md in (MD, RAW_MD):
        doc = parse_document(md, text, Path("content/articles/f.md"), 4)
        assert all(isinstance(p, GlossError) and p.line >= 4 for p in doc.problems)
        assert all(m.line >= 4 for m in doc.mentions)


@FUZZ
@given(ANY_TEXT)
@example("---\n---")
@example("---\n: x\n---\n")
@example("---\ntitle: !!binary x\n---\n")
@example("---\ntitle: x\ndate: 2021-02-30\n---\n")
def test_article_loading_raises_only_gloss_errors(text: str) -> None:
    for source in (text, "---\n" + text, "---\ntitle: T\n" + text):
        try:
            parse_article(source, Path("content/articles/f.md"), Problems())
        except GlossError as error:
            assert error.path == "content/articles/f.md"


# ---------------------------------------------------------------- what the reader sees is what was written

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüßКиї", min_size=1, max_size=8)
PUNCT = st.sampled_from([".", ",", ";", ":", "?", "!", "'", '"', "(", ")", "–"])
PLAIN = st.lists(st.one_of(WORD, WORD, PUNCT), min_size=1, max_size=6).map(" ".join)


@st.composite
def annotated(draw: st.DrawFn) -> tuple[str, str]:
    """(source with mentions and CriticMarkup, the text a reader should see)."""
    source, shown = [], []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["plain", "mention", "named", "highlight", "insert", "delete", "substitute"]))
        text = draw(PLAIN)
        if kind == "plain":
            source.append(text), shown.append(text)
        elif kind == "mention":
            source.append(f"[[kabul|{text}]]"), shown.append(text)
        elif kind == "named":
            source.append("[[Kabul]]"), shown.append("Kabul")
        elif kind == "substitute":
            new = draw(PLAIN)
            source.append(f"{{~~{text}~>{new}~~}}"), shown.append(f"{text}{new}")
        else:
            mark = {"highlight": "==", "insert": "++", "delete": "--"}[kind]
            source.append(f"{{{mark}{text}{mark[::-1]}}}"), shown.append(text)
    return " ".join(source), " ".join(shown)


def visible_text(html: str) -> str:
    """The text of an HTML fragment, as a reader sees it, whitespace collapsed."""
    html = MENTION_PLACEHOLDER.sub("", html)
    fragment = html5lib.parseFragment(html, namespaceHTMLElements=False)
    return " ".join("".join(fragment.itertext()).split())


def squash(text: str) -> str:
    return " ".join(text.split())


@FUZZ
@given(annotated())
@example(("[[kabul|a]]: b", "a: b"))
@example(("x {==(==} y", "x ( y"))
def test_rendered_text_is_the_source_without_markup(case: tuple[str, str]) -> None:
    source, shown = case
    doc = parse_document(PLAIN_MD, source, Path("f.md"), 1)
    assert doc.problems == []
    assert visible_text(doc.html) == squash(shown)
    assert squash(doc.text) == squash(shown)


# ---------------------------------------------------------------- a whole one-article build

def one_article_site() -> Path:
    root = Path(tempfile.mkdtemp(prefix="gloss-fuzz-"))
    shutil.copytree(ROOT / "theme", root / "theme")
    (root / "content/articles").mkdir(parents=True)
    (root / "content/entities").mkdir()
    (root / "content/entities/kabul.md").write_text("---\nname: Kabul\ntype: place\n---\n", encoding="utf-8")
    (root / "site.yml").write_text("title: Fuzz\nbase_url: https://example.org/\n", encoding="utf-8")
    return root


@BUILDS
@given(st.one_of(ANY_TEXT, annotated().map(lambda case: case[0])), st.booleans())
@example("See [[Kabul]] and {>>a [[kabul|note]]<<}.[^1]\n\n[^1]: Source.", False)
@example("[[KABUL|0]]", True)  # the quote's suffix is the line end after the paragraph: in textContent only
def test_building_any_article_gives_a_site_or_gloss_errors(body: str, front_matter: bool) -> None:
    from gloss.builder import SiteBuilder

    root = one_article_site()
    try:
        text = f"---\ntitle: Fuzzed\ndate: 2021-09-06\n---\n{body}" if front_matter else body
        (root / "content/articles/fuzzed.md").write_text(text, encoding="utf-8", errors="surrogatepass")
        builder = SiteBuilder(load_config(root), workers=1, search=False, use_cache=False)
        try:
            builder.build(Problems())
        except GlossError:
            assert not (root / "_site").exists()
            return
        assert (root / "_site/articles/fuzzed/index.html").is_file()
        assert_annotations_quote_the_text(root, body_text(root / "_site/articles/fuzzed/index.html"))
    finally:
        shutil.rmtree(root, ignore_errors=True)


def body_text(page: Path) -> str:
    """The article body's text as a browser has it (its textContent): what the selectors quote."""
    tree = html5lib.parse(page.read_text(encoding="utf-8"), namespaceHTMLElements=False)
    return "".join(next(el for el in tree.iter("div") if el.get("class") == "article-body").itertext())


def assert_annotations_quote_the_text(root: Path, text: str) -> None:
    """The annotation page (assembled as a string, not by json.dumps) is JSON whose selectors quote
    the article body's text exactly, whatever characters it holds."""
    page = json.loads((root / "_site/annotations/fuzzed.jsonld").read_bytes())
    for item in page["items"]:
        selector = item["target"]["selector"]
        at = int(item["id"].rpartition("#m-")[2])
        assert selector["prefix"] + selector["exact"] + selector["suffix"] in text, at
        assert item["body"] == "https://example.org/entities/kabul/"


# ---------------------------------------------------------------- ingest, then parse

NAME = st.sampled_from(["Ahmad Massoud", "Kabul", "the Taliban", "Zabihullah Mujahid", "United Nations", "Mr. Smith"])
SEED_PARAGRAPH = st.lists(st.one_of(WORD, WORD, PUNCT, NAME), min_size=1, max_size=30).map(" ".join)
SEED = st.tuples(st.lists(WORD, min_size=1, max_size=6).map(" ".join),
                 st.lists(SEED_PARAGRAPH, min_size=1, max_size=4)).map(lambda s: s[0] + "\n\n" + "\n\n".join(s[1]))


def ingest_site() -> Path:
    root = one_article_site()
    (root / "seeds").mkdir()
    return root


@BUILDS
@given(SEED)
@example("AAA\n\nA")  # found by `make fuzz`: ingest turns a shouted title into title case (on purpose)
def test_ingest_then_parse_keeps_the_seed_words_in_order(seed: str) -> None:
    from gloss.ingest import ingest_seeds

    root = ingest_site()
    try:
        (root / "seeds/story.txt").write_text(seed, encoding="utf-8")
        config = load_config(root)
        report = ingest_seeds(config)
        assert len(report.written) == 1
        path = report.written[0]
        path = path if path.is_absolute() else root / path
        article = parse_article(path.read_text(encoding="utf-8"), Path("a.md"), Problems())
        doc = parse_document(PLAIN_MD, article.body, Path("a.md"), article.body_line)
        assert doc.problems == []
        title, body = seed.split("\n\n", 1)
        assert article.title.casefold().split() == title.casefold().split()
        assert doc.text.split() == body.split()
    finally:
        shutil.rmtree(root, ignore_errors=True)


@FUZZ
@given(st.text(alphabet=st.sampled_from("&<>'\"a é\n\\;#x0") | st.characters(), max_size=60))
def test_fast_escape_gives_what_markupsafe_gives(value: str) -> None:
    """Passages and mention tags are escaped by render.html_text, not markupsafe: same bytes."""
    assert html_text(value) == str(escape(value))


# ---------------------------------------------------------------- one huge input: time and memory bounded

# `make test` feeds each stage worst cases of tens of kilobytes (where a quadratic stage already takes
# seconds, and the build's old per-mention copies a gigabyte); `make fuzz` a megabyte, the most a seed
# may have. Each shape runs at a tiny size, at a quarter of the full one and at the full one.
HUGE = {"ingest": int(os.environ.get("GLOSS_FUZZ_BYTES", "60000")),
        "build": int(os.environ.get("GLOSS_FUZZ_BYTES", "200000"))}
TINY = 2000  # what every run costs whatever its input: starting, reading the site, writing its pages
MEMORY_LIMIT = 1536 * 2**20  # address space of each process: the runner and each run it forks
# 4 times the input may cost at most 8 times as much beyond the tiny run's cost (linear: 4; quadratic:
# 16), give or take what CPU time and peak memory vary by between two runs of the same input.
GROWTH, CPU_SLACK, MEMORY_SLACK_MB = 8, 0.25, 32


def cpu_budget(size: int) -> float:
    """CPU seconds one run may take: a start-up allowance, then linear in the size (a megabyte takes
    under 20 s on a busy two-core machine; these allow twice that). A guard against a stage slow on
    every size, which the ratio does not see; CPU time, not wall time, so a busy machine does not count."""
    return 10 + size / 25_000


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def grows_linearly(tiny: float, quarter: float, full: float, slack: float) -> bool:
    return full - tiny <= GROWTH * max(quarter - tiny, 0) + slack


@pytest.mark.parametrize(("stage", "shapes"), [("ingest", worstcase.SEED_SHAPES), ("build", worstcase.ARTICLE_SHAPES)])
def test_worst_case_inputs_take_linear_time_and_memory_under_a_limit(tmp_path: Path, stage: str,
                                                                     shapes: list[str]) -> None:
    """Each shape ingests (or builds) under the memory limit, with CPU time and peak memory that grow
    linearly with its size (measured by the system for each run), and a refusal is the limit's own
    message, never a traceback."""
    template = tmp_path / "site"
    shutil.copytree(FIXTURES / "mini", template)
    shutil.copytree(ROOT / "theme", template / "theme")
    size = HUGE[stage]
    sizes = (TINY, size // 4, size)
    command = [sys.executable, str(ROOT / "tests/worstcase.py"), stage, str(template), ",".join(map(str, sizes)),
               *shapes]
    result = subprocess.run(command, capture_output=True, text=True, preexec_fn=_limit_memory,
                            timeout=len(shapes) * sum(map(cpu_budget, sizes)) * 4)  # only if it hangs
    done = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(d["shape"], d["size"]) for d in done] == [(s, n) for s in shapes for n in sizes], \
        f"stopped after {[(d['shape'], d['size']) for d in done]}:\n{result.stderr[-3000:]}"
    refused = {"ingest": "new entities, more than the 2,000 ingest makes for one article",
               "build": ": unclosed '"}[stage]  # too many names for one seed; the unclosed [[ and {== shapes
    for found in done:
        assert "Traceback" not in found["stderr"], found
        assert found["code"] == 0 or (found["code"] == 1 and refused in found["stderr"]), found
        assert found["seconds"] < cpu_budget(found["size"]), found
    for tiny, quarter, full in zip(done[::3], done[1::3], done[2::3], strict=True):
        runs = f"{tiny}\n{quarter}\n{full}"
        assert grows_linearly(tiny["seconds"], quarter["seconds"], full["seconds"], CPU_SLACK), runs
        assert grows_linearly(tiny["peak_mb"], quarter["peak_mb"], full["peak_mb"], MEMORY_SLACK_MB), runs
