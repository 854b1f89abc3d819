"""The deploy recipe, checked: the example site built for a sub-path works from that sub-path on a
plain static host, and its 404 page, served for a missing page at any depth, is styled."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

from conftest import ROOT, run_gloss
from sitecrawl import crawl_http, parse_html

NS = "{http://www.w3.org/1999/xhtml}"


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """A static host as GitHub Pages behaves: a missing path gets the site's 404.html, status 404."""

    not_found: Path

    def send_error(self, code, message=None, explain=None):  # noqa: ANN001 - http.server's signature
        if code != 404 or not self.not_found.exists():
            return super().send_error(code, message, explain)
        body = self.not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def example_site(root: Path, base_url: str) -> Path:
    for name in ("content", "theme", "seeds"):
        shutil.copytree(ROOT / name, root / name)
    text = (ROOT / "site.yml").read_text(encoding="utf-8")
    (root / "site.yml").write_text(text + f"\nbase_url: {base_url}\n", encoding="utf-8")
    return root


def test_example_built_for_a_sub_path_works_there_and_its_404_is_styled(tmp_path: Path) -> None:
    www = tmp_path / "www"
    www.mkdir()
    handler = functools.partial(PagesHandler, directory=str(www))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    start = f"http://127.0.0.1:{server.server_address[1]}/news/"
    site = example_site(tmp_path / "project", start)
    result = run_gloss(site, "build", "--no-search")
    assert result.returncode == 0, result.stdout + result.stderr
    shutil.copytree(site / "_site", www / "news")
    PagesHandler.not_found = www / "news" / "404.html"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        seen, failures = crawl_http(start)
        assert failures == []
        assert any("/entities/" in url for url in seen) and any("/articles/" in url for url in seen)
        missing = f"{start}entities/nobody/at/depth/"
        try:
            urllib.request.urlopen(missing)
            raise AssertionError("a missing page was served")
        except urllib.error.HTTPError as error:
            assert error.code == 404
            page = error.read().decode("utf-8")
        sheets = [link.get("href") for link in parse_html(page).iter(NS + "link") if link.get("rel") == "stylesheet"]
        assert sheets
        for href in sheets:
            with urllib.request.urlopen(urljoin(missing, href)) as response:
                assert response.status == 200 and "text/css" in response.headers["Content-Type"]
    finally:
        server.shutdown()
