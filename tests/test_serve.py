"""`build.py serve`, started for real on a free port and edited under its feet."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
from pathlib import Path

import pytest
from devserver import DevServer, wait_until


@pytest.fixture
def server(mini_site: Path):
    dev = DevServer(mini_site)
    yield dev
    dev.stop()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


def test_edited_article_text_appears_at_its_url(server: DevServer, mini_site: Path) -> None:
    assert "spoke to reporters" in server.get("articles/talks/")[1]
    edit(mini_site / "content/articles/talks.md", "spoke to reporters", "spoke to the press")
    wait_until(lambda: "spoke to the press" in server.get("articles/talks/")[1], what=server.log)


def test_entity_description_change_reaches_entity_page_and_hover_data(server: DevServer, mini_site: Path) -> None:
    edit(mini_site / "content/entities/kabul.md", "Capital of Afghanistan.", "Largest city of Afghanistan.")
    wait_until(lambda: "Largest city of Afghanistan." in server.get("entities/kabul/")[1], what=server.log)
    assert 'data-description="Largest city of Afghanistan."' in server.get("articles/talks/")[1]
    cards = json.loads(server.get("entities.json")[1])
    assert cards["kabul"]["description"] == "Largest city of Afghanistan."


def test_added_mention_lists_the_article_on_the_entity_page(server: DevServer, mini_site: Path) -> None:
    assert "Talks in Kabul" not in server.get("entities/taliban/")[1]
    edit(mini_site / "content/articles/talks.md", "to reporters", "to reporters about the [[Taliban]]")
    wait_until(lambda: "Talks in Kabul" in server.get("entities/taliban/")[1], what=server.log)


def test_deleted_article_disappears_everywhere(server: DevServer, mini_site: Path) -> None:
    assert "Talks in Kabul" in server.get("")[1]
    (mini_site / "content/articles/talks.md").unlink()
    wait_until(lambda: "Talks in Kabul" not in server.get("")[1], what=server.log)
    assert "Talks in Kabul" not in server.get("entities/kabul/")[1]
    assert server.get("articles/talks/")[0] == 404


def test_broken_yaml_shows_overlay_and_keeps_last_good_page(server: DevServer, mini_site: Path) -> None:
    article = mini_site / "content/articles/talks.md"
    good = article.read_text()
    article.write_text(good.replace("title: Talks in Kabul", "title: [Talks in Kabul"))
    wait_until(lambda: json.loads(server.get("__gloss/status")[1])["errors"], what=server.log)
    error = json.loads(server.get("__gloss/status")[1])["errors"][0]
    assert (error["path"], error["line"]) == ("content/articles/talks.md", 3)
    status, page = server.get("articles/talks/")
    assert status == 200 and "Talks in Kabul" in page
    assert '<script src="/__gloss/overlay.js"></script>' in page
    assert "content/articles/talks.md:3:" in server.log()
    article.write_text(good)
    wait_until(lambda: json.loads(server.get("__gloss/status")[1])["errors"] == [], what=server.log)


def test_save_by_temp_file_and_rename_is_one_rebuild(server: DevServer, mini_site: Path) -> None:
    article = mini_site / "content/articles/talks.md"
    before = len(server.rebuilds())
    temp = article.with_name(".talks.md.tmp")
    temp.write_text(article.read_text().replace("reporters", "journalists"))
    swap = article.with_name(".talks.md.swp")
    swap.write_text("vim swap")
    os.replace(temp, article)
    wait_until(lambda: "journalists" in server.get("articles/talks/")[1], what=server.log)
    swap.unlink()
    # Then another file, whose rebuild comes after any the swap file could have caused (or with it).
    edit(mini_site / "content/articles/panjshir-falls.md", "say they control", "say they hold")
    wait_until(lambda: any("panjshir-falls.md" in line for line in server.rebuilds()), what=server.log)
    rebuilds = server.rebuilds()[before:]
    assert [line.split(":")[0] for line in rebuilds] == [
        "rebuilt after content/articles/talks.md changed", "rebuilt after content/articles/panjshir-falls.md changed"
    ], server.log()


@pytest.mark.parametrize("path", ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
                                  "//etc/passwd", "/static/../../site.yml", "/%2e%2e/content/articles/talks.md"])
def test_paths_outside_the_site_are_not_found(server: DevServer, path: str) -> None:
    status, body = server.request("GET", path)
    assert status == 404
    assert b"root:" not in body and b"title:" not in body


def test_taken_port_is_reported_with_a_hint(mini_site: Path) -> None:
    from conftest import run_gloss

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = run_gloss(mini_site, "serve", "--port", str(port))
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "--port 0" in result.stderr


def test_drafts_are_served_but_not_built(mini_site: Path) -> None:
    from conftest import run_gloss

    draft = mini_site / "content/articles/draft.md"
    draft.write_text("---\ntitle: Work in progress\ndraft: true\n---\nAbout [[Kabul]].\n")
    assert run_gloss(mini_site, "build").returncode == 0
    assert not (mini_site / "_site/articles/draft").exists()
    assert run_gloss(mini_site, "build", "--drafts").returncode == 0
    assert (mini_site / "_site/articles/draft/index.html").exists()
    dev = DevServer(mini_site)
    try:
        assert dev.get("articles/draft/")[0] == 200
    finally:
        dev.stop()


def test_new_seed_is_ingested_and_appears(mini_site: Path) -> None:
    (mini_site / "seeds").mkdir()
    dev = DevServer(mini_site)
    try:
        (mini_site / "seeds/kabul-airport.txt").write_text(
            "Flights resume at Kabul airport\n"
            "The first international flight since August landed in Kabul on Thursday, officials said.\n")
        wait_until(lambda: "Flights resume at Kabul airport" in dev.get("")[1], what=dev.log)
        status, page = dev.get("articles/flights-resume-at-kabul-airport/")
        assert status == 200 and 'data-entity="kabul"' in page
        assert "Flights resume at Kabul airport" in dev.get("entities/kabul/")[1]
    finally:
        dev.stop()


def test_stopped_server_leaves_state_that_describes_its_output(mini_site: Path) -> None:
    from conftest import run_gloss

    dev = DevServer(mini_site)
    try:
        assert not (mini_site / ".gloss-cache/state.pickle").exists()  # not saved on every rebuild
        edit(mini_site / "content/articles/talks.md", "spoke to reporters", "spoke to the press")
        wait_until(lambda: "spoke to the press" in dev.get("articles/talks/")[1], what=dev.log)
    finally:
        dev.stop()
    assert (mini_site / ".gloss-cache/state.pickle").exists()
    result = run_gloss(mini_site, "build", "--drafts", "--no-search")  # serve shows drafts too
    assert "nothing changed since the last build" in result.stdout, result.stdout


def test_site_after_edits_through_the_server_equals_a_cold_build(mini_site: Path, tmp_path: Path) -> None:
    from test_incremental import cold_build, output

    dev = DevServer(mini_site)
    articles = mini_site / "content/articles"
    steps = [
        lambda: (articles / "added.md").write_text("---\ntitle: Added later\ndate: 2021-09-08\n---\nIn [[Kabul]].\n"),
        lambda: edit(articles / "talks.md", "date: 2021-09-07", "date: 2020-01-02"),  # another year
        lambda: edit(mini_site / "content/entities/kabul.md", "Capital of Afghanistan.", "A city."),
        lambda: (articles / "panjshir-falls.md").unlink(),
    ]
    try:
        wait_until(lambda: dev.rebuilds(), what=dev.log)  # the first build
        for number, step in enumerate(steps, start=2):
            step()
            wait_until(lambda number=number: len(dev.rebuilds()) >= number, what=dev.log)  # one rebuild each
    finally:
        dev.stop()
    assert output(mini_site) == cold_build(mini_site, tmp_path, "--drafts")  # serve shows drafts


# ---------------------------------------------------------------- who the server answers (issue #19, points 9, 10)

WEBSOCKET = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
             "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}


def own_origin(server: DevServer) -> str:
    return server.url.rstrip("/")


FORGED_HOSTS = ["rebind.example:{port}", "127.0.0.1.rebind.example:{port}", "127.0.0.1:1", "localhost", "",
                "10.0.0.5:{port}", "localhost:{port}@rebind.example"]


def test_a_host_name_the_server_was_not_started_under_is_refused(server: DevServer) -> None:
    port = server.url.rstrip("/").rsplit(":", 1)[1]
    for host in FORGED_HOSTS:
        for path in ["/", "/articles/talks/", "/__gloss/status", "/entities.json", "/livereload.js"]:
            status, body = server.request("GET", path, {"Host": host.format(port=port)})
            assert status in (400, 403), (host, path, body)  # tornado itself refuses a malformed Host
            assert b"Talks in Kabul" not in body and b"errors" not in body


def test_loopback_names_with_the_port_are_served(server: DevServer) -> None:
    port = server.url.rstrip("/").rsplit(":", 1)[1]
    for name in ["127.0.0.1", "localhost", "LocalHost", "[::1]"]:
        status, body = server.request("GET", "/articles/talks/", {"Host": f"{name}:{port}"})
        assert status == 200 and b"Talks in Kabul" in body, name


def test_livereload_websocket_takes_only_its_own_pages(server: DevServer) -> None:
    assert server.request("GET", "/livereload", {**WEBSOCKET, "Origin": own_origin(server)})[0] == 101
    for origin in ("http://rebind.example", "null", own_origin(server).replace("http:", "https:"),
                   own_origin(server) + ".rebind.example"):
        assert server.request("GET", "/livereload", {**WEBSOCKET, "Origin": origin})[0] == 403, origin


def test_a_post_from_another_origin_or_none_is_refused(server: DevServer) -> None:
    for path in ["/", "/__gloss/status", "/livereload"]:
        for headers in ({"Origin": "http://rebind.example"}, {}):
            status, _ = server.request("POST", path, {**headers, "Content-Type": "text/plain"}, b"x")
            assert status == 403, (path, headers)


def test_reload_cannot_be_forced_by_a_get_from_anywhere(server: DevServer) -> None:
    status, body = server.request("GET", "/forcereload?path=*")
    assert status == 404 and body != b"ok"


def test_control_characters_in_a_path_are_a_bad_request_not_a_traceback(server: DevServer) -> None:
    for path in ["/a%00b", "/articles/%00/", "/%00", "/static/gloss.css%00.html", "/a%0d%0ab"]:
        assert server.request("GET", path)[0] == 400, path
    assert server.get("articles/talks/")[0] == 200  # and the server goes on
    assert "Traceback" not in server.log() and " 500 " not in server.log()


@pytest.mark.parametrize("port", ["99999", "-1", "65536", "eighty"])
def test_port_outside_the_tcp_range_is_a_usage_error(mini_site: Path, port: str) -> None:
    from conftest import run_gloss

    result = run_gloss(mini_site, "serve", "--port", port)
    assert result.returncode == 2
    assert "is not a port number" in result.stderr and "Traceback" not in result.stderr
    assert not (mini_site / "_site").exists()


def test_host_that_is_not_an_address_of_this_machine_is_reported(mini_site: Path) -> None:
    from conftest import run_gloss

    result = run_gloss(mini_site, "serve", "--host", "192.0.2.1", "--port", "0")
    assert result.returncode == 1
    assert "cannot listen on 192.0.2.1" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------- site.yml and the watcher (issue #19, points 5, 12)

def home_title(server: DevServer) -> str:
    return re.search(r"<title>([^<]*)</title>", server.get("")[1]).group(1)


def test_site_yml_edit_takes_effect_while_serving_and_after_it(mini_site: Path) -> None:
    from conftest import run_gloss

    dev = DevServer(mini_site)
    try:
        assert home_title(dev) == "Mini"
        edit(mini_site / "site.yml", "title: Mini", "title: Mini Renamed")
        wait_until(lambda: home_title(dev) == "Mini Renamed", what=dev.log)
        assert "Mini Renamed" in dev.get("articles/talks/")[1]  # a full rebuild: every page has the title
    finally:
        dev.stop()
    result = run_gloss(mini_site, "build", "--drafts", "--no-search")  # serve shows drafts too
    assert "nothing changed since the last build" in result.stdout, result.stdout
    assert "<title>Mini Renamed</title>" in (mini_site / "_site/index.html").read_text()
    edit(mini_site / "site.yml", "title: Mini Renamed", "title: Mini Again")  # and while nothing runs:
    dev = DevServer(mini_site)  # a restarted server does not trust the state saved under the old title
    try:
        wait_until(lambda: home_title(dev) == "Mini Again", what=dev.log)
    finally:
        dev.stop()


def test_broken_site_yml_shows_overlay_and_keeps_the_last_good_site(server: DevServer, mini_site: Path) -> None:
    settings = mini_site / "site.yml"
    good = settings.read_text()
    settings.write_text(good.replace("title: Mini", "title: [Mini"))
    wait_until(lambda: json.loads(server.get("__gloss/status")[1])["errors"], what=server.log)
    error = json.loads(server.get("__gloss/status")[1])["errors"][0]
    assert error["path"] == "site.yml" and "not valid YAML" in error["message"], error
    assert home_title(server) == "Mini"
    edit(mini_site / "content/articles/talks.md", "spoke to reporters", "spoke to the press")  # still refused
    wait_until(lambda: len(server.rebuilds()) >= 3, what=server.log)
    assert json.loads(server.get("__gloss/status")[1])["errors"][0]["path"] == "site.yml"
    assert "spoke to reporters" in server.get("articles/talks/")[1]
    settings.write_text(good.replace("title: Mini", "title: Mini Mended"))
    wait_until(lambda: json.loads(server.get("__gloss/status")[1])["errors"] == [], what=server.log)
    assert home_title(server) == "Mini Mended"
    assert "spoke to the press" in server.get("articles/talks/")[1]


def test_output_dir_changed_in_site_yml_is_served_from_the_new_folder(server: DevServer, mini_site: Path) -> None:
    settings = mini_site / "site.yml"
    settings.write_text(settings.read_text().replace("title: Mini", "title: Public") + "output_dir: public\n")
    wait_until(lambda: home_title(server) == "Public", what=server.log)
    assert (mini_site / "public/index.html").is_file()
    assert "<title>Mini</title>" in (mini_site / "_site/index.html").read_text()  # the old folder is left be


def test_site_yml_saved_by_rename_is_seen_every_time(server: DevServer, mini_site: Path) -> None:
    settings = mini_site / "site.yml"
    for title in ("First", "Second"):  # the file is a new one each time: a watch on the old one would miss the second
        temp = mini_site / ".site.yml.tmp"
        temp.write_text(settings.read_text().replace("title: ", f"title: {title} ", 1))
        os.replace(temp, settings)
        wait_until(lambda title=title: home_title(server).startswith(title), what=server.log)


def test_seeds_folder_made_while_serving_is_watched(server: DevServer, mini_site: Path) -> None:
    seeds = mini_site / "seeds"
    seeds.mkdir()
    (seeds / "kabul-airport.txt").write_text(
        "Flights resume at Kabul airport\n"
        "The first international flight since August landed in Kabul on Thursday, officials said.\n")
    wait_until(lambda: "Flights resume at Kabul airport" in server.get("")[1], what=server.log)
    (seeds / "kabul-schools.txt").write_text(  # into the folder now watched
        "Schools reopen in Kabul\nBoys returned to secondary schools in Kabul on Saturday, officials said.\n")
    wait_until(lambda: "Schools reopen in Kabul" in server.get("")[1], what=server.log)


def test_server_waits_for_file_events_and_polls_only_when_told(mini_site: Path) -> None:
    dev = DevServer(mini_site)
    try:
        assert "(file events)" in dev.log()
    finally:
        dev.stop()
    dev = DevServer(mini_site, "--poll")  # where file events do not arrive (network and shared folders)
    try:
        assert "(polling)" in dev.log()
        edit(mini_site / "content/articles/talks.md", "spoke to reporters", "spoke to the press")
        wait_until(lambda: "spoke to the press" in dev.get("articles/talks/")[1], what=dev.log)
    finally:
        dev.stop()


def test_stop_signal_taken_by_a_watching_thread_still_stops_the_server(mini_site: Path) -> None:
    """Nothing polls, so the main thread sleeps in the server's loop; a SIGTERM delivered to another
    thread of the process must still wake it, and the server stops and saves its state."""
    import ctypes

    dev = DevServer(mini_site)
    main = Path(f"/proc/{dev.proc.pid}/task/{dev.proc.pid}/stat")
    try:
        # once the first search index is written, the main thread has nothing to do but wait
        wait_until(lambda: "search:" in dev.log() and main.read_text().rpartition(")")[2].split()[0] == "S")
        others = [int(t) for t in os.listdir(f"/proc/{dev.proc.pid}/task") if int(t) != dev.proc.pid]
        assert others, "the watchers run in threads of their own"
        assert ctypes.CDLL(None).tgkill(dev.proc.pid, min(others), signal.SIGTERM) == 0
        dev.proc.wait(timeout=60)  # raises if it is still asleep
    finally:
        dev.stop()
    assert (mini_site / ".gloss-cache/state.pickle").exists()
