"""The staff roles: groups with the permissions each needs in the admin."""

from __future__ import annotations

import logging

from django.contrib.auth.models import Group, Permission

logger = logging.getLogger(__name__)

# Group name: the permissions (app_label.codename) its members have.
ROLES = {
    # Reads the questions, writes and edits answers; cannot publish.
    "Biên tập hỏi đáp": (
        "reader_questions.view_question",
        "reader_questions.change_question",
        "reader_questions.view_rating",
    ),
    # Also sends answers to the portal's review (writes their content file).
    "Duyệt hỏi đáp": (
        "reader_questions.view_question",
        "reader_questions.change_question",
        "reader_questions.view_rating",
        "reader_questions.publish_question",
    ),
    # Reads the comments on drafts and exports them.
    "Tổng hợp góp ý": (
        "draft_comments.view_comment",
        "draft_comments.export_comments",
    ),
}


def ensure_roles(**_kwargs) -> None:
    """Create the groups of ``ROLES`` and give each exactly its permissions."""
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:  # its app is not migrated yet
                continue
            permissions.append(permission)
        group.permissions.set(permissions)
