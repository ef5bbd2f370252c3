"""WSGI entry point of the intake service (gunicorn portal_intake.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal_intake.settings")
application = get_wsgi_application()

# Read the portal's settings and registry now, not at a reader's first form.
from portal_intake import site  # noqa: E402

site.topics()
