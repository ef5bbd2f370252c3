"""Defaults of the documents plugin, merged once with the site's ``DOCUMENTS``."""

from plugin_settings import merged

DEFAULTS = {
    # The pages of the documents, under the site root.
    "URL": "van-ban/",
}


def document_settings(settings: dict) -> dict:
    """Return the plugin's settings: defaults overridden by ``DOCUMENTS``."""
    return merged(settings, "DOCUMENTS", DEFAULTS)
