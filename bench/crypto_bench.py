"""Signatures and verifications per second: coincurve (ours) against pure-Python ``ecdsa``."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

import ecdsa
from ecdsa.util import sigencode_string_canonize

from bench.report import Report, Row
from colonies.crypto import PrivateKey, recover_id

_KEY = "6d2fb6f546bacfd98c68769e61e0b44a697a30596c018a50e28200aa59b01c0a"
_MESSAGE = "eyJtc2d0eXBlIjoiZ2V0Y29sb25pZXNtc2cifQ=="


def _rate(operation: Callable[[], object], seconds: float) -> float:
    """Operations per second, running ``operation`` for about ``seconds``."""
    count = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        operation()
        count += 1
    return count / (time.perf_counter() - start)


def run(report: Report, *, seconds: float) -> None:
    """Measure and check that both libraries produce the same (deterministic, low-s) r||s."""
    ours = PrivateKey(_KEY)
    theirs = ecdsa.SigningKey.from_string(bytes.fromhex(_KEY), curve=ecdsa.SECP256k1)
    digest = hashlib.sha3_256(_MESSAGE.encode()).digest()

    def pure_sign() -> bytes:
        signature: bytes = theirs.sign_digest_deterministic(
            digest, hashfunc=hashlib.sha256, sigencode=sigencode_string_canonize
        )
        return signature

    signature = ours.sign(_MESSAGE)
    if pure_sign().hex() != signature[:128]:
        raise RuntimeError("coincurve and ecdsa disagree on the signature: benchmark invalid")
    verifying_key = theirs.get_verifying_key()
    assert verifying_key is not None

    def pure_verify() -> bool:
        return bool(
            verifying_key.verify_digest(bytes.fromhex(signature[:128]), digest, allow_truncate=True)
        )

    sign_rate = _rate(lambda: ours.sign(_MESSAGE), seconds)
    base_sign_rate = _rate(pure_sign, seconds)
    recover_rate = _rate(lambda: recover_id(_MESSAGE, signature), seconds)
    base_verify_rate = _rate(pure_verify, seconds)
    report.add(Row("crypto", "sign", sign_rate, "ops/s", base_sign_rate))
    report.add(
        Row("crypto", "recover + verify (server side)", recover_rate, "ops/s", base_verify_rate)
    )
