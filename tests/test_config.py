from __future__ import annotations

from pathlib import Path

import pytest

from gloss.config import load_config
from gloss.errors import GlossError, Problems


def write_config(root: Path, text: str) -> Path:
    (root / "site.yml").write_text(text, encoding="utf-8")
    return root


def test_missing_site_yml_uses_defaults_and_says_so(tmp_path: Path) -> None:
    problems = Problems()
    config = load_config(tmp_path, problems)
    assert config.title == "Gloss"
    assert [t.id for t in config.entity_types] == ["person", "organization", "place"]
    assert "no site.yml found; using defaults" in problems.warnings[0].message


def test_config_values_are_read(tmp_path: Path) -> None:
    write_config(tmp_path, "title: News\nbase_url: https://x.org/\n"
                           "entity_types: [person, {id: event, plural: Events}]\n")
    config = load_config(tmp_path)
    assert config.title == "News" and config.base_url == "https://x.org/"
    assert [(t.id, t.label, t.plural) for t in config.entity_types] == [
        ("person", "Person", "Persons"), ("event", "Event", "Events")]


def test_unknown_key_is_an_error_with_its_line(tmp_path: Path) -> None:
    write_config(tmp_path, "title: x\n\ntitel: y\n")
    with pytest.raises(GlossError) as caught:
        load_config(tmp_path)
    assert caught.value.line == 3
    assert "unknown key 'titel'" in caught.value.message


def test_wrong_type_is_an_error_with_its_line(tmp_path: Path) -> None:
    write_config(tmp_path, "title: x\nraw_html: 'yes please'\n")
    with pytest.raises(GlossError) as caught:
        load_config(tmp_path)
    assert (caught.value.line, caught.value.message.split(",")[0]) == (2, "'raw_html' must be true or false")


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    write_config(tmp_path, "title: x\ndescription: [unclosed\n")
    with pytest.raises(GlossError) as caught:
        load_config(tmp_path)
    assert caught.value.path.endswith("site.yml") and caught.value.line == 3


@pytest.mark.parametrize("out", [".", "content", "seeds", "theme", "/", "..", "content/site", ".gloss-cache",
                                 ".gloss-cache/site"])
def test_output_dir_over_project_files_is_refused(tmp_path: Path, out: str) -> None:
    write_config(tmp_path, f"output_dir: '{out}'\n")
    with pytest.raises(GlossError) as caught:
        load_config(tmp_path)
    assert "output_dir" in caught.value.message


def test_editor_url_defaults_to_vscode_and_can_be_set_or_turned_off(tmp_path: Path) -> None:
    assert load_config(tmp_path).editor_url == "vscode://file/{path}:{line}"
    write_config(tmp_path, 'editor_url: "subl://open?url=file://{path}&line={line}"\n')
    assert load_config(tmp_path).editor_url == "subl://open?url=file://{path}&line={line}"
    write_config(tmp_path, 'editor_url: ""\n')
    assert load_config(tmp_path).editor_url == ""


@pytest.mark.parametrize("url", ["javascript:alert('{path}')", " JavaScript:x({path})", "data:text/html,{path}",
                                 "vscode://file/somewhere:{line}", "{path}:{line}", "7"])
def test_editor_url_that_is_no_editor_link_is_refused(tmp_path: Path, url: str) -> None:
    write_config(tmp_path, f"title: x\neditor_url: {url!r}\n")
    with pytest.raises(GlossError) as caught:
        load_config(tmp_path)
    assert caught.value.line == 2 and "'editor_url' must be" in caught.value.message
