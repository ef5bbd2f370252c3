"""What HTML an article may contain: one allowlist for the scan and the sanitiser."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from content_tree import PLACEHOLDER, normalised_url, placeholder_problem
from plugin_settings import merged

# Hosts whose pages articles may embed in an iframe (https only): none.
DEFAULTS = {"IFRAME_HOSTS": []}

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd",
        "del", "details", "div", "dl", "dt", "em", "figcaption", "figure", "h2",
        "h3", "h4", "h5", "h6", "hr", "i", "iframe", "img", "ins", "kbd", "li",
        "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub",
        "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time",
        "tr", "u", "ul",
    }
)  # fmt: skip
# Tags removed together with their content.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript"})
GENERIC_ATTRIBUTES = frozenset({"id", "class", "title", "lang"})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "iframe": {"src", "width", "height", "allowfullscreen", "loading"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "ins": {"cite", "datetime"},
    "del": {"cite", "datetime"},
    "time": {"datetime"},
}
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
IMAGE_DATA_URL = re.compile(r"^data:image/(png|jpeg|gif|webp)[;,]", re.IGNORECASE)


@dataclass(frozen=True)
class HtmlPolicy:
    """The allowlist, and the hosts whose pages may be embedded in an iframe."""

    iframe_hosts: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_settings(cls, settings: dict) -> HtmlPolicy:
        """The policy of a site: ``HTML_SAFETY = {"IFRAME_HOSTS": [...]}``."""
        config = merged(settings, "HTML_SAFETY", DEFAULTS)
        return cls(frozenset(h.lower() for h in config["IFRAME_HOSTS"]))

    def allows_tag(self, tag: str) -> bool:
        """True for an element an article may use."""
        return tag in ALLOWED_TAGS

    def allows_attribute(self, tag: str, attribute: str) -> bool:
        """True for an attribute allowed on this element."""
        return attribute in GENERIC_ATTRIBUTES or attribute in ALLOWED_ATTRIBUTES.get(
            tag, ()
        )

    def url_problem(self, tag: str, attribute: str, url: str) -> str | None:  # noqa: PLR0911
        """Why this URL may not stand in this attribute, or None when it may."""
        value = normalised_url(url)
        placeholder = PLACEHOLDER.match(value)
        local = not placeholder and value.startswith(("#", "/", "./", "../"))
        if value.startswith(("//", "/\\")):
            local = False
        try:
            parts = urlsplit(value)
            host = parts.hostname or ""
        except ValueError:
            return "địa chỉ không hợp lệ; hãy sửa hoặc bỏ liên kết"
        scheme = "" if local or ":" not in value else parts.scheme.lower()
        if tag == "iframe" and attribute == "src":
            host = "" if local or placeholder else host
            if scheme == "https" and host.lower() in self.iframe_hosts:
                return None
            allowed = ", ".join(sorted(self.iframe_hosts)) or "chưa có máy chủ nào"
            return f"iframe chỉ được nhúng qua https từ: {allowed}"
        if placeholder:
            # Replaced by a site URL after reading: only a path may follow.
            return placeholder_problem(value)
        if scheme == "data":
            image = tag == "img" and attribute == "src" and IMAGE_DATA_URL.match(value)
            return (
                None
                if image
                else "không dùng địa chỉ data: (trừ ảnh PNG, JPEG, GIF, WebP)"
            )
        if scheme and scheme not in LINK_SCHEMES:
            return f"không dùng địa chỉ {scheme}:"
        return None
