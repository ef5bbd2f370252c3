"""Ảnh đại diện: responsive variants of lead images, made at build and cached."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import pytest
from markupsafe import Markup
from pelican.plugins import signals
from PIL import Image

from conftest import article_text
from content_tree import LinkResolver
from lead_images import LeadImage, plan_widths
from lead_images.planning import VariantPlan, read_source, resolve_source
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


def named(source: Path, width: int) -> str:
    """A variant's name: the source's slug, the width, 8 hex of its bytes' SHA-256."""
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:8]
    return f"{source.stem.lower()}-{width}-{digest}{source.suffix}"


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


@pytest.fixture(autouse=True)
def whole_images_only(request):
    """Most tests here count the variants by width: no crops, unless asked for."""
    if "site" in request.fixturenames and "with_crops" not in request.fixturenames:
        request.getfixturevalue("site").overrides["LEAD_IMAGES"] = {"CROPS": []}


@pytest.fixture
def with_crops() -> None:
    """Asked for by a test of the crops: the portal's default CROPS."""


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
    links = LinkResolver(root, frozenset({"jpg"}))
    assert resolve_source("{static}/images/x.jpg", article, links) == (
        root / "images" / "x.jpg"
    )
    assert resolve_source("{static}../../images/x.jpg", article, links) == (
        root / "images" / "x.jpg"
    )
    assert resolve_source("{static}anh.jpg", article, links) == (
        root / "bai-viet" / "2024" / "anh.jpg"
    )
    assert resolve_source("{static}/images/t%C3%A0u.jpg", article, links) == (
        root / "images" / "tàu.jpg"
    )
    assert resolve_source("{static}/images/Tàu cá 01.jpg", article, links) == (
        root / "images" / "Tàu cá 01.jpg"
    )
    assert resolve_source("{static}/../ngoai.jpg", article, links) is None
    assert resolve_source("https://example.com/x.jpg", article, links) is None


def test_a_lead_image_lists_its_variants(tmp_path):
    root = tmp_path / "content"
    path = make_image(root / "images" / "a.jpg", (1000, 600))
    source = read_source(path, root)
    plan = VariantPlan([source], [480, 800, 1200], 80, "anh")
    lead = plan.lead_image(source, "Tàu cá", Markup("Tàu cá"))
    small, large = f"anh/{named(path, 480)}", f"anh/{named(path, 800)}"
    assert lead == LeadImage(
        src=large,
        srcset=((small, 480), (large, 800)),
        width=800,
        height=480,
        alt="Tàu cá",
        caption=Markup("Tàu cá"),
    )
    assert lead.srcset_attr("https://portal.test/") == (
        f"https://portal.test/{small} 480w, https://portal.test/{large} 800w"
    )
    assert lead.srcset_attr("") == f"/{small} 480w, /{large} 800w"


def test_names_are_ascii_and_follow_the_bytes_of_the_image(tmp_path):
    """A file's variants are named by its bytes: one name in two folders gives
    two sets unless the bytes are the same; new bytes give new URLs."""
    root = tmp_path / "content"
    tau_ca = make_image(root / "images" / "Tàu cá 01.jpg", (100, 100))
    red = make_image(root / "images" / "x.jpg", (100, 100), (250, 0, 0))
    blue = make_image(root / "images" / "2024" / "x.jpg", (100, 100), (0, 0, 250))
    copy = root / "images" / "2025" / "x.jpg"
    copy.parent.mkdir()
    copy.write_bytes(red.read_bytes())

    def name(path: Path) -> str:
        source = read_source(path, root)
        return VariantPlan([source], [480], 80, "anh").variants[source][0].name

    digest = hashlib.sha256(tau_ca.read_bytes()).hexdigest()[:8]
    assert name(tau_ca) == f"tau-ca-01-100-{digest}.jpg"
    assert name(red) != name(blue)
    assert name(red) == name(copy)
    before = name(red)
    make_image(red, (100, 100), (0, 250, 0))
    assert name(red) != before
    assert name(red).startswith("x-100-")


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
    a, b = photos.content / "images" / "a.jpg", photos.content / "images" / "b.png"
    assert variant_names(photos) == {
        named(a, 480),
        named(a, 800),
        named(a, 1200),
        named(b, 480),
    }
    for width, size in {480: (480, 300), 800: (800, 500), 1200: (1200, 750)}.items():
        image = variant(photos, named(a, width))
        assert (image.format, image.size, image.mode) == ("JPEG", size, "RGB")
        assert image.info.get("progressive")
    png = variant(photos, named(b, 480))
    assert (png.format, png.size) == ("PNG", (480, 320))
    assert png.getpixel((240, 160)) == (20, 90, 200, 255)
    # Pelican still copies the originals.
    assert (photos.output / "images" / "a.jpg").is_file()
    assert (photos.output / "images" / "b.png").is_file()


def test_articles_get_their_lead_image(photos, lead_images_of):
    assert photos.build().ok, photos.result.errors
    images = photos.content / "images"
    a = lead_images_of["tau-ca.md"]
    assert a.src == f"anh/{named(images / 'a.jpg', 1200)}"
    assert (a.width, a.height) == (1200, 750)
    assert a.srcset == tuple(
        (f"anh/{named(images / 'a.jpg', width)}", width) for width in (480, 800, 1200)
    )
    assert a.alt == CAPTION
    assert a.caption == Markup(CAPTION)
    b = lead_images_of["cang-ca.md"]
    png = named(images / "b.png", 480)
    assert (b.src, b.width, b.height) == (f"anh/{png}", 480, 320)
    assert b.srcset_attr("http://portal.test") == f"http://portal.test/anh/{png} 480w"
    assert b.alt == "Cảng cá & chợ"  # the title, unescaped: templates escape
    assert b.caption is None
    assert lead_images_of["khong-anh.md"] is None


def test_a_small_image_is_never_upscaled(site, lead_images_of):
    path = make_image(site.content / "images" / "nho.png", (300, 200), fmt="PNG")
    site.article("nho", Image="{static}/images/nho.png")
    assert site.build().ok, site.result.errors
    assert variant_names(site) == {named(path, 300)}
    assert variant(site, named(path, 300)).size == (300, 200)
    assert lead_images_of["nho.md"].srcset == ((f"anh/{named(path, 300)}", 300),)


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


def test_variants_made_beside_the_build_are_those_the_build_makes(photos, caplog):
    """Where workers are forked, the variants the cache lacks are made in a
    process of their own while the build reads on; started workers (Windows)
    leave them to the build. The same files either way, each counted once."""
    caplog.set_level(logging.DEBUG, logger="lead_images")
    assert photos.build().ok, photos.result.errors
    assert "làm trước, trong một tiến trình riêng" in caplog.text
    assert "ghi 4 ảnh cỡ nhỏ (4 ảnh mới từ 2 ảnh gốc" in caplog.text
    beside = {
        name: (photos.output / "anh" / name).read_bytes()
        for name in variant_names(photos)
    }

    caplog.clear()
    other, cache = photos.root / "output-2", photos.root / "cache-2"
    assert photos.build(
        OUTPUT_PATH=str(other),
        LEAD_IMAGES={"CACHE": str(cache), "CROPS": []},
        WORKER_PROCESSES={"START_METHOD": "spawn"},
    ).ok, photos.result.errors
    assert "làm trước" not in caplog.text
    assert "ghi 4 ảnh cỡ nhỏ (4 ảnh mới từ 2 ảnh gốc" in caplog.text
    assert {p.name: p.read_bytes() for p in (other / "anh").iterdir()} == beside
    assert len(list(cache.iterdir())) == 4

    caplog.clear()  # all cached: nothing to make beside the build
    for stamp in (photos.root / "cache" / "build").glob("stamp-*.json"):
        stamp.unlink()
    assert photos.build().ok, photos.result.errors
    assert "làm trước" not in caplog.text
    assert "ghi 4 ảnh cỡ nhỏ (0 ảnh mới từ 0 ảnh gốc" in caplog.text


def test_the_cache_is_keyed_by_the_image_bytes_and_quality(photos):
    assert photos.build().ok, photos.result.errors
    before = set(cache_files(photos))
    assert photos.build(LEAD_IMAGES={"QUALITY": 60, "CROPS": []}).ok
    after = set(cache_files(photos))
    assert len(after - before) == 4
    a = make_image(photos.content / "images" / "a.jpg", (1600, 1000), (0, 200, 0))
    assert photos.build(LEAD_IMAGES={"QUALITY": 60, "CROPS": []}).ok
    assert len(set(cache_files(photos)) - after) == 3
    assert variant(photos, named(a, 800)).getpixel((400, 250))[1] > 150  # green now


def test_articles_sharing_an_image_share_one_set_of_variants(
    site, lead_images_of, caplog
):
    caplog.set_level(logging.INFO, logger="lead_images")
    a = make_image(site.content / "images" / "a.jpg", (1600, 1000))
    for number in (1, 2, 3):
        site.article(
            f"bai-{number}",
            title=f"Bài {number}",
            date=f"2024-04-0{number} 08:00",
            Image="{static}/images/a.jpg",
        )
    assert site.build().ok, site.result.errors
    assert variant_names(site) == {named(a, w) for w in (480, 800, 1200)}
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
        slug, width, digest = name.removesuffix(".jpg").split("-")
        assert slug == "a"
        sets.setdefault(digest, {})[int(width)] = variant(site, name)
    assert len(sets) == 2
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
    nhap = make_image(site.content / "images" / "nhap.jpg", (900, 600))
    go = make_image(site.content / "images" / "go.jpg", (500, 500))
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
    assert variant_names(site) == {named(nhap, 480), named(nhap, 800), named(go, 480)}
    assert lead_images_of["nhap.md"].src == f"anh/{named(nhap, 800)}"
    assert lead_images_of["go.md"].src == f"anh/{named(go, 480)}"


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


def test_the_output_holds_copies_and_a_damaged_cache_is_never_published(photos, caplog):
    """Variants in the output are copies, not links into the cache; a cached
    variant cut short is found by its digest and made again."""
    assert photos.build().ok, photos.result.errors
    cache = photos.root / "cache" / "lead-images"
    published = {
        name: (photos.output / "anh" / name).read_bytes()
        for name in variant_names(photos)
    }
    assert all((photos.output / "anh" / n).stat().st_nlink == 1 for n in published)
    for path in cache.iterdir():
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3])
    for name, data in published.items():  # the damage stays in the cache
        assert (photos.output / "anh" / name).read_bytes() == data

    # A new output (a publish after a preview) from the damaged cache.
    caplog.set_level(logging.INFO, logger="build_cache")
    other = photos.root / "output-2"
    assert photos.build(OUTPUT_PATH=str(other)).ok, photos.result.errors
    assert photos.result.warnings == []
    for name, data in published.items():
        assert (other / "anh" / name).read_bytes() == data
        with Image.open(other / "anh" / name) as image:
            image.load()
    reported = [r for r in caplog.records if "Bộ nhớ đệm hỏng" in r.getMessage()]
    assert len(reported) == len(published)
    # The cache holds whole variants again, and only those.
    assert sorted(len(data) for _, data in cache_files(photos).values()) == sorted(
        len(data) for data in published.values()
    )


def test_centre_crops_in_three_shapes_for_news_articles(
    with_crops, photos, lead_images_of
):
    """16:9, 4:3 and 1:1 from the centre, at most the largest width, never up."""
    assert photos.build().ok, photos.result.errors
    a = photos.content / "images" / "a.jpg"
    digest = hashlib.sha256(a.read_bytes()).hexdigest()[:8]
    lead = lead_images_of["tau-ca.md"]
    assert lead.crops == (
        (f"anh/a-1200x675-{digest}.jpg", 1200, 675),
        (f"anh/a-1200x900-{digest}.jpg", 1200, 900),
        (f"anh/a-1000x1000-{digest}.jpg", 1000, 1000),
    )
    # The srcset is the whole image only.
    assert [width for _, width in lead.srcset] == [480, 800, 1200]
    for url, width, height in lead.crops:
        assert variant(photos, url.removeprefix("anh/")).size == (width, height)
    # A 600x400 PNG: 16:9 cuts top and bottom, 1:1 the sides; none grows.
    small = {(w, h) for _, w, h in lead_images_of["cang-ca.md"].crops}
    assert small == {(600, 338), (533, 400), (400, 400)}


def test_a_crop_shows_the_centre(with_crops, site, lead_images_of):
    image = Image.new("RGB", (1600, 900), (0, 0, 255))
    image.paste((255, 0, 0), (350, 0, 1250, 900))  # the centre 900 px are red
    path = site.content / "images" / "giua.png"
    path.parent.mkdir(parents=True)
    image.save(path)
    site.article("giua", Image="{static}/images/giua.png")
    assert site.build(LEAD_IMAGES={"CROPS": [[1, 1]]}).ok, site.result.errors
    ((url, width, height),) = lead_images_of["giua.md"].crops
    assert (width, height) == (900, 900)
    square = variant(site, url.removeprefix("anh/")).convert("RGB")
    assert {square.getpixel((x, 450)) for x in (0, 450, 899)} == {(255, 0, 0)}


def test_crop_shapes_are_checked():
    with pytest.raises(ValueError, match="CROPS"):
        lead_image_settings({"LEAD_IMAGES": {"CROPS": [[16, 0]]}})
    config = lead_image_settings({"LEAD_IMAGES": {}})
    assert config["CROPS"] == ((16, 9), (4, 3), (1, 1))
