"""Counts in words, for pages and messages alike: "1 article", "2 articles", never "1 article(s)"."""

from __future__ import annotations


def in_words(names: list[str], shown: int = 3) -> str:
    """"A", "A and B", "A, B and C", "A, B, C and 2 others"."""
    if len(names) > shown:
        names = [*names[:shown], counted(len(names) - shown, "other")]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def counted(count: int, word: str, plural: str | None = None) -> str:
    """`count` and `word` in the form that count takes (`plural` where adding "s" is wrong)."""
    return f"{count} {word if count == 1 else (plural or word + 's')}"
