"""Counts in words, for pages and messages alike: "1 article", "2 articles", never "1 article(s)"."""

from __future__ import annotations


def counted(count: int, word: str, plural: str | None = None) -> str:
    """`count` and `word` in the form that count takes (`plural` where adding "s" is wrong)."""
    return f"{count} {word if count == 1 else (plural or word + 's')}"
