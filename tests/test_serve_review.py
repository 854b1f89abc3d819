"""The review desk of `build.py serve` over HTTP: who may apply a fix, what reaches the disk, and
that none of it reaches the built site."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import run_gloss, tree_hash
from devserver import DevServer, wait_until

from gloss.config import load_config
from gloss.errors import GlossError
from gloss.serve_review import apply_fix, checked_fix

GUESSED = "---\nname: Zorblat\ntype: organization\nreview: true\n---\n"
FIX = "build.py retype zorblat place"


def add_guess(site: Path) -> Path:
    """The mini site with one entity whose type ingest guessed, mentioned in talks.md."""
    (site / "content/entities/zorblat.md").write_text(GUESSED)
    article = site / "content/articles/talks.md"
    article.write_text(article.read_text().replace("spoke to reporters", "spoke to reporters from [[Zorblat]]"))
    return site


@pytest.fixture
def review_site(mini_site: Path) -> Path:
    return add_guess(mini_site)


@pytest.fixture
def server(review_site: Path):
    dev = DevServer(review_site)
    yield dev
    dev.stop()


def token_of(server: DevServer) -> str:
    status, page = server.get("__gloss/review")
    assert status == 200, page
    return re.search(r'<meta name="gloss-review-token" content="([^"]+)">', page).group(1)


def post_fix(server: DevServer, fix: str, **headers: str) -> tuple[int, dict]:
    base = {"Origin": server.url.rstrip("/"), "Content-Type": "application/json"}
    status, body = server.request("POST", "/__gloss/fix", {**base, **headers}, json.dumps({"fix": fix}).encode())
    return status, json.loads(body) if body.startswith(b"{") else {"message": body.decode()}


def test_review_page_lists_the_queue_with_passages_edit_links_and_buttons(server: DevServer,
                                                                          review_site: Path) -> None:
    status, page = server.get("__gloss/review")
    assert status == 200
    assert "Review: 1 item" in page and "the type &#x27;organization&#x27; is a guess" in page
    assert "spoke to reporters from Zorblat in the capital." in page  # the passage, markup gone
    assert f'href="vscode://file/{review_site / "content/articles/talks.md"}:7"' in page
    assert '<a href="/articles/talks/">content/articles/talks.md:7</a>' in page
    for fix in ("build.py confirm zorblat", "build.py retype zorblat person", FIX):
        assert f'data-fix="{fix}"' in page


def test_fix_with_the_pages_token_changes_the_files_as_the_command_does(server: DevServer, review_site: Path,
                                                                        tmp_path: Path) -> None:
    by_hand = tmp_path / "by-hand"
    shutil.copytree(review_site / "content", by_hand / "content")
    shutil.copy(review_site / "site.yml", by_hand / "site.yml")
    assert run_gloss(by_hand, *FIX.split()[1:]).returncode == 0
    status, answer = post_fix(server, FIX, **{"X-Gloss-Token": token_of(server)})
    assert (status, answer["message"]) == (200, "retyped zorblat from organization to place, confirmed")
    assert tree_hash(review_site / "content") == tree_hash(by_hand / "content")
    wait_until(lambda: any("zorblat.md changed" in line for line in server.rebuilds()), what=server.log)
    assert json.loads(server.get("__gloss/review.json")[1])["items"] == []
    assert 'data-type="place"' in server.get("articles/talks/")[1].split('data-entity="zorblat"')[1][:40]


@pytest.mark.parametrize("token", [None, "", "wrong", "x" * 43])
def test_post_without_this_runs_token_is_refused_and_changes_nothing(server: DevServer, review_site: Path,
                                                                     token: str | None) -> None:
    token_of(server)  # the queue is made: a refusal is not for want of it
    before = tree_hash(review_site / "content")
    status, _ = post_fix(server, FIX, **({} if token is None else {"X-Gloss-Token": token}))
    assert status == 403
    assert tree_hash(review_site / "content") == before


def test_post_from_another_origin_or_host_is_refused_even_with_the_token(server: DevServer,
                                                                         review_site: Path) -> None:
    token = token_of(server)
    port = server.url.rstrip("/").rsplit(":", 1)[1]
    before = tree_hash(review_site / "content")
    for headers in ({"Origin": "http://rebind.example"}, {"Origin": "null"},
                    {"Host": f"rebind.example:{port}", "Origin": f"http://rebind.example:{port}"},
                    {"Host": f"rebind.example:{port}", "Origin": server.url.rstrip("/")}):
        status, _ = post_fix(server, FIX, **{"X-Gloss-Token": token, **headers})
        assert status == 403, headers
    assert tree_hash(review_site / "content") == before
    assert "review:" not in server.log()


def test_only_a_fix_the_queue_offers_is_run(server: DevServer, review_site: Path) -> None:
    token = token_of(server)
    before = tree_hash(review_site / "content")
    for fix in ["build.py retype kabul person", "build.py unlink zorblat", "retype zorblat place",
                "build.py retype zorblat place --help", "build.py retype ../../site place"]:
        status, answer = post_fix(server, fix, **{"X-Gloss-Token": token})
        assert status == 409 and "no longer offers" in answer["message"], fix
    status, _ = post_fix(server, FIX, **{"X-Gloss-Token": token, "Content-Type": "text/plain"})
    assert status == 415
    assert tree_hash(review_site / "content") == before


@pytest.mark.parametrize("line", ["build.py retype ../../site place", "build.py retype Zorblat place",
                                  "build.py split zorblat --in ../articles/talks --as new",
                                  "build.py merge zorblat /etc/passwd", "build.py confirm zorblat ..",
                                  "build.py retype zorblat '\"><script>'", "build.py unlink zorblat --text 'a\x00b'"])
def test_ids_in_a_fix_are_checked_before_anything_runs(review_site: Path, line: str) -> None:
    config = load_config(review_site)
    before = tree_hash(review_site)
    with pytest.raises(GlossError):
        checked_fix(config, line)
    with pytest.raises(GlossError):
        apply_fix(config, line)
    assert tree_hash(review_site) == before


def test_served_pages_carry_the_desk_and_the_built_site_never_does(server: DevServer, review_site: Path) -> None:
    served = server.get("articles/talks/")[1]
    assert '<meta name="gloss-review-token"' in served and "/__gloss/review.js" in served
    post_fix(server, FIX, **{"X-Gloss-Token": token_of(server)})
    wait_until(lambda: len(server.rebuilds()) >= 2, what=server.log)
    assert_no_review_in(review_site / "_site")
    assert run_gloss(review_site, "build", "--no-search").returncode == 0
    assert_no_review_in(review_site / "_site")


def assert_no_review_in(site: Path) -> None:
    assert site.is_dir() and not (site / "__gloss").exists()
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js", ".css", ".json", ".xml"):
            text = path.read_text(encoding="utf-8")
            for word in ("gloss-review", "review-fix", "__gloss", "livereload"):
                assert word not in text, f"{word} in {path}"


def test_no_review_desk_off_a_loopback_address(review_site: Path) -> None:
    dev = DevServer(review_site, "--host", "0.0.0.0")
    try:
        assert "no review page: it is served on a loopback address only" in dev.log()
        for path in ("__gloss/review", "__gloss/review.json", "__gloss/review.js"):
            assert dev.get(path)[0] == 404, path
        page = dev.get("articles/talks/")[1]
        assert "Talks in Kabul" in page and "gloss-review-token" not in page
        status, _ = dev.request("POST", "/__gloss/fix", {"Origin": dev.url.rstrip("/"),
                                                          "Content-Type": "application/json"}, b'{"fix": "x"}')
        assert status in (404, 405)
        port = dev.url.rstrip("/").rsplit(":", 1)[1]  # on every address: any IP literal, still no other name
        assert dev.request("GET", "/", {"Host": f"192.0.2.7:{port}"})[0] == 200
        assert dev.request("GET", "/", {"Host": f"rebind.example:{port}"})[0] == 403
    finally:
        dev.stop()


def test_a_pages_entities_get_only_their_own_items(server: DevServer) -> None:
    def items(query: str) -> list[dict]:
        return json.loads(server.get("__gloss/review.json" + query)[1])["items"]

    assert [i["entities"] for i in items("")] == [["zorblat"]]
    assert [i["entities"] for i in items("?entity=kabul&entity=zorblat")] == [["zorblat"]]
    assert items("?entity=kabul") == [] and items("?entity=..%2F..%2Fsite") == []
