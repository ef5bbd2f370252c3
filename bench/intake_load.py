"""(i) The intake service under load: 200 questions a second for 30 s, 20 clients.

gunicorn (4 sync workers) serves the service on 127.0.0.1, on PostgreSQL
(started for the run, as in production) and on SQLite (the embedded
default). Twenty client threads each send 10 questions a second on a fixed
schedule over a kept-alive connection, each from its own address
(``X-Real-IP``, as nginx sends it, so the per-address limit is checked for
every one); a question is acknowledged by its redirect to the tracking
page. Reported: the latency percentiles, the rate reached, and how many
acknowledged questions the database holds afterwards (all of them).

Also runnable alone: ``PYTHONPATH=lib:plugins python3 -m bench.intake_load``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from tools.local_intake import running_intake
from tools.local_postgres import postgres_bin, running_postgres

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 20
RATE = 200  # questions a second, all clients together
SECONDS = 30
WORKERS = 4


def _client(port: int, number: int, start: float, count: int, results: list) -> None:
    """Send ``count`` questions at this client's share of the rate."""
    interval = CLIENTS / RATE
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    origin = f"http://127.0.0.1:{port}"
    for i in range(count):
        due = start + number * interval / CLIENTS + i * interval
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        body = urlencode({
            "topic": "xay-dung-dang",
            "question": f"Câu hỏi thử tải số {number}-{i}: thủ tục hành chính?",
            "name": "", "contact": "", "website": "",
        })  # fmt: skip
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "X-Real-IP": f"10.{number}.{i // 256}.{i % 256}",
        }
        sent = time.perf_counter()
        try:
            connection.request("POST", "/hoi-dap/gui/", body, headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            status = 0
        results.append((time.perf_counter() - sent, status, max(0.0, -pause)))
    connection.close()


def _server_cpu_seconds(port: int) -> float:
    """CPU time used so far by the service's gunicorn processes and PostgreSQL's."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ")
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ours = b"gunicorn" in command and f"127.0.0.1:{port}".encode() in command
        if ours or command.startswith(b"postgres"):
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def load(base: str, seconds: int = SECONDS) -> dict:
    """Run the load against a service; latencies and acknowledgements."""
    port = int(base.rsplit(":", 1)[1])
    per_client = RATE * seconds // CLIENTS
    results: list[tuple[float, int, float]] = []
    server_cpu = _server_cpu_seconds(port)
    client_cpu = time.process_time()
    start = time.perf_counter() + 0.5
    threads = [
        threading.Thread(target=_client, args=(port, n, start, per_client, results))
        for n in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    server_cpu = _server_cpu_seconds(port) - server_cpu
    client_cpu = time.process_time() - client_cpu
    latencies = [r[0] * 1000 for r in results]
    acknowledged = sum(1 for r in results if r[1] == 302)  # noqa: PLR2004
    return {
        "sent": len(results),
        "acknowledged": acknowledged,
        "errors": len(results) - acknowledged,
        "seconds": round(elapsed, 1),
        "rate_per_s": round(len(results) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 1),
        "p99_ms": round(_percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies), 1),
        "late_sends": sum(1 for r in results if r[2] > 0.05),  # noqa: PLR2004
        # CPU a question costs the service (gunicorn and the database) and
        # the load generator: with 2 cores to itself, the service could take
        # about 2000 / server_cpu_ms_per_question a second.
        "server_cpu_ms_per_question": round(1000 * server_cpu / len(results), 2),
        "client_cpu_ms_per_question": round(1000 * client_cpu / len(results), 2),
    }


def _stored(env: dict[str, str], database_url: str) -> int:
    count = "SELECT COUNT(*) FROM reader_questions_question"
    if database_url:
        import psycopg  # noqa: PLC0415

        with psycopg.connect(database_url) as db:
            return db.execute(count).fetchone()[0]
    import sqlite3  # noqa: PLC0415

    path = Path(env["INTAKE_DATA_DIR"]) / "hoi-dap.sqlite3"
    with sqlite3.connect(path) as db:
        return db.execute(count).fetchone()[0]


def _run(backend: str, folder: Path, seconds: int) -> dict:
    env = {
        "INTAKE_DATA_DIR": str(folder / backend),
        "INTAKE_SECRET_KEY": "khoa-thu-tai-" * 4,
        "INTAKE_BEHIND_PROXY": "1",
        "DATABASE_URL": "",
    }

    def measure(database_url: str = "") -> dict:
        env["DATABASE_URL"] = database_url
        with running_intake(env, workers=WORKERS) as base:
            figures = load(base, seconds)
        figures["stored"] = _stored(env, database_url)
        figures["all_stored"] = figures["stored"] == figures["acknowledged"]
        return figures

    if backend == "postgresql":
        with running_postgres() as url:
            return {"backend": backend, **measure(url)}
    return {"backend": backend, **measure()}


def measure_intake_load(seconds: int = SECONDS) -> list[dict]:
    """(i) for PostgreSQL (when installed) and SQLite."""
    backends = ["postgresql", "sqlite"] if postgres_bin() else ["sqlite"]
    with tempfile.TemporaryDirectory(prefix="bench-intake-") as folder:
        return [_run(backend, Path(folder), seconds) for backend in backends]


def table(results: list[dict]) -> str:
    """The figures as lines of text."""
    return "\n".join(
        f"(i) intake service, {r['backend']}, gunicorn {WORKERS} workers: "
        f"{r['sent']} questions in {r['seconds']} s ({r['rate_per_s']}/s, "
        f"{CLIENTS} clients); p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, max "
        f"{r['max_ms']} ms; acknowledged {r['acknowledged']}, stored {r['stored']}"
        f" ({'all' if r['all_stored'] else 'NOT ALL'}); errors {r['errors']}; CPU a "
        f"question: service {r['server_cpu_ms_per_question']} ms, clients "
        f"{r['client_cpu_ms_per_question']} ms"
        for r in results
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=SECONDS)
    arguments = parser.parse_args()
    measured = measure_intake_load(arguments.seconds)
    print(table(measured))  # noqa: T201
    print(json.dumps(measured, ensure_ascii=False, indent=1))  # noqa: T201
