"""Production settings: the local settings plus what publishing changes."""

import os

from pelicanconf import *

SITEURL = os.environ.get("PORTAL_SITEURL", "https://chuyende.example.vn").rstrip("/")
FEED_DOMAIN = SITEURL
DELETE_OUTPUT_DIRECTORY = True
