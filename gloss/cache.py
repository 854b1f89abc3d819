"""The parse cache: loaded and parsed files keyed by content hash and engine version, in one SQLite file.

`.gloss-cache/` is safe to delete at any time. A cache that cannot be read (corrupt file, older
format, another engine version) is ignored with a warning and rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
from pathlib import Path

from . import __version__
from .errors import Problems
from .parse import ParsedDocument

# 2: raw HTML sanitised at parse time; 3: slotted mentions; 4: slotted documents; 5: Dateline;
# 6: note numbers out of search; 7: typographer on
CACHE_FORMAT = 7


def _schema() -> str:
    """The shape of what is cached: a field added to a cached dataclass makes old entries unusable."""
    from dataclasses import fields

    from .content import Article, Entity
    from .parse import Mention, Note

    return ";".join(f"{cls.__name__}:{','.join(f.name for f in fields(cls))}"
                    for cls in (Article, Entity, ParsedDocument, Mention, Note))


SCHEMA = _schema()


def cache_key(text: str, path: Path, options: str) -> str:
    """Same text, path and parser options in the same engine version → same parse."""
    digest = hashlib.sha256()
    for part in (__version__, str(CACHE_FORMAT), SCHEMA, options, str(path), text):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


class ParseCache:
    """Cached parses by key; new ones are written in one transaction per build."""

    def __init__(self, folder: Path | None, problems: Problems | None = None) -> None:
        self.path = folder / "parse.sqlite" if folder else None
        self.problems = problems
        self.hits = 0
        self.empty = True  # nothing cached: no file needs looking up
        self._db: sqlite3.Connection | None = None
        if self.path:
            self._open()

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path)
            self._create_table()
            self.empty = self._db.execute("SELECT count(*) FROM parsed").fetchone()[0] == 0
        except sqlite3.DatabaseError as exc:
            self._discard(f"parse cache {self.path} is unreadable ({exc}); starting a new one")

    def _discard(self, message: str) -> None:
        if self.problems is not None:
            self.problems.warn(message, self.path, hint="nothing to do: .gloss-cache/ is rebuilt as needed")
        if self._db is not None:
            self._db.close()
            self._db = None
        self.path.unlink(missing_ok=True)
        self.empty = True
        self._db = sqlite3.connect(self.path)
        self._create_table()

    def _create_table(self) -> None:
        # No waiting for the disk at each commit (0.15-0.2 s at 10,000 articles): a crash of the process
        # still leaves a sound file, and one of the whole machine at worst a corrupt cache, which is
        # noticed and rebuilt like any other.
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, data BLOB NOT NULL)")

    def get(self, key: str) -> tuple | None:
        """(item, parsed document, problems) for `key`, or None."""
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT data FROM parsed WHERE key = ?", (key,)).fetchone()
            doc = pickle.loads(row[0]) if row else None
        except (sqlite3.DatabaseError, pickle.UnpicklingError, EOFError, AttributeError, TypeError) as exc:
            self._discard(f"parse cache {self.path} is corrupt ({type(exc).__name__}); starting a new one")
            return None
        if isinstance(doc, tuple) and len(doc) == 3 and isinstance(doc[1], ParsedDocument):
            self.hits += 1
            return doc
        return None

    def put(self, key: str, doc: tuple | bytes) -> bool:
        """Store (item, document, problems) for `key`, as the objects or already pickled. Rows go to
        SQLite as they come, in one transaction that `save` commits: holding them until then would
        cost a gigabyte of memory at 100,000 articles."""
        if self._db is None:
            return False
        data = doc if isinstance(doc, bytes) else pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self._db.execute("INSERT OR REPLACE INTO parsed (key, data) VALUES (?, ?)", (key, data))
        except sqlite3.DatabaseError:
            return False  # a cache that cannot be written only costs speed next time
        return True

    def save(self) -> bool:
        """Commit this build's rows; False if they could not be."""
        if self._db is None:
            return False
        try:
            self._db.commit()
        except sqlite3.DatabaseError:
            return False
        return True

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class DocumentStore:
    """Full parsed documents read back from the parse cache, for the pages that show their HTML and
    text (see ParsedDocument.lightened). Each process opens its own connection: worker processes
    are forked, and an SQLite connection must not cross a fork."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "parse.sqlite"
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    def get(self, key: str) -> ParsedDocument | None:
        try:
            if self._pid != os.getpid():
                self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
                self._pid = os.getpid()
            row = self._db.execute("SELECT data FROM parsed WHERE key = ?", (key,)).fetchone()
            return pickle.loads(row[0])[1] if row else None
        except (sqlite3.DatabaseError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            return None
