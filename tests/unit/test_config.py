"""ClientConfig from the official CLI variables, TLS settings and URLs."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from colonies.config import ClientConfig, ConfigError
from colonies.crypto import PrivateKey

KEY = "6d2fb6f546bacfd98c68769e61e0b44a697a30596c018a50e28200aa59b01c0a"
OTHER = "abf8958201382d444a8555997078cee882edd34096a4485a8d403430ff46f246"


def test_defaults_without_environment() -> None:
    config = ClientConfig.from_env({})
    assert config == ClientConfig()
    assert config.base_url == "http://localhost:50080"
    assert config.pubsub_url == "ws://localhost:50080/pubsub"
    assert config.ssl_context() is None


def test_official_variables() -> None:
    config = ClientConfig.from_env(
        {
            "COLONIES_SERVER_HOST": "colonies.example",
            "COLONIES_SERVER_PORT": "443",
            "COLONIES_TLS": "true",
            "COLONIES_PRVKEY": KEY,
            "COLONIES_COLONY_NAME": "home",
            "COLONIES_COLONY_PRVKEY": OTHER,
            "COLONIES_SERVER_PRVKEY": KEY.upper(),
            "COLONIES_EXECUTOR_PRVKEY": OTHER,
        }
    )
    assert config.base_url == "https://colonies.example:443"
    assert config.pubsub_url == "wss://colonies.example:443/pubsub"
    assert config.key == PrivateKey(KEY)
    assert config.server_key == PrivateKey(KEY)
    assert config.colony_key == PrivateKey(OTHER)
    assert config.executor_key == PrivateKey(OTHER)
    assert config.colony_name == "home"


def test_tls_verifies_certificates_by_default() -> None:
    context = ClientConfig(tls=True).ssl_context()
    assert context is not None
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname


def test_insecure_flag_disables_verification_explicitly() -> None:
    config = ClientConfig.from_env({"COLONIES_TLS": "true", "COLONIES_INSECURE": "true"})
    context = config.ssl_context()
    assert context is not None
    assert context.verify_mode == ssl.CERT_NONE


def test_ca_bundle_is_loaded(tmp_path: Path) -> None:
    missing = tmp_path / "ca.pem"
    config = ClientConfig.from_env({"COLONIES_TLS": "true", "COLONIES_TLS_CA": str(missing)})
    assert config.ca_bundle == missing
    with pytest.raises(FileNotFoundError):
        config.ssl_context()


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"COLONIES_SERVER_PORT": "http"}, "COLONIES_SERVER_PORT=.http.: expected a port number"),
        ({"COLONIES_SERVER_PORT": "70000"}, "1..65535"),
        ({"COLONIES_TLS": "maybe"}, "COLONIES_TLS=.maybe.: expected true or false"),
    ],
)
def test_bad_values_are_named(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        ClientConfig.from_env(environ)


def test_bad_key_error_names_the_variable_but_not_the_value() -> None:
    almost = KEY[:-1] + "x"
    with pytest.raises(ConfigError) as raised:
        ClientConfig.from_env({"COLONIES_COLONY_PRVKEY": almost})
    assert "COLONIES_COLONY_PRVKEY" in str(raised.value)
    assert almost not in str(raised.value)
    assert KEY[:40] not in str(raised.value)


def test_repr_shows_no_secret() -> None:
    config = ClientConfig.from_env({"COLONIES_PRVKEY": KEY, "COLONIES_SERVER_PRVKEY": OTHER})
    assert KEY not in repr(config)
    assert OTHER not in repr(config)
    assert config.with_key(OTHER).key == PrivateKey(OTHER)


def test_ipv6_hosts_are_bracketed() -> None:
    assert ClientConfig(host="::1", port=1).base_url == "http://[::1]:1"
