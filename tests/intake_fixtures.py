"""The intake service for the tests: gunicorn on SQLite and on a real PostgreSQL.

Each backend gets its own service, data folder and content checkout (the
registry, and văn bản records: a draft open to comments, one past its
deadline, a decision that is not a draft), shared by a test module.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from bs4 import BeautifulSoup

from tools.local_intake import manage, running_intake
from tools.local_postgres import postgres_bin, running_postgres

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PDF = ROOT / "content" / "van-ban" / "files" / "32-ct-tw.pdf"
PASSWORD = "mat-khau-thu-nghiem-7Q"
DRAFTS = {
    "01-dt-thu": ("01/DT-THU", "Dự thảo", "2099-12-31"),
    "02-dt-thu": ("02/DT-THU", "Dự thảo", "2020-01-31"),
    "03-qd-thu": ("03/QD-THU", "Quyết định", ""),
}
# gunicorn, the production server, runs on Linux only.
LINUX_ONLY = pytest.mark.skipif(
    sys.platform == "win32", reason="gunicorn, the production server, is for Linux"
)
# Each test posts from addresses of its own (X-Real-IP, as nginx sends it).
_addresses = itertools.count(1)


def new_address() -> str:
    """An address no other test used."""
    n = next(_addresses)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


def write_content(content: Path) -> None:
    """The registry and three văn bản records (with their PDFs)."""
    content.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "content" / "chuyen-muc.toml", content / "chuyen-muc.toml")
    (content / "bai-viet").mkdir(exist_ok=True)
    files = content / "van-ban" / "files"
    files.mkdir(parents=True, exist_ok=True)
    for slug, (number, kind, deadline) in DRAFTS.items():
        shutil.copy(SAMPLE_PDF, files / f"{slug}.pdf")
        lines = [
            f"So_hieu: {number}",
            f"Loai: {kind}",
            "Co_quan: Ủy ban nhân dân tỉnh",
            "Ngay_ban_hanh: 2024-05-06",
            "Trich_yeu: Văn bản thử của cổng thông tin",
            f"File: {{static}}/van-ban/files/{slug}.pdf",
            "Category: Xây dựng Đảng",
        ]
        if deadline:
            lines.append(f"Han_gop_y: {deadline}")
        (content / "van-ban" / f"{slug}.md").write_text(
            "\n".join(lines) + "\n\nNội dung dự thảo.\n", encoding="utf-8"
        )


@dataclass
class Intake:
    """A running service, its environment and its database."""

    base: str
    env: dict[str, str]
    backend: str
    content: Path
    database_url: str = ""
    sessions: dict = field(default_factory=dict)

    def post(
        self, path: str, data: dict, address: str, origin: str | None = "same", **kw
    ) -> requests.Response:
        """A reader's form, from the site's page (its Origin) by default."""
        headers = {"X-Real-IP": address, **kw.pop("headers", {})}
        if origin == "same":
            headers["Origin"] = self.base
        elif origin:
            headers["Origin"] = origin
        return requests.post(
            self.base + path, data=data, headers=headers, allow_redirects=False,
            timeout=30, **kw,
        )  # fmt: skip

    def rows(self, query: str, *params) -> list[tuple]:
        """Rows of a query, read straight from the database."""
        if self.backend == "sqlite":
            path = Path(self.env["INTAKE_DATA_DIR"]) / "hoi-dap.sqlite3"
            with sqlite3.connect(path) as db:
                return db.execute(query.replace("%s", "?"), params).fetchall()
        import psycopg  # noqa: PLC0415

        with psycopg.connect(self.database_url) as db:
            return db.execute(query, params).fetchall()

    def execute(self, statement: str, *params) -> None:
        """Change the database straight, as a test's setup."""
        if self.backend == "sqlite":
            path = Path(self.env["INTAKE_DATA_DIR"]) / "hoi-dap.sqlite3"
            with sqlite3.connect(path) as db:
                db.execute(statement.replace("%s", "?"), params)
            return
        import psycopg  # noqa: PLC0415

        with psycopg.connect(self.database_url) as db:
            db.execute(statement, params)

    def database_bytes(self) -> bytes:
        """Every byte the database keeps (SQLite's files; PostgreSQL's dump)."""
        if self.backend == "sqlite":
            folder = Path(self.env["INTAKE_DATA_DIR"])
            return b"".join(p.read_bytes() for p in folder.glob("hoi-dap.sqlite3*"))
        tables = [row[0] for row in self.rows(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )]  # fmt: skip
        return repr([self.rows(f'SELECT * FROM "{t}"') for t in tables]).encode()

    def staff(self, username: str, *groups: str) -> requests.Session:
        """A logged-in admin session of a staff member in these roles."""
        if username in self.sessions:
            return self.sessions[username]
        code = (
            "from django.contrib.auth.models import Group, User\n"
            f"user = User.objects.create_user({username!r}, password={PASSWORD!r},"
            " is_staff=True)\n"
            f"user.groups.set(Group.objects.filter(name__in={list(groups)!r}))\n"
        )
        manage(self.env, "shell", "-c", code)
        session = requests.Session()
        login = f"{self.base}/quan-tri-hoi-dap/login/"
        page = BeautifulSoup(session.get(login, timeout=30).text, "html.parser")
        token = page.select_one("input[name=csrfmiddlewaretoken]")["value"]
        answer = session.post(
            login,
            data={"username": username, "password": PASSWORD,
                  "csrfmiddlewaretoken": token, "next": "/quan-tri-hoi-dap/"},
            headers={"Referer": login, "Origin": self.base},
            timeout=30,
        )  # fmt: skip
        assert answer.url.endswith("/quan-tri-hoi-dap/"), answer.text[:500]
        self.sessions[username] = session
        return session


def admin_post(session: requests.Session, url: str, data: dict) -> requests.Response:
    """POST an admin form with the CSRF token of the page at ``url``."""
    page = BeautifulSoup(session.get(url, timeout=30).text, "html.parser")
    token = page.select_one("input[name=csrfmiddlewaretoken]")["value"]
    origin = url.split("/quan-tri-hoi-dap/", maxsplit=1)[0]
    return session.post(
        url, data={**data, "csrfmiddlewaretoken": token},
        headers={"Referer": url, "Origin": origin}, timeout=30,
    )  # fmt: skip


def portal_settings_with(folder: Path, *, whole: bool = False, **reader_forms) -> Path:
    """A settings file: the portal's ``pelicanconf.py`` with ``READER_FORMS`` changed.

    ``whole``: ``READER_FORMS`` is these keys alone (the others left to
    their defaults), as a settings file written before they were added.
    """
    path = folder / "portal_settings.py"
    merged = "" if whole else "**READER_FORMS, "
    path.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
        "from pelicanconf import *  # noqa: F403\n"
        f"READER_FORMS = {{{merged}**{reader_forms!r}}}  # noqa: F405\n",
        encoding="utf-8",
    )
    return path


def require_postgres() -> None:
    """Skip without PostgreSQL, except in CI (where it must be installed)."""
    if postgres_bin() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is not installed (apt-get install postgresql)")
        pytest.skip("PostgreSQL is not installed")


def intake_service(backend: str, folder: Path, **settings: str) -> Iterator[Intake]:
    """The service on ``backend``, with its own data and content folders."""
    content = folder / "content"
    write_content(content)
    env = {
        "INTAKE_DATA_DIR": str(folder / "data"),
        "INTAKE_CONTENT_DIR": str(content),
        "INTAKE_SECRET_KEY": "khoa-bi-mat-chi-de-thu-" * 3,
        "INTAKE_BEHIND_PROXY": "1",
        "INTAKE_RATE_LIMIT": "5",
        "DATABASE_URL": "",
        **settings,
    }
    if backend == "sqlite":
        with running_intake(env) as base:
            yield Intake(base, env, backend, content)
        return
    require_postgres()
    with running_postgres() as url:
        env["DATABASE_URL"] = url
        with running_intake(env) as base:
            yield Intake(base, env, backend, content, database_url=url)
