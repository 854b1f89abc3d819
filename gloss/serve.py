"""Preview server: build, serve the output with livereload, rebuild when sources change."""

from __future__ import annotations

import socket
import sys
import webbrowser

from livereload import Server

from .builder import build_site
from .config import SiteConfig
from .errors import BuildFailed, GlossError, Problems


def rebuild(config: SiteConfig, drafts: bool) -> bool:
    """One rebuild; errors are printed and the last good site keeps being served."""
    problems = Problems()
    try:
        model = build_site(config, problems, drafts=drafts)
    except BuildFailed as failed:
        for problem in failed.problems.sorted():
            print(problem.format(), file=sys.stderr)
        print("rebuild failed; still serving the last good site", file=sys.stderr)
        return False
    except GlossError as error:
        print(error.format(), file=sys.stderr)
        print("rebuild failed; still serving the last good site", file=sys.stderr)
        return False
    pages = next((s.summary for s in model.stages if s.name == "render"), "")
    print(f"rebuilt: {pages} in {sum(s.seconds for s in model.stages):.2f} s", flush=True)
    return True


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def serve(config: SiteConfig, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False,
          drafts: bool = True) -> int:
    if port == 0:
        port = free_port(host)
    elif not port_is_free(host, port):
        raise GlossError(f"port {port} on {host} is already in use",
                         hint="stop the other server, or choose another with --port (or --port 0 for any free one)")
    rebuild(config, drafts)
    server = Server()
    for watched in (config.content_dir, config.seeds_dir, config.theme_dir, config.root / "site.yml"):
        server.watch(str(watched), lambda: rebuild(config, drafts), delay=0.2)
    url = f"http://{host}:{port}/"
    print(f"serving {config.output_path} at {url} (Ctrl+C to stop)", flush=True)
    if open_browser:
        webbrowser.open(url)
    server.serve(host=host, port=port, root=str(config.output_path), open_url_delay=None)
    return 0
