"""One exception hierarchy for everything the client reports.

Server errors carry the HTTP status and the server's message verbatim, so callers can
match on either. Messages never contain private keys.
"""

from __future__ import annotations

__all__ = [
    "ColoniesConnectionError",
    "ColoniesError",
    "ColoniesTLSError",
    "ColoniesTimeoutError",
    "ConflictError",
    "ForbiddenError",
    "InvalidRequestError",
    "NotFoundError",
    "ProtocolError",
    "ServerError",
    "error_for_status",
]


class ColoniesError(Exception):
    """Base of every error raised by this package's client.

    ``status`` is the HTTP status of the server's reply (0 when no reply arrived) and
    ``message`` the server's own text.
    """

    def __init__(self, message: str, *, status: int = 0, msgtype: str | None = None) -> None:
        self.status = status
        self.message = message
        self.msgtype = msgtype
        prefix = f"{msgtype}: " if msgtype else ""
        suffix = f" (HTTP {status})" if status else ""
        super().__init__(f"{prefix}{message}{suffix}")


class InvalidRequestError(ColoniesError):
    """The server refused the request as malformed or not allowed in this state (400)."""


class ForbiddenError(ColoniesError):
    """A signature or permission problem (403): wrong key, not a member, not the owner."""


class NotFoundError(ColoniesError):
    """The object does not exist (404, and the server's 500 "... is nil" replies)."""


class ConflictError(ColoniesError):
    """The object already exists or is still in use (409)."""


class ServerError(ColoniesError):
    """Any other server-side failure (5xx)."""


class ProtocolError(ColoniesError):
    """A reply the client cannot understand (not an envelope, or an unexpected shape)."""


class ColoniesConnectionError(ColoniesError):
    """The server could not be reached."""


class ColoniesTLSError(ColoniesError):
    """The TLS handshake failed: TLS against a plain-HTTP server, or a certificate that is not
    trusted. A configuration error, not an outage: retrying cannot help, so it is not a
    :class:`ColoniesConnectionError`."""


class ColoniesTimeoutError(ColoniesError):
    """No reply arrived in time (transport timeout, or the server's 408)."""


_NOT_FOUND_MARKERS = ("is nil", "not found", "does not exist")


def error_for_status(status: int, message: str, msgtype: str | None = None) -> ColoniesError:
    """Map a server error reply to the most specific exception class.

    The real server reports several missing objects as 500 "... is nil" (protocol 8.4);
    those become :class:`NotFoundError` too, keeping the original status.
    """
    cls: type[ColoniesError]
    if status == 400:
        cls = InvalidRequestError
    elif status == 403:
        cls = ForbiddenError
    elif status == 404:
        cls = NotFoundError
    elif status == 409:
        cls = ConflictError
    elif status == 408:
        cls = ColoniesTimeoutError
    elif status >= 500 and any(marker in message for marker in _NOT_FOUND_MARKERS):
        cls = NotFoundError
    else:
        cls = ServerError
    return cls(message, status=status, msgtype=msgtype)
