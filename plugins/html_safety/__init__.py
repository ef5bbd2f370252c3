"""HTML safety: the allowlist, the sanitiser (nh3) and the Markdown source scan."""

from .markdown_scan import LinkRef, RawTag, scan_markdown
from .policy import HtmlPolicy
from .sanitizer import HtmlSanitizer, same_html, url_attributes

__all__ = [
    "HtmlPolicy",
    "HtmlSanitizer",
    "LinkRef",
    "RawTag",
    "same_html",
    "scan_markdown",
    "url_attributes",
]
