"""Connection settings for a ColonyOS server, readable from the official CLI variables.

The variable names are the ones the Go CLI and executors use (``COLONIES_SERVER_HOST``,
``COLONIES_SERVER_PORT``, ``COLONIES_TLS``, ``COLONIES_PRVKEY`` ...), so an environment set
up for the ``colonies`` command works here unchanged. Keys are held as
:class:`~colonies.crypto.PrivateKey`, whose ``repr`` never shows the secret.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from colonies.crypto import InvalidKeyError, PrivateKey

__all__ = ["ClientConfig", "ConfigError"]

DEFAULT_HOST = "localhost"
DEFAULT_PORT = 50080
DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 2
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


class ConfigError(ValueError):
    """An environment variable holds a value that cannot be used. Never echoes key values."""


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """Where the server is, how to reach it safely, and which keys to sign with.

    TLS certificates are verified by default; ``ca_bundle`` adds a private CA and
    ``insecure=True`` disables verification explicitly (never the default).
    """

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    tls: bool = False
    insecure: bool = False
    ca_bundle: Path | None = None
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    key: PrivateKey | None = None
    colony_name: str | None = None
    colony_key: PrivateKey | None = None
    server_key: PrivateKey | None = None
    executor_key: PrivateKey | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ClientConfig:
        """Read the official ``COLONIES_*`` variables; unset ones keep their defaults.

        ``COLONIES_PRVKEY`` is the default signing key; ``COLONIES_TLS_CA`` a CA bundle path;
        ``COLONIES_INSECURE=true`` skips certificate verification when TLS is on.
        """
        env = os.environ if environ is None else environ
        ca = env.get("COLONIES_TLS_CA", "")
        return cls(
            host=env.get("COLONIES_SERVER_HOST") or DEFAULT_HOST,
            port=_port(env.get("COLONIES_SERVER_PORT", "")),
            tls=_flag(env, "COLONIES_TLS"),
            insecure=_flag(env, "COLONIES_INSECURE"),
            ca_bundle=Path(ca) if ca else None,
            key=_key(env, "COLONIES_PRVKEY"),
            colony_name=env.get("COLONIES_COLONY_NAME") or None,
            colony_key=_key(env, "COLONIES_COLONY_PRVKEY"),
            server_key=_key(env, "COLONIES_SERVER_PRVKEY"),
            executor_key=_key(env, "COLONIES_EXECUTOR_PRVKEY"),
        )

    def with_key(self, key: PrivateKey | str | None) -> ClientConfig:
        """The same settings with another default signing key."""
        return replace(self, key=None if key is None else PrivateKey.coerce(key))

    @property
    def authority(self) -> str:
        """``host:port`` as it stands in a URL or a ``Host`` header (IPv6 in brackets)."""
        return f"{_url_host(self.host)}:{self.port}"

    @property
    def base_url(self) -> str:
        """``http(s)://host:port`` of the server."""
        return f"{'https' if self.tls else 'http'}://{self.authority}"

    @property
    def pubsub_url(self) -> str:
        """``ws(s)://host:port/pubsub``: the subscription endpoint."""
        return f"{'wss' if self.tls else 'ws'}://{self.authority}/pubsub"

    def ssl_context(self) -> ssl.SSLContext | None:
        """The TLS context shared by HTTP and WebSocket connections (``None`` without TLS)."""
        if not self.tls:
            return None
        context = ssl.create_default_context(cafile=str(self.ca_bundle) if self.ca_bundle else None)
        if self.insecure:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false, got {value!r}")


def _port(value: str) -> int:
    if not value:
        return DEFAULT_PORT
    try:
        port = int(value)
    except ValueError:
        raise ConfigError(f"COLONIES_SERVER_PORT must be a number, got {value!r}") from None
    if not 0 < port < 65536:
        raise ConfigError(f"COLONIES_SERVER_PORT out of range: {port}")
    return port


def _key(env: Mapping[str, str], name: str) -> PrivateKey | None:
    value = env.get(name, "")
    if not value:
        return None
    try:
        return PrivateKey(value)
    except InvalidKeyError as error:  # the message never contains the value itself
        raise ConfigError(f"{name}: {error}") from None
