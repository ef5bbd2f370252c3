"""Defaults of the review gate, merged once with the site's ``REVIEW_GATE``."""

from plugin_settings import merged

DEFAULTS = {
    # A local preview shows drafts and articles in review at /ban-nhap/, with a
    # banner; production never writes them (publishconf.py sets False).
    "PREVIEW_UNPUBLISHED": False,
    # Where the preview lists the articles not yet published.
    "QUEUE_URL": "ban-nhap/",
}


def review_settings(settings: dict) -> dict:
    """Return the gate's settings: defaults overridden by ``REVIEW_GATE``."""
    return merged(settings, "REVIEW_GATE", DEFAULTS)
