"""Settings: one table, env variables, flags of the same name, clear errors, hidden keys."""

from __future__ import annotations

import pytest

from colonies.crypto import PrivateKey
from colonies.runtime import ConfigurationError, Settings
from colonies.runtime.settings import ENV_SETTINGS

ARCHITECTURE_NAMES = {
    "COLONIES_SERVER_HOST",
    "COLONIES_SERVER_PORT",
    "COLONIES_TLS",
    "COLONIES_TLS_CA",
    "COLONIES_INSECURE",
    "COLONIES_COLONY_NAME",
    "COLONIES_PRVKEY",
    "COLONIES_COLONY_PRVKEY",
    "COLONIES_EXECUTOR_NAME",
    "COLONIES_EXECUTOR_TYPE",
    "COLONIES_RECONCILER_CONCURRENCY",
    "COLONIES_RECONCILER_HTTP_HOST",
    "COLONIES_RECONCILER_HTTP_PORT",
    "COLONIES_RECONCILER_LOG_LEVEL",
    "COLONIES_RECONCILER_LOG_FORMAT",
    "COLONIES_RECONCILER_GRACE_PERIOD",
}


def test_every_documented_variable_is_a_setting() -> None:
    assert {setting.env for setting in ENV_SETTINGS} >= ARCHITECTURE_NAMES


def test_defaults_match_the_architecture() -> None:
    settings = Settings.from_env({})
    assert settings.http.host == "127.0.0.1"
    assert settings.http.port == 0
    assert settings.connection.port == 50080
    assert settings.log.format == "console"


def test_env_values_are_parsed_into_the_tree() -> None:
    key = PrivateKey.generate()
    settings = Settings.from_env(
        {
            "COLONIES_SERVER_HOST": "colonies.local",
            "COLONIES_SERVER_PORT": "443",
            "COLONIES_TLS": "true",
            "COLONIES_COLONY_NAME": "home",
            "COLONIES_COLONY_PRVKEY": key.hex(),
            "COLONIES_EXECUTOR_NAME": "pod-0",
            "COLONIES_RECONCILER_CONCURRENCY": "8",
            "COLONIES_RECONCILER_GRACE_PERIOD": "12.5",
            "COLONIES_RECONCILER_LOG_FORMAT": "JSON",
            "COLONIES_RECONCILER_LOG_LEVEL": "debug",
            "UNRELATED": "ignored",
        }
    )
    assert settings.connection.base_url == "https://colonies.local:443"
    assert settings.connection.colony_name == "home"
    assert settings.identity.colony_prvkey == key
    assert settings.identity.resolved_executor_name("t") == "pod-0"
    assert settings.worker.concurrency == 8
    assert settings.worker.grace_period == 12.5
    assert settings.log.format == "json"
    assert settings.log.level == "DEBUG"


def test_flags_are_named_after_the_variables() -> None:
    flags = {setting.env: setting.flag for setting in ENV_SETTINGS}
    assert flags["COLONIES_RECONCILER_CONCURRENCY"] == "--reconciler-concurrency"
    assert flags["COLONIES_TLS_CA"] == "--ca"
    assert flags["COLONIES_SERVER_HOST"] == "--server"


@pytest.mark.parametrize(
    ("env", "value", "message"),
    [
        ("COLONIES_RECONCILER_CONCURRENCY", "0", "at least 1"),
        ("COLONIES_RECONCILER_CONCURRENCY", "many", "COLONIES_RECONCILER_CONCURRENCY='many'"),
        ("COLONIES_TLS", "maybe", "expected true or false"),
        ("COLONIES_RECONCILER_LOG_FORMAT", "xml", "console or json"),
        ("COLONIES_RECONCILER_HTTP_PORT", "70000", "at most 65535"),
        ("COLONIES_RECONCILER_GRACE_PERIOD", "nan", "GRACE_PERIOD='nan': expected a number"),
        ("COLONIES_RECONCILER_RECONCILE_TIMEOUT", "NaN", "expected a number, not nan"),
    ],
)
def test_bad_values_name_the_variable(env: str, value: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        Settings.from_env({env: value})


def test_a_bad_key_is_never_echoed() -> None:
    secret = "zz" + "ab" * 31
    with pytest.raises(ConfigurationError) as caught:
        Settings.from_env({"COLONIES_PRVKEY": secret})
    assert secret not in str(caught.value)
    assert "COLONIES_PRVKEY" in str(caught.value)


def test_settings_repr_hides_keys() -> None:
    key = PrivateKey.generate()
    settings = Settings.from_env({"COLONIES_PRVKEY": key.hex()})
    assert key.hex() not in repr(settings)
