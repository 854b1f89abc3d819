"""How two written names are compared when ingest decides whether they mean one entity.

Three rules that hold in any text, kept in one place so that recognition, linking and review
agree on them:
- case, curly apostrophes and spacing never matter (`normalize_name`);
- a corporate suffix does not change the company ("Dow Chemical Co" is "Dow Chemical");
- standard short forms and initials name the same country or body ("U.S.", "United States"),
  from `gloss/data/equivalents.txt`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .content import normalize_name
from .data import DATA

# Legal-form words that end a company's name without changing which company it is.
CORPORATE_SUFFIX = re.compile(
    r"(?:,?\s+(?:plc|inc|corp|co|ltd|llc|ag|sa|nv|bv|ab|asa|gmbh|spa|s\.a|n\.v|pty|limited|incorporated|"
    r"corporation)\.?)+$", re.IGNORECASE)


def match_key(name: str) -> str:
    """The form two names are compared in: normalised, without a corporate suffix. Initials keep
    their capitals: "US" is not "Us"."""
    if _initials(name):
        return name.strip()
    key = normalize_name(name)
    stripped = CORPORATE_SUFFIX.sub("", key)
    return stripped if stripped and " " in key else key


def _initials(name: str) -> bool:
    """"U.S.", "US", "IRA": a few capitals, or letters with full stops, are initials; "IRAQ" or
    "LONDON" in a headline are words set in capitals."""
    text = name.strip()
    letters = text.replace(".", "").replace("&", "")
    return letters.isalpha() and letters.isupper() and (len(letters) <= 3 or "." in text) and len(letters) >= 2


def without_corporate_suffix(name: str) -> str:
    """"Dow Chemical Co" -> "Dow Chemical"; a name that is only a suffix, or one word, stays."""
    stripped = CORPORATE_SUFFIX.sub("", name.strip())
    return stripped if stripped and " " in name.strip() else name


@lru_cache(maxsize=1)
def _groups() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Each form -> its whole group, usual full name first: short forms as written ("US" names the
    country, "us" and "Us" do not), names in full case-folded ("UNITED STATES" is one)."""
    exact: dict[str, tuple[str, ...]] = {}
    folded: dict[str, tuple[str, ...]] = {}
    for line in (DATA / "equivalents.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            group = tuple(form.strip() for form in line.split("|"))
            for form in group:
                exact[form] = group
                if _in_full(form):
                    folded[form.casefold()] = group
    return exact, folded


def _in_full(form: str) -> bool:
    return " " in form or not form.replace(".", "").isupper()


def equivalents(name: str) -> tuple[str, ...]:
    """Every standard form of `name`'s entity (usual name first), or () when it has none.

    A lower-case or mixed-case spelling of an all-capitals form ("Us") is not that form; a name
    in full ("united states", "UNITED STATES") is, whatever its case.
    """
    text = " ".join(name.replace("\u2019", "'").split())
    exact, folded = _groups()
    return exact.get(text) or folded.get(text.casefold(), ())


def usual_name(name: str) -> str:
    """"United States" for "U.S.": the name a new entity is best called by."""
    group = equivalents(name)
    return group[0] if group else name
