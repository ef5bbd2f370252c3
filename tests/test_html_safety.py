"""Raw HTML in articles: real XSS vectors never reach the output."""

import pytest
from bs4 import BeautifulSoup

from conftest import reader_pages
from html_safety import HtmlPolicy, HtmlSanitizer

VECTORS = {
    "script": "<script>alert(1)</script>",
    "script-upper": "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
    "script-split": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "script-newline": "<script\n>alert(1)</script\n>",
    "img-onerror": '<img src="x" alt="x" onerror="alert(1)">',
    "body-onload": '<div onmouseover="alert(1)">di chuột</div>',
    "javascript-link": '<a href="javascript:alert(1)">bấm</a>',
    "javascript-entities": '<a href="&#106;&#97;vascript:alert(1)">bấm</a>',
    "javascript-tab": '<a href="jav&#x09;ascript:alert(1)">bấm</a>',
    "javascript-markdown": "[bấm](javascript:alert(1))",
    "data-link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">bấm</a>',
    "svg-script": "<svg><script>alert(1)</script></svg>",
    "svg-onload": '<svg onload="alert(1)"><circle r="1"/></svg>',
    "iframe-javascript": '<iframe src="javascript:alert(1)"></iframe>',
    "iframe-other-host": '<iframe src="https://evil.example/"></iframe>',
    "object": '<object data="x.swf"></object>',
    "embed": '<embed src="x.swf">',
    "form": '<form action="https://evil.example/"><input name="q"><button>Gửi</button></form>',
    "style-tag": "<style>body { display: none }</style>",
    "style-attribute": '<p style="background:url(javascript:alert(1))">chữ</p>',
    "mutation": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "comment": "<!--><script>alert(1)</script>-->",
}


def assert_safe(soup) -> None:
    body = soup.select_one(".portal-article__body")
    assert body is not None
    for element in body.find_all(True):
        assert element.name not in {
            "script",
            "style",
            "iframe",
            "object",
            "embed",
            "form",
            "input",
            "svg",
            "math",
        }, element
        for attribute, value in element.attrs.items():
            assert not attribute.startswith("on"), element
            assert attribute != "style", element
            if attribute in ("href", "src"):
                url = "".join(str(value).split()).lower()
                assert not url.startswith(("javascript:", "data:text")), element
    assert "alert(1)" not in str(body.find_all(["script"]))


@pytest.mark.parametrize("vector", list(VECTORS))
def test_vector_fails_the_build_and_never_reaches_a_preview(site, vector):
    site.article(
        "xss", title="Bài thử", body=f"Đoạn đầu.\n\n{VECTORS[vector]}\n\nĐoạn cuối."
    )
    strict = site.build()
    assert strict.failed
    assert any("xss.md:" in message for message in strict.errors)
    preview = site.build(BUILD_GATE={"STRICT": False})
    assert not preview.failed
    # A preview leaves the broken article out entirely.
    assert not site.exists("2024/04/bai-thu")


@pytest.mark.parametrize("vector", list(VECTORS))
def test_sanitiser_removes_the_vector(vector):
    sanitizer = HtmlSanitizer(HtmlPolicy())
    clean = sanitizer.clean(f"<p>Đoạn.</p>{VECTORS[vector]}")
    soup = BeautifulSoup(
        f'<div class="portal-article__body">{clean}</div>', "html.parser"
    )
    assert_safe(soup)


def test_allowed_html_and_markdown_pass_unchanged(site):
    body = """
Đoạn có <abbr title="Ủy ban nhân dân">UBND</abbr>, <mark>đánh dấu</mark> và chú thích[^1].

| Chỉ tiêu | Kết quả |
|:--|--:|
| Tàu cá lắp VMS | 100% |

<figure><img src="{static}/images/anh.jpg" alt="Tàu cá cập cảng" width="800" height="600"><figcaption>Tàu cá cập cảng Tắc Cậu.</figcaption></figure>

[Liên hệ](mailto:toasoan@example.vn) · [Cổng Chính phủ](https://chinhphu.vn)

[^1]: Số liệu của Sở Nông nghiệp.
"""
    (site.content / "images").mkdir()
    (site.content / "images" / "anh.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    site.article("an-toan", title="Bài an toàn", body=body)
    result = site.build()
    assert result.ok, result.errors
    soup = site.page("2024/04/bai-an-toan")
    assert_safe(soup)
    article = soup.select_one(".portal-article__body")
    assert article.select_one("abbr[title]")["title"] == "Ủy ban nhân dân"
    assert article.select_one("figure img")["src"].endswith("/images/anh.jpg")
    assert article.select_one("th.portal-align-left") is not None
    assert article.select_one("td.portal-align-right") is not None
    assert article.select_one("a[href^='mailto:']") is not None


def test_iframe_only_from_allowed_hosts(site):
    body = '<iframe src="https://video.tinh.example/nhung/1" title="Video"></iframe>'
    site.article("video", title="Bài có video", body=body)
    assert site.build().failed
    allowed = site.build(HTML_SAFETY={"IFRAME_HOSTS": ["video.tinh.example"]})
    assert allowed.ok, allowed.errors
    frame = site.page("2024/04/bai-co-video").select_one(".portal-article__body iframe")
    assert frame["src"] == "https://video.tinh.example/nhung/1"


def test_every_page_carries_a_strict_content_security_policy(site):
    site.article("a", title="Bài một")
    assert site.build().ok
    pages = reader_pages(site.output)
    assert len(pages) > 10
    for path in pages:
        soup = site.page(str(path.parent.relative_to(site.output)))
        policy = soup.select_one('meta[http-equiv="Content-Security-Policy"]')[
            "content"
        ]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'"
        assert "'unsafe-inline'" not in policy
        assert directives["object-src"] == "'none'"
        # Inline scripts: only schema.org data blocks, which never run.
        inline = soup.find_all("script", src=False)
        assert all(s["type"] == "application/ld+json" for s in inline)
        assert not soup.find(style=True)
        assert not any(
            a.startswith("on") for tag in soup.find_all(True) for a in tag.attrs
        )
