"""Settings of the portal for local builds and previews.

The site's identity (province, governing body, contacts, address) lives in
SITE_IDENTITY: another province serves its own portal by changing this file.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

from content_tree import INTRASITE_LINK_REGEX  # noqa: E402, F401
from vietnamese import date_line, month_year, short_date  # noqa: E402

# --- Site identity -----------------------------------------------------------
SITENAME = "Cổng thông tin chuyên đề tỉnh Kiên Giang"
SITESUBTITLE = "Thông tin chính thống về xây dựng Đảng, phát triển kinh tế - xã hội"
SITE_IDENTITY = {
    "province": "Kiên Giang",
    "governing_body": "Sở Thông tin và Truyền thông tỉnh Kiên Giang",
    "editorial_office": "Ban Biên tập Cổng thông tin chuyên đề",
    "address": "Số 1, đường Ví Dụ, phường Vĩnh Thanh, TP Rạch Giá, tỉnh Kiên Giang",
    "phone": "(0297) 3 000 000",
    "email": "toasoan@example.vn",
    "licence": "Giấy phép số 00/GP-TTĐT do Sở Thông tin và Truyền thông cấp (mẫu).",
    "responsible": "Trưởng Ban Biên tập: (tên người chịu trách nhiệm)",
}
# Local builds link from the site root, so a preview works on any port;
# publishconf.py sets the absolute production URL. Feeds always need one.
SITEURL = os.environ.get("PORTAL_SITEURL", "").rstrip("/")
FEED_DOMAIN = SITEURL or "http://localhost:8000"
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
DEFAULT_DATE_FORMAT = "%d/%m/%Y"

# --- Content -------------------------------------------------------------------
PATH = str(ROOT / "content")
ARTICLE_PATHS = ["bai-viet"]
PAGE_PATHS = ["trang"]
STATIC_PATHS = ["images", "files", "van-ban/files"]
# Hidden files and folders (an editor's lock file ".#bai.md", "._bai.md" from
# a Mac, ".git") and the files Windows leaves in folders are never content.
# Pelican matches these against each file's name alone, so its default
# "**/.*" leaves them in.
IGNORE_FILES = [".*", "Thumbs.db", "desktop.ini"]
# A static file is copied again only when its source is newer than the copy.
STATIC_CHECK_IF_MODIFIED = True
# Văn bản: one Markdown record per official document, read by `documents`.
DOCUMENTS_PATH = "van-ban"
OUTPUT_PATH = str(ROOT / "output")
# The output is kept between builds: `incremental` renders only changed pages
# and removes every file a build did not produce.
DELETE_OUTPUT_DIRECTORY = False
# Pelican replaces {filename}, {static}, {index}... only when a path in the
# site follows (INTRASITE_LINK_REGEX above, from the one link resolver): never
# "{index}javascript:..." or "{tag}//host". Its old "|filename|" form is off.
# Articles are Markdown only; a stray .rst or .html file is not an article.
READERS = {"rst": None, "html": None, "htm": None}
MARKDOWN = {
    "extensions": [
        "markdown.extensions.extra",
        "markdown.extensions.sane_lists",
    ],
    "extension_configs": {
        "markdown.extensions.extra": {
            # Table cells get a class, not inline style (the CSP forbids it).
            "tables": {"use_align_attribute": True},
            "footnotes": {"BACKLINK_TITLE": "Quay lại chú thích %d trong bài"},
        },
    },
    "output_format": "html5",
}
DEFAULT_PAGINATION = 20
# One language: no translations to pair up (Pelican's pairing is quadratic).
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None

# --- Plugins ---------------------------------------------------------------------
PLUGIN_PATHS = [str(ROOT / "plugins")]
PLUGINS = [
    "build_gate",
    "content_guard",  # no symlink followed, static files of allowed types only
    "article_model",
    "review_gate",
    "lead_images",
    "share_card",  # the default share card and the publisher's logo
    "topics",
    "archives",
    "related",
    "documents",
    "search_index",
    "sitemaps",
    "precompress",
    "theme_assets",
    "incremental",  # last: its generator renders the pages the others queued
]
BUILD_GATE = {"STRICT": True}
# Kiểm duyệt: the preview shows drafts and articles in review at /ban-nhap/.
REVIEW_GATE = {"PREVIEW_UNPUBLISHED": True}
# Hosts whose pages an article may embed in an <iframe> (https only). Empty:
# the portal makes no request to a third party.
HTML_SAFETY = {"IFRAME_HOSTS": []}
# Every page carries this policy; no inline script or style anywhere.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-src "
        + (" ".join(f"https://{h}" for h in HTML_SAFETY["IFRAME_HOSTS"]) or "'none'"),
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)
TOPICS = {"REGISTRY": "chuyen-muc.toml", "FEED_SIZE": 30}
LEAD_IMAGES = {"WIDTHS": [480, 800, 1200]}

# --- URLs: every page is a folder with index.html --------------------------------
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "chuyen-muc/{slug}/"
TAG_URL = "tu-khoa/{slug}/"
AUTHOR_URL = "tac-gia/{slug}/"
# Listings, archives and section feeds are written by our plugins with stable
# pagination; Pelican's own versions of them are switched off.
CATEGORY_SAVE_AS = ""
TAG_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
DRAFT_URL = "ban-nhap/{slug}/"
DRAFT_SAVE_AS = "ban-nhap/{slug}/index.html"
DRAFT_PAGE_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "404"]
PAGINATED_TEMPLATES = {}

# --- Feeds -------------------------------------------------------------------------
# Every feed (the site's /atom.xml and /rss.xml, each section's) is written
# by our plugins with absolute links; Pelican's own feeds are off.
FEED_MAX_ITEMS = 30
FEED_ATOM = None
FEED_RSS = None
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None

# --- Theme -------------------------------------------------------------------------
THEME = str(ROOT / "theme")
# The theme's CSS and JS are bundled and hashed by the theme_assets plugin.
THEME_STATIC_PATHS = []
# Share links of an article; {url} is its address, URL-encoded.
SHARE_LINKS = [
    ("Facebook", "https://www.facebook.com/sharer/sharer.php?u={url}"),
    ("Zalo", "https://sp.zalo.me/share_inline?url={url}"),
]
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}
JINJA_FILTERS = {
    "date_line": date_line,
    "short_date": short_date,
    "month_year": month_year,
}
