"""The review desk of `build.py serve` in a real Chromium: fix buttons change the files exactly as
the command does and the page reloads; a page of another origin or host, or one without the token,
changes nothing; the built site holds no review page, marks or buttons."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from browser import CHROMIUM, CHROMIUM_ARGS, browser, context_options, page, serve  # noqa: F401 - pytest fixtures
from conftest import run_gloss, tree_hash
from devserver import DevServer, wait_until
from test_serve_review import FIX, add_guess, assert_no_review_in


@pytest.fixture
def review_site(mini_site: Path) -> Path:
    return add_guess(mini_site)


@pytest.fixture
def server(review_site: Path):
    dev = DevServer(review_site)
    yield dev
    dev.stop()


def fixed_by_hand(site: Path, workdir: Path, command: str) -> Path:
    """A copy of the site's content with `command` run on it from the command line."""
    copy = workdir / "by-hand"
    shutil.copytree(site / "content", copy / "content")
    shutil.copy(site / "site.yml", copy / "site.yml")
    result = run_gloss(copy, *command.split()[1:])
    assert result.returncode == 0, result.stderr
    return copy / "content"


def open_connected(page, server: DevServer, path: str) -> None:  # noqa: F811
    """Open a page and wait until its livereload script is connected (so it hears the next reload)."""
    seen = len([line for line in server.lines if "Browser Connected:" in line])
    page.goto(server.url + path)
    wait_until(lambda: len([line for line in server.lines if "Browser Connected:" in line]) > seen,
               what=server.log)
    page.evaluate("window.__gloss_marker = 'first load'")


# `server` before `page`: the page closes (and checks its console) while the server still answers.
def test_fix_button_on_the_review_page_changes_the_files_as_the_command_does_and_reloads(
        server: DevServer, page, review_site: Path, tmp_path: Path) -> None:  # noqa: F811
    expected = tree_hash(fixed_by_hand(review_site, tmp_path, FIX))
    open_connected(page, server, "__gloss/review")
    assert page.locator("h1").inner_text() == "Review: 1 item"
    page.get_by_role("button", name="retype zorblat place").click()
    page.wait_for_function("() => window.__gloss_marker === undefined"
                           " && document.querySelector('h1').textContent === 'Review: 0 items'", timeout=20_000)
    assert tree_hash(review_site / "content") == expected
    assert "review: retyped zorblat from organization to place, confirmed" in server.log()


def test_guessed_mention_is_marked_and_its_card_carries_the_fixes(
        server: DevServer, page, review_site: Path, tmp_path: Path) -> None:  # noqa: F811
    expected = tree_hash(fixed_by_hand(review_site, tmp_path, "build.py confirm zorblat"))
    open_connected(page, server, "articles/talks/")
    marked = page.locator(".mention.gloss-review-mark")
    marked.wait_for()
    assert marked.count() == 1 and marked.get_attribute("data-entity") == "zorblat"
    assert marked.get_attribute("data-review") == "type"
    marked.hover()
    card = page.locator("#gloss-card .review-card")
    card.wait_for()
    assert "type: the type 'organization' is a guess" in card.inner_text()
    edit = card.locator("a.review-edit")
    assert edit.get_attribute("href") == f"vscode://file/{review_site / 'content/articles/talks.md'}:7"
    assert [b.inner_text() for b in card.locator("button.review-fix").all()] == [
        "confirm zorblat", "retype zorblat person", "retype zorblat place"]
    card.get_by_role("button", name="confirm zorblat").click()
    page.wait_for_function("() => window.__gloss_marker === undefined", timeout=20_000)
    assert tree_hash(review_site / "content") == expected
    queue = page.evaluate("fetch('/__gloss/review.json').then(r => r.json())")
    assert queue["items"] == []
    page.wait_for_load_state("networkidle")
    assert page.locator(".gloss-review-mark").count() == 0


ATTACK = """<!doctype html><title>elsewhere</title>
<form id="f" method="post" enctype="text/plain" action="{url}__gloss/fix">
<input name='{{"fix": "{fix}", "x": "' value='"}}'></form>
<script>
window.results = {{}};
fetch("{url}__gloss/fix", {{method: "POST", headers: {{"Content-Type": "application/json",
  "X-Gloss-Token": "{token}"}}, body: JSON.stringify({{fix: "{fix}"}})}})
  .then(r => {{ window.results.json = r.status; }}, e => {{ window.results.json = "blocked"; }});
fetch("{url}__gloss/fix", {{method: "POST", mode: "no-cors", headers: {{"Content-Type": "text/plain"}},
  body: JSON.stringify({{fix: "{fix}"}})}})
  .then(r => {{ window.results.simple = r.type; }}, e => {{ window.results.simple = "blocked"; }});
</script>"""


# a same-origin fetch of one fix, with or without a token; resolves to the answer's status
POST = """([fix, token]) => fetch('/__gloss/fix', {method: 'POST', body: JSON.stringify({fix: fix}),
    headers: Object.assign({'Content-Type': 'application/json'}, token ? {'X-Gloss-Token': token} : {})})
    .then(r => r.status)"""


def test_pages_of_another_origin_or_host_or_without_the_token_change_nothing(
        server: DevServer, browser, review_site: Path, tmp_path: Path) -> None:  # noqa: F811
    own = browser.new_context()
    review = own.new_page()
    review.goto(server.url + "__gloss/review")
    token = review.get_attribute('meta[name="gloss-review-token"]', "content")
    before = tree_hash(review_site / "content")
    # the server's own page, without the token
    assert review.evaluate(POST, [FIX, None]) == 403
    # a page of another origin, which even knows the token: fetch, no-cors fetch, and a form post
    www = tmp_path / "www"
    www.mkdir()
    (www / "index.html").write_text(ATTACK.format(url=server.url, fix=FIX, token=token))
    elsewhere = serve(www)
    try:
        attacker = own.new_page()
        attacker.goto(elsewhere.url)
        attacker.wait_for_function("() => window.results.json && window.results.simple")
        assert attacker.evaluate("window.results.json") == "blocked"  # its preflight was refused
        with attacker.expect_navigation():
            attacker.evaluate("document.getElementById('f').submit()")
        assert "requests from pages of other sites are refused" in attacker.inner_text("body")
    finally:
        elsewhere.server.shutdown()
        own.close()
    # DNS rebinding: a name of the attacker's that resolves to 127.0.0.1
    port = server.url.rstrip("/").rsplit(":", 1)[1]
    rebinding = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True,
        args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP rebind.test 127.0.0.1"])
    try:
        tab = rebinding.new_page()
        response = tab.goto(f"http://rebind.test:{port}/__gloss/review")
        assert response.status == 403 and token not in tab.content()
        assert tab.goto(f"http://rebind.test:{port}/articles/talks/").status == 403
        assert tab.evaluate(POST, [FIX, token]) == 403
    finally:
        rebinding.close()
    assert tree_hash(review_site / "content") == before
    assert "review:" not in server.log()
    assert json.loads(server.get("__gloss/review.json")[1])["items"][0]["entities"] == ["zorblat"]


def test_the_built_site_holds_no_review_page_marks_or_buttons(server: DevServer, page, review_site: Path) -> None:  # noqa: F811
    assert server.get("__gloss/review")[0] == 200  # the desk is there while serving...
    assert run_gloss(review_site, "build", "--no-search").returncode == 0
    assert_no_review_in(review_site / "_site")  # ...and nowhere in the built files
    static = serve(review_site / "_site")
    try:
        page.goto(static.url + "articles/talks/")
        page.wait_for_load_state("networkidle")
        page.hover('.mention[data-entity="zorblat"]')
        page.locator("#gloss-card").wait_for()
        served_only = ".gloss-review-mark, .review-card, button.review-fix, meta[name=gloss-review-token], " \
                      "script[src*=__gloss], script[src*=livereload]"
        assert page.locator(served_only).count() == 0
        assert page.evaluate("typeof window.LiveReload") == "undefined"
    finally:
        static.server.shutdown()
