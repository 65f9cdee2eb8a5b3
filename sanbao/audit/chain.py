"""Hash-chain arithmetic shared by writing, verifying and exporting.

Each row's hash is ``<algorithm>:<hex digest>`` of its canonical payload: a
compact, key-sorted JSON object of every column except the hash itself,
including ``prev_hash``. Values are normalised before hashing to exactly what
the database will return, so a freshly read row verifies on SQLite and
PostgreSQL alike.
"""

import ipaddress
import json
from datetime import UTC

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.ipv6 import clean_ipv6_address

from sanbao.core.crypto import digest

GENESIS = "genesis"


def normalise_json(value):
    """Round-trip through JSON so what is hashed equals what the database returns."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def normalise_ip(value: str | None) -> str | None:
    """The address as the database stores it (IPv6 compressed), or None when it is not an address.

    GenericIPAddressField rewrites IPv6 on save; hashing the raw header value
    would make an honest row fail verification.
    """
    value = (value or "").strip()
    if not value:
        return None
    try:
        if ":" in value:
            return clean_ipv6_address(value)
        return str(ipaddress.IPv4Address(value))
    except (ValueError, ValidationError):
        return None


def canonical_fields(event) -> dict:
    """Every hashed column of ``event``, as JSON-ready values (also the JSONL export format)."""
    return {
        "seq": event.seq,
        "time": event.time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": event.actor_id,
        "actor_username": event.actor_username,
        "unit": event.unit_id,
        "event_code": event.event_code,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "area_code": event.area_code,
        "before": event.before,
        "after": event.after,
        "request_id": event.request_id,
        "client_ip": event.client_ip,
        "success": event.success,
        "prev_hash": event.prev_hash,
    }


def canonical_payload(fields: dict) -> bytes:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(event, algorithm: str | None = None) -> str:
    """``<algorithm>:<hex>``; the algorithm is stored so a later switch (e.g. to SM3) still verifies."""
    algorithm = algorithm or settings.SANBAO_AUDIT_HASH
    return f"{algorithm}:{digest(algorithm, canonical_payload(canonical_fields(event)))}"


def hash_matches(event) -> bool:
    """True when the stored hash is the digest of the row's content under the stored algorithm."""
    algorithm, separator, _ = event.hash.partition(":")
    if not separator:
        return False
    try:
        return compute_hash(event, algorithm) == event.hash
    except ImproperlyConfigured:  # an algorithm Sanbao never writes: the hash was tampered with
        return False
