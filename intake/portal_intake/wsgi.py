"""WSGI entry point of the intake service (gunicorn portal_intake.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal_intake.settings")
application = get_wsgi_application()
