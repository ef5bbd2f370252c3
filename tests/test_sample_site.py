"""The sample content builds cleanly and covers every section."""

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from tools.site_build import build_site


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    output = tmp_path_factory.mktemp("sample") / "output"
    result = build_site(ROOT / "pelicanconf.py", {"OUTPUT_PATH": str(output)})
    return result, output


def soup(output, url):
    path = output / url / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_sample_builds_without_errors(sample):
    result, _ = sample
    assert result.ok, result.errors
    assert result.warnings == []


def test_sample_has_40_articles_and_4_in_each_section(sample):
    _, output = sample
    overview = soup(output, "chuyen-muc")
    counts = [int(c.text) for c in overview.select(".portal-topic-block__count")]
    assert len(counts) == 8
    assert all(count >= 4 for count in counts)
    articles = {p.parent for p in output.glob("20*/*/*/index.html")}
    assert len(articles) >= 40
    years = {p.parts[-4] for p in output.glob("20*/*/*/index.html")}
    assert years == {"2023", "2024", "2025"}


def test_sample_has_the_static_pages(sample):
    _, output = sample
    assert soup(output, "gioi-thieu").h1.get_text() == "Giới thiệu"
    assert soup(output, "lien-he").h1.get_text() == "Liên hệ"


def test_sample_tags_written_in_nfd_or_other_tone_placement_merge(sample):
    _, output = sample
    names = [
        a.get_text() for a in soup(output, "tu-khoa").select(".portal-term-list a")
    ]
    assert len(names) == len(set(names))
    tinh_uy = [n for n in names if n.lower() in ("tỉnh ủy", "tỉnh uỷ")]
    assert len(tinh_uy) == 1
    assert "Bão" in names and "Báo" in names


def test_sample_production_build_is_clean_and_holds_no_draft(tmp_path):
    output = tmp_path / "output"
    result = build_site(ROOT / "publishconf.py", {"OUTPUT_PATH": str(output)})
    assert result.ok, result.errors
    assert result.warnings == []
    assert not (output / "ban-nhap").exists()
    retracted = soup(
        output, "2024/02/thong-tin-ve-so-lieu-tau-ca-vi-pham-vung-bien-nuoc-ngoai"
    )
    assert "đã được gỡ bỏ" in retracted.h1.get_text()
    corrected = soup(
        output,
        "2024/05/trien-khai-chi-thi-32-ct-tw-siet-chat-quan-ly-tau-ca-tu-ben-den-bien",
    )
    assert corrected.select_one(".portal-correction")
