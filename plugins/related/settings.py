"""Defaults of the related-articles plugin, merged once with ``RELATED``."""

DEFAULTS = {
    # Articles shown under "Tin liên quan".
    "COUNT": 6,
    # For each shared section or tag, the newest earlier articles considered.
    "POOL": 60,
}


def related_settings(settings: dict) -> dict:
    """Return the plugin's settings: defaults overridden by ``RELATED``."""
    overrides = settings.get("RELATED", {})
    unknown = set(overrides) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"RELATED: unknown keys {sorted(unknown)}")
    return {**DEFAULTS, **overrides}
