"""What a built page loads, and the output file each of its URLs points to."""

from pathlib import Path

from content_tree import loaded_urls, output_target

PAGE = """<!doctype html><html><head>
<link rel="stylesheet" href="/theme/css/site.1a2b.css">
<link rel="icon" href="/favicon.ico">
<link rel="canonical" href="https://portal.test/2024/04/tin/">
<link rel="alternate" type="application/atom+xml" href="/feeds/tat-ca.atom.xml">
<script src="../../theme/js/site.3c4d.js" defer></script>
</head><body>
<a href="/chuyen-muc/iuu/"><img src="/anh/tau-ca-480-ab12.jpg"
 srcset="/anh/tau-ca-480-ab12.jpg 480w, /anh/t%C3%A0u-800-ab12.jpg 800w" alt=""></a>
<picture><source srcset="/anh/tau-ca-800-ab12.webp 800w"></picture>
<video poster="/anh/poster.jpg"><source src="https://video.example/v.mp4"></video>
<iframe src="/ban-do/"></iframe>
</body></html>"""


def test_a_page_loads_its_styles_scripts_images_and_frames_not_its_links():
    assert loaded_urls(PAGE) == [
        "/theme/css/site.1a2b.css",
        "/favicon.ico",
        "../../theme/js/site.3c4d.js",
        "/anh/tau-ca-480-ab12.jpg",
        "/anh/tau-ca-480-ab12.jpg",
        "/anh/t%C3%A0u-800-ab12.jpg",
        "/anh/tau-ca-800-ab12.webp",
        "/anh/poster.jpg",
        "https://video.example/v.mp4",
        "/ban-do/",
    ]


def test_each_url_points_to_an_output_file_or_to_another_site(tmp_path: Path):
    output = tmp_path / "output"
    page = output / "2024" / "04" / "tin" / "index.html"
    (output / "ban-do").mkdir(parents=True)
    site = "https://portal.test"

    def target(url: str) -> Path | None:
        return output_target(output, url, page, site)

    assert target("/theme/css/a.css") == output / "theme" / "css" / "a.css"
    assert target("../../theme/js/b.js") == output / "2024" / "theme" / "js" / "b.js"
    assert target(f"{site}/anh/t%C3%A0u.jpg") == output / "anh" / "tàu.jpg"
    assert target("/chuyen-muc/iuu/") == output / "chuyen-muc" / "iuu" / "index.html"
    assert target("/ban-do") == output / "ban-do" / "index.html"  # a folder
    assert target("https://video.example/v.mp4") is None
    assert target("//cdn.example/x.js") is None
    assert target("#muc-2") is None
    assert target("data:image/png;base64,AAAA") is None
    # ".." as a browser takes it; leaving the output, no file of the build.
    assert target("/anh/../theme/a.css") == output / "theme" / "a.css"
    outside = target("../../../../../etc/passwd")
    assert outside is not None
    assert not outside.is_relative_to(output)
