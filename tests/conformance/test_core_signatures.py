"""Signature recovery (protocol 2.4): every rejection the server makes before permissions."""

from __future__ import annotations

import pytest

from colonies.crypto import PrivateKey
from colonies.wire import decode_reply, encode_payload
from tests.conformance.target import Target

N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
MESSAGE = {"msgtype": "getcoloniesmsg"}


def _answer(target: Target, signature: str, payload: str | None = None) -> tuple[int, str]:
    payload = encode_payload(MESSAGE) if payload is None else payload
    response = target.post(
        {"payloadtype": "getcoloniesmsg", "payload": payload, "signature": signature}
    )
    reply = decode_reply(response.content, response.status_code)
    assert response.status_code == reply.status
    return reply.status, reply.message


def _good(target: Target) -> str:
    return target.server_key.sign(encode_payload(MESSAGE))


def test_a_valid_signature_of_the_server_key_passes(target: Target) -> None:
    response = target.send(MESSAGE, target.server_key)
    assert response.status_code == 200


def test_upper_case_hex_is_accepted(target: Target) -> None:
    response = target.post(
        {
            "payloadtype": "getcoloniesmsg",
            "payload": encode_payload(MESSAGE),
            "signature": _good(target).upper(),
        }
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("signature", "message"),
    [
        ("", "Invalid signature length"),
        ("abcd", "Invalid signature length"),
        ("0x" + "00" * 65, "encoding/hex: invalid byte: U+0078 'x'"),
        ("abc", "encoding/hex: odd length hex string"),
    ],
)
def test_malformed_signatures(target: Target, signature: str, message: str) -> None:
    assert _answer(target, signature) == (403, message)


@pytest.mark.parametrize("v", [27, 28])
def test_ethereum_style_recovery_ids_are_out_of_range(target: Target, v: int) -> None:
    signature = _good(target)[:128] + f"{v:02x}"
    assert _answer(target, signature) == (
        403,
        "Failed to recover public key: invalid signature: public key recovery code "
        f"{27 + v} is not in the valid range [27, 34]",
    )


def test_high_s_signatures_are_rejected(target: Target) -> None:
    raw = bytes.fromhex(_good(target))
    s = int.from_bytes(raw[32:64], "big")
    high = raw[:32] + (N - s).to_bytes(32, "big") + bytes([raw[64] ^ 1])
    assert _answer(target, high.hex()) == (
        403,
        "Failed verify signature: Signature s value is over half the order",
    )


def test_a_signature_over_another_message_recovers_another_signer(target: Target) -> None:
    signature = target.server_key.sign(encode_payload({"msgtype": "getcolonymsg"}))
    assert _answer(target, signature) == (403, "Access denied, not server owner")


def test_a_stranger_is_not_the_server_owner(target: Target) -> None:
    stranger = PrivateKey.generate()
    assert target.fails(stranger, "getcoloniesmsg") == (403, "Access denied, not server owner")
