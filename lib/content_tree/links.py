"""The one resolver of links written in content: Pelican's placeholders.

An editor links other content with ``{filename}``, ``{static}`` or
``{attach}`` and a path, and site pages with ``{index}``, ``{tag}``,
``{category}`` and ``{author}``. Pelican replaces them after reading, so what
follows a placeholder is checked here, once, for everyone who meets such a
link: the content check and the reader, the sanitiser's policy, lead images,
văn bản files, the read cache and the output checks.

What follows a placeholder must be a path inside the site: no scheme
(``javascript:``, ``https:``), no host (``//``), and for a file, a file under
``content/`` that is neither a symbolic link nor of a type the site may not
publish.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

# The files the site reads as articles, pages and văn bản (Markdown sources).
MARKDOWN_EXTENSIONS = ("md", "markdown", "mkd", "mdown")
FILE_KINDS = frozenset({"filename", "static", "attach"})
STATIC_KINDS = frozenset({"static", "attach"})
NAME_KINDS = frozenset({"tag", "category", "author"})
KINDS = "filename|static|attach|index|author|category|tag"
# A placeholder at the start of a URL.
PLACEHOLDER = re.compile(rf"^\{{(?P<kind>{KINDS})\}}")
# A placeholder anywhere: in a source's text, or left over in a built page.
PLACEHOLDER_ANYWHERE = re.compile(rf"\{{(?P<kind>{KINDS})\}}")
# A file link in a source's text, up to where Markdown or HTML ends the URL.
FILE_LINK_IN_TEXT = re.compile(r"\{(?:filename|static|attach)\}[^\s)\"'<>?#]*")
# A file link that Pelican replaces: in a URL attribute of the rendered HTML.
FILE_LINK_IN_HTML = re.compile(
    r"""\s(?:href|src)=(["'])(\{(?:filename|static|attach)\}[^"'<>]*)\1"""
)
# A URL attribute of rendered HTML (Markdown writes double quotes).
URL_IN_HTML = re.compile(r"""(\s(?:href|src)=)(["'])([^"'<>]*)\2""")
# What may never follow a placeholder: quotes, angle brackets and "&" (the
# text would leave its attribute once Pelican replaced it, or an entity would
# be decoded into one), a backslash (browsers read it as "/"), a colon (a
# scheme: Pelican keeps the scheme of what follows, "{index}javascript:..."
# would become "javascript:/index.html").
FORBIDDEN_AFTER = "\"'<>&\\:"
# Pelican's INTRASITE_LINK_REGEX: a placeholder is replaced only when what
# follows it runs straight to the attribute's closing quote with none of
# FORBIDDEN_AFTER, and does not start with "//" (a host). Pelican's markup
# pattern also matches "src=" written inside another attribute's value; the
# lookahead keeps such a replacement inside that value. An unreplaced one is a
# harmless relative path, and the reader has already reported it.
INTRASITE_LINK_REGEX = rf"\{{(?P<what>{KINDS})\}}(?=[^\"'<>&\\:]*(?P=quote))(?!//)"
# Browsers ignore these inside a URL: "java\tscript:" is javascript:.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x20\x7f]")
# Browsers drop tabs and line breaks inside a URL, and trim the ends.
URL_BREAKS = re.compile(r"[\t\n\r]")
# A separator written encoded would pass the path check and confuse Pelican's.
ENCODED_SEPARATOR = re.compile(r"%(?:2f|5c|00)", re.IGNORECASE)


def normalised_url(url: str) -> str:
    """A URL as a scheme check reads it: entities decoded, every control gone.

    Stricter than a browser (which keeps inner spaces): "java script:" is
    refused too.
    """
    return CONTROL_CHARACTERS.sub("", unescape(url))


def written_path(url: str) -> str:
    """A URL as a browser keeps it: entities decoded, tabs and breaks dropped."""
    return URL_BREAKS.sub("", unescape(url)).strip("\x00 ")


def placeholder_problem(url: str) -> str | None:  # noqa: PLR0911 - one reason each
    """Why what follows a placeholder may not stand there, or None.

    Only the written URL is looked at: this holds wherever the link stands.
    """
    value = normalised_url(url)
    match = PLACEHOLDER.match(value)
    if not match:
        return None
    kind, rest = match["kind"], written_path(url)[match.end() :]
    try:
        parts = urlsplit(rest)
    except ValueError:
        return f"sau {{{kind}}} là một địa chỉ không hợp lệ; hãy sửa đường dẫn"
    if ":" in value[match.end() :] or parts.scheme:
        return (
            f"sau {{{kind}}} chỉ được ghi đường dẫn trong trang, không ghi địa chỉ "
            "có giao thức (như javascript: hay https:); hãy sửa đường dẫn hoặc "
            "bỏ liên kết"
        )
    if value[match.end() :].startswith(("//", "/\\", "\\")):
        return (
            f"sau {{{kind}}} không ghi địa chỉ máy chủ khác (bắt đầu bằng //); "
            "hãy ghi đường dẫn trong trang"
        )
    if any(char in rest for char in FORBIDDEN_AFTER) or ENCODED_SEPARATOR.search(rest):
        return (
            f"sau {{{kind}}} không được có các ký tự \" ' < > & \\ hay %2F %5C %00; "
            "hãy đổi tên tệp cho chỉ còn chữ, số, dấu gạch và dấu chấm"
        )
    if kind == "index" and parts.path.strip("/"):
        return (
            "sau {index} không ghi đường dẫn (chỉ #mục hoặc ?tham-số); hãy xoá "
            "phần sau {index}"
        )
    if kind in NAME_KINDS and not parts.path.strip("/"):
        return f"sau {{{kind}}} hãy ghi tên"
    if kind in FILE_KINDS and not parts.path.strip():
        return f"sau {{{kind}}} hãy ghi đường dẫn tệp, ví dụ {{{kind}}}/images/anh.jpg"
    return None


@dataclass(frozen=True)
class ContentLink:
    """A placeholder link: its kind, the file it names, and why it may not be used.

    ``file`` is set for ``{filename}``, ``{static}`` and ``{attach}`` links
    whose path stays inside ``content/``; ``problem`` is None when the link
    may be used as written (a missing file is for the caller to word).
    """

    kind: str
    path: str
    file: Path | None
    problem: str | None

    @property
    def missing(self) -> bool:
        """True for a file link whose file does not exist."""
        if self.file is None or self.problem is not None:
            return False
        return not self.file.is_file()


class LinkResolver:
    """Resolve placeholder links of one content folder."""

    def __init__(self, content_root: str | Path, static_types: frozenset[str]) -> None:
        self.given_root = os.path.abspath(content_root)
        self.root = os.path.realpath(content_root)
        self.static_types = static_types
        # Folders found to be real (no symlink on the way), and links
        # resolved (by URL and source folder), for one build.
        self._real_folders: dict[str, bool] = {}
        self._resolved: dict[tuple[str, str], ContentLink | None] = {}

    def relative(self, source_path: str | Path) -> str | None:
        """A source file's path relative to the content folder (None if outside)."""
        path = os.path.abspath(source_path)
        for root in (self.given_root, self.root):
            if path == root or path.startswith(root + os.sep):
                return os.path.relpath(path, root)
        return None

    def resolve(self, url: str, source_path: str | Path) -> ContentLink | None:
        """The link a placeholder URL makes, or None when it has no placeholder.

        Resolved once per URL and source folder: every article of a folder
        naming one photo costs one resolution a build.
        """
        key = (url, os.path.dirname(source_path))
        if key not in self._resolved:
            self._resolved[key] = self._resolve(url, source_path)
        return self._resolved[key]

    def _resolve(self, url: str, source_path: str | Path) -> ContentLink | None:
        value = normalised_url(url)
        match = PLACEHOLDER.match(value)
        if not match:
            return None
        kind = match["kind"]
        problem = placeholder_problem(url)
        if problem:
            return ContentLink(kind, "", None, problem)
        path = unquote(urlsplit(written_path(url)[len(match[0]) :]).path)
        if kind not in FILE_KINDS:
            return ContentLink(kind, path, None, None)
        return self._file_link(kind, path, source_path)

    def file_targets(self, text: str, source_path: str | Path) -> dict[str, bool]:
        """Every file a source's text may link to, and whether it exists now."""
        found = {}
        for match in FILE_LINK_IN_TEXT.finditer(text):
            link = self.resolve(match[0], source_path)
            if link is not None and link.file is not None:
                found[str(link.file)] = link.file.is_file()
        return found

    def implied(self, url: str, source_path: str | Path) -> str | None:
        """A plain path to a file under ``content/``, as the placeholder it means.

        ``/images/2023/01/tau-ca.jpg`` (from ``content/``, as Pelican's docs
        and most Markdown editors write it) or ``anh.jpg`` (beside the
        source) naming a file that exists reads as ``{static}`` (a Markdown
        source: ``{filename}``), so it is checked, published and written
        with the site's URL as any placeholder link. None for anything else:
        a site URL (``/gioi-thieu/``), a missing file, a URL with a scheme
        or a host, a placeholder already.
        """
        value = written_path(url)
        if not value or value.startswith(("#", "?", "//", "\\", "{")):
            return None
        try:
            parts = urlsplit(value)
        except ValueError:
            return None
        if parts.scheme or parts.netloc or not parts.path or value.endswith("/"):
            return None
        extension = parts.path.rsplit(".", 1)[-1].lower() if "." in parts.path else ""
        kind = "filename" if extension in MARKDOWN_EXTENSIONS else "static"
        link = self.resolve(f"{{{kind}}}{value}", source_path)
        if link is None or link.file is None or not os.path.lexists(link.file):
            return None
        return f"{{{kind}}}{value}"

    def with_placeholders(self, html: str, source_path: str | Path) -> str:
        """Rendered HTML whose plain paths to content files carry their placeholder.

        Only links that may be used as written are changed: one with a
        problem (a hidden file, a refused type) stays as it is, a harmless
        path to nothing, and the body checks report it.
        """

        def placed(match: re.Match) -> str:
            implied = self.implied(match[3], source_path)
            if implied is None or self.resolve(implied, source_path).problem:
                return match[0]
            return f"{match[1]}{match[2]}{implied}{match[2]}"

        return URL_IN_HTML.sub(placed, html)

    def plain_targets(self, html: str, source_path: str | Path) -> dict[str, bool]:
        """Every file a plain path of rendered HTML may name, and whether it exists.

        What ``with_placeholders`` made of the HTML depends on these files
        existing, so a read is redone when one appears or disappears.
        """
        found = {}
        for match in URL_IN_HTML.finditer(html):
            value = written_path(match[3])
            if not value or value.startswith(("#", "{", "//")) or ":" in value:
                continue
            link = self.resolve(f"{{static}}{value}", source_path)
            if link is not None and link.file is not None:
                found[str(link.file)] = os.path.lexists(link.file)
        return found

    def _file_link(self, kind: str, path: str, source_path: str | Path) -> ContentLink:
        source = self.relative(source_path)
        if path.startswith("/") or source is None:
            relative = os.path.normpath(path.lstrip("/"))
        else:
            relative = os.path.normpath(os.path.join(os.path.dirname(source), path))
        if (
            relative == os.curdir
            or relative.startswith(os.pardir)
            or os.path.isabs(relative)
        ):
            return ContentLink(
                kind,
                path,
                None,
                "trỏ ra ngoài thư mục content/; chỉ được liên kết tới tệp nằm trong "
                "content/",
            )
        file = Path(self.root, relative)
        problem = self.file_problem(file, static=kind in STATIC_KINDS)
        return ContentLink(kind, path, file, problem)

    def file_problem(self, file: Path, static: bool) -> str | None:
        """Why a file under ``content/`` may not be read or published, or None.

        ``file`` lies under the real content folder (``root``). Each folder
        on its way is resolved once a resolver (a build), the file itself is
        one ``lstat``.
        """
        relative = os.path.relpath(file, self.root)
        if any(part.startswith(".") for part in Path(relative).parts):
            return (
                "là tệp hoặc thư mục ẩn (tên bắt đầu bằng dấu chấm) nên không được "
                "đăng; hãy đổi tên"
            )
        if not self._real_folder(str(file.parent)) or os.path.islink(file):
            return symlink_problem()
        if static and not self.allows_static(file.name):
            return static_type_problem(file.name)
        return None

    def _real_folder(self, folder: str) -> bool:
        known = self._real_folders.get(folder)
        if known is None:
            known = self._real_folders[folder] = os.path.realpath(folder) == folder
        return known

    def allows_static(self, name: str) -> bool:
        """True for a file name of a type the site may publish as it is."""
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        return extension in self.static_types


def symlink_problem() -> str:
    """The message for a symbolic link under ``content/``."""
    return (
        "là liên kết tượng trưng (symlink) nên không được đọc hay đăng; hãy chép "
        "tệp thật vào content/ thay cho liên kết"
    )


def static_type_problem(name: str) -> str:
    """The message for a static file of a type the site may not publish."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    what = f"tệp .{extension}" if extension else "tệp không có phần mở rộng"
    hint = " (hãy xuất ảnh SVG sang PNG)" if extension == "svg" else ""
    return (
        f"{what} không được đăng{hint}; chỉ đăng ảnh (JPEG, PNG, GIF, WebP, AVIF), "
        "PDF, tài liệu văn phòng, âm thanh và video. Hãy đổi định dạng hoặc xoá tệp"
    )
