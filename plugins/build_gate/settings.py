"""Defaults of the build gate, merged once with the site's ``BUILD_GATE``."""

from plugin_settings import merged

DEFAULTS = {
    # Strict: any ERROR logged while reading content stops the build before
    # anything is written, and any ERROR while writing fails it at the end.
    # A non-strict preview lists the same errors, leaves the broken articles
    # out and goes on with the rest.
    "STRICT": True,
}


def gate_settings(settings: dict) -> dict:
    """Return the gate's settings: defaults overridden by ``BUILD_GATE``."""
    return merged(settings, "BUILD_GATE", DEFAULTS)
