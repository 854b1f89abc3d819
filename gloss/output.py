"""The output folder on disk: written atomically, one build at a time, never outside itself."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

from .errors import GlossError


def page_hash(data: bytes) -> str:
    """What a page's bytes are remembered by between builds. SHA-256 runs on the CPU's SHA
    instructions here: half of BLAKE2's time on a 20 KB page (0.2 s of a 10,000-article build)."""
    return hashlib.sha256(data).hexdigest()[:32]


def safe_target(out: Path, rel: str) -> Path:
    """out/rel, refusing any path that could land outside `out` (slugs are checked here too)."""
    check_inside(rel)
    return out / rel


def check_inside(rel: str) -> None:
    """Refuse a page path that could land outside the output folder.

    Checked on the text of the path: no absolute path, no '..', no backslash, no empty part.
    """
    if rel.startswith("/") or "\\" in rel or any(part in ("", ".", "..") for part in rel.split("/")):
        raise GlossError(f"refusing to write '{rel}': it is outside the output folder",
                         hint="an id or slug contains '..' or '/': rename it")


def write_file(path: Path, data: bytes) -> None:
    """Replace `path` by a rename, so a reader (or rsync) never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.gloss-tmp")
    temp.write_bytes(data)
    os.replace(temp, path)


class FreshFolder:
    """Writes pages into a folder made for this build and swapped in whole later, so no file needs
    a temp name and a rename. Plain os calls on text paths, each subfolder made once per process:
    pathlib's objects and open()'s buffering cost more than the writing (measured on 20,000
    pages: 1.1–1.7 s against 0.6–0.7 s)."""

    def __init__(self, root: Path) -> None:
        self.root = str(root)
        self.made: set[str] = set()

    def write(self, rel: str, data: bytes) -> None:
        check_inside(rel)
        path = f"{self.root}/{rel}"
        folder = path.rpartition("/")[0]
        if folder not in self.made:
            try:  # most folders (one per article and entity) are new and their parent is there
                os.mkdir(folder)
            except OSError:  # its parent is missing, or another worker made it first: fine
                os.makedirs(folder, exist_ok=True)
            self.made.add(folder)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view):]
        finally:
            os.close(handle)


def swap_in(temp: Path, out: Path) -> None:
    """Replace `out` by `temp` with two renames, so readers never see a half-written site."""
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        os.rename(out, old)
    os.rename(temp, out)
    shutil.rmtree(old, ignore_errors=True)


def temp_folder(out: Path) -> Path:
    return out.with_name(f".{out.name}.tmp-{os.getpid()}")


def clean_stale_outputs(out: Path) -> None:
    """Remove temporary folders and files left by an interrupted build.

    A build stopped between the two renames of `swap_in` leaves no `out` but the last good site
    as `.out.old-PID`: that one is put back first.
    """
    if not out.exists() and out.parent.is_dir():
        olds = sorted(out.parent.glob(f".{out.name}.old-*"), key=lambda p: p.stat().st_mtime_ns)
        if olds and olds[-1].is_dir():
            os.rename(olds[-1], out)
    if out.parent.is_dir():
        for stale in out.parent.glob(f".{out.name}.*-*"):
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
    marker = writing_marker(out)
    if out.is_dir() and marker.exists():  # only then can a half-written temp file be in it
        for stale in out.rglob(".*.gloss-tmp"):
            stale.unlink(missing_ok=True)
    marker.unlink(missing_ok=True)


def writing_marker(out: Path) -> Path:
    """A file beside `out` while pages are written into it in place: a build killed then (SIGKILL,
    power loss) leaves it, and the next one looks for temp files, which costs a walk of the site."""
    return out.with_name(f".{out.name}.writing")


@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold SIGINT and SIGTERM (delivered when the block ends) around writes that belong together."""
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextlib.contextmanager
def build_lock(lock_path: Path, out: Path) -> Iterator[None]:
    """One build at a time per project; a second one is told who holds the lock."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise GlossError(f"another build is writing {out.name}/ (pid {holder})", lock_path,
                             hint="wait for it to finish, or stop it, then build again") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
