"""The guide's reference pages are made from the code; these fail when the two drift apart."""

from __future__ import annotations

import re

from conftest import ROOT

from gloss import __version__
from gloss.cli import make_parser
from gloss.config import schema_keys
from gloss.reference import KEY_HELP, cli_reference, site_yml_reference

HINT = "run `make docs` and commit docs/reference/"


def test_site_yml_reference_matches_the_schema():
    assert (ROOT / "docs/reference/site-yml.md").read_text(encoding="utf-8") == site_yml_reference(), HINT


def test_cli_reference_matches_the_parser():
    assert (ROOT / "docs/reference/cli.md").read_text(encoding="utf-8") == cli_reference(make_parser()), HINT


def test_every_site_yml_key_is_explained():
    assert [key for key in schema_keys() if not KEY_HELP.get(key)] == []


def test_every_command_is_in_the_cli_reference():
    page = cli_reference(make_parser())
    for command in ("build", "ingest", "check", "serve", "new-entity", "entities", "merge", "rename", "annotate"):
        assert f"## `{command}`" in page


def test_version_is_the_changelogs_latest_release():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", changelog, re.MULTILINE)
    assert released and released[0] == __version__
