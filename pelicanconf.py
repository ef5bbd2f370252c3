"""Settings of the portal for local builds and previews.

The site's identity (province, governing body, contacts, address) lives in
SITE_IDENTITY: another province serves its own portal by changing this file.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# The libraries (lib/) and the plugins (plugins/), importable by name.
sys.path[:0] = [str(ROOT / "lib"), str(ROOT / "plugins")]

from content_tree import INTRASITE_LINK_REGEX  # noqa: E402, F401
from html_safety import content_security_policy  # noqa: E402
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
# Languages the portal is written in: Vietnamese, the default, and those a
# page may name with `Lang:` (checked against this list). Each names itself
# for the language switch and gives the site identity's names in it; phone
# and e-mail are the same in every language.
LANGUAGES = {
    "vi": {"name": "Tiếng Việt", "locale": "vi_VN"},
    "en": {
        "name": "English",
        "locale": "en_GB",
        "sitename": "Thematic Information Portal of Kiên Giang Province",
        "identity": {
            "province": "Kiên Giang Province",
            "governing_body": (
                "Department of Information and Communications of Kiên Giang Province"
            ),
            "editorial_office": "Editorial Board of the Thematic Information Portal",
            "address": (
                "No. 1, Ví Dụ Street, Vĩnh Thanh Ward, Rạch Giá City, "
                "Kiên Giang Province, Viet Nam"
            ),
            "phone": "+84 297 3 000 000",
            "licence": (
                "Licence No. 00/GP-TTĐT issued by the Department of Information "
                "and Communications (sample)."
            ),
            "responsible": "Editor-in-chief: (name of the person responsible)",
        },
    },
}
# "Liên kết" in every page's footer: the national portals and the province's.
STATE_PORTAL_LINKS = [
    ("Cổng Thông tin điện tử Chính phủ", "https://chinhphu.vn"),
    ("Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn"),
    ("Cổng Thông tin điện tử tỉnh Kiên Giang", "https://kiengiang.gov.vn"),
]
# Readers' forms (hỏi đáp, góp ý dự thảo): the static pages post them to the
# intake service (intake/, `invoke intake`), which nginx serves on these same
# paths; it reads this setting too, so both offer and accept the same lists
# and lengths. DISTRICTS: the places a comment on a draft may say it comes
# from, under PLACE_LABEL (the form's field, the service's exports). This
# sample names the province's districts; since 1 July 2025 a province has
# communes, wards and special zones below it: "Xã, phường, đặc khu".
# A key left out takes its default (lib/reader_forms/settings.py).
READER_FORMS = {
    "QUESTION_URL": "/hoi-dap/gui/",
    "TRACK_URL": "/hoi-dap/theo-doi/",
    "RATE_URL": "/hoi-dap/danh-gia/",
    "COMMENT_URL": "/gop-y/",
    "DISTRICTS": [
        "Thành phố Rạch Giá",
        "Thành phố Hà Tiên",
        "Thành phố Phú Quốc",
        "Huyện Kiên Lương",
        "Huyện Hòn Đất",
        "Huyện Tân Hiệp",
        "Huyện Châu Thành",
        "Huyện Giồng Riềng",
        "Huyện Gò Quao",
        "Huyện An Biên",
        "Huyện An Minh",
        "Huyện Vĩnh Thuận",
        "Huyện U Minh Thượng",
        "Huyện Giang Thành",
        "Huyện Kiên Hải",
        "Ngoài tỉnh",
    ],
    "PLACE_LABEL": "Huyện, thị xã, thành phố",
    # The longest value of each field, in characters (the forms' maxlength,
    # checked again by the service).
    "LIMITS": {"name": 100, "contact": 200, "question": 4000, "comment": 8000},
    # Days names and contacts are kept: the notice below says it, and the
    # intake service's `manage.py erase_contacts` erases them after it.
    "RETENTION_DAYS": 365,
    # {days}: RETENTION_DAYS.
    "PRIVACY_NOTICE": (
        "Thông tin cá nhân (họ tên, liên hệ) không bắt buộc, chỉ dùng để trả lời "
        "bạn và không công bố; được xoá sau {days} ngày. Địa chỉ mạng của bạn không "
        "được lưu. Việc xử lý dữ liệu cá nhân theo Nghị định số 13/2023/NĐ-CP "
        "về bảo vệ dữ liệu cá nhân; bạn có quyền yêu cầu xem, sửa hoặc xoá qua "
        "địa chỉ liên hệ của Ban Biên tập."
    ),
}
# The icons (favicon.ico, apple-touch-icon.png, site.webmanifest), drawn at
# build time by `site_icons`: the emblem (a PNG under theme/, or a star when
# None) on the background colour; the theme colour of the browser's UI.
SITE_ICONS = {
    "SHORT_NAME": "Chuyên đề Kiên Giang",
    "BACKGROUND": "#a50e0e",
    "STAR": "#ffcd00",
    "THEME_COLOR": "#a50e0e",
    "EMBLEM": None,
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
# Hỏi đáp: answers published through the review gate like articles.
ARTICLE_PATHS = ["bai-viet", "hoi-dap"]
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
# Pelican's pairing of translations is off (quadratic, and it would take a
# translated page out of `pages`): `languages` pairs pages by their
# `Translation_of` key.
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None

# --- Plugins ---------------------------------------------------------------------
PLUGIN_PATHS = [str(ROOT / "plugins")]
PLUGINS = [
    "build_gate",
    "content_guard",  # no symlink followed, static files of allowed types only
    "article_model",
    "review_gate",
    # Drawn from the settings alone, before the lead images: their variants
    # are made in a process of their own meanwhile (``lead_images``).
    "share_card",  # the default share card and the publisher's logo
    "site_icons",  # favicon.ico, apple-touch-icon.png, site.webmanifest
    # Before every plugin that writes feeds: they give each image's length.
    "lead_images",
    "topics",
    # Early among the generators, its index starts in a process of its own
    # while the others run (``queue_files``); after the section pages, which
    # the preview shows a new article on first.
    "search_index",
    "archives",
    "related",
    "documents",
    "questions",  # hỏi đáp: /hoi-dap/ by chuyên mục, its feeds
    "sitemaps",
    "precompress",
    "theme_assets",
    "languages",  # Lang: pages, hreflang pairs, English dates
    "portal_pages",  # /so-do-trang/, /tro-nang/
    "web_editor",  # /quan-tri/: Decap CMS configured from the article model
    "incremental",  # last: its generator renders the pages the others queued
]
BUILD_GATE = {"STRICT": True}
# Kiểm duyệt: the preview shows drafts and articles in review at /ban-nhap/.
REVIEW_GATE = {"PREVIEW_UNPUBLISHED": True}
# Hosts whose pages an article may embed in an <iframe> (https only). Empty:
# the portal makes no request to a third party.
HTML_SAFETY = {"IFRAME_HOSTS": []}
# Monitoring (EMC, or a self-hosted analytics script): off. When set, e.g.
# {"SCRIPT": "https://emc.example.gov.vn/emc.js", "ATTRIBUTES": {"data-site": "x"}},
# every page loads that script (src only, never inline) and the CSP below
# allows its one host; deploy/nginx.conf's header must then say the same
# (tests/test_content_security_policy.py holds them equal).
ANALYTICS = {}
# Every page carries this policy; no inline script or style anywhere. A
# settings file that changes HTML_SAFETY or ANALYTICS makes it again.
CONTENT_SECURITY_POLICY = content_security_policy(
    HTML_SAFETY["IFRAME_HOSTS"], ANALYTICS
)
TOPICS = {"REGISTRY": "chuyen-muc.toml", "FEED_SIZE": 30}
LEAD_IMAGES = {"WIDTHS": [480, 800, 1200]}

# --- URLs: every page is a folder with index.html --------------------------------
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
# A page in another language (`Lang: en`) lives under its language's folder;
# the one translating the home page (`Translation_of: /`) is that folder's
# index (/en/). An article's translation would follow the same rule
# (ARTICLE_LANG_URL), so no Vietnamese URL changes.
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
ARTICLE_LANG_URL = "{lang}/{date:%Y}/{date:%m}/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/{date:%Y}/{date:%m}/{slug}/index.html"
# The HTML site map and the page that explains access keys and text size.
SITE_MAP_URL = "so-do-trang/"
ABOUT_URL = "gioi-thieu/"
ACCESSIBILITY_URL = "tro-nang/"
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
