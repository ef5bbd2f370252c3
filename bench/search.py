"""Search measured in Debian's chromium: bytes of the first query, latency."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import statistics
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from tools.local_nginx import NGINX, free_port, running_nginx

from .judged import (
    judged_queries,
    our_titles,
    pagefind_titles,
    rank_of,
    scores,
)

# Timed: whole words, a phrase, a word being typed (its vocabulary fetched),
# and a mistyped one (no match, then the corrected query searched).
QUERIES = [
    "dai hoi dang",
    "thuy san",
    "Tinh uy",
    "tham nhung tieu cuc",
    '"chong khai thac"',
    "tham nhun",
    "tham nhugn",
]
# Pagefind as a site would set it up for the same search: the articles and
# văn bản only, each from its <article> without its links to other articles.
PAGEFIND_GLOB = "{[0-9][0-9][0-9][0-9]/[0-9][0-9]/*,van-ban/*}/index.html"
PAGEFIND_ROOT = "article.portal-article"
PAGEFIND_EXCLUDE = ".portal-related, .portal-neighbours, .portal-article-tools, nav"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site without logging each request, keeping connections."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *_args) -> None:
        """Say nothing."""


NGINX_CONF = """
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 256; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  keepalive_timeout 30;
  gzip on;
  gzip_types application/json text/css application/javascript;
  client_body_temp_path {work}/body;
  proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fastcgi;
  uwsgi_temp_path {work}/uwsgi;
  scgi_temp_path {work}/scgi;
  server {{
    listen 127.0.0.1:{port};
    root {root};
  }}
}}
"""


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (Debian's nginx if installed); yield its URL."""
    if NGINX.exists():
        with tempfile.TemporaryDirectory() as work:
            port = free_port()
            conf = Path(work) / "nginx.conf"
            conf.write_text(
                NGINX_CONF.format(work=work, port=port, root=folder.resolve())
            )
            with running_nginx(conf, port) as base:
                yield base
        return
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def index_size(output: Path) -> dict[str, float]:
    """Files and bytes of the search index."""
    files = [p for p in (output / "tim-kiem").rglob("*.json")]
    return {
        "index_files": len(files),
        "index_mib": sum(p.stat().st_size for p in files) / 2**20,
    }


def measure_queries(output: Path, runs: int = 3) -> list[dict]:
    """For each query: files and bytes fetched by a first query, ms to results."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    results = []
    with served(output) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        for query in QUERIES:
            latencies, raw, packed, found, requests = [], 0, 0, 0, 0
            for _ in range(runs):
                context = browser.new_context(base_url=base)
                page = context.new_page()
                page.add_init_script("performance.setResourceTimingBufferSize(5000)")
                page.goto("/tim-kiem/")
                page.wait_for_selector(".portal-search-app[data-search-state=done]")
                elapsed = page.evaluate(
                    """query => new Promise(resolve => {
                        const app = document.querySelector('.portal-search-app');
                        const box = document.querySelector('#tu-khoa-tim-trang');
                        const start = performance.now();
                        const seen = new MutationObserver(() => {
                          if (app.dataset.searchState === 'done' &&
                              new URLSearchParams(location.search).get('q') === query) {
                            seen.disconnect();
                            resolve(performance.now() - start);
                          }
                        });
                        seen.observe(app,
                          {attributes: true, subtree: true, childList: true});
                        box.value = query;
                        box.dispatchEvent(new Event('input', {bubbles: true}));
                      })""",
                    query,
                )
                page.wait_for_load_state("networkidle")
                latencies.append(elapsed)
                # Every index file the page fetched (the manifest with the
                # page, then the query's): as sent (gzip) and unpacked.
                sizes = page.evaluate(
                    """() => performance.getEntriesByType('resource')
                      .filter(entry => entry.name.includes('/chi-muc/'))
                      .map(entry => [entry.decodedBodySize, entry.encodedBodySize])"""
                )
                raw = sum(decoded for decoded, _sent in sizes)
                packed = sum(sent for _decoded, sent in sizes)
                requests = len(sizes) - 1  # the manifest came with the page
                found = page.locator(".portal-search-result").count()
                context.close()
            results.append(
                {
                    "query": query,
                    "first_query_kib": round(raw / 1024, 1),
                    "first_query_gzip_kib": round(packed / 1024, 1),
                    "requests": requests,
                    "ms_to_results": round(statistics.median(latencies), 1),
                    "results_shown": found,
                }
            )
        browser.close()
    return results


def measure_relevance(output: Path) -> dict:
    """The judged queries' scores for our search and Pagefind's, same site.

    Pagefind's index must be in ``output/pagefind/`` (``pagefind_index``).
    """
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    judged = judged_queries()
    ranks: dict[str, list[int | None]] = {"ours": [], "pagefind": []}
    with served(output) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        page = browser.new_context(base_url=base).new_page()
        page.goto("/tim-kiem/")
        for query in judged:
            ranks["ours"].append(rank_of(query, our_titles(page, query.typed)))
        page.goto("/")
        for query in judged:
            ranks["pagefind"].append(rank_of(query, pagefind_titles(page, query.typed)))
        browser.close()
    return {
        "queries": len(judged),
        **{name: scores(found) for name, found in ranks.items()},
        "missed": {
            name: [
                [query.typed, rank]
                for query, rank in zip(judged, found, strict=True)
                if rank != 1
            ]
            for name, found in ranks.items()
        },
    }
