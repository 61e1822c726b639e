"""Every vector of protocol section 2.5, plus the rejections the server makes (2.4)."""

from __future__ import annotations

import base64
import hashlib
import pickle

import pytest

from colonies.crypto import (
    InvalidKeyError,
    InvalidSignatureError,
    PrivateKey,
    derive_id,
    generate_private_key,
    recover_id,
    sign,
    verify,
)

K1 = "6d2fb6f546bacfd98c68769e61e0b44a697a30596c018a50e28200aa59b01c0a"
K2 = "0000000000000000000000000000000000000000000000000000000000000001"
K3 = "abf8958201382d444a8555997078cee882edd34096a4485a8d403430ff46f246"
IDS = {
    K1: "4fef2b5a82d134d058c1883c72d6d9caf77cd59ca82d73105017590dea3dcb87",
    K2: "2036f5bc759cfb3589fb4e2342bc9b3c843c5ef27dc8ded538de328a7567089b",
    K3: "b8f81d04e05e7e582071be7d5dd011bc0b150354aae98ef8c48080cc1cf3bb10",
}
PUBLIC_KEYS = {
    K1: "0408e903276ee7973666dceeefa5335e5c4b6b5989821906db98f8de8acf8f853824ca3234a8602200baa2d75f30cb2050cda18602824c3eb2da654a93a01a7ad4",
    K2: "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8",
    K3: "042a040abaa0a9b470408d0a631360b4ac939366e6e933460ac67d1d467464a5540002f5367fd5516a742d4565128627f2dd3dbd338eec714b93794c592cab5218",
}
M1 = "eyJtc2d0eXBlIjoiZ2V0Y29sb25pZXNtc2cifQ=="
M2 = "eyJwcm9jZXNzaWQiOiIwMTIzIiwibXNndHlwZSI6ImdldHByb2Nlc3Ntc2cifQ=="
SIGNATURES = [
    (
        K1,
        M1,
        "6b76a4590b85557e5fcdfe5a2ad886b09b057318fa750e67fef832b60cd1f819506c54a73a1f077db0a916b0f764e7263c04f4afd777317fa75ce2e0f168892301",
    ),
    (
        K2,
        M1,
        "f552ddd95be2f22cd5ee85a8d8e05668985221cedaf70c89ec2d240bda91192677abff0883021f52ff093bd7df8b699aab715ddcbadcf9eaf3cf858fda8dab1c00",
    ),
    (
        K3,
        M1,
        "527bd8d85735aac703a9b23541cabec510cde9a9d53909a8fe9c8d554d5739e12c017501d0b66f3ff69b4402529b7a5533a084074525afb76818315bd465e8ce00",
    ),
    (
        K1,
        M2,
        "bfef5288bdb26b3f710b7ac71b1b8067f49b0b42f1df803881c9adb63d7b381006f4d455317d7feed0f13d06661af322168abc520d2866148bad0fc44499843601",
    ),
    (
        K2,
        M2,
        "faf6f0babdbba91816444e4796525d331297f3689797c0e9ef1a555a46b0e99157e4bab3acc19e349cc7141296a5c6f98739d70e9ee4d3585b16a32fdf677dcc01",
    ),
    (
        K3,
        M2,
        "dc3d93997cc9ce9b8e313a39b8fa9ada45f849eb9ae49097d5505670d1390ba63d607a8b758f5a32435c24d73711261ab0cf2a178e44d175bd1aa5687cf0f14a01",
    ),
    (
        K1,
        "hello",
        "fd89b449020c50c7fadb6efca7da15b47e3375a71d63729d9b70c0f4f66380547d32d8fc5526bfaef013b5caeeb1de911a0d3c829a72c20ad920130953a60a8b01",
    ),
    (
        K1,
        "",
        "35a70d8d800c6551e7cf51fc58933fa4b5fa1b405117b5e8862361d051d7224a06af16d9cad937ce6334aba4478bd479d3ff8ce9fa3ca4293c984553ed09857e01",
    ),
    (
        K2,
        "hello",
        "24ea2d66a639d2b8c973094911a1b5d9ccdb6ee48d94487ecda2407edbbf6f4513bed23538ec23b13926dc510694564e20639fc4edea1c6c02558d8d2dd24d8c01",
    ),
    (
        K3,
        "hello",
        "a7c9a0d80439838be73aa82c8db558b17e8d6300fef6f5cf82ee28560cf7be4847c59e8e7317365cf689888681c53df44d7ec96d65309ceb2113cce602794ca401",
    ),
]
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def test_sha3_is_fips_202_not_keccak() -> None:
    assert (
        hashlib.sha3_256(b"hello world").hexdigest()
        == "644bcc7e564373040999aac89e7622f3ca71fba1d972fd94a31c3bfbf24e3938"
    )


@pytest.mark.parametrize(("key", "expected"), list(IDS.items()))
def test_private_key_to_id(key: str, expected: str) -> None:
    assert derive_id(key) == expected
    assert PrivateKey(key.upper()).id == expected


@pytest.mark.parametrize(("key", "public_key"), list(PUBLIC_KEYS.items()))
def test_public_key_is_the_uncompressed_sec1_point(key: str, public_key: str) -> None:
    assert PrivateKey(key).public_key_hex() == public_key
    assert hashlib.sha3_256(public_key.encode()).hexdigest() == IDS[key]


def test_id_hashes_hex_text_with_sha3_not_keccak_or_raw_bytes() -> None:
    ident = derive_id(K1)
    assert ident != "5c31d200ba97e135a1306fe8642340f3e74016677ed1eaa7529318a0e5e561ce"  # Keccak
    assert ident != "83010bc027ca579407583b70bf07520ab99785cc028adb5d09c0815763c73263"  # raw bytes


@pytest.mark.parametrize(("key", "message", "expected"), SIGNATURES)
def test_signatures_match_the_go_client(key: str, message: str, expected: str) -> None:
    assert sign(message, key) == expected
    assert sign(message, key) == expected  # deterministic
    assert recover_id(message, expected) == IDS[key]
    assert recover_id(message, expected.upper()) == IDS[key]
    assert verify(message, expected, IDS[key])


def test_m1_is_the_getcolonies_message() -> None:
    assert base64.b64decode(M1) == b'{"msgtype":"getcoloniesmsg"}'


def test_signature_over_another_message_recovers_another_id() -> None:
    signature = sign(M1, K1)
    assert recover_id(M2, signature) != IDS[K1]
    assert not verify(M2, signature, IDS[K1])


@pytest.mark.parametrize(
    ("signature", "message"),
    [
        ("", "Invalid signature length"),
        ("00" * 64, "Invalid signature length"),
        ("0x" + "00" * 64, "encoding/hex: invalid byte: U+0078 'x'"),
        ("abc", "encoding/hex: odd length hex string"),
    ],
)
def test_malformed_signatures_get_the_server_messages(signature: str, message: str) -> None:
    with pytest.raises(InvalidSignatureError) as excinfo:
        recover_id(M1, signature)
    assert str(excinfo.value) == message


@pytest.mark.parametrize(("v", "code"), [(27, 54), (28, 55)])
def test_ethereum_style_recovery_ids_are_refused(v: int, code: int) -> None:
    signature = sign(M1, K1)[:128] + f"{v:02x}"
    with pytest.raises(InvalidSignatureError) as excinfo:
        recover_id(M1, signature)
    assert str(excinfo.value) == (
        "Failed to recover public key: invalid signature: public key recovery code "
        f"{code} is not in the valid range [27, 34]"
    )


def test_high_s_signature_is_refused() -> None:
    signature = bytes.fromhex(sign(M1, K1))
    r, s, v = signature[:32], int.from_bytes(signature[32:64], "big"), signature[64]
    flipped = r + (N - s).to_bytes(32, "big") + bytes([v ^ 1])
    with pytest.raises(InvalidSignatureError) as excinfo:
        recover_id(M1, flipped.hex())
    assert str(excinfo.value) == "Failed verify signature: Signature s value is over half the order"


@pytest.mark.parametrize(
    "bad",
    ["", "00" * 31, "00" * 33, "zz" * 32, "00" * 32, f"{N:064x}", f"{N + 1:064x}"],
)
def test_bad_private_keys_raise_clear_errors(bad: str) -> None:
    with pytest.raises(InvalidKeyError):
        PrivateKey(bad)


def test_key_never_shows_in_repr_str_errors_or_pickles() -> None:
    key = PrivateKey(K3)
    for text in (repr(key), str(key), f"{key}", repr([key])):
        assert K3 not in text
        assert K3.upper() not in text
    with pytest.raises(TypeError) as excinfo:
        pickle.dumps(key)
    assert K3 not in str(excinfo.value)
    almost = K3[:-1] + "g"
    with pytest.raises(InvalidKeyError) as bad:
        PrivateKey(almost)
    assert almost not in str(bad.value)
    assert key.hex() == K3


def test_generated_keys_are_valid_and_distinct() -> None:
    keys = {generate_private_key() for _ in range(20)}
    assert len(keys) == 20
    for key in keys:
        assert len(PrivateKey(key).id) == 64
