"""``DATABASE_URL`` to Django's ``DATABASES`` entry; SQLite when it is empty."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit


def database_from_url(url: str, sqlite_file: Path) -> dict:
    """The database of ``postgresql://user:password@host:port/name?host=/socket``.

    An empty URL is the embedded default: SQLite in ``sqlite_file``, in WAL
    mode (readers do not wait for a writer) with each write synced before the
    reader's answer.
    """
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(sqlite_file),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
            },
        }
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        msg = f"DATABASE_URL: chỉ hỗ trợ postgresql://, không phải {parts.scheme}://"
        raise ValueError(msg)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": query.pop("host", unquote(parts.hostname or "")),
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": query,
    }
