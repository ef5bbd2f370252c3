"""The intake service's shared part: forms' protection, roles, site data."""

from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate


class PortalIntakeConfig(AppConfig):
    """Connects the roles to every ``migrate``; checks the portal's settings."""

    name = "portal_intake"
    verbose_name = "Tiếp nhận ý kiến bạn đọc"

    def ready(self) -> None:
        """Keep the staff roles and their permissions after each migrate.

        After every app's migrations: each app's permissions are made by its
        own ``post_migrate``, so the roles are set again once they all exist.
        """
        from .checks import reader_forms_are_sound  # noqa: PLC0415
        from .roles import ensure_roles  # noqa: PLC0415

        post_migrate.connect(ensure_roles, dispatch_uid="portal_intake_roles")
        checks.register(reader_forms_are_sound)
