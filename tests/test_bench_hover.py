"""The bench's first-hover report: the bytes a card's first opening fetches, read from a built site."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_gloss

from bench.__main__ import HoverBytes


def test_first_hover_bytes_come_from_the_built_card_files(mini_site: Path) -> None:
    assert run_gloss(mini_site, "build", "--no-search").returncode == 0
    site = mini_site / "_site"
    measured = HoverBytes.measure(2, site)
    cards = {p.parent.name: p.read_bytes() for p in site.glob("entities/*/card.json")}
    assert len(cards) == 4 and measured.card_largest == max(len(c) for c in cards.values())
    assert measured.whole == len((site / "entities.json").read_bytes()) > 5 * measured.card_largest
    assert json.loads(cards["kabul"]) == {"articles": 2, "mentions": 2, "first": "2021-09-06", "last": "2021-09-07"}
    tenfold = measured.times(10)  # ten times the entities; each of a card's two counts one digit longer
    assert tenfold.articles == 20 and tenfold.by_arithmetic
    assert tenfold.whole == 10 * measured.whole and tenfold.card_largest == measured.card_largest + 2
    assert "(by arithmetic)" in tenfold.row() and "(by arithmetic)" not in measured.row()
