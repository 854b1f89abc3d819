#!/usr/bin/env python3
"""Gloss command line. Run `python build.py --help`."""

import sys

from gloss.cli import main

if __name__ == "__main__":
    sys.exit(main())
