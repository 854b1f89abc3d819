"""The shipped example: seeds/ → content/ → _site/, as `make site` does it on a fresh clone."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from browser import serve
from conftest import ROOT, run_gloss, tree_hash
from sitecrawl import broken_links, crawl_http, parse_html

ARTICLE = "articles/the-taliban-say-they-now-have-full-control-over-panjshir/index.html"
EXPECTED = {
    "person": {"zabihullah-mujahid", "mullah-abdul-ghani-baradar", "amrullah-saleh", "ahmad-shah-massoud",
               "ahmad-massoud", "ali-nazary", "saeed-khatibzadeh"},
    "organization": {"taliban", "national-resistance-front-of-afghanistan", "iran-s-foreign-ministry"},
    "place": {"panjshir", "kabul", "afghanistan", "tajikistan", "iran"},
}


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("example")
    for name in ("content", "theme", "seeds"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "site.yml", root / "site.yml")
    result = run_gloss(root, "build")
    assert result.returncode == 0, result.stderr
    return root


def mentions_in(page: Path) -> dict[str, str]:
    tree = parse_html(page.read_text())
    return {el.get("data-entity"): el.get("data-type") for el in tree.iter() if el.get("data-entity")}


def test_home_page_links_to_the_article(example: Path) -> None:
    home = (example / "_site/index.html").read_text()
    assert 'href="articles/the-taliban-say-they-now-have-full-control-over-panjshir/"' in home
    assert "Taliban claim full control of Panjshir" in home


def test_article_links_every_person_organization_and_place_of_the_seed(example: Path) -> None:
    found = mentions_in(example / "_site" / ARTICLE)
    for entity_type, ids in EXPECTED.items():
        for entity_id in ids:
            assert found.get(entity_id) == entity_type, f"{entity_id} should be a linked {entity_type}"
    assert set(found) == set().union(*EXPECTED.values())


def test_short_forms_link_to_the_full_name(example: Path) -> None:
    page = (example / "_site" / ARTICLE).read_text()
    assert 'data-entity="zabihullah-mujahid"' in page and ">Mujahid</a>" in page
    tree = parse_html(page)
    massoud = [el.get("data-entity") for el in tree.iter() if el.get("data-entity") and (el.text or "") == "Massoud"]
    assert massoud == ["ahmad-massoud"], "“Massoud” after “Ahmad Massoud” is the son"


def test_each_entity_page_links_back_with_the_sentence_of_each_mention(example: Path) -> None:
    for entity_id in set().union(*EXPECTED.values()):
        page = (example / f"_site/entities/{entity_id}/index.html").read_text()
        assert "../../articles/the-taliban-say-they-now-have-full-control-over-panjshir/#m-" in page
        assert "<mark>" in page
    tajikistan = (example / "_site/entities/tajikistan/index.html").read_text()
    assert "resistance leaders had fled to neighboring <mark>Tajikistan</mark>." in tajikistan


def test_example_site_has_no_broken_links_and_valid_pages(example: Path) -> None:
    assert broken_links(example / "_site") == []
    for page in (example / "_site").rglob("*.html"):
        parse_html(page.read_text(), strict=True)


def test_example_site_works_from_a_sub_path(example: Path, tmp_path: Path) -> None:
    www = tmp_path / "www"
    shutil.copytree(example / "_site", www / "sub")
    served = serve(www, "sub/")
    try:
        seen, failures = crawl_http(served.url)
    finally:
        served.server.shutdown()
    assert failures == []
    assert len(seen) > 20


def test_rebuilding_with_nothing_changed_changes_nothing_in_content(example: Path) -> None:
    before = tree_hash(example / "content")
    assert run_gloss(example, "build").returncode == 0
    assert tree_hash(example / "content") == before


def test_ingest_over_the_hand_edited_article_refuses_and_says_how_to_force(example: Path) -> None:
    article = example / "content/articles/the-taliban-say-they-now-have-full-control-over-panjshir.md"
    before = article.read_bytes()
    result = run_gloss(example, "ingest", str(example / "seeds/000_22fdcdff3e63ad71.txt"))
    assert result.returncode == 1
    assert "edited by hand" in result.stderr and "--force" in result.stderr
    assert article.read_bytes() == before
    proposal = article.with_name(article.stem + ".ingest.md")
    assert proposal.exists()
    proposal.unlink()


def test_seed_is_kept_byte_for_byte_and_recorded_in_front_matter() -> None:
    digest = hashlib.sha256((ROOT / "seeds/000_22fdcdff3e63ad71.txt").read_bytes()).hexdigest()
    assert digest == "00149d3e54d2a404843c759b697a443476984fae42ab936860c056d16e04fe2f"
    article = (ROOT / "content/articles/the-taliban-say-they-now-have-full-control-over-panjshir.md").read_text()
    assert f"sha256: {digest}" in article


def test_counts_of_one_read_in_the_singular(example: Path) -> None:
    home = (example / "_site/index.html").read_text()
    assert "1 article, by year" in home and "All 1 article" not in home
    page = (example / "_site/entities/tajikistan/index.html").read_text()
    assert "in 1 article<" in page and "1 articles" not in page


def test_article_text_has_typographic_quotes_and_dashes(example: Path) -> None:
    text = "".join(parse_html((example / "_site" / ARTICLE).read_text()).find(".//{*}article").itertext())
    assert "Anti–Taliban resistance forces" in text and "Anti--" not in text
    assert "warning, “Anyone who tries" in text and "the group’s control" in text
    assert '"' not in text.replace("\\\"", "")  # every straight quote of the seed is a curly one
