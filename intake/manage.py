#!/usr/bin/env python3
"""The readers' questions and comments service: Django's command line."""

import os
import sys


def main() -> None:
    """Run a Django management command for the intake service."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal_intake.settings")
    from django.core.management import execute_from_command_line  # noqa: PLC0415

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
