"""Hash-chain arithmetic shared by writing and verifying."""

import json
from datetime import UTC

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from sanbao.core.crypto import digest

GENESIS = "genesis"


def normalise_json(value):
    """Round-trip through JSON so what is hashed equals what the database returns."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def canonical_payload(event) -> bytes:
    fields = {
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
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(event, algorithm: str | None = None) -> str:
    """``<algorithm>:<hex>``; the algorithm is stored so a later switch (e.g. to SM3) still verifies."""
    algorithm = algorithm or settings.SANBAO_AUDIT_HASH
    return f"{algorithm}:{digest(algorithm, canonical_payload(event))}"


def hash_matches(event) -> bool:
    algorithm = event.hash.split(":", 1)[0]
    return compute_hash(event, algorithm) == event.hash
