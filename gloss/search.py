"""Search: index the built site with Pagefind (the `pagefind` Python package and its binary).

Runs as the last build step, on the temporary output folder before it is swapped in, so the
index always matches the pages. Without the binary the build warns and the site works without search.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from . import testpoints
from .errors import Problems

# The pages readers search: articles and entities (not an entity's year pages, lists or indexes). Pagefind
# reads only these files; within them, the templates' data-pagefind-body marks what it indexes.
SEARCHED_PAGES = "{articles,entities}/*/index.html"

MISSING_HINT = "install it with: .venv/bin/pip install 'pagefind[bin]' (or run `make setup`)"


def pagefind_command() -> list[str] | None:
    """How to run Pagefind here, or None when neither the Python package nor its binary is installed.
    The binary itself where pagefind_bin finds it: `python -m pagefind` starts a Python only to exec it."""
    try:
        import pagefind_bin  # ships the binary
    except ImportError:
        return None
    try:
        return [str(pagefind_bin.get_executable())]
    except FileNotFoundError:  # a package without its binary: the wrapper looks elsewhere, or says why not
        return [sys.executable, "-P", "-m", "pagefind"]  # -P: never a pagefind/ folder of the project


def index_site(site_dir: Path, problems: Problems, config_path: Path | None = None) -> tuple[bool, str]:
    """Write `site_dir/pagefind/`; returns whether it was written, and a one-line summary for the
    build report."""
    command = pagefind_command()
    where = config_path or site_dir
    if command is None:
        problems.warn("Pagefind is not installed: the site is built without its search index", where,
                      hint=MISSING_HINT)
        return False, "skipped (Pagefind missing)"
    try:
        with subprocess.Popen([*command, "--site", str(site_dir), "--glob", SEARCHED_PAGES, "--quiet"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as pagefind:
            try:
                testpoints.pause("search")
                stdout, stderr = pagefind.communicate(timeout=600)
            except BaseException:  # a timeout, Ctrl-C: Pagefind stops with the build
                pagefind.kill()
                raise
    except (OSError, subprocess.TimeoutExpired) as exc:
        problems.warn(f"Pagefind could not run ({exc}): the site is built without its search index", where,
                      hint=MISSING_HINT)
        return False, "skipped (Pagefind failed)"
    if pagefind.returncode != 0:
        detail = (stderr or stdout).strip().splitlines()
        problems.warn(f"Pagefind failed: {detail[-1] if detail else 'exit ' + str(pagefind.returncode)}; "
                      "the site is built without its search index", where, hint=MISSING_HINT)
        return False, "skipped (Pagefind failed)"
    return True, "search index written"
