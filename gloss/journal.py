"""All files or none: how ingest, merge, rename and new-entity change content/.

A change is written in three steps, so that a command stopped at any moment (Ctrl-C, kill -9, a
full disk, a power cut) leaves content/ as it was, or as the command would have left it:

1. prepare: each new text goes to a numbered temp file in content/.gloss-journal/, synced to disk.
   Nothing in content/ itself has changed yet.
2. commit: journal.json, listing every file written or deleted, is synced and renamed into place:
   that rename is the moment the change happens. Each existing file is then moved aside into the
   journal folder and its new text moved into its place, with SIGINT and SIGTERM held (two renames
   a file); the folders are synced and journal.json removed.
3. the folder, with the replaced files, is removed, signals still held: a Ctrl-C then stops the
   command once it has left no file behind.

The next Gloss command finds the folder (one lstat; see `recover`) and repairs: with journal.json
the change is finished (roll forward); without it the folder is only thrown away (the change was
never committed, or was already whole). A system error while committing (a full disk) moves the
originals back; the journal is first renamed to undo.json, so that a crash then is undone, not
finished, by the next command.

One command at a time changes content/: `changing_content` holds a lock from planning to writing.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import stat
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .config import SiteConfig
from .errors import GlossError
from .output import deferred_signals
from .symlinks import link_refused
from .words import counted

FOLDER = ".gloss-journal"  # in content/
FORWARD, BACK = "journal.json", "undo.json"


@dataclass
class Entry:
    path: str  # relative to content/, with "/"
    write: bool  # False: the file is deleted
    existed: bool
    mode: int | None  # the existing file's permissions, kept by its new text


# ---------------------------------------------------------------- taking content/ for one command

@contextlib.contextmanager
def changing_content(config: SiteConfig) -> Iterator[None]:
    """Hold content/ for one command from planning to writing, after repairing any interrupted change."""
    with _lock(config):
        _repair(config.content_dir)
        _test_stop("planning")
        yield


def recover(config: SiteConfig) -> GlossError | None:
    """Finish or undo a change an earlier command left half made; a warning saying so, or None."""
    if not os.path.lexists(config.content_dir / FOLDER):
        return None
    with _lock(config):
        return _repair(config.content_dir)


@contextlib.contextmanager
def _lock(config: SiteConfig) -> Iterator[None]:
    """A lock on the project folder itself: no lock file for a command that then fails to leave behind."""
    handle = os.open(config.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise GlossError("another Gloss command is changing content/ right now", "content",
                             hint="wait for it to finish, then run this command again") from None
        yield
    finally:
        os.close(handle)  # and with it the lock


def _repair(content: Path) -> GlossError | None:
    folder = content / FOLDER
    if not os.path.lexists(folder):
        return None
    for name, direction in ((FORWARD, "finished"), (BACK, "undone")):
        if (folder / name).exists():
            journal = json.loads((folder / name).read_text(encoding="utf-8"))
            entries = [Entry(**e) for e in journal["files"]]
            (_roll_forward if name == FORWARD else _roll_back)(content, folder, entries)
            _close(content, folder, entries)
            _discard(content, folder)
            return GlossError(f"`{journal['command']}` was stopped while it wrote content/; its change to "
                              f"{counted(len(entries), 'file')} was {direction} now", Path("content") / FOLDER,
                              severity="warning")
    # Replaced files: the change was whole, only not yet cleaned up; new texts alone: never committed.
    when = ("after it changed content/" if any(folder.glob("*.old")) else
            "before it changed content/" if any(folder.glob("*.tmp")) else "while it changed content/")
    _discard(content, folder)
    return GlossError(f"a command was stopped {when}; its temporary files were removed",
                      Path("content") / FOLDER, severity="warning")


# ---------------------------------------------------------------- writing a change

def write_changes(config: SiteConfig, writes: dict[Path, str], deletes: list[Path], command: str,
                  renamed: dict[Path, Path] | None = None) -> None:
    """Write `writes` (absolute path -> text) and delete `deletes`, all or none (see the module's doc).

    A rewritten file keeps its permissions, a new one gets the umask's, or those of the file it
    replaces under another name (`renamed`: new path -> old path). Run inside `changing_content`.
    Refused before anything is written: a path outside content/, a symbolic link, a folder, or a
    read-only file (its owner did not mean it to change)."""
    content = config.content_dir
    checked: set[str] = set()  # folders known not to be links
    entries = [_entry(config, path, True, checked) for path in writes]
    for entry in entries:
        if not entry.existed and content / entry.path in (renamed or {}):
            entry.mode = stat.S_IMODE(os.lstat(renamed[content / entry.path]).st_mode)
    texts: list[bytes | None] = [text.encode("utf-8") for text in writes.values()]
    for path in deletes:
        if path not in writes and (entry := _entry(config, path, False, checked)).existed:
            entries.append(entry)
            texts.append(None)
    if not entries:
        return
    folder = content / FOLDER
    folder.mkdir(parents=True)
    stage = "prepare"
    try:
        _write_temps(folder, entries, texts)
        _sync(content)
        _test_stop("prepared")
        with deferred_signals():
            stage = "commit"  # from here on _commit finishes the change, or undoes it on an error
            _commit(content, folder, entries, command)
            stage = "done"
            _discard(content, folder)
    except BaseException as stop:
        if stage == "prepare":
            shutil.rmtree(folder, ignore_errors=True)
        if isinstance(stop, KeyboardInterrupt):  # a signal held while committing is raised once it is done
            stop.add_note("the change to content/ was finished before stopping" if stage == "done"
                          else "content/ was left as it was")
        raise


def _entry(config: SiteConfig, path: Path, write: bool, checked: set[str]) -> Entry:
    """What `path` is now; a GlossError for anything the change must not touch. Plain strings: this
    runs for each of thousands of files, and pathlib's objects cost more than the lstat."""
    content, full = str(config.content_dir), os.path.normpath(path)
    rel = full[len(content) + 1:]
    if not os.path.isabs(full) or not full.startswith(content + os.sep) or rel.split(os.sep)[0] == FOLDER:
        raise GlossError(f"refusing to write outside content/: {os.path.relpath(full, config.root)}")
    shown = Path("content", rel)
    folder = os.path.dirname(rel)
    while folder not in checked:  # the file's folder and those above it, content/ itself included
        here = os.path.join(content, folder) if folder else content
        if folder and os.path.islink(here):
            raise link_refused(here, Path("content", folder))
        mode = os.stat(here).st_mode if os.path.isdir(here) else None
        if mode is not None and not mode & stat.S_IWUSR:  # a person's "do not touch", even for root
            where = Path("content", folder)
            raise GlossError(f"{where} is a read-only folder, so nothing was changed", where,
                             hint=f"to let Gloss change it, make it writable (chmod u+w {where}) and run the "
                                  "command again")
        checked.add(folder)
        if not folder:
            break
        folder = os.path.dirname(folder)
    try:
        info = os.lstat(full)
    except FileNotFoundError:
        return Entry(Path(rel).as_posix(), write, False, None)
    if stat.S_ISLNK(info.st_mode):
        raise link_refused(path, shown)
    if not stat.S_ISREG(info.st_mode):
        raise GlossError(f"{shown} is not a file, so nothing was changed", shown,
                         hint="move what is there out of the way, then run the command again")
    if not info.st_mode & stat.S_IWUSR:
        raise GlossError(f"{shown} is read-only, so nothing was changed", shown,
                         hint=f"to let Gloss change it, make it writable (chmod u+w {shown}) and run the "
                              "command again")
    return Entry(Path(rel).as_posix(), write, True, stat.S_IMODE(info.st_mode))


def _write_temps(folder: Path, entries: list[Entry], texts: list[bytes | None]) -> None:
    """Each new text in `folder`/N.tmp, synced. A few threads: the disk takes several syncs at once
    (2,500 files: 0.25 s against 0.8 s one after another, measured on this machine's ext4)."""
    def write(index: int) -> None:
        data, mode = texts[index], entries[index].mode
        if data is None:
            return
        handle = os.open(folder / f"{index}.tmp", os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        try:
            if mode is not None:  # keep the file's permissions; a new file gets the umask's
                os.fchmod(handle, mode)
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view):]
            os.fsync(handle)
        except OSError as error:  # a full disk or a size limit names no file: say which one it was
            if error.filename is None:
                error.filename = str(Path("content", entries[index].path))
            raise
        finally:
            os.close(handle)

    _in_threads(write, range(len(entries)))
    _sync(folder)


def _in_threads(func: Callable[[Any], None], items: Iterable) -> None:
    """func on each item in 8 threads. Ctrl-C is held until they are done (a fraction of a second
    for thousands of files) and raised after: raised inside the pool's own waiting and locking, it
    could leave a lock held and the command hanging instead of stopping. The threads start with
    the signals held too, so none of them takes the signal in the main thread's place."""
    with deferred_signals():
        pool = ThreadPoolExecutor(8)
        try:
            list(pool.map(func, items))
        finally:
            pool.shutdown(wait=True)


def _commit(content: Path, folder: Path, entries: list[Entry], command: str) -> None:
    try:
        _save_journal(folder, entries, command)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    target = content
    try:
        for index, entry in enumerate(entries):
            target = content / entry.path
            if entry.existed:
                os.rename(target, folder / f"{index}.old")
            if entry.write:
                if index == len(entries) // 2:
                    _test_stop("committing")
                if not entry.existed:
                    target.parent.mkdir(parents=True, exist_ok=True)
                os.rename(folder / f"{index}.tmp", target)
    except BaseException as error:
        os.rename(folder / FORWARD, folder / BACK)  # a rename needs no free space
        _roll_back(content, folder, entries)
        _close(content, folder, entries)
        _discard(content, folder)
        if isinstance(error, OSError):
            shown = Path("content") / target.relative_to(content)
            raise GlossError(f"the system refused to write {shown} ({error.strerror}); every file was put back "
                             "as it was", shown, hint="free some disk space, or move what is in the way, then "
                                                      "run the command again") from None
        raise
    _close(content, folder, entries)


def _save_journal(folder: Path, entries: list[Entry], command: str) -> None:
    text = json.dumps({"command": command, "files": [asdict(e) for e in entries]}, ensure_ascii=False)
    part = folder / "journal.part"
    with open(part, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.rename(part, folder / FORWARD)
    _sync(folder)


# ---------------------------------------------------------------- repairing

def _roll_forward(content: Path, folder: Path, entries: list[Entry]) -> None:
    """Finish a committed change: each new text not yet in place is moved there; deletions done."""
    for index, entry in enumerate(entries):
        target, temp = content / entry.path, folder / f"{index}.tmp"
        if entry.write and temp.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, target)
        elif not entry.write:
            target.unlink(missing_ok=True)


def _roll_back(content: Path, folder: Path, entries: list[Entry]) -> None:
    """Undo a change: every file moved aside goes back; a new file already in place is removed."""
    for index, entry in reversed(list(enumerate(entries))):
        target, old = content / entry.path, folder / f"{index}.old"
        if old.exists():
            os.replace(old, target)
        elif entry.write and not entry.existed and not (folder / f"{index}.tmp").exists():
            target.unlink(missing_ok=True)


def _close(content: Path, folder: Path, entries: list[Entry]) -> None:
    """The change is durable in its folders, then the journal goes: what is left in `folder`
    (replaced files, unused temp files) is only to be thrown away."""
    for parent in sorted({(content / e.path).parent for e in entries}):
        if parent.is_dir():
            _sync(parent)
    for name in (FORWARD, BACK):
        (folder / name).unlink(missing_ok=True)
    _sync(folder)


def _discard(content: Path, folder: Path) -> None:
    """Remove the journal folder. Its files go in a few threads: on a disk mounted with `discard`, as
    this machine's, each removal of a synced file waits for the disk (2,600 files: 11.2 s one after
    another, 0.7 s in 8 threads)."""
    _in_threads(lambda name: os.unlink(folder / name), [e.name for e in os.scandir(folder) if e.is_file()])
    shutil.rmtree(folder)  # the folder itself, and anything else someone put in it
    _sync(content)


def _sync(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _test_stop(point: str) -> None:
    """Test hook (tests/test_journal.py, tests/test_all_or_none.py): GLOSS_TEST_STOP_AT=planning,
    =prepared or =committing stops this process with SIGSTOP at that point of a change (before it
    reads content/ to plan it; its new texts written aside; half of them in place), so a test can
    interrupt or kill it at a known moment. Unset: nothing."""
    if os.environ.get("GLOSS_TEST_STOP_AT") == point:
        os.kill(os.getpid(), signal.SIGSTOP)
