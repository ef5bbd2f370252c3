"""The sanitiser every article body goes through: nh3 with the portal's allowlist."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

from .policy import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    DROPPED_WITH_CONTENT,
    GENERIC_ATTRIBUTES,
    LINK_SCHEMES,
    URL_ATTRIBUTES,
    HtmlPolicy,
)

# Markdown tables align cells with an obsolete attribute; a class does it
# without inline style, which the Content-Security-Policy forbids.
CELL_ALIGN = re.compile(r'<(t[hd])([^>]*?) align="(left|right|center)"')
# Schemes nh3 would drop before our filter saw them: let through to the
# filter, which refuses them (the policy allows LINK_SCHEMES only) and
# records each, so the editor is told. nh3 still drops any other scheme
# unseen; the reader counts URL attributes to catch those.
SEEN_SCHEMES = frozenset(
    {
        "about", "blob", "chrome", "data", "file", "filesystem", "ftp", "intent",
        "jar", "javascript", "livescript", "mhtml", "mocha", "ms-its", "res",
        "view-source", "vbscript", "ws", "wss",
    }
)  # fmt: skip
# An iframe whose source was refused is removed whole, not left empty.
IFRAME_WITHOUT_SOURCE = re.compile(
    r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.DOTALL
)


class HtmlSanitizer:
    """Clean HTML with the portal's allowlist.

    ``refused`` lists, after each :meth:`clean`, the URLs it removed with the
    reason, so that no link disappears without the editor being told.
    """

    def __init__(self, policy: HtmlPolicy) -> None:
        self.policy = policy
        self._attributes = {"*": set(GENERIC_ATTRIBUTES)} | {
            tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()
        }
        self.refused: list[tuple[str, str]] = []

    def _filter(self, tag: str, attribute: str, value: str) -> str | None:
        if attribute in URL_ATTRIBUTES:
            reason = self.policy.url_problem(tag, attribute, value)
            if reason:
                self.refused.append((value, reason))
                return None
        return value

    def clean(self, html: str) -> str:
        """Return the HTML with everything outside the allowlist removed."""
        self.refused = []
        cleaned = nh3.clean(
            html,
            tags=set(ALLOWED_TAGS),
            clean_content_tags=set(DROPPED_WITH_CONTENT),
            attributes=self._attributes,
            attribute_filter=self._filter,
            url_schemes=set(LINK_SCHEMES) | SEEN_SCHEMES,
            link_rel=None,
            strip_comments=True,
        )
        cleaned = IFRAME_WITHOUT_SOURCE.sub("", cleaned)
        return CELL_ALIGN.sub(r'<\1\2 class="portal-align-\3"', cleaned)


def url_attributes(html: str) -> int:
    """How many URL attributes (``href``, ``src``, ``cite``) a fragment holds."""
    return html.count(" href=") + html.count(" src=") + html.count(" cite=")


class _Tokens(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple] = []
        self._text: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        if text:
            self.tokens.append(("text", text))
        self._text = []

    def handle_starttag(self, tag, attrs):
        self._flush()
        self.tokens.append(("start", tag, tuple(sorted(attrs))))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self._flush()
        self.tokens.append(("end", tag))

    def handle_data(self, data):
        self._text.append(data)

    def handle_comment(self, data):
        self._flush()
        self.tokens.append(("comment",))


def same_html(first: str, second: str) -> bool:
    """True when two HTML fragments have the same elements, attributes and text.

    Serialisation details (entities, quoting) do not count.
    """

    def tokens(html: str) -> list[tuple]:
        parser = _Tokens()
        parser.feed(CELL_ALIGN.sub(r'<\1\2 class="portal-align-\3"', html))
        parser.close()
        parser._flush()
        return parser.tokens

    return tokens(first) == tokens(second)
