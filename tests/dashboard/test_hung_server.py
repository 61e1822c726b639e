"""A ColonyOS server that accepts connections and never answers: the dashboard still answers
each page promptly with its "unreachable" banner, and keeps trying in the background."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from colonies.client import AsyncColoniesClient
from colonies.config import ClientConfig
from colonies.crypto import PrivateKey
from colonies.dashboard import create_app


@pytest.fixture
def hung_server() -> Iterator[ClientConfig]:
    """A listening socket nobody accepts from: the kernel completes every TCP handshake,
    and no byte ever comes back."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield ClientConfig(host="127.0.0.1", port=listener.getsockname()[1])


@pytest.mark.timeout(60)  # the client alone would take 3 tries of 30 s per page
async def test_pages_answer_with_the_unreachable_banner_while_the_server_hangs(
    hung_server: ClientConfig,
) -> None:
    async with AsyncColoniesClient.from_config(hung_server, key=PrivateKey.generate()) as client:
        app = create_app(lambda: client, "home")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://dash") as dash:
            for path in ("/", "/fragments/overview", "/", "/blueprints/lamp"):
                page = await dash.get(path)
                assert page.status_code == 504, path
                assert "ColonyOS server unreachable" in page.text, path
                assert "still trying in the background" in page.text, path
