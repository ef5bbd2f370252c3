"""Decap CMS's configuration, made from the portal's own sources of truth.

The fields come from the article model (``FIELD_MODEL`` in the context: keys,
Vietnamese labels and hints, required fields, closed lists), the chuyên mục
from the registry (``topics``), the backend from ``WEB_EDITOR``. Nothing of
it is written by hand beside them: a section added to ``chuyen-muc.toml`` is
a choice of the editor's form after the next build.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# The one format of our files (see ``static/portal-cms.js``): the reader's
# ``Key: value`` header, a blank line, the Markdown body.
FORMAT = "portal-header"
DATE_TIME = {
    "widget": "datetime",
    "format": "YYYY-MM-DD HH:mm",
    "date_format": "DD/MM/YYYY",
    "time_format": "HH:mm",
    "picker_utc": False,
}
DATE_ONLY = {**DATE_TIME, "format": "YYYY-MM-DD", "time_format": False}
# Fields read as plain text but written over several lines in the form.
LONG_TEXT = frozenset({"summary", "retraction_note", "trich_yeu"})
# Fields whose values separate with ";" (section names have commas) or ",".
LIST_SEPARATORS = {"read_topics": "; ", "read_tags": ", ", "read_authors": ", "}
STATUS_LABELS = {
    "draft": "Bản nháp (draft)",
    "review": "Chờ duyệt (review)",
    "published": "Đăng (published)",
    "retracted": "Đã gỡ (retracted)",
}
# The articles' collections are named ``bai-viet-<năm>``.
ARTICLES = "bai-viet"
# The pages' collections: ``trang``, and ``trang-<lang>`` for each other language.
PAGES = "trang"
PAGES_LABEL = "Trang"
# Backends of Decap CMS without its editorial workflow: no review gate.
WITHOUT_WORKFLOW = frozenset({"gitea"})
SLUG_PATTERN = [r"^[a-z0-9]+(-[a-z0-9]+)*$", "Chỉ chữ thường không dấu, số và dấu -"]


def _options(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))


def field_widget(spec, choices: Mapping[str, list]) -> dict[str, Any]:  # noqa: PLR0911
    """The form field of one header key, by how the reader reads it."""
    reader = spec.read.__name__
    name = spec.key.lower()
    uploads = {"config": {"max_file_size": choices["max_upload_bytes"]}}
    if name == "image":
        return {"widget": "image", "choose_url": False, "media_library": uploads}
    if name == "file":
        return {
            "widget": "file",
            "choose_url": False,
            "media_library": uploads,
            "media_folder": "/content/van-ban/files",
            "public_folder": "{static}/van-ban/files",
        }
    if reader == "read_date":
        return dict(DATE_ONLY if name.startswith("ngay_") else DATE_TIME)
    if reader == "read_topic":
        return {"widget": "select", "options": choices["topics"]}
    if reader == "read_topics":
        return {"widget": "select", "multiple": True, "options": choices["topics"]}
    if reader in {"read_tags", "read_authors"}:
        return {"widget": "list", "allow_add": True}
    if reader == "read_status":
        return {
            "widget": "select",
            "options": [
                {"label": STATUS_LABELS.get(state, state), "value": state}
                for state in choices["review_states"]
            ],
            "default": choices["default_review_state"],
        }
    if reader == "read_lang":
        return {"widget": "select", "options": choices["languages"]}
    if reader == "read_document_type":
        return {"widget": "select", "options": choices["document_types"]}
    if reader == "read_flag":
        return {"widget": "boolean", "default": False}
    if reader == "read_slug":
        return {"widget": "string", "pattern": SLUG_PATTERN}
    if reader == "read_correction":
        return {
            "widget": "list",
            "summary": "{{fields.date}}: {{fields.text}}",
            "fields": [
                {"name": "date", "label": "Ngày đính chính", **DATE_TIME},
                {"name": "text", "label": "Nội dung đính chính", "widget": "string"},
            ],
        }
    return {"widget": "text" if name in LONG_TEXT else "string"}


def form_fields(specs: Mapping[str, Any], choices: Mapping[str, list]) -> list[dict]:
    """Each header key as a form field, then the body."""
    fields = []
    for spec in specs.values():
        field = {
            "name": spec.key,
            "label": spec.label or spec.key,
            "required": spec.required,
            **field_widget(spec, choices),
        }
        if spec.hint:
            field["hint"] = spec.hint
        fields.append(field)
    fields.append({"name": "body", "label": "Nội dung", "widget": "markdown"})
    return fields


def header_grammar(model: Mapping[str, Any]) -> dict[str, Any]:
    """What the editor's format needs to read and write our header.

    The order of the keys, which are lists (with their separator), which may
    repeat, which are yes/no, and the fields each review state requires.
    """
    grammar: dict[str, Any] = {
        "order": {},
        "lists": {},
        "repeated": {},
        "flags": [],
        "dates": [],
    }
    for kind in ("article", "page", "document"):
        grammar["order"][kind] = [spec.key for spec in model[kind].values()]
        for spec in model[kind].values():
            separator = LIST_SEPARATORS.get(spec.read.__name__)
            if separator:
                grammar["lists"][spec.key] = separator
            if spec.read.__name__ == "read_correction":
                grammar["repeated"][spec.key] = ["date", "text"]
            if spec.read.__name__ == "read_flag" and spec.key not in grammar["flags"]:
                grammar["flags"].append(spec.key)
            if spec.read.__name__ == "read_date" and spec.key not in grammar["dates"]:
                grammar["dates"].append(spec.key)
    grammar["state_requires"] = {
        state: list(keys) for state, keys in model["state_requires"].items()
    }
    grammar["labels"] = {
        spec.key: spec.label for spec in model["article"].values() if spec.label
    }
    return grammar


def translated_pages(
    model: Mapping[str, Any],
    choices: Mapping[str, Any],
    languages: Mapping[str, Mapping[str, Any]],
    default_lang: str,
    collection: Mapping[str, Any],
    *,
    labels: Mapping[str, str],
    content_folder: str,
) -> list[dict[str, Any]]:
    """A collection of pages for each other language: ``content/trang/<lang>/``.

    Decap lists a folder's own files only, so the pages of ``trang/en/`` are
    their own collection, "Trang tiếng Anh", whose pages are ``Lang: en``.
    """
    collections = []
    for lang, language in languages.items():
        if lang == default_lang:
            continue
        fields = form_fields(model["page"], choices)
        for field in fields:
            if field["name"] == "Lang":
                field.update(required=True, default=lang)
        name = language.get("name", lang)
        collections.append(
            {
                **collection,
                "name": f"{PAGES}-{lang}",
                "label": f"{PAGES_LABEL} {labels.get(lang, name)}",
                "label_singular": "trang",
                "description": (
                    f"Trang {name} ({lang}) trong content/trang/{lang}/, "
                    f"ở /{lang}/<slug>/."
                ),
                "folder": f"{content_folder}/trang/{lang}",
                "slug": "{{Title}}",
                "identifier_field": "Title",
                "fields": fields,
            }
        )
    return collections


def editor_config(
    model: Mapping[str, Any],
    topic_names: Iterable[str],
    languages: Mapping[str, Mapping[str, Any]],
    config: Mapping[str, Any],
    years: Iterable[int],
    *,
    default_lang: str = "vi",
    content_folder: str = "content",
) -> dict[str, Any]:
    """Decap CMS's whole configuration (written as ``config.yml``)."""
    backend = config["BACKEND"].get("name")
    if backend in WITHOUT_WORKFLOW:
        raise ValueError(
            f"WEB_EDITOR: Decap CMS's {backend} backend has no editorial workflow, "
            "so no review gate; use forgejo (Forgejo serves Gitea's API), github "
            "or gitlab"
        )
    choices = {
        "topics": _options(topic_names),
        "languages": _options(languages),
        "review_states": list(model["review_states"]),
        "default_review_state": model["default_review_state"],
        "document_types": list(model["document_types"]),
        "max_upload_bytes": config["MAX_UPLOAD_BYTES"],
    }
    collection = {
        "extension": "md",
        "format": FORMAT,
        "create": True,
        # A published URL is never deleted: unpublishing is a retraction.
        "delete": False,
    }
    # One collection a year, newest first (the list Decap opens): decap-server
    # and the git hosts send a collection's every file to list it.
    articles = [
        {
            **collection,
            "name": f"{ARTICLES}-{year}",
            "label": f"Bài viết {year}",
            "label_singular": "bài viết",
            "description": f"Mỗi bài một tệp trong content/bai-viet/{year}/.",
            "folder": f"{content_folder}/bai-viet/{year}",
            "path": "{{slug}}",
            "slug": "{{Title}}",
            "identifier_field": "Title",
            "summary": "{{Title}} ({{Status}})",
            "sortable_fields": ["Date", "Title", "Category"],
            "view_filters": [
                {
                    "label": STATUS_LABELS[state],
                    "field": "Status",
                    "pattern": f"^{state}$",
                }
                for state in choices["review_states"]
            ],
            "view_groups": [{"label": "Chuyên mục", "field": "Category"}],
            "media_folder": f"/{content_folder}/images/{year}",
            "public_folder": f"/images/{year}",
            "fields": form_fields(model["article"], choices),
        }
        for year in sorted(set(years), reverse=True)
    ]
    site: dict[str, Any] = {
        "backend": dict(config["BACKEND"]),
        "locale": "vi",
        "publish_mode": "editorial_workflow",
        "media_folder": f"{content_folder}/images",
        "public_folder": "/images",
        "slug": {
            "encoding": "ascii",
            "clean_accents": True,
            "sanitize_replacement": "-",
        },
        "collections": [
            *articles,
            {
                **collection,
                "name": PAGES,
                "label": PAGES_LABEL,
                "label_singular": "trang",
                "folder": f"{content_folder}/trang",
                "slug": "{{Title}}",
                "identifier_field": "Title",
                "fields": form_fields(model["page"], choices),
            },
            *translated_pages(
                model,
                choices,
                languages,
                default_lang,
                collection,
                labels=config["LANGUAGE_LABELS"],
                content_folder=content_folder,
            ),
            {
                **collection,
                "name": "van-ban",
                "label": "Văn bản",
                "label_singular": "văn bản",
                "folder": f"{content_folder}/van-ban",
                "slug": "{{So_hieu}}",
                "identifier_field": "So_hieu",
                "summary": "{{So_hieu}}: {{Trich_yeu}}",
                "fields": form_fields(model["document"], choices),
            },
        ],
    }
    if config["LOCAL_BACKEND"]:
        site["local_backend"] = {"url": config["LOCAL_BACKEND"]}
    return site
