"""The chuyên mục registry: one data file defines every section."""

import tomllib
import unicodedata

import pytest

from conftest import ROOT, nfd
from topic_registry import RegistryError, TopicRegistry

REQUIRED = {
    "Xây dựng Đảng": "xay-dung-dang",
    "Phòng, chống tham nhũng, tiêu cực": "phong-chong-tham-nhung-tieu-cuc",
    "Đại hội XIV của Đảng": "dai-hoi-xiv",
    "Chống khai thác IUU": "chong-khai-thac-iuu",
    "Phát triển kinh tế - xã hội": "phat-trien-kinh-te-xa-hoi",
    "Quốc phòng, an ninh": "quoc-phong-an-ninh",
    "Thi đua yêu nước": "thi-dua-yeu-nuoc",
    "Đấu tranh phản bác quan điểm sai trái": "dau-tranh-phan-bac-quan-diem-sai-trai",
}


@pytest.fixture
def registry(tmp_path):
    return TopicRegistry.load(ROOT / "content" / "chuyen-muc.toml", {})


def test_registry_holds_the_mandated_sections_in_order(registry):
    assert {topic.name: topic.slug for topic in registry} == REQUIRED
    orders = [topic.order for topic in registry]
    assert orders == sorted(orders)
    assert all(topic.description for topic in registry)


def test_names_with_commas_stay_whole(registry):
    names = [topic.name for topic in registry]
    assert "Phòng, chống tham nhũng, tiêu cực" in names
    assert "Quốc phòng, an ninh" in names
    assert "Phòng" not in names


@pytest.mark.parametrize(
    ("written", "slug"),
    [
        ("Xây dựng Đảng", "xay-dung-dang"),
        ("xây dựng đảng", "xay-dung-dang"),
        ("XÂY DỰNG ĐẢNG", "xay-dung-dang"),
        ("xay-dung-dang", "xay-dung-dang"),
        ("Phòng, chống tham nhũng, tiêu cực", "phong-chong-tham-nhung-tieu-cuc"),
        ("PCTN", "phong-chong-tham-nhung-tieu-cuc"),
        ("iuu", "chong-khai-thac-iuu"),
        # The other tone placement: thuỷ (old style) and thủy (new style).
        ("Chống khai thác thuỷ sản bất hợp pháp", "chong-khai-thac-iuu"),
        ("Chống khai thác thủy sản bất hợp pháp", "chong-khai-thac-iuu"),
        ("  Quốc   phòng, an ninh ", "quoc-phong-an-ninh"),
    ],
)
def test_resolves_names_slugs_and_aliases(registry, written, slug):
    assert registry.resolve(written).topic.slug == slug


@pytest.mark.parametrize("name", list(REQUIRED))
def test_resolves_decomposed_names(registry, name):
    decomposed = unicodedata.normalize("NFD", name)
    if decomposed != name:
        assert registry.resolve(nfd(name)).topic.slug == REQUIRED[name]


def test_unknown_section_suggests_the_closest(registry):
    resolution = registry.resolve("Chong khai thac IUU ca")
    assert resolution.topic is None
    assert resolution.suggestions[0] == "Chống khai thác IUU"


def test_adding_a_section_is_one_entry(tmp_path):
    text = (ROOT / "content" / "chuyen-muc.toml").read_text(encoding="utf-8")
    text += '\n[[topic]]\nname = "Chuyển đổi số"\nslug = "chuyen-doi-so"\norder = 90\n'
    path = tmp_path / "chuyen-muc.toml"
    path.write_text(text, encoding="utf-8")
    registry = TopicRegistry.load(path, {})
    assert registry.resolve("chuyển đổi số").topic.slug == "chuyen-doi-so"
    assert [t.slug for t in registry][-1] == "chuyen-doi-so"


def test_every_registry_problem_is_listed(tmp_path):
    path = tmp_path / "chuyen-muc.toml"
    path.write_text(
        """
[[topic]]
name = "Xây dựng Đảng"
slug = "xay-dung-dang"
aliases = ["Đảng"]

[[topic]]
name = "Đảng"
slug = "Dang Bo"

[[topic]]
name = "Thi đua"
slug = "xay-dung-dang"
colour = "red"
""",
        encoding="utf-8",
    )
    with pytest.raises(RegistryError) as failure:
        TopicRegistry.load(path, {})
    lines = str(failure.value).splitlines()
    assert len(lines) == 3
    assert any("Dang Bo" in line for line in lines)
    assert any("colour" in line for line in lines)
    assert any('"xay-dung-dang" đã thuộc về' in line for line in lines)


def test_registry_file_is_valid_toml_with_known_keys():
    data = tomllib.loads((ROOT / "content" / "chuyen-muc.toml").read_text("utf-8"))
    for entry in data["topic"]:
        assert set(entry) <= {"name", "slug", "description", "order", "aliases"}


def test_one_registry_per_build_and_the_article_category_is_its_object(
    site, monkeypatch
):
    """The reader, the section pages and văn bản share the build's registry:
    it is read once, and ``article.category`` carries its section's articles."""
    from pelican import signals  # noqa: PLC0415

    from topic_registry import CONTEXT_KEY, TopicRegistry  # noqa: PLC0415

    loads = []
    load = TopicRegistry.load.__func__

    def counted(cls, path, settings):
        loads.append(path)
        return load(cls, path, settings)

    monkeypatch.setattr(TopicRegistry, "load", classmethod(counted))
    seen = {}

    def keep(generators):
        seen["context"] = generators[0].context

    signals.all_generators_finalized.connect(keep, weak=False)
    try:
        site.article("mot", title="Một", category="Xây dựng Đảng")
        site.article("hai", title="Hai", category="Chống khai thác IUU")
        assert site.build().ok
    finally:
        signals.all_generators_finalized.disconnect(keep)
    assert len(loads) == 1
    context = seen["context"]
    registry = context[CONTEXT_KEY]
    assert context["topics"] == registry.topics
    articles = context["articles"]
    assert len(articles) == 2
    for article in articles:
        topic = registry.by_slug(article.category.slug)
        assert article.category is topic
        assert article in article.category.articles
