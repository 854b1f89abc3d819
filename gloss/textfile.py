"""Reading a user's text file safely: its size checked before it is read, its encoding named when it
is not UTF-8, and the characters no page or feed can hold found at their line and column."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

from .errors import GlossError

# C0 controls but tab and line ends, DEL, C1 controls and the noncharacters of the first plane: invisible,
# refused by XML 1.0 (one in a title made feed.xml unreadable) or called a parse error by HTML. (The other
# planes' noncharacters, which XML allows, are left out: listing them made this search 17 times slower.)
UNPUBLISHABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")


def read_limited(path: Path, limit: int, shown: Path | str | None = None) -> tuple[bytes | None, int]:
    """(the file's bytes, its size); (None, size) when it has more than `limit` bytes. The size is
    checked before reading, and never more than `limit` + 1 bytes are read (a file that grows, or a
    device, may say a wrong size). A symbolic link is refused (O_NOFOLLOW: no extra system call)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            from .symlinks import link_refused

            raise link_refused(path, shown if shown is not None else path) from None
        raise
    with open(fd, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            return None, size
        data = handle.read(limit + 1)
    return (data, len(data)) if len(data) <= limit else (None, len(data))


def more_than(size: int, limit: int) -> str:
    """"5.0 MB, more than the 1 MB" (in bytes when a rounded size would not show it is more)."""
    shown = f"{size / 1e6:.1f} MB"
    return f"{shown if float(shown.split()[0]) * 1e6 > limit else f'{size:,} bytes'}, more than the {limit / 1e6:g} MB"


def utf16_byte_order(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when the bytes are UTF-16 text (a byte order mark, or every other
    byte zero, as ASCII letters are in UTF-16), else None."""
    if data.startswith(b"\xff\xfe"):
        return "utf-16-le"
    if data.startswith(b"\xfe\xff"):
        return "utf-16-be"
    head = data[:4096]
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even, odd = head[0:pairs * 2:2].count(0), head[1:pairs * 2:2].count(0)
    if odd >= 0.9 * pairs and even <= 0.1 * pairs:
        return "utf-16-le"
    if even >= 0.9 * pairs and odd <= 0.1 * pairs:
        return "utf-16-be"
    return None


def place(text: str, index: int) -> tuple[int, int]:
    """(line, column) of text[index], both from 1, as an editor counts them."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def char_name(char: str) -> str:
    return f"U+{ord(char):04X}"


def unpublishable_error(text: str, shown: Path | str, what: str = "file", first_line: int = 1) -> GlossError | None:
    """An error at the first character of `text` that no page can hold, or None."""
    found = UNPUBLISHABLE.search(text)
    if found is None:
        return None
    line, col = place(text, found.start())
    count = len(UNPUBLISHABLE.findall(text))
    more = f" (and {count - 1} more)" if count > 1 else ""
    return GlossError(f"{what} has a control character, {char_name(found.group())}{more}: no page or feed can "
                      "hold it", shown, line + first_line - 1, col,
                      hint="delete it: it is invisible in most editors (search for it, or retype the text around "
                           "it)")


def without_unpublishable(text: str) -> tuple[str, int, tuple[int, int] | None]:
    """`text` without the characters no page can hold (those Python counts as white space become a
    space, so words stay apart); how many there were; and the (line, col) of the first."""
    found = UNPUBLISHABLE.search(text)
    if found is None:
        return text, 0, None
    first = place(text, found.start())
    count = 0

    def replace(match: re.Match) -> str:
        nonlocal count
        count += 1
        return " " if match.group().isspace() else ""

    return UNPUBLISHABLE.sub(replace, text), count, first
