"""Gloss: a static site generator for annotated articles."""

__version__ = "0.1.0"
