"""Production settings: the local settings plus what publishing changes."""

import os

from pelicanconf import *

SITEURL = os.environ.get("PORTAL_SITEURL", "https://chuyende.example.vn").rstrip("/")
FEED_DOMAIN = SITEURL

# Kiểm duyệt: drafts and articles in review are never written; an article
# dated in the future waits for the first build after its time.
REVIEW_GATE = {**REVIEW_GATE, "PREVIEW_UNPUBLISHED": False}
DRAFT_URL = ""
DRAFT_SAVE_AS = ""
WITH_FUTURE_DATES = False

# Pre-compressed .gz copies for nginx's gzip_static (add "br" to FORMATS for
# brotli_static's .br copies).
PRECOMPRESS = {"ENABLED": True}
