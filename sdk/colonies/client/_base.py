"""Construction, keys and ``repr`` shared by the sync and async clients."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from pathlib import Path
from typing import Self
from urllib.parse import urlsplit

from colonies.client._core import ClientCore, RequestObserver
from colonies.config import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    ClientConfig,
)
from colonies.crypto import PrivateKey

__all__ = ["ClientBase"]


class ClientBase(ABC):
    """Settings, the default signing key and the alternate constructors of a client.

    The key is a :class:`PrivateKey`; it never appears in ``repr`` or error messages.
    """

    _core: ClientCore
    _key: PrivateKey | None
    _owns_transport: bool

    def __init__(
        self,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        *,
        tls: bool = False,
        verify: bool = True,
        ca_bundle: str | Path | None = None,
        key: PrivateKey | str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        observer: RequestObserver | None = None,
    ) -> None:
        """``observer`` is told about every RPC reply (message type, HTTP status, seconds)."""
        config = ClientConfig(
            host=host,
            port=port,
            tls=tls,
            insecure=not verify,
            ca_bundle=Path(ca_bundle) if ca_bundle is not None else None,
            timeout=timeout,
            retries=retries,
        )
        self._setup(config, key, observer)

    def _setup(
        self,
        config: ClientConfig,
        key: PrivateKey | str | None,
        observer: RequestObserver | None = None,
    ) -> None:
        self._core = ClientCore(config, observer)
        self._key = PrivateKey.coerce(key) if key is not None else None
        self._owns_transport = True
        self._open_transport()

    @abstractmethod
    def _open_transport(self) -> None:
        """Create the connection pool of this client."""

    @classmethod
    def from_config(
        cls,
        config: ClientConfig,
        *,
        key: PrivateKey | str | None = None,
        observer: RequestObserver | None = None,
    ) -> Self:
        """A client for ``config``; signs with ``key``, else ``config.key``."""
        client = cls.__new__(cls)
        client._setup(config, key if key is not None else config.key, observer)
        return client

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """A client configured from the official ``COLONIES_*`` environment variables."""
        return cls.from_config(ClientConfig.from_env(environ))

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        key: PrivateKey | str | None = None,
        verify: bool = True,
        ca_bundle: str | Path | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
    ) -> Self:
        """A client for ``http://host:port`` or ``https://host:port``."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"expected an http:// or https:// URL, got {url!r}")
        tls = parts.scheme == "https"
        return cls(
            parts.hostname,
            parts.port or (443 if tls else 80),
            tls=tls,
            verify=verify,
            ca_bundle=ca_bundle,
            key=key,
            timeout=timeout,
            retries=retries,
        )

    @property
    def config(self) -> ClientConfig:
        """The connection settings."""
        return self._core.config

    @property
    def url(self) -> str:
        """The server's base URL."""
        return self._core.config.base_url

    @property
    def key_id(self) -> str | None:
        """The ID of the default signing key (never the key itself)."""
        return self._key.id if self._key is not None else None

    def with_key(self, key: PrivateKey | str | None) -> Self:
        """A client signing with ``key`` by default, sharing this client's connections.
        Closing it leaves the shared pool open; close the original."""
        clone = self.__class__.__new__(self.__class__)
        clone.__dict__.update(self.__dict__)
        clone._key = PrivateKey.coerce(key) if key is not None else None
        clone._owns_transport = False
        return clone

    def __repr__(self) -> str:
        key = f"{self._key.id[:12]}…" if self._key is not None else None
        return f"{type(self).__name__}(url={self.url!r}, key_id={key!r})"
