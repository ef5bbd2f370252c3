"""Pages in the languages of ``LANGUAGES``, paired with the pages they translate.

A page written in another language says so with ``Lang: en`` (checked by
``article_model`` against ``LANGUAGES``) and names the Vietnamese page it
translates with ``Translation_of: /gioi-thieu/`` (``/``: the home page; that
translation is the language's folder, ``/en/``). Each page of a pair gets
``alternates``, the ``(lang, url)`` of every version, ``x-default`` the
Vietnamese one, for the ``hreflang`` links and the language switch; the home
page's pairs are ``HOME_ALTERNATES`` in the context. Pelican's own pairing
(``PAGE_TRANSLATION_ID``) stays off: it would take translations out of
``pages``, the list the site map and the sitemap read.
"""

from __future__ import annotations

import logging

from pelican import signals

from content_problems import ContentProblem, report_problem

from .dates import english_date, english_date_line

logger = logging.getLogger(__name__)

REQUIRED_KEYS = ("name", "locale")


def check_languages(settings: dict) -> dict:
    """``LANGUAGES`` as the site gives it; a broken entry stops the build."""
    default = settings["DEFAULT_LANG"]
    languages = settings.get("LANGUAGES") or {default: {"name": default}}
    problems = []
    if default not in languages:
        problems.append(f"DEFAULT_LANG {default!r} is not one of LANGUAGES")
    identity_keys = set(settings.get("SITE_IDENTITY", {}))
    for code, language in languages.items():
        missing = [key for key in REQUIRED_KEYS if not language.get(key)]
        if missing:
            problems.append(f"LANGUAGES[{code!r}] lacks {missing}")
        unknown = set(language.get("identity", {})) - identity_keys
        if unknown:
            problems.append(
                f"LANGUAGES[{code!r}]['identity'] names keys SITE_IDENTITY lacks: "
                f"{sorted(unknown)}"
            )
    if problems:
        raise ValueError("; ".join(problems))
    return languages


def identities(settings: dict, languages: dict) -> dict[str, dict]:
    """The site identity in each language: the default's, with that language's names."""
    base = dict(settings.get("SITE_IDENTITY", {}))
    return {
        code: {
            **base,
            "sitename": language.get("sitename") or settings["SITENAME"],
            **language.get("identity", {}),
        }
        for code, language in languages.items()
    }


def prepare_generator(generator) -> None:
    """Give every generator's templates the languages and the English dates."""
    languages = check_languages(generator.settings)
    generator.context["LANGUAGES"] = languages
    generator.context["IDENTITY_IN"] = identities(generator.settings, languages)
    generator.context.setdefault("HOME_ALTERNATES", [])
    generator.env.filters["english_date"] = english_date
    generator.env.filters["english_date_line"] = english_date_line


def pair_translations(generator) -> None:
    """Set ``alternates`` on each translated page and its original."""
    default = generator.settings["DEFAULT_LANG"]
    pages = list(generator.pages)
    originals = {page.url: page for page in pages if page.lang == default}
    groups: dict[str, list] = {}
    for page in pages:
        target = page.metadata.get("translation_of")
        if not target:
            continue
        problem = translation_problem(page.lang, default, target, set(originals))
        if problem:
            _problem(page, problem)
            continue
        groups.setdefault(target.lstrip("/"), []).append(page)
    home = []
    for key, translations in sorted(groups.items()):
        original = originals.get(key)
        versions = [
            (default, key),
            *sorted((page.lang, page.url) for page in translations),
        ]
        alternates = [*versions, ("x-default", key)]
        for page in [original, *translations]:
            if page is not None:
                page.alternates = alternates
        if not key:
            home = alternates
    generator.context["HOME_ALTERNATES"] = home


def translation_problem(
    lang: str, default: str, target: str, originals: set[str]
) -> str | None:
    """Why a page's ``Translation_of`` cannot pair it, or None.

    ``originals`` are the URLs of the pages in the default language (the
    build's and ``invoke check``'s own reckoning), without a leading "/".
    """
    if lang == default:
        return "trang tiếng Việt không dịch trang nào; hãy xoá dòng này"
    key = target.lstrip("/")
    if key and key not in originals:
        return (
            f'không có trang tiếng Việt "{target}"; hãy ghi đường dẫn của một '
            "trang trong content/trang/, hoặc / cho trang chủ"
        )
    return None


def _problem(page, message: str) -> None:
    line = page.metadata.get("field_lines", {}).get("translation_of", 1)
    report_problem(ContentProblem(page.source_path, line, "Translation_of", message))


def register() -> None:
    """Connect the languages plugin to Pelican."""
    signals.generator_init.connect(prepare_generator)
    signals.page_generator_finalized.connect(pair_translations)
