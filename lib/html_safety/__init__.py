"""HTML safety: the allowlist, the sanitiser (nh3), the Markdown scan, the CSP."""

from .csp import (
    analytics_origin,
    analytics_settings,
    content_security_policy,
    editor_content_security_policy,
    header_policy,
)
from .markdown_scan import LinkRef, RawTag, scan_markdown
from .policy import HtmlPolicy
from .sanitizer import HtmlSanitizer, same_html, url_attributes

__all__ = [
    "HtmlPolicy",
    "HtmlSanitizer",
    "LinkRef",
    "RawTag",
    "analytics_origin",
    "analytics_settings",
    "content_security_policy",
    "editor_content_security_policy",
    "header_policy",
    "same_html",
    "scan_markdown",
    "url_attributes",
]
