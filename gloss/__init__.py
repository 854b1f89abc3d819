"""Gloss: a static site generator for annotated articles."""

__version__ = "0.2.0"
