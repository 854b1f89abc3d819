from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gloss.content import Entity, EntityRegistry, parse_article, parse_entity, slugify
from gloss.errors import GlossError, Problems

TYPES = ["person", "organization", "place"]
P = Path("content/articles/a.md")


def test_article_front_matter_and_body_line() -> None:
    article = parse_article("---\ntitle: T\ndate: 2021-09-06\ntags: [Afghan War]\n---\nBody\n", P, Problems())
    assert (article.title, article.date, article.tags, article.body_line) == (
        "T", dt.date(2021, 9, 6), ["afghan-war"], 6)
    assert article.body == "Body\n"


@pytest.mark.parametrize("text,line,message", [
    ("Just text\n", 1, "no front matter"),
    ("---\ntitle: T\nBody\n", 1, "front matter is not closed"),
    ("---\ntitle: T\ndate: [2021\n---\n", 4, "front matter is not valid YAML"),
    ("---\n- a\n- b\n---\n", 2, "front matter must be a mapping of keys to values, but it is a list"),
    ("---\njust words\n---\n", 2, "front matter must be a mapping of keys to values, but it is a single value"),
    ("---\ntitle: T\ndate: yesterday\n---\n", 3, "'date' must be a date like 2021-09-06"),
    ("---\ntitle: T\ntags: {a: 1}\n---\n", 3, "'tags' must be a list of text"),
    ("---\ndate: 2021-01-01\n---\n", 2, "missing 'title' in front matter"),
])
def test_bad_front_matter_is_reported_at_its_line(text: str, line: int, message: str) -> None:
    with pytest.raises(GlossError) as caught:
        parse_article(text, P, Problems())
    assert caught.value.line == line
    assert caught.value.message.startswith(message)


def test_unknown_front_matter_key_is_a_warning() -> None:
    problems = Problems()
    parse_article("---\ntitle: T\nauthr: me\n---\n", P, problems)
    assert problems.warnings[0].line == 3 and "unknown front matter key 'authr'" in problems.warnings[0].message


def test_entity_with_undeclared_type_is_refused() -> None:
    with pytest.raises(GlossError, match="entity type 'event' is not declared in site.yml"):
        parse_entity("---\nname: X\ntype: event\n---\n", Path("content/entities/x.md"), TYPES, Problems())


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "//evil.example"])
def test_entity_links_must_be_http(url: str) -> None:
    text = f"---\nname: X\ntype: place\nlinks: {{home: '{url}'}}\n---\n"
    with pytest.raises(GlossError, match="must be an http"):
        parse_entity(text, Path("content/entities/x.md"), TYPES, Problems())


@pytest.mark.parametrize("stem", ["Bad_Id", "con", "a.b", "-x"])
def test_entity_id_must_be_a_safe_slug(stem: str) -> None:
    with pytest.raises(GlossError, match="is not a slug"):
        parse_entity("---\nname: X\ntype: place\n---\n", Path(f"content/entities/{stem}.md"), TYPES, Problems())


def registry() -> EntityRegistry:
    def e(i: str, name: str, *aliases: str) -> Entity:
        return Entity(i, Path(f"{i}.md"), name, "person", aliases=list(aliases))
    return EntityRegistry([e("ahmad-massoud", "Ahmad Massoud", "Massoud"),
                           e("ahmad-shah-massoud", "Ahmad Shah Massoud", "Massoud"),
                           e("zabihullah-mujahid", "Zabihullah Mujahid", "Mujahid")])


def test_registry_resolves_id_name_and_alias_case_insensitively() -> None:
    reg = registry()
    assert reg.resolve("zabihullah-mujahid").id == "zabihullah-mujahid"
    assert reg.resolve("ZABIHULLAH  mujahid").id == "zabihullah-mujahid"
    assert reg.resolve("mujahid").id == "zabihullah-mujahid"


def test_registry_reports_ambiguous_and_unknown_names() -> None:
    reg = registry()
    assert reg.resolve("Massoud") is None
    assert reg.candidates("Massoud") == ["ahmad-massoud", "ahmad-shah-massoud"]
    assert reg.candidates("Nobody") == []
    assert reg.conflicts() == [("massoud", ["ahmad-massoud", "ahmad-shah-massoud"])]


def test_slugify_folds_accents_and_drops_the_rest() -> None:
    assert slugify("Ahmad Shāh Massoud’s “Front”") == "ahmad-shah-massouds-front"
    assert slugify("طالبان") == ""
