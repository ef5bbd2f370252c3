"""The Content-Security-Policy of every page, and the analytics it may allow.

One function makes the policy: ``pelicanconf.py`` sets
``CONTENT_SECURITY_POLICY`` from it (the pages' ``<meta>``), and a test holds
``deploy/nginx.conf``'s header to the same value (plus what only a header can
say, ``frame-ancestors``). By default every source is the site itself; an
``<iframe>`` host (``HTML_SAFETY["IFRAME_HOSTS"]``) widens ``frame-src``, and
the analytics script (``ANALYTICS``) widens ``script-src``, ``connect-src`` and
``img-src`` for its one host, over https.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

ANALYTICS_DEFAULTS: dict[str, Any] = {
    # The analytics script's https URL (the EMC tracking code, or a
    # self-hosted Matomo or Plausible): loaded with <script src defer>, never
    # inline. Empty: no analytics, no request to any other host.
    "SCRIPT": "",
    # Attributes of that <script> (data-* only), e.g. the site's id.
    "ATTRIBUTES": {},
}
DATA_ATTRIBUTE = re.compile(r"data-[a-z0-9][a-z0-9-]*")
# What only an HTTP header can say: appended to the page policy in nginx.conf.
HEADER_ONLY = "frame-ancestors 'none'"


def analytics_settings(value: Mapping[str, Any] | None) -> dict[str, Any]:
    """``ANALYTICS`` checked: defaults merged, an unknown key or bad URL refused."""
    value = value or {}
    unknown = set(value) - set(ANALYTICS_DEFAULTS)
    if unknown:
        raise ValueError(f"ANALYTICS: unknown keys {sorted(unknown)}")
    config = {**ANALYTICS_DEFAULTS, **value}
    script = config["SCRIPT"]
    if script:
        parts = urlsplit(script)
        if parts.scheme != "https" or not parts.hostname or parts.username:
            raise ValueError(
                f"ANALYTICS: SCRIPT must be an https URL of the script, not {script!r}"
            )
    attributes = config["ATTRIBUTES"]
    if not isinstance(attributes, Mapping) or not all(
        isinstance(name, str) and DATA_ATTRIBUTE.fullmatch(name) and isinstance(v, str)
        for name, v in attributes.items()
    ):
        raise ValueError(
            "ANALYTICS: ATTRIBUTES must map data-* names to strings, "
            f"not {attributes!r}"
        )
    config["ATTRIBUTES"] = dict(attributes)
    return config


def analytics_origin(config: Mapping[str, Any]) -> str | None:
    """``https://host[:port]`` of the analytics script, or None when off."""
    if not config.get("SCRIPT"):
        return None
    parts = urlsplit(config["SCRIPT"])
    return f"https://{parts.netloc}"


def content_security_policy(
    iframe_hosts: Iterable[str] = (), analytics: Mapping[str, Any] | None = None
) -> str:
    """The pages' policy: the site's own sources, widened only as configured."""
    origin = analytics_origin(analytics_settings(analytics))
    extra = f" {origin}" if origin else ""
    frames = " ".join(f"https://{host}" for host in iframe_hosts) or "'none'"
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self'{extra}",
            "style-src 'self'",
            f"img-src 'self' data:{extra}",
            "font-src 'self'",
            f"connect-src 'self'{extra}",
            f"frame-src {frames}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def editor_content_security_policy(backend_urls: Iterable[str] = ()) -> str:
    """The policy of the browser editor (``/quan-tri/``), wider than the pages'.

    Decap CMS styles its interface with inline ``<style>`` (emotion), compiles
    its configuration's schema (``'unsafe-eval'``), shows uploads from
    ``blob:`` and talks to its git host's API: only the hosts of
    ``backend_urls`` are allowed, besides the site itself.
    """
    origins = []
    for url in backend_urls:
        parts = urlsplit(url)
        if parts.scheme in {"http", "https"} and parts.netloc:
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in origins:
                origins.append(origin)
    hosts = "".join(f" {origin}" for origin in origins)
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob:{hosts}",
            "media-src 'self' blob:",
            "font-src 'self' data:",
            f"connect-src 'self' blob:{hosts}",
            "frame-src 'self' blob:",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def header_policy(page_policy: str) -> str:
    """The policy nginx sends: the page's, plus what only a header can say."""
    return f"{page_policy}; {HEADER_ONLY}"
