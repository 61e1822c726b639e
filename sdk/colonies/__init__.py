"""colonies: a typed ColonyOS client, an embedded dev server and a blueprint reconciler runtime."""

from colonies.crypto import PrivateKey, derive_id, generate_private_key
from colonies.errors import (
    ColoniesConnectionError,
    ColoniesError,
    ColoniesTimeoutError,
    ConflictError,
    ForbiddenError,
    InvalidRequestError,
    NotFoundError,
    ServerError,
)

__version__ = "0.1.0"

__all__ = [
    "ColoniesConnectionError",
    "ColoniesError",
    "ColoniesTimeoutError",
    "ConflictError",
    "ForbiddenError",
    "InvalidRequestError",
    "NotFoundError",
    "PrivateKey",
    "ServerError",
    "__version__",
    "derive_id",
    "generate_private_key",
]
