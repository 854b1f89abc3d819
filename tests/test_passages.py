"""An entity page's passages and companions, made in Python rather than in the template."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from gloss.content import Article
from gloss.graph import MentionSite
from gloss.parse import Mention
from gloss.render import passage_group_html, strongest

ARTICLE = Article("kabul-talks", Path("content/articles/kabul-talks.md"), "Talks & <more>", "", 1,
                  date=dt.date(2021, 8, 15))


def site(sentence: str, shown: str, index: int = 0, block: int = 0, after: int = 0) -> MentionSite:
    start = sentence.index(shown, after)
    mention = Mention(index, "x", shown, 1, 1, block, start)
    return MentionSite(ARTICLE, mention, sentence, start, start + len(shown))


def test_a_single_quote_marks_its_mention_and_links_to_it() -> None:
    html = passage_group_html(ARTICLE, [site("Mujahid spoke in Kabul.", "Mujahid", index=2)],
                              "entities/zabihullah-mujahid/index.html")
    assert '<a href="../../articles/kabul-talks/">Talks &amp; &lt;more&gt;</a>' in html
    assert "1 mention</p>" in html
    assert '<blockquote class="passage"><mark>Mujahid</mark> spoke in Kabul.</blockquote>' in html
    assert 'href="../../articles/kabul-talks/#m-3"' in html


def test_quotes_escape_the_text_around_and_inside_the_mark() -> None:
    sentence = 'He said "A & B" <loudly> to O\'Brien & Co.'
    html = passage_group_html(ARTICLE, [site(sentence, "O'Brien & Co")], "entities/o-brien/index.html")
    assert ("<blockquote class=\"passage\">He said &#34;A &amp; B&#34; &lt;loudly&gt; to "
            "<mark>O&#39;Brien &amp; Co</mark>.</blockquote>") in html


def test_mentions_in_one_sentence_share_one_quote_and_others_get_their_own() -> None:
    first = "Ghani met Ghani's aides."
    sites = [site(first, "Ghani", 0), site(first, "Ghani", 1, after=1), site("Ghani left.", "Ghani", 2, block=1)]
    html = passage_group_html(ARTICLE, sites, "entities/ashraf-ghani/index.html")
    assert "3 mentions</p>" in html
    assert html.count("<li>") == 2
    assert "<mark>Ghani</mark> met <mark>Ghani</mark>&#39;s aides." in html


def test_strongest_companions_are_the_highest_counts_with_ties_by_id() -> None:
    rng = random.Random(5)
    for size in (0, 3, 60, 61, 500):
        counts = {f"e{rng.randrange(10_000):05d}": rng.randint(1, 9) for _ in range(size)}
        expected = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:60]
        assert strongest(counts, 60) == expected
