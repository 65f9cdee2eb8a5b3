"""Model fields for personal data: stored encrypted, decrypted only when read in code."""

from django.db import models

from sanbao.core.crypto import field_cipher


class EncryptedTextField(models.TextField):
    """Text encrypted at rest with the configured field cipher.

    Not searchable; pair it with a keyed-hash column (``crypto.lookup_hash``)
    where exact-match lookup is needed.
    """

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return field_cipher().decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return field_cipher().encrypt(value)
