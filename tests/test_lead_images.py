"""Ảnh đại diện: responsive variants of lead images, made at build and cached."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from markupsafe import Markup
from pelican.plugins import signals
from PIL import Image

from conftest import article_text
from lead_images import LeadImage, plan_widths
from lead_images.planning import (
    VariantPlan,
    read_source,
    resolve_source,
    variant_stems,
)
from lead_images.settings import cache_folder, lead_image_settings

CAPTION = "Tàu cá cập cảng"
OLD = 1_000_000_000  # a fixed mtime (2001) no build would give a file


@pytest.fixture
def lead_images_of():
    """The ``lead_image`` of every article of the next build, by source file name."""
    found: dict[str, LeadImage | None] = {}

    def collect(generators) -> None:
        for generator in generators:
            for attribute in ("articles", "hidden_articles", "drafts"):
                for article in getattr(generator, attribute, []):
                    found[Path(article.source_path).name] = article.lead_image

    signals.all_generators_finalized.connect(collect, weak=False)
    yield found
    signals.all_generators_finalized.disconnect(collect)


def make_image(
    path: Path, size: tuple[int, int], color=(200, 30, 30), fmt: str = "JPEG"
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "RGBA" if fmt == "PNG" else "RGB"
    Image.new(mode, size, color).save(path, format=fmt)
    return path


def variant(site, name: str) -> Image.Image:
    with Image.open(site.output / "anh" / name) as image:
        image.load()
        return image


def variant_names(site) -> set[str]:
    return {path.name for path in (site.output / "anh").iterdir()}


def cache_files(site) -> dict[str, tuple[int, bytes]]:
    return {
        path.name: (path.stat().st_mtime_ns, path.read_bytes())
        for path in (site.root / "cache" / "lead-images").iterdir()
    }


@pytest.fixture
def photos(site):
    make_image(site.content / "images" / "a.jpg", (1600, 1000))
    make_image(site.content / "images" / "b.png", (600, 400), (20, 90, 200), "PNG")
    site.article(
        "tau-ca",
        title="Tàu cá về bến",
        date="2024-04-01 08:00",
        Image="{static}/images/a.jpg",
        Image_caption=CAPTION,
    )
    site.article(
        "cang-ca",
        title="Cảng cá & chợ",
        date="2024-04-02 08:00",
        Image="{static}/images/b.png",
    )
    site.article("khong-anh", title="Bài không ảnh", date="2024-04-03 08:00")
    return site


# --- Planning: pure functions -------------------------------------------------------


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        (1600, [480, 800, 1200]),
        (1200, [480, 800, 1200]),
        (1199, [480, 800]),
        (800, [480, 800]),
        (600, [480]),
        (480, [480]),
        (479, [479]),
        (300, [300]),
    ],
)
def test_widths_never_exceed_the_original(original, expected):
    assert plan_widths(original, [480, 800, 1200]) == expected


def test_configured_widths_are_sorted_and_deduplicated():
    assert plan_widths(2000, [1200, 480, 800, 480]) == [480, 800, 1200]


def test_static_paths_resolve_like_pelican(tmp_path):
    root = tmp_path / "content"
    article = root / "bai-viet" / "2024" / "bai.md"
    assert resolve_source("{static}/images/x.jpg", article, root) == (
        root / "images" / "x.jpg"
    )
    assert resolve_source("{static}../../images/x.jpg", article, root) == (
        root / "images" / "x.jpg"
    )
    assert resolve_source("{static}anh.jpg", article, root) == (
        root / "bai-viet" / "2024" / "anh.jpg"
    )
    assert resolve_source("{static}/images/t%C3%A0u.jpg", article, root) == (
        root / "images" / "tàu.jpg"
    )
    assert resolve_source("https://example.com/x.jpg", article, root) is None


def test_a_lead_image_lists_its_variants(tmp_path):
    root = tmp_path / "content"
    source = read_source(make_image(root / "images" / "a.jpg", (1000, 600)), root)
    plan = VariantPlan([source], [480, 800, 1200], 80, "anh")
    lead = plan.lead_image(source, "Tàu cá", Markup("Tàu cá"))
    assert lead == LeadImage(
        src="anh/a-800.jpg",
        srcset=(("anh/a-480.jpg", 480), ("anh/a-800.jpg", 800)),
        width=800,
        height=480,
        alt="Tàu cá",
        caption=Markup("Tàu cá"),
    )
    assert lead.srcset_attr("https://portal.test/") == (
        "https://portal.test/anh/a-480.jpg 480w, https://portal.test/anh/a-800.jpg 800w"
    )
    assert lead.srcset_attr("") == "/anh/a-480.jpg 480w, /anh/a-800.jpg 800w"


def test_names_are_ascii_and_only_clashing_names_get_a_path_hash(tmp_path):
    root = tmp_path / "content"
    sources = [
        read_source(make_image(root / path, (100, 100)), root)
        for path in ("images/Tàu cá 01.jpg", "images/x.jpg", "images/2024/X.jpeg")
    ]
    stems = variant_stems(sources)
    assert stems[sources[0]] == "tau-ca-01"
    clashing = {stems[sources[1]], stems[sources[2]]}
    assert len(clashing) == 2
    assert all(stem.startswith("x-") and len(stem) == 10 for stem in clashing)


def test_orientation_from_exif_swaps_width_and_height(tmp_path):
    root = tmp_path / "content"
    path = root / "images" / "doc.jpg"
    path.parent.mkdir(parents=True)
    image = Image.new("RGB", (1600, 900), (10, 10, 10))
    exif = image.getexif()
    exif[0x0112] = 6  # shot with the camera turned: shown 900×1600
    image.save(path, exif=exif)
    source = read_source(path, root)
    assert (source.width, source.height) == (900, 1600)


def test_settings_reject_unknown_keys_and_place_the_cache():
    with pytest.raises(ValueError, match="unknown keys"):
        lead_image_settings({"LEAD_IMAGES": {"WIDTH": [480]}})
    with pytest.raises(ValueError, match="WIDTHS"):
        lead_image_settings({"LEAD_IMAGES": {"WIDTHS": [480, 0]}})
    settings = {"PATH": "/srv/portal/content", "LEAD_IMAGES": {"WIDTHS": [800, 480]}}
    config = lead_image_settings(settings)
    assert config["WIDTHS"] == (480, 800)
    assert config["QUALITY"] == 80
    assert config["FOLDER"] == "anh"
    assert cache_folder(settings, config) == Path("/srv/portal/cache/lead-images")
    config["CACHE"] = "/var/cache/anh"
    assert cache_folder(settings, config) == Path("/var/cache/anh")


# --- Tiny real builds ----------------------------------------------------------------


def test_variants_are_written_at_each_width(photos):
    assert photos.build().ok, photos.result.errors
    assert variant_names(photos) == {
        "a-480.jpg",
        "a-800.jpg",
        "a-1200.jpg",
        "b-480.png",
    }
    for name, size in {
        "a-480.jpg": (480, 300),
        "a-800.jpg": (800, 500),
        "a-1200.jpg": (1200, 750),
    }.items():
        image = variant(photos, name)
        assert (image.format, image.size, image.mode) == ("JPEG", size, "RGB")
        assert image.info.get("progressive")
    png = variant(photos, "b-480.png")
    assert (png.format, png.size) == ("PNG", (480, 320))
    assert png.getpixel((240, 160)) == (20, 90, 200, 255)
    # Pelican still copies the originals.
    assert (photos.output / "images" / "a.jpg").is_file()
    assert (photos.output / "images" / "b.png").is_file()


def test_articles_get_their_lead_image(photos, lead_images_of):
    assert photos.build().ok, photos.result.errors
    a = lead_images_of["tau-ca.md"]
    assert a.src == "anh/a-1200.jpg"
    assert (a.width, a.height) == (1200, 750)
    assert a.srcset == (
        ("anh/a-480.jpg", 480),
        ("anh/a-800.jpg", 800),
        ("anh/a-1200.jpg", 1200),
    )
    assert a.alt == CAPTION
    assert a.caption == Markup(CAPTION)
    b = lead_images_of["cang-ca.md"]
    assert (b.src, b.width, b.height) == ("anh/b-480.png", 480, 320)
    assert (
        b.srcset_attr("http://portal.test") == "http://portal.test/anh/b-480.png 480w"
    )
    assert b.alt == "Cảng cá & chợ"  # the title, unescaped: templates escape
    assert b.caption is None
    assert lead_images_of["khong-anh.md"] is None


def test_a_small_image_is_never_upscaled(site, lead_images_of):
    make_image(site.content / "images" / "nho.png", (300, 200), fmt="PNG")
    site.article("nho", Image="{static}/images/nho.png")
    assert site.build().ok, site.result.errors
    assert variant_names(site) == {"nho-300.png"}
    assert variant(site, "nho-300.png").size == (300, 200)
    assert lead_images_of["nho.md"].srcset == (("anh/nho-300.png", 300),)


def test_a_second_build_takes_every_variant_from_the_cache(photos, caplog):
    assert photos.build().ok, photos.result.errors
    first = {
        name: (photos.output / "anh" / name).read_bytes()
        for name in variant_names(photos)
    }
    cache = photos.root / "cache" / "lead-images"
    assert len(list(cache.iterdir())) == 4
    for path in cache.iterdir():
        os.utime(path, ns=(OLD * 10**9, OLD * 10**9))
    cached = cache_files(photos)
    # Without the last build's stamp, so the build runs (it would stop at
    # once: nothing it reads has changed).
    for stamp in (photos.root / "cache" / "build").glob("stamp-*.json"):
        stamp.unlink()

    caplog.set_level(logging.INFO, logger="lead_images")
    assert photos.build().ok, photos.result.errors
    assert "ghi 4 ảnh cỡ nhỏ (0 ảnh mới từ 0 ảnh gốc" in caplog.text
    assert cache_files(photos) == cached  # nothing resized, nothing rewritten
    assert all(mtime == OLD * 10**9 for mtime, _ in cached.values())
    second = {
        name: (photos.output / "anh" / name).read_bytes()
        for name in variant_names(photos)
    }
    assert second == first


def test_the_cache_is_keyed_by_the_image_bytes_and_quality(photos):
    assert photos.build().ok, photos.result.errors
    before = set(cache_files(photos))
    assert photos.build(LEAD_IMAGES={"QUALITY": 60}).ok
    after = set(cache_files(photos))
    assert len(after - before) == 4
    make_image(photos.content / "images" / "a.jpg", (1600, 1000), (0, 200, 0))
    assert photos.build(LEAD_IMAGES={"QUALITY": 60}).ok
    assert len(set(cache_files(photos)) - after) == 3
    assert variant(photos, "a-800.jpg").getpixel((400, 250))[1] > 150  # green now


def test_articles_sharing_an_image_share_one_set_of_variants(
    site, lead_images_of, caplog
):
    caplog.set_level(logging.INFO, logger="lead_images")
    make_image(site.content / "images" / "a.jpg", (1600, 1000))
    for number in (1, 2, 3):
        site.article(
            f"bai-{number}",
            title=f"Bài {number}",
            date=f"2024-04-0{number} 08:00",
            Image="{static}/images/a.jpg",
        )
    assert site.build().ok, site.result.errors
    assert variant_names(site) == {"a-480.jpg", "a-800.jpg", "a-1200.jpg"}
    assert len(list((site.root / "cache" / "lead-images").iterdir())) == 3
    leads = [lead_images_of[f"bai-{n}.md"] for n in (1, 2, 3)]
    assert len({(lead.src, lead.srcset) for lead in leads}) == 1
    assert [lead.alt for lead in leads] == ["Bài 1", "Bài 2", "Bài 3"]
    assert "ghi 3 ảnh cỡ nhỏ (3 ảnh mới từ 1 ảnh gốc" in caplog.text  # decoded once


def test_one_file_name_in_two_folders_gives_two_sets(site):
    make_image(site.content / "images" / "a.jpg", (1600, 1000), (250, 0, 0))
    make_image(site.content / "images" / "2024" / "a.jpg", (1000, 500), (0, 0, 250))
    site.article("do", title="Ảnh đỏ", Image="{static}/images/a.jpg")
    site.article(
        "xanh",
        title="Ảnh xanh",
        date="2024-04-27 08:00",
        Image="{static}/images/2024/a.jpg",
    )
    assert site.build().ok, site.result.errors
    sets: dict[str, dict[int, Image.Image]] = {}
    for name in variant_names(site):
        stem, width = name.removesuffix(".jpg").rsplit("-", 1)
        sets.setdefault(stem, {})[int(width)] = variant(site, name)
    assert len(sets) == 2
    assert all(stem.startswith("a-") for stem in sets)
    red, blue = sorted(sets.values(), key=len, reverse=True)
    assert {w: i.size for w, i in red.items()} == {
        480: (480, 300),
        800: (800, 500),
        1200: (1200, 750),
    }
    assert {w: i.size for w, i in blue.items()} == {480: (480, 240), 800: (800, 400)}
    assert all(i.getpixel((10, 10))[0] > 200 for i in red.values())
    assert all(i.getpixel((10, 10))[2] > 200 for i in blue.values())


def test_drafts_and_retracted_articles_get_lead_images_too(site, lead_images_of):
    make_image(site.content / "images" / "nhap.jpg", (900, 600))
    make_image(site.content / "images" / "go.jpg", (500, 500))
    site.write(
        "bai-viet/nhap.md",
        article_text(
            title="Bài nháp",
            Status="draft",
            Reviewed_by=None,
            Reviewed_at=None,
            Image="{static}/images/nhap.jpg",
        ),
    )
    site.article(
        "go",
        title="Bài gỡ",
        Status="retracted",
        Retraction_note="Thông tin chưa được kiểm chứng.",
        Retracted_at="2024-04-27 15:00",
        Image="{static}/images/go.jpg",
    )
    assert site.build().ok, site.result.errors
    assert variant_names(site) == {"nhap-480.jpg", "nhap-800.jpg", "go-480.jpg"}
    assert lead_images_of["nhap.md"].src == "anh/nhap-800.jpg"
    assert lead_images_of["go.md"].src == "anh/go-480.jpg"


def test_a_broken_image_stops_a_strict_build_naming_the_article(site):
    site.write("images/hong.jpg", b"\xff\xd8\xff\xe0 not a photo")
    site.article("hong", Image="{static}/images/hong.jpg")
    result = site.build()
    assert not result.ok
    assert any(
        "bai-viet/hong.md:" in error and ": Image: " in error and "hong.jpg" in error
        for error in result.errors
    ), result.errors
    assert not (site.output / "anh").exists()
