#!/usr/bin/env python3
"""Gloss command line. Run `python build.py --help`."""

from gloss.cli import run_command_line

if __name__ == "__main__":
    run_command_line()
