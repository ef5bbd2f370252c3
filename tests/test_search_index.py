"""The search index: folding, segments, and what never enters it."""

import json
import unicodedata
from datetime import datetime

import pytest

from build_cache import text_digest
from search_index import bucket_of, search_fold, search_form, tokenize
from search_index.builder import (
    ID_SHIFT,
    IN_TITLE,
    SearchDoc,
    Segment,
    SegmentPostings,
    doc_terms,
    plan_segments,
)


@pytest.mark.parametrize(
    ("word", "folded"),
    [
        ("Đảng", "dang"),
        ("đại", "dai"),
        ("THUỶ", "thuy"),
        ("thủy", "thuy"),
        ("Nguyễn", "nguyen"),
        ("IUU", "iuu"),
        ("32", "32"),
    ],
)
def test_fold_removes_case_diacritics_and_dj(word, folded):
    assert search_fold(word) == folded
    assert search_fold(unicodedata.normalize("NFD", word)) == folded


@pytest.mark.parametrize(
    ("first", "second"),
    [("thuỷ", "thủy"), ("uỷ", "ủy"), ("hoà", "hòa"), ("Khoẻ", "khỏe")],
)
def test_form_ignores_tone_placement_case_and_unicode_form(first, second):
    assert search_form(first) == search_form(second)
    assert search_form(unicodedata.normalize("NFD", first)) == search_form(second)


def test_form_keeps_every_vietnamese_distinction():
    forms = {
        search_form(w)
        for w in ("Bão", "Báo", "Bảo", "Bao", "bạo", "đảng", "đang", "dạng")
    }
    assert len(forms) == 8


def test_tokenize_keeps_words_and_numbers():
    text = unicodedata.normalize(
        "NFD", "Chỉ thị số 32-CT/TW, ngày 10/4/2024: “chống khai thác IUU”."
    )
    assert tokenize(text) == [
        "Chỉ",
        "thị",
        "số",
        "32",
        "CT",
        "TW",
        "ngày",
        "10",
        "4",
        "2024",
        "chống",
        "khai",
        "thác",
        "IUU",
    ]


def test_bucket_is_fnv1a_of_the_utf8():
    # Reference values of 32-bit FNV-1a, which the browser computes too.
    assert bucket_of("", 2**32) == 0x811C9DC5
    assert bucket_of("a", 2**32) == 0xE40C292C
    assert bucket_of("dai hoi", 7) == bucket_of("dai hoi", 7)


def docs(count: int, bodies: list[str] | None = None) -> list[SearchDoc]:
    """``count`` articles ``Bài 0``, ``Bài 1``..., with these bodies if given."""
    return [
        SearchDoc(
            url=f"{i}/",
            title_html=f"Bài {i}",
            date=datetime(2024, 1, 1),
            sections=[0],
            source_html=bodies[i] if bodies else "",
        )
        for i in range(count)
    ]


@pytest.mark.parametrize(
    ("count", "names"),
    [
        (0, []),
        (49, ["t-0"]),
        (50, ["l2-0"]),
        (
            1234,
            ["l1-0", "l1-500", "l2-1000", "l2-1050", "l2-1100", "l2-1150", "t-1200"],
        ),
        (10000, ["l0-0", "l0-5000"]),
    ],
)
def test_segments_are_cut_from_the_oldest(count, names):
    levels = [[5000, 2048], [500, 256], [50, 32]]
    assert [s.name for s in plan_segments(docs(count), levels)] == names


BODIES = [
    "Đại hội Đảng bộ tỉnh thành công tốt đẹp.",
    "Tàu cá thủy sản cập cảng, ngư dân khai báo nhật ký.",
    "Thuỷ sản xuất khẩu tăng; chống khai thác IUU.",
    "<p>Hội nghị <strong>cán bộ</strong> chủ chốt.</p>",
    "Phòng, chống tham nhũng, tiêu cực.",
]


def segment_of(bodies: list[str]) -> Segment:
    return Segment("l0-0", docs(len(bodies), bodies), 4)


def bucket_files(postings: SegmentPostings) -> dict[str, bytes]:
    return postings.bucket_files()


@pytest.mark.parametrize(
    "bodies",
    [
        # An edit that adds words and drops others.
        [*BODIES[:2], "Thuỷ sản xuất khẩu giảm; ngư dân Kiên Giang.", *BODIES[3:]],
        [*BODIES, "Bài mới nhất về thủy sản."],  # a new article at the end
        BODIES[:-1],  # the newest one gone
        [BODIES[0], *BODIES[2:]],  # one gone in the middle: every id after it shifts
        [BODIES[0], "", *BODIES[2:]],  # an empty body
    ],
)
def test_kept_postings_patched_equal_a_whole_new_index(bodies):
    kept = SegmentPostings.of(segment_of(BODIES), ["Xây dựng Đảng"])
    segment = segment_of(bodies)
    changed = kept.changed_docs(segment)
    touched = kept.patch(segment, changed)
    whole = SegmentPostings.of(segment, ["Xây dựng Đảng"])
    assert bucket_files(kept) == bucket_files(whole)
    assert (kept.words, kept.phrases) == (whole.words, whole.phrases)
    # Only the buckets reported as touched differ from before the patch.
    before = bucket_files(SegmentPostings.of(segment_of(BODIES), ["Xây dựng Đảng"]))
    after = bucket_files(kept)
    differing = {name for name in before if before[name] != after[name]}
    assert differing <= set(kept.bucket_files(touched)) and changed


def test_a_segment_indexed_at_once_holds_each_articles_own_terms():
    """The segment's ids of words and phrases give back each article's terms."""
    bodies = [
        *BODIES,
        # One word in several spellings in one article, and in phrases.
        "Thủy sản, THUỶ SẢN và thuỷ sản; Tỉnh ủy, tỉnh uỷ, tính uy tín.",
    ]
    segment = segment_of(bodies)
    kept = SegmentPostings.of(segment, [])
    expected: list[dict] = [{}, {}]
    for local_id, doc in enumerate(segment.docs):
        for table, terms in zip(expected, doc_terms(doc), strict=True):
            for key, weight in terms.items():
                table.setdefault(key, []).append(local_id << ID_SHIFT | weight)
    for table, buckets in zip(expected, (kept.words, kept.phrases), strict=True):
        held = {
            key: list(entries) for bucket in buckets for key, entries in bucket.items()
        }
        assert held == table
    assert len(expected[0][("thuy", search_form("thủy"))]) == 3  # three articles
    assert ("tinh uy", f"{search_form('tỉnh')} {search_form('ủy')}") in expected[1]


def test_a_word_shares_its_file_with_the_completions_of_its_prefixes():
    kept = SegmentPostings.of(segment_of(BODIES), [])
    files = kept.bucket_files()

    def file_of(word: str) -> dict:
        return json.loads(files[f"{bucket_of(word, 4)}.json"])

    assert "khai" in file_of("khai")
    phrases = json.loads(files[f"p{bucket_of('khai thac', 4)}.json"])
    assert phrases["khai thac"][0] == f"khai {search_form('thác')}"
    # "kha" begins khai (two articles) and khẩu (one), the most frequent first.
    assert file_of("kha")["kha*"] == ["khai", 2, "khau", 1]
    # "ca" is a word of one article: words it begins in no more are not offered.
    assert "ca*" not in file_of("ca")
    assert "thuy*" not in file_of("thuy")


@pytest.mark.parametrize(
    "edited",
    [
        unicodedata.normalize("NFD", BODIES[2]),  # the same letters, decomposed
        BODIES[2].replace("Thuỷ", "Thủy"),  # the other tone-mark placement
        BODIES[2].replace("IUU", "IUU "),  # one space
    ],
)
def test_a_segment_fingerprint_tells_every_change_of_a_body(edited):
    assert edited != BODIES[2]
    names = ["Xây dựng Đảng"]
    assert segment_of(BODIES).fingerprint(names) == segment_of(
        list(BODIES)
    ).fingerprint(names)
    assert segment_of([*BODIES[:2], edited, *BODIES[3:]]).fingerprint(
        names
    ) != segment_of(BODIES).fingerprint(names)


def test_an_unchanged_segment_needs_no_patch():
    kept = SegmentPostings.of(segment_of(BODIES), [])
    assert kept.changed_docs(segment_of(BODIES)) == []


def index_files(output):
    folder = output / "tim-kiem" / "chi-muc"
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*.json")}


def test_only_published_articles_are_indexed(site):
    site.article("dang", title="Bài đã đăng về thủy sản")
    site.article(
        "nhap", title="Bản nháp về thủy sản", date="2024-04-02 08:00", Status="draft"
    )
    site.article(
        "duyet", title="Chờ duyệt về thủy sản", date="2024-04-03 08:00", Status="review"
    )
    site.article(
        "go",
        title="Bài đã gỡ về thủy sản",
        date="2024-04-04 08:00",
        Status="retracted",
        Retraction_note="Sai.",
        Retracted_at="2024-04-05 08:00",
    )
    site.article("hen", title="Hẹn giờ về thủy sản", date="2099-01-01 08:00")
    site.write("trang/gioi-thieu.md", "Title: Giới thiệu thủy sản\n\nTrang tĩnh.\n")
    assert site.build(
        production=True,
        SITEURL="https://tinh.example",
        FEED_DOMAIN="https://tinh.example",
    ).ok
    files = index_files(site.output)
    text = b"".join(files.values()).decode("utf-8")
    assert "Bài đã đăng về thủy sản" in text
    for hidden in (
        "Bản nháp",
        "Chờ duyệt",
        "Bài đã gỡ",
        "Hẹn giờ",
        "Giới thiệu",
        "Không tìm thấy",
    ):
        assert hidden not in text
    manifest = json.loads(files["manifest.json"])
    assert [s[:3] for s in manifest["segments"]] == [["t-0", 1, 32]]


def test_a_heading_or_list_item_ends_its_sentence_in_the_excerpt_text(site):
    site.article(
        "muc-tieu",
        title="Đại hội chi bộ",
        body="""
        ## Xác định mục tiêu sát thực tiễn

        Bên cạnh việc **chuẩn bị** văn kiện, chi bộ lấy ý kiến.

        - Kiểm tra tàu cá
        - Tuyên truyền: thường xuyên
        """,
    )
    assert site.build().ok, site.result.errors
    record = json.loads(index_files(site.output)["t-0/d/0.json"])
    assert record["x"] == (
        "Xác định mục tiêu sát thực tiễn. Bên cạnh việc chuẩn bị văn kiện, chi bộ "
        "lấy ý kiến. Kiểm tra tàu cá. Tuyên truyền: thường xuyên."
    )


def test_a_new_article_rewrites_only_the_tail(site):
    for number in range(53):
        site.article(
            f"bai-{number}",
            title=f"Thủy sản số {number}",
            date=f"2024-0{1 + number % 9}-{1 + number % 28:02d} 08:{number:02d}",
        )
    assert site.build().ok
    before = index_files(site.output)
    site.article("moi", title="Bài mới nhất về thủy sản", date="2025-01-01 08:00")
    assert site.build().ok
    after = index_files(site.output)
    changed = {name for name in after if before.get(name) != after[name]}
    # The tail's buckets (the new article's words), its vocabulary, the new
    # record and the manifest: nothing of the older segment.
    assert "manifest.json" in changed and "t-50/v.json" in changed
    assert {name for name in changed if "/d/" in name} == {"t-50/d/3.json"}
    assert all(name == "manifest.json" or name.startswith("t-50/") for name in changed)
    assert set(before) - set(after) == set()


def test_each_segment_keeps_only_its_latest_postings(site):
    """An edit built with other settings indexes its segment anew; the
    postings kept for the old segment are removed, not left to pile up."""
    for number in range(53):
        site.article(
            f"bai-{number}",
            title=f"Thủy sản số {number}",
            date=f"2024-0{1 + number % 9}-{1 + number % 28:02d} 08:{number:02d}",
        )
    assert site.build(DEFAULT_PAGINATION=10).ok
    site.article("bai-3", title="Thủy sản số 3, sửa lại", date="2024-04-04 08:03")
    assert site.build(DEFAULT_PAGINATION=12).ok
    kept = sorted(p.name for p in (site.root / "cache/build/search-index").iterdir())
    segments = [name.rsplit("-", 2)[0] for name in kept]
    assert segments == ["l2-0", "t-50"], kept


def test_an_entry_digests_its_body_the_same_whether_given_its_digest_or_not():
    """Articles give the digest of their body (``body_digest``), taken once a
    build; other entries let it be taken: both are the same digest."""
    body = "<p>Thủy sản, hoà giải, Đại hội</p>"
    given, taken = (
        SearchDoc(
            url="x/",
            title_html="Bài",
            date=datetime(2024, 1, 1),
            sections=[0],
            source_html=body,
            source_digest=digest,
        )
        for digest in (text_digest(body), "")
    )
    assert given.digest == taken.digest
    other = SearchDoc(
        url="x/", title_html="Bài", date=datetime(2024, 1, 1), sections=[0],
        source_html=body + " ",
    )  # fmt: skip
    assert other.digest != taken.digest


def weights_of(**fields: str) -> tuple[dict, dict]:
    """The weighted words and phrases of one article with these fields."""
    doc = SearchDoc(
        url="x/",
        title_html=fields.get("title", "Bài"),
        date=datetime(2024, 1, 1),
        sections=[0],
        source_html=fields.get("body", ""),
        summary_html=fields.get("summary", ""),
    )
    return doc_terms(doc)


def weight(words: dict, fold: str) -> int:
    """The BM25F weight of a folded word (1-31), without the title's bit."""
    return max(w & (IN_TITLE - 1) for (f, _form), w in words.items() if f == fold)


def in_title(words: dict, fold: str) -> bool:
    return any(w & IN_TITLE for (f, _form), w in words.items() if f == fold)


def test_a_word_weighs_more_in_the_title_than_the_summary_than_the_body():
    filler = " ".join(["ngư dân vươn khơi"] * 50)
    title, _ = weights_of(title="Tỉnh ủy họp", body=filler)
    summary, _ = weights_of(summary="Tỉnh ủy họp", body=filler)
    body, _ = weights_of(body=f"Tỉnh ủy họp. {filler}")
    assert weight(title, "uy") > weight(summary, "uy") > weight(body, "uy") >= 1
    assert in_title(title, "uy")
    assert not in_title(summary, "uy")


def test_a_longer_body_weighs_each_word_less():
    short, _ = weights_of(body="Tàu cá cập cảng.")
    long, _ = weights_of(body="Tàu cá cập cảng. " + "Ngư dân vươn khơi. " * 200)
    assert weight(short, "tau") > weight(long, "tau")


def test_a_phrase_keeps_its_spellings_apart():
    _, phrases = weights_of(body="Tỉnh ủy và tính uy tín; Tỉnh uỷ họp.")
    forms = {form for fold, form in phrases if fold == "tinh uy"}
    assert forms == {
        f"{search_form('Tỉnh')} {search_form('ủy')}",
        f"{search_form('tính')} {search_form('uy')}",
    }
    assert ("uy tin", f"uy {search_form('tín')}") in phrases


def test_the_vocabulary_has_words_of_two_letters_with_their_articles():
    kept = SegmentPostings.of(segment_of(BODIES), [])
    vocabulary = json.loads(kept.vocabulary_file())
    assert vocabulary["thuy"] == 2  # thủy and thuỷ: one spelling, two articles
    assert vocabulary["iuu"] == 1
    assert "32" not in vocabulary
    assert all(len(word) >= 2 for word in vocabulary)
