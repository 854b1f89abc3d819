"""Gloss follows no symbolic link in the project: every file it reads from the project is a real file.

Why none, not only those that leave the project: a site is often built from someone else's branch
(CI, a contributor's pull request), and a link committed there could publish any file the build can
read: `seeds/x.txt -> /etc/passwd`, or, inside the project itself, `theme/static/x -> ../../.git/config`
(where CI keeps its access token). Refusing every link is a rule a person can check at a glance.

The checks cost (almost) nothing: content files are opened with O_NOFOLLOW (the same one system
call), folder listings use the DirEntry's is_symlink() (no extra call), and the project's few
standard folders are looked at once per command (`check_project`). The preview server's watcher
only reads file stamps; what it triggers is a build, which refuses links like any other.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from .errors import GlossError

# Where Gloss reads files from, relative to the project folder.
PROJECT_PATHS = ("site.yml", "content", "content/articles", "content/entities", "seeds", "theme",
                 "theme/templates", "theme/static")


def link_refused(path: Path | str, shown: Path | str | None = None) -> GlossError:
    """The one message for a link: which file, where it points, and what to do instead."""
    try:
        points_to = os.path.realpath(path)
    except OSError:
        points_to = "?"
    shown = shown if shown is not None else path
    return GlossError(f"{Path(shown).as_posix()} is a symbolic link to {points_to}; Gloss does not follow links",
                      shown, hint="replace the link by a copy of the file or folder it points to (or delete it): "
                                  "a link could publish a file from outside the project")


def read_bytes(path: Path, shown: Path | str) -> bytes:
    """The file's bytes, refusing a symbolic link (O_NOFOLLOW: no extra system call)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise link_refused(path, shown) from None
        raise
    with open(handle, "rb") as file:
        return file.read()


def check_project(root: Path) -> None:
    """Refuse a symbolic link at site.yml or at any of the folders Gloss reads (`PROJECT_PATHS`)."""
    for rel in PROJECT_PATHS:
        path = root / rel
        if path.is_symlink():
            raise link_refused(path, rel)


def check_tree(folder: Path, root: Path) -> None:
    """Refuse a symbolic link anywhere below `folder` (a theme's static files, copied as they are)."""
    with os.scandir(folder) as listing:
        for entry in listing:
            if entry.is_symlink():
                raise link_refused(entry.path, os.path.relpath(entry.path, root))
            if entry.is_dir():
                check_tree(Path(entry.path), root)


def check_below(top: Path, path: Path, root: Path) -> None:
    """Refuse `path` if it, or a folder between `top` and it, is a symbolic link (a theme template)."""
    for part in [path, *path.parents]:
        if part == top or top not in part.parents:
            return
        if part.is_symlink():
            raise link_refused(part, os.path.relpath(part, root))
