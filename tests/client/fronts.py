"""A small HTTP front between a client and the test target, for transport tests.

It answers the first ``failures`` requests with 502 and forwards the rest to the real
target, counting what it saw; with an SSL context it terminates TLS, so clients can be
tested against certificates without a TLS-enabled server.
"""

from __future__ import annotations

import contextlib
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from colonies.testing import ServerTarget


class Front(ThreadingHTTPServer):
    """Fails the first ``failures`` requests with 502, forwards the rest to ``upstream``."""

    def __init__(self, upstream: ServerTarget, failures: int) -> None:
        super().__init__(("127.0.0.1", 0), _FrontHandler)
        self.failures = failures
        self.seen = 0
        self.lock = threading.Lock()
        self.upstream = httpx.Client(
            base_url=upstream.url, verify=upstream.config.ssl_context() or True
        )

    @property
    def port(self) -> int:
        return int(self.server_address[1])


class _FrontHandler(BaseHTTPRequestHandler):
    server: Front

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with self.server.lock:
            self.server.seen += 1
            fail = self.server.seen <= self.server.failures
        if fail:
            status, content = 502, b"bad gateway"
        else:
            reply = self.server.upstream.post(self.path, content=body)
            status, content = reply.status_code, reply.content
        self.send_response(status)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@contextlib.contextmanager
def running_front(
    upstream: ServerTarget, *, failures: int = 0, tls: ssl.SSLContext | None = None
) -> Iterator[Front]:
    """Serve a :class:`Front` on a free loopback port for the block."""
    front = Front(upstream, failures)
    if tls is not None:
        front.socket = tls.wrap_socket(front.socket, server_side=True)
    thread = threading.Thread(target=front.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield front
    finally:
        front.shutdown()
        front.server_close()
        front.upstream.close()
        thread.join()
