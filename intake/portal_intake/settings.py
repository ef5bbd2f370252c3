"""Settings of the intake service, from the environment.

Defaults run it on a laptop with nothing else installed: SQLite in a file
under ``intake-data/`` of the working copy, a secret key made there on the
first run. Production sets ``DATABASE_URL`` (PostgreSQL), ``INTAKE_SECRET_KEY``,
``INTAKE_ALLOWED_HOSTS`` and ``INTAKE_ORIGINS`` (see README, "Hỏi đáp").
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

from .database import database_from_url

SERVICE_DIR = Path(__file__).resolve().parents[1]
REPOSITORY = SERVICE_DIR.parent
# The portal's libraries (Vietnamese text) and plugins (the header grammar,
# the registry).
sys.path[:0] = [str(REPOSITORY / "lib"), str(REPOSITORY / "plugins")]

DATA_DIR = Path(os.environ.get("INTAKE_DATA_DIR", REPOSITORY / "intake-data"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """``INTAKE_SECRET_KEY``, or a key kept in the data folder (made once)."""
    if os.environ.get("INTAKE_SECRET_KEY"):
        return os.environ["INTAKE_SECRET_KEY"]
    path = DATA_DIR / "secret-key"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


def _list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("INTAKE_DEBUG") == "1"
ALLOWED_HOSTS = _list("INTAKE_ALLOWED_HOSTS", "127.0.0.1,localhost")
# The site's own origins (https://chuyende.example.vn): a reader's form must
# come from one of them or from the host it was posted to; the admin's CSRF
# check trusts them too.
CSRF_TRUSTED_ORIGINS = _list("INTAKE_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "portal_intake",
    "reader_questions",
    "draft_comments",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "portal_intake.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal_intake.site.site_context",
            ]
        },
    }
]
WSGI_APPLICATION = "portal_intake.wsgi.application"
DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL", ""), DATA_DIR / "hoi-dap.sqlite3"
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# Every path of the service is under the paths nginx sends to it.
STATIC_URL = "/quan-tri-hoi-dap/static/"
STATIC_ROOT = Path(os.environ.get("INTAKE_STATIC_ROOT", DATA_DIR / "static"))
LOGIN_URL = "/quan-tri-hoi-dap/login/"
SESSION_COOKIE_NAME = "hoidap_phien"
CSRF_COOKIE_NAME = "hoidap_csrf"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = os.environ.get("INTAKE_HTTPS") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A form whose CSRF token is missing or expired: the portal's Vietnamese page.
CSRF_FAILURE_VIEW = "portal_intake.errors.csrf_failure"
if os.environ.get("INTAKE_BEHIND_PROXY") == "1":
    # nginx says whether the reader came over HTTPS, and from which address.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# A reader's form is small: nothing larger is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# What the service keeps and for how long (days); see README.
INTAKE = {
    # How long names and contacts are kept is the portal's setting,
    # READER_FORMS["RETENTION_DAYS"] (its privacy notice says it too).
    # At most this many forms from one address in the window (seconds); 0: off.
    "RATE_LIMIT": int(os.environ.get("INTAKE_RATE_LIMIT", "10")),
    "RATE_WINDOW": int(os.environ.get("INTAKE_RATE_WINDOW", "600")),
    # The address comes from nginx's X-Real-IP only behind the proxy.
    "BEHIND_PROXY": os.environ.get("INTAKE_BEHIND_PROXY") == "1",
    # The portal's settings: the registry, the districts, the content folder.
    "PELICAN_SETTINGS": os.environ.get(
        "INTAKE_PELICAN_SETTINGS", str(REPOSITORY / "pelicanconf.py")
    ),
    "CONTENT_DIR": os.environ.get("INTAKE_CONTENT_DIR", ""),
    # Answers sent to review as a commit on a branch hoi-dap/<slug> made from
    # this branch of the content checkout's repository (e.g. "main"); empty:
    # as a file in the checkout, for the editors to commit.
    "GIT_BASE": os.environ.get("INTAKE_GIT_BASE", ""),
    # The built site, whose stylesheet the service's pages link to.
    "SITE_ROOT": os.environ.get("INTAKE_SITE_ROOT", str(REPOSITORY / "output")),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
