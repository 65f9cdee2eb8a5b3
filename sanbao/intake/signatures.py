"""The duplicate index of matters and the candidates shown while a clerk types.

``index_signature(matter)`` rewrites the matter's LSH bands (``MinHashBand``)
from its title and narrative; the matters verbs reach it through
``sanbao.intake.search.index_matter``, inside their transaction, so the
index commits or rolls back with the change. ``candidates_for_draft`` finds
matters the user may see that share a band with the text being typed, the
same person (keyed hash of an ID number or phone) or the same organisation,
and decides each pair with ``dedupe.decide``.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q, prefetch_related_objects
from django.urls import reverse

from sanbao.core.crypto import lookup_hash
from sanbao.core.errors import ValidationFailed
from sanbao.intake.dedupe import Decision, bands_for, decide, fingerprint
from sanbao.intake.models import DuplicateLink, MinHashBand
from sanbao.intake.normalise import normalise_text
from sanbao.matters.choices import PartyType
from sanbao.matters.models import Matter, Party
from sanbao.matters.models.matters import party_names
from sanbao.matters.personal import normalise as normalise_identifier
from sanbao.matters.personal import validate_phone

# Rows read from the band index per lookup: a band shared by thousands of
# matters (boilerplate) must not make a lookup slow; the best-shared come first anyway.
MAX_BAND_ROWS = 3000
MAX_CANDIDATES = 40
SHOWN = 8
BATCH = 2000


def index_signature(matter: Matter) -> None:
    """Rewrite the LSH bands of ``matter`` from its current title and narrative."""
    bands = bands_for(matter.title, matter.narrative)
    MinHashBand.objects.filter(matter_id=matter.pk).delete()
    MinHashBand.objects.bulk_create([MinHashBand(key=key, matter_id=matter.pk) for key in set(bands)])


def reindex_signatures(batch: int = BATCH) -> int:
    """Rebuild every matter's bands; returns the number of matters indexed."""
    count, last_id = 0, 0
    with transaction.atomic():
        MinHashBand.objects.all().delete()
        while True:
            rows = list(
                Matter.objects.filter(pk__gt=last_id).order_by("pk").values_list("pk", "title", "narrative")[:batch]
            )
            if not rows:
                return count
            MinHashBand.objects.bulk_create(
                [
                    MinHashBand(key=key, matter_id=pk)
                    for pk, title, narrative in rows
                    for key in set(bands_for(title, narrative))
                ],
                batch_size=5000,
            )
            count += len(rows)
            last_id = rows[-1][0]


@dataclass
class Candidate:
    """An earlier matter that may be the same as the draft, with why."""

    matter: Matter
    decision: Decision | None
    same_person: bool = False
    same_organisation: bool = False
    band_hits: int = 0
    links: list = field(default_factory=list)
    # Both sides name people by ID number or phone and none is shared: another person's matter, however
    # alike the words (a co-worker's own wage claim). A repeat submission (重复件) is the same person's.
    other_person: bool = False

    @property
    def likely_same(self) -> bool:
        return bool(self.decision and self.decision.same and not self.other_person)

    @property
    def url(self) -> str:
        return reverse("matters:matter_detail", args=[self.matter.code])

    def as_dict(self) -> dict:
        decision = self.decision
        return {
            "code": self.matter.code,
            "title": self.matter.listed_title,
            "status": self.matter.status,
            "received_at": self.matter.received_at.isoformat(),
            "likely_same": self.likely_same,
            "similarity": decision.score if decision else 0.0,
            "same_person": self.same_person,
            "same_organisation": self.same_organisation,
            "other_person": self.other_person,
            "differences": decision.reasons() if decision else [],
        }


@dataclass(frozen=True)
class Draft:
    """What the intake form holds so far."""

    title: str = ""
    narrative: str = ""
    id_numbers: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return len((self.title + self.narrative).strip()) < 6 and not (self.id_numbers or self.phones)


def _band_candidates(keys: list[int]) -> Counter:
    rows = MinHashBand.objects.filter(key__in=keys).values_list("matter_id", flat=True)[:MAX_BAND_ROWS]
    return Counter(rows)


def _identifiers(draft: Draft) -> set[str]:
    """ID numbers and phones in the form the matters app hashes them (invalid ones are skipped)."""
    found = {normalise_identifier(value) for value in draft.id_numbers if value.strip()}
    for value in draft.phones:
        try:
            found.add(validate_phone(normalise_text(value)))
        except ValidationFailed:
            continue
    return found


def _people_identified(matter_ids) -> dict[int, set[str]]:
    """The keyed hashes of the ID numbers and phones of each matter's people (one query)."""
    rows = Party.objects.filter(matter_id__in=matter_ids, party_type=PartyType.PERSON).values_list(
        "matter_id", "id_number_hash", "phone_hash"
    )
    people: dict[int, set[str]] = {}
    for matter_id, *hashes in rows:
        people.setdefault(matter_id, set()).update(value for value in hashes if value)
    return people


def _party_candidates(hashes: set[str], draft: Draft) -> tuple[set[int], set[int]]:
    same_person: set[int] = set()
    if hashes:
        same_person = set(
            Party.objects.filter(Q(id_number_hash__in=hashes) | Q(phone_hash__in=hashes)).values_list(
                "matter_id", flat=True
            )[:MAX_CANDIDATES]
        )
    same_organisation: set[int] = set()
    names = [name.strip() for name in draft.organisations if len(name.strip()) >= 4]
    if names:
        same_organisation = set(
            Party.objects.filter(party_type=PartyType.ORGANISATION, name__in=names).values_list("matter_id", flat=True)[
                :MAX_CANDIDATES
            ]
        )
    return same_person, same_organisation


def candidates_for_draft(user, draft: Draft, *, exclude_id: int | None = None, shown: int = SHOWN) -> list[Candidate]:
    """Matters ``user`` may see that may be the same as ``draft``, the likeliest first."""
    if draft.is_empty():
        return []
    draft_print = fingerprint(None, draft.title, draft.narrative)
    hits = _band_candidates(draft_print.band_keys)
    hashes = {lookup_hash(value) for value in _identifiers(draft)}
    same_person, same_organisation = _party_candidates(hashes, draft)
    ids = {pk for pk, _count in hits.most_common(MAX_CANDIDATES)} | same_person | same_organisation
    ids.discard(exclude_id)
    if not ids:
        return []
    matters = (
        Matter.objects.visible_to(user)
        .filter(pk__in=ids)
        .only("id", "code", "title", "narrative", "status", "state", "kind", "received_at", "area_code", "repeat_count")
    )
    people = _people_identified(ids) if hashes else {}
    candidates = []
    for matter in matters:
        decision = (
            decide(draft_print, fingerprint(matter.pk, matter.title, matter.narrative)) if hits[matter.pk] else None
        )
        known = people.get(matter.pk, set())
        candidates.append(
            Candidate(
                matter,
                decision,
                matter.pk in same_person,
                matter.pk in same_organisation,
                hits[matter.pk],
                other_person=bool(known) and not known & hashes,
            )
        )
    candidates.sort(
        key=lambda item: (
            not item.likely_same,
            not (item.same_person or item.same_organisation),
            -(item.decision.score if item.decision else 0.0),
            -item.matter.pk,
        )
    )
    shown_candidates = candidates[:shown]
    prefetch_related_objects([item.matter for item in shown_candidates], party_names())  # masked titles
    return shown_candidates


def candidates_for_matter(user, matter: Matter) -> list[Candidate]:
    """Candidates for a registered matter (its page), with the decisions already taken about each."""
    parties = list(matter.parties.all())
    draft = Draft(
        title=matter.title,
        narrative=matter.narrative,
        id_numbers=tuple(party.id_number for party in parties if party.id_number),
        phones=tuple(party.phone for party in parties if party.phone),
        organisations=tuple(party.name for party in parties if party.party_type == PartyType.ORGANISATION),
    )
    candidates = candidates_for_draft(user, draft, exclude_id=matter.pk)
    links = DuplicateLink.objects.touching(matter).active()
    by_other: dict[int, list] = {}
    for link in links:
        other = link.original_id if link.submission_id == matter.pk else link.submission_id
        by_other.setdefault(other, []).append(link)
    for candidate in candidates:
        candidate.links = by_other.get(candidate.matter.pk, [])
    return candidates
