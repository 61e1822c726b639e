"""TLS: certificates are verified by default, a CA bundle is honoured, and skipping
verification takes an explicit flag. A TLS-terminating front (certificate made with the
openssl command) forwards to the test target."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from colonies.client import AsyncColoniesClient, ColoniesClient
from colonies.errors import ColoniesTLSError
from colonies.testing import ServerTarget, ThrowawayColony
from tests.client.fronts import Front, running_front


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    assert openssl, "the openssl command is needed to make a test certificate"
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_front(colonies_server: ServerTarget, certificate: tuple[Path, Path]) -> Iterator[Front]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    with running_front(colonies_server, tls=context) as front:
        yield front


def test_unknown_certificates_are_refused_by_default(
    tls_front: Front, colony: ThrowawayColony
) -> None:
    client = ColoniesClient("127.0.0.1", tls_front.port, tls=True, key=colony.user_key, retries=0)
    with client, pytest.raises(ColoniesTLSError, match="CERTIFICATE_VERIFY_FAILED"):
        client.get_colony(colony.name)
    assert tls_front.seen == 0


def test_a_ca_bundle_makes_the_certificate_trusted(
    tls_front: Front, colony: ThrowawayColony, certificate: tuple[Path, Path]
) -> None:
    url = f"https://127.0.0.1:{tls_front.port}"
    with ColoniesClient.from_url(url, key=colony.user_key, ca_bundle=certificate[0]) as client:
        assert client.get_colony(colony.name).name == colony.name


async def test_verification_is_skipped_only_on_request(
    tls_front: Front, colony: ThrowawayColony
) -> None:
    client = AsyncColoniesClient(
        "127.0.0.1", tls_front.port, tls=True, verify=False, key=colony.user_key
    )
    async with client:
        assert (await client.get_colony(colony.name)).name == colony.name


def test_tls_against_a_plain_server_is_a_configuration_error(colony: ThrowawayColony) -> None:
    """Not "cannot reach": the server answered, in plain HTTP. The message says what to fix."""
    config = colony.target.config
    if config.tls:
        pytest.skip("the target serves TLS")
    with (
        ColoniesClient.from_config(replace(config, tls=True), key=colony.user_key) as client,
        pytest.raises(ColoniesTLSError, match=r"TLS handshake .* COLONIES_TLS"),
    ):
        client.get_colony(colony.name)


async def test_the_async_client_reports_tls_against_a_plain_server_alike(
    colony: ThrowawayColony,
) -> None:
    config = colony.target.config
    if config.tls:
        pytest.skip("the target serves TLS")
    client = AsyncColoniesClient.from_config(replace(config, tls=True), key=colony.user_key)
    async with client:
        with pytest.raises(ColoniesTLSError, match=r"TLS handshake .* COLONIES_TLS"):
            await client.get_colony(colony.name)
