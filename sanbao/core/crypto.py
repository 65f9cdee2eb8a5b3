"""Pluggable cryptography: field cipher, keyed lookup hash, and digest functions.

GB/T 39786-2021 expects SM3/SM4 in government systems, so each primitive is
chosen by name in settings: ``SANBAO_FIELD_CIPHER`` (a class path) and
``SANBAO_AUDIT_HASH`` (``sha256`` or ``sm3``; SM3 comes from OpenSSL via hashlib).
"""

import base64
import hashlib
import hmac
import os
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

DIGESTS = {"sha256", "sm3"}


def digest(name: str, data: bytes) -> str:
    """Hex digest of ``data`` with the named algorithm."""
    if name not in DIGESTS:
        raise ImproperlyConfigured(f"Unknown digest {name!r}; choose one of {sorted(DIGESTS)}")
    return hashlib.new(name, data).hexdigest()


@cache
def _master_key() -> bytes:
    key = base64.b64decode(settings.FIELD_ENCRYPTION_KEY)
    if len(key) != 32:
        raise ImproperlyConfigured("SANBAO_FIELD_KEY must be 32 bytes, base64-encoded")
    return key


def _derived_key(purpose: bytes) -> bytes:
    return hmac.new(_master_key(), purpose, hashlib.sha256).digest()


def lookup_hash(value: str) -> str:
    """Keyed hash for exact-match lookup of an identifier without storing it in clear."""
    return hmac.new(_derived_key(b"lookup"), value.encode(), hashlib.sha256).hexdigest()


class AesGcmCipher:
    """AES-256-GCM with a random 96-bit nonce; output is ``v1:`` + base64(nonce|ciphertext)."""

    prefix = "v1:"

    def __init__(self) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._aead = AESGCM(_derived_key(b"field-cipher"))

    def encrypt(self, plaintext: str) -> str:
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), None)
        return self.prefix + base64.b64encode(nonce + sealed).decode()

    def decrypt(self, token: str) -> str:
        raw = base64.b64decode(token.removeprefix(self.prefix))
        return self._aead.decrypt(raw[:12], raw[12:], None).decode()


@cache
def field_cipher():
    return import_string(settings.SANBAO_FIELD_CIPHER)()
