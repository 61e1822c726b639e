"""secp256k1 keys, IDs and signatures, byte-compatible with the ColonyOS server.

An ID is ``SHA3-256`` of the *lowercase hex text* of the uncompressed public key, and
a request signature is a deterministic (RFC 6979), low-s ECDSA signature over
``SHA3-256`` of the base64 payload text, sent as ``r || s || v`` in 130 hex characters
(protocol section 2). Recovery mirrors the server's checks and error messages so that the
dev server rejects exactly what a real server rejects.
"""

from __future__ import annotations

import hashlib
import secrets

import coincurve

__all__ = [
    "InvalidKeyError",
    "InvalidSignatureError",
    "PrivateKey",
    "derive_id",
    "generate_private_key",
    "recover_id",
    "sign",
    "verify",
]

_CURVE_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
_HALF_ORDER = _CURVE_ORDER // 2
_SIGNATURE_BYTES = 65


class InvalidKeyError(ValueError):
    """A private key that is not 64 hex characters of a valid secp256k1 scalar."""


class InvalidSignatureError(ValueError):
    """A signature the server would refuse; the message is the server's own text."""


def _sha3(text: str) -> bytes:
    return hashlib.sha3_256(text.encode("ascii")).digest()


def _parse_private_key(value: str) -> coincurve.PrivateKey:
    # Error texts never echo the value: it may be a real key with one typo.
    if not isinstance(value, str):
        raise InvalidKeyError("Invalid private key: expected a hex string")
    if len(value) != 64:
        raise InvalidKeyError(
            f"Invalid private key length, should be 256 bits (64 hex characters), got {len(value)}"
        )
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raise InvalidKeyError("Invalid private key: not hexadecimal") from None
    scalar = int.from_bytes(raw, "big")
    if scalar == 0 or scalar >= _CURVE_ORDER:
        raise InvalidKeyError("Invalid private key: outside the secp256k1 range 1..n-1")
    return coincurve.PrivateKey(raw)


def _id_of_public_key(public_key: coincurve.PublicKey) -> str:
    return hashlib.sha3_256(public_key.format(compressed=False).hex().encode("ascii")).hexdigest()


class PrivateKey:
    """A signing key whose secret never shows in ``repr``, ``str`` or pickles of errors.

    Use :meth:`hex` to export the secret on purpose (for example to print ``export`` lines).
    """

    __slots__ = ("_id", "_key")

    def __init__(self, hex_key: str) -> None:
        self._key = _parse_private_key(
            hex_key.strip().lower() if isinstance(hex_key, str) else hex_key
        )
        self._id = _id_of_public_key(self._key.public_key)

    @classmethod
    def generate(cls) -> PrivateKey:
        """A fresh key, made like the official SDKs: SHA3-256 of 32 random bytes."""
        return cls(generate_private_key())

    @classmethod
    def coerce(cls, value: PrivateKey | str) -> PrivateKey:
        """Accept either a key object or its hex text."""
        return value if isinstance(value, PrivateKey) else cls(value)

    @property
    def id(self) -> str:
        """The ColonyOS ID of this key (64 lowercase hex characters)."""
        return self._id

    def public_key_hex(self) -> str:
        """The uncompressed public key (``04 || X || Y``) as 130 lowercase hex characters:
        the text whose SHA3-256 is the ID."""
        return self._key.public_key.format(compressed=False).hex()

    def hex(self) -> str:
        """The secret as 64 lowercase hex characters. Handle with care."""
        return self._key.secret.hex()

    def sign(self, message: str) -> str:
        """Sign ``message`` (normally a base64 payload); returns 130 hex characters."""
        return self._key.sign_recoverable(_sha3(message), hasher=None).hex()

    def __repr__(self) -> str:
        return f"PrivateKey(id={self._id[:12]}…)"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PrivateKey) and other._id == self._id

    def __hash__(self) -> int:
        return hash(self._id)

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("PrivateKey cannot be pickled; export it explicitly with .hex()")


def generate_private_key() -> str:
    """A new private key as hex: SHA3-256 of 32 random bytes, as colonies-ts does."""
    while True:
        candidate = hashlib.sha3_256(secrets.token_bytes(32)).hexdigest()
        if 0 < int(candidate, 16) < _CURVE_ORDER:
            return candidate


def derive_id(private_key: PrivateKey | str) -> str:
    """The ColonyOS ID for a private key."""
    return PrivateKey.coerce(private_key).id


def sign(message: str, private_key: PrivateKey | str) -> str:
    """Sign ``message`` with ``private_key``; 130 hex characters ``r || s || v``."""
    return PrivateKey.coerce(private_key).sign(message)


def _go_hex_decode(text: str) -> bytes:
    """Decode hex like Go's ``encoding/hex`` and fail with its exact messages."""
    for char in text:
        if char not in "0123456789abcdefABCDEF":
            raise InvalidSignatureError(f"encoding/hex: invalid byte: U+{ord(char):04X} {char!r}")
    if len(text) % 2:
        raise InvalidSignatureError("encoding/hex: odd length hex string")
    return bytes.fromhex(text)


def recover_id(message: str, signature: str) -> str:
    """Recover the signer's ID the way the server does, with the server's error texts.

    Raises :class:`InvalidSignatureError` for anything the server answers with a 403
    before permissions are checked (protocol 2.4).
    """
    raw = _go_hex_decode(signature)
    if len(raw) != _SIGNATURE_BYTES:
        raise InvalidSignatureError("Invalid signature length")
    header = 27 + raw[64]
    if not 27 <= header <= 34:
        raise InvalidSignatureError(
            "Failed to recover public key: invalid signature: public key recovery code "
            f"{header} is not in the valid range [27, 34]"
        )
    recid = (header - 27) & 3
    r = int.from_bytes(raw[:32], "big")
    s = int.from_bytes(raw[32:64], "big")
    if not (0 < r < _CURVE_ORDER and 0 < s < _CURVE_ORDER):
        raise InvalidSignatureError("Failed to recover public key: invalid signature")
    try:
        public_key = coincurve.PublicKey.from_signature_and_message(
            raw[:64] + bytes([recid]), _sha3(message), hasher=None
        )
    except Exception:  # coincurve raises a bare Exception on failed recovery
        raise InvalidSignatureError(
            "Failed to recover public key: invalid signature: calculated R point is the point at infinity"
        ) from None
    if s > _HALF_ORDER:
        raise InvalidSignatureError(
            "Failed verify signature: Signature s value is over half the order"
        )
    return _id_of_public_key(public_key)


def verify(message: str, signature: str, expected_id: str) -> bool:
    """True when ``signature`` over ``message`` was made by the key with ``expected_id``."""
    try:
        return recover_id(message, signature) == expected_id.lower()
    except InvalidSignatureError:
        return False
