"""Checks of an article's body, on its Markdown source so each names a line."""

from __future__ import annotations

import re

from content_problems import ContentProblem
from content_tree import PLACEHOLDER, LinkResolver
from html_safety import HtmlPolicy, LinkRef, RawTag, scan_markdown
from html_safety.markdown_scan import HeadingOne, PlaceholderText

REMOTE = re.compile(r"^(https?:)?//", re.IGNORECASE)


def link_message(url: str, reason: str) -> str:
    """A refused link's message: the URL, why, and the fix unless the reason has one."""
    fix = "" if "hãy" in reason.lower() else "; hãy sửa hoặc bỏ liên kết"
    return f'"{url}": {reason}{fix}'


def missing_image(url: str) -> str:
    """The message for an image path that names no file under ``content/``."""
    where = (
        "tính từ thư mục content/"
        if url.startswith("/")
        else "tính từ thư mục của bài viết"
    )
    return (
        f'không tìm thấy ảnh "{url}" trong content/ (đường dẫn {where}); hãy '
        "chép ảnh vào content/images/ và chèn bằng ![mô tả](/images/<tên tệp>) "
        "hoặc sửa đường dẫn"
    )


class BodyChecker:
    """Checks bodies of one site: its content folder and its HTML policy."""

    def __init__(self, links: LinkResolver, policy: HtmlPolicy) -> None:
        self.links = links
        self.policy = policy

    def check(
        self, source_path: str, body: str, first_line: int
    ) -> list[ContentProblem]:
        """Every problem of the body, each with its line."""
        problems: list[ContentProblem] = []

        def problem(line: int, field: str, message: str) -> None:
            problems.append(ContentProblem(source_path, line, field, message))

        findings = list(scan_markdown(body, first_line))
        linked = {(f.line, f.url.strip()) for f in findings if isinstance(f, LinkRef)}
        for finding in findings:
            if isinstance(finding, PlaceholderText):
                if (finding.line, finding.url) not in linked:
                    self._check_placeholder(finding, source_path, problem)
            elif isinstance(finding, HeadingOne):
                problem(
                    finding.line,
                    "nội dung",
                    'tiêu đề cấp 1 ("# ", hoặc dòng gạch "===" bên dưới) trong thân '
                    'bài; hãy dùng "## " cho tiêu đề mục (tiêu đề bài đã là cấp 1)',
                )
            elif isinstance(finding, RawTag):
                self._check_tag(finding, problem)
            elif finding.is_image:
                self._check_image(finding, source_path, problem)
            else:
                self._check_link(finding, source_path, problem)
        return problems

    def _check_placeholder(self, text: PlaceholderText, path: str, problem) -> None:
        """A file placeholder in prose: Pelican may replace it and copy its file."""
        target = self.links.resolve(text.url, path)
        if target is not None and target.problem:
            problem(
                text.line,
                "liên kết",
                link_message(text.url, target.problem),
            )

    def _check_tag(self, tag: RawTag, problem) -> None:
        if tag.name == "!--":
            problem(
                tag.line,
                "HTML",
                "ghi chú HTML <!-- --> sẽ bị xoá khỏi trang; hãy xoá nó khỏi bài",
            )
            return
        if tag.closing:
            return
        if not self.policy.allows_tag(tag.name):
            problem(
                tag.line,
                "HTML",
                f"thẻ <{tag.name}> không được phép trong bài viết và sẽ bị loại bỏ; "
                "hãy xoá thẻ này, dùng cú pháp Markdown thay thế",
            )
            return
        for attribute, _value in tag.attributes:
            if not self.policy.allows_attribute(tag.name, attribute):
                kind = "mã lệnh" if attribute.startswith("on") else "thuộc tính"
                problem(
                    tag.line,
                    "HTML",
                    f'{kind} "{attribute}" của thẻ <{tag.name}> không được phép và sẽ '
                    "bị loại bỏ; hãy xoá thuộc tính này",
                )

    def _check_link(self, link: LinkRef, path: str, problem) -> None:
        reason = self.policy.url_problem(link.tag, link.attribute, link.url)
        implied = self.links.implied(link.url, path)
        target = self.links.resolve(implied or link.url, path)
        reason = reason or (target and target.problem)
        if reason:
            problem(
                link.line,
                "liên kết",
                link_message(link.url, reason),
            )
        elif target and target.missing:
            problem(
                link.line,
                "liên kết",
                f'"{link.url}" trỏ tới tệp không có; hãy sửa đường dẫn (tính từ '
                "thư mục content/ khi bắt đầu bằng /)",
            )

    def _check_image(self, image: LinkRef, path: str, problem) -> None:
        if not (image.alt or "").strip():
            problem(
                image.line,
                "ảnh",
                f'ảnh "{image.url}" thiếu mô tả (alt); hãy viết mô tả ngắn: '
                "![mô tả ảnh](đường dẫn)",
            )
        reason = self.policy.url_problem("img", "src", image.url)
        implied = self.links.implied(image.url, path)
        target = self.links.resolve(implied or image.url, path)
        reason = reason or (target and target.problem)
        if reason:
            problem(image.line, "ảnh", f'"{image.url}": {reason}')
        elif REMOTE.match(image.url):
            problem(
                image.line,
                "ảnh",
                f'ảnh "{image.url}" ở trang khác; trang chỉ hiện ảnh của chính '
                "nó: hãy tải ảnh về, chép vào content/images/ và chèn bằng "
                "![mô tả](/images/<tên tệp>)",
            )
        elif not implied and not PLACEHOLDER.match(image.url):
            if not image.url.startswith("data:"):
                problem(image.line, "ảnh", missing_image(image.url))
        elif target and target.missing:
            problem(
                image.line,
                "ảnh",
                f'không tìm thấy ảnh "{image.url}"; hãy chép ảnh vào content/images/ '
                "hoặc sửa đường dẫn",
            )
