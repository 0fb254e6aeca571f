"""Ed25519 keys for monitors and for the ledger: create, encode, sign, verify.

Keys are Ed25519 (RFC 8032) through the ``cryptography`` package. A public key
travels as 64 hex characters (its 32 raw bytes); a signature as 128 hex
characters; a private key as an unencrypted PKCS#8 PEM file. A key's id is the
first 16 hex characters of SHA-256 over its raw public bytes.

>>> key = private_key_from_seed(bytes(32))
>>> pub = public_key_hex(key)
>>> pub
'3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29'
>>> sig = sign(key, b"hello")
>>> verify(pub, sig, b"hello"), verify(pub, sig, b"hellO")
(True, False)
>>> key_id(pub)
'139e3940e64b5491'
"""

from __future__ import annotations

import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from accord.errors import AccordError

__all__ = [
    "Ed25519PrivateKey", "generate_private_key", "key_id", "private_key_from_pem",
    "private_key_from_seed", "private_key_pem", "private_key_seed_hex", "public_key_hex", "sign",
    "verify",
]


def generate_private_key() -> Ed25519PrivateKey:
    """A fresh random Ed25519 private key."""
    return Ed25519PrivateKey.generate()


def private_key_from_seed(seed: bytes) -> Ed25519PrivateKey:
    """The private key with this 32-byte seed (deterministic; used for the demo monitors)."""
    if len(seed) != 32:
        raise AccordError(f"an Ed25519 seed has 32 bytes, not {len(seed)}")
    return Ed25519PrivateKey.from_private_bytes(seed)


def private_key_seed_hex(key: Ed25519PrivateKey) -> str:
    """The 32-byte seed of a private key, in hex (keep it secret)."""
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return raw.hex()


def private_key_pem(key: Ed25519PrivateKey) -> bytes:
    """A private key as an unencrypted PKCS#8 PEM block."""
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def private_key_from_pem(data: bytes, where: str = "key file") -> Ed25519PrivateKey:
    """Read a PEM private key (PKCS#8), or a bare 64-hex-character seed."""
    text = data.strip()
    if len(text) == 64:
        try:
            return private_key_from_seed(bytes.fromhex(text.decode("ascii")))
        except (ValueError, UnicodeDecodeError):
            pass
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as e:
        raise AccordError(f"{where}: not an unencrypted PEM private key ({e})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise AccordError(f"{where}: not an Ed25519 key")
    return key


def public_key_hex(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The raw 32-byte public key, hex-encoded."""
    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def _public_key(public_hex: str) -> Ed25519PublicKey:
    try:
        raw = bytes.fromhex(public_hex)
    except ValueError:
        raise AccordError(f"public key {public_hex[:20]!r}: not hex") from None
    if len(raw) != 32:
        raise AccordError(f"an Ed25519 public key has 32 bytes (64 hex characters), not {len(raw)}")
    return Ed25519PublicKey.from_public_bytes(raw)


def check_public_key_hex(public_hex: str) -> str:
    """``public_hex`` lower-cased, after checking it is a 32-byte Ed25519 public key."""
    _public_key(public_hex.strip())
    return public_hex.strip().lower()


def key_id(public_hex: str) -> str:
    """A short, stable name for a public key: 16 hex characters of its SHA-256."""
    return hashlib.sha256(bytes.fromhex(public_hex)).hexdigest()[:16]


def sign(key: Ed25519PrivateKey, message: bytes) -> str:
    """The Ed25519 signature of ``message``, hex-encoded (deterministic, RFC 8032)."""
    return key.sign(message).hex()


def verify(public_hex: str, signature_hex: str, message: bytes) -> bool:
    """Whether ``signature_hex`` is a valid signature of ``message`` by ``public_hex``."""
    try:
        sig = bytes.fromhex(signature_hex)
        pub = _public_key(public_hex)
    except (ValueError, AccordError):
        return False
    if len(sig) != 64:
        return False
    try:
        pub.verify(sig, message)
    except InvalidSignature:
        return False
    return True
