"""Defaults of the review gate, merged once with the site's ``REVIEW_GATE``."""

DEFAULTS = {
    # A local preview shows drafts and articles in review at /ban-nhap/, with a
    # banner; production never writes them (publishconf.py sets False).
    "PREVIEW_UNPUBLISHED": False,
    # Where the preview lists the articles not yet published.
    "QUEUE_URL": "ban-nhap/",
}


def review_settings(settings: dict) -> dict:
    """Return the gate's settings: defaults overridden by ``REVIEW_GATE``."""
    overrides = settings.get("REVIEW_GATE", {})
    unknown = set(overrides) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"REVIEW_GATE: unknown keys {sorted(unknown)}")
    return {**DEFAULTS, **overrides}
