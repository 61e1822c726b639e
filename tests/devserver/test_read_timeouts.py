"""Read deadlines with real sockets: a client that never finishes its request headers or
body cannot hold a connection of the dev server forever (issue 13 B4)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from colonies.devserver import DevServer, DevServerSettings
from colonies.wire import decode_reply

CONNECTIONS = 50


@pytest.fixture(scope="module")
def server() -> Iterator[DevServer]:
    with DevServer(DevServerSettings(header_timeout=0.5, body_timeout=0.5)) as running:
        yield running


def connect(server: DevServer) -> socket.socket:
    connection = socket.create_connection((server.host, server.port))
    connection.settimeout(30)  # only bounds a hang: the server should act long before
    return connection


def closed_by_server(connection: socket.socket) -> bytes:
    """Everything the server sent until it closed the connection."""
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    connection.close()
    return received


def test_connections_that_never_finish_their_headers_are_closed(server: DevServer) -> None:
    silent = connect(server)
    trickling = [connect(server) for _ in range(CONNECTIONS)]
    for connection in trickling:
        connection.sendall(b"P")
    assert closed_by_server(silent) == b""
    assert [closed_by_server(c) for c in trickling] == [b""] * CONNECTIONS
    assert httpx.get(f"{server.url}/health").status_code == 200


def test_a_body_that_never_arrives_gets_408(server: DevServer) -> None:
    connection = connect(server)
    connection.sendall(
        b"POST /api HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"  # 99 bytes missing
    )
    head, _, body = closed_by_server(connection).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 ")
    assert decode_reply(body, 408).message == "request body not received within 0.5 s"


def test_a_keep_alive_connection_gets_a_fresh_header_deadline_per_request(
    server: DevServer,
) -> None:
    connection = connect(server)
    for _ in range(2):
        connection.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert connection.recv(65536).startswith(b"HTTP/1.1 200 ")
    connection.sendall(b"GET /hea")
    assert closed_by_server(connection) == b""
