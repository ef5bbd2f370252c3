"""The intake service's shared part: forms' protection, roles, site data."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PortalIntakeConfig(AppConfig):
    """Connects the roles to every ``migrate``."""

    name = "portal_intake"
    verbose_name = "Tiếp nhận ý kiến bạn đọc"

    def ready(self) -> None:
        """Keep the staff roles and their permissions after each migrate."""
        from .roles import ensure_roles  # noqa: PLC0415

        post_migrate.connect(ensure_roles, sender=self)
