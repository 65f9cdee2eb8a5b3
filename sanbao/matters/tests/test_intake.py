import re

import pytest
from django.db import connection

from sanbao.audit.models import AuditEvent
from sanbao.core.crypto import lookup_hash
from sanbao.core.errors import PermissionDenied, ValidationFailed
from sanbao.matters import actions
from sanbao.matters.models import Matter, MatterCodeCounter, MatterEvent
from sanbao.matters.tests.factories import (
    applicant,
    default_category,
    invalid_resident_id,
    make_matter,
    resident_id,
    user,
)
from sanbao.matters.tests.helpers import audit_since, last_seq
from sanbao.org.models import Area

pytestmark = pytest.mark.django_db


def test_register_issues_readable_code_and_writes_one_event_and_one_audit_row():
    start = last_seq()
    matter = make_matter()
    assert re.fullmatch(r"JF-360921101-\d{4}-\d{6}", matter.code)
    assert matter.state == "registered" and matter.status == "open" and matter.version == 1
    assert matter.area_code == "360921101001"
    assert matter.owner_unit == user("qingshan.clerk").unit
    rows = audit_since(start)
    assert [row.event_code for row in rows] == ["matters.registered"]
    assert rows[0].object_id == str(matter.pk)
    assert rows[0].after["code"] == matter.code and rows[0].after["parties"] == 1
    # The audit row and the timeline never hold the party's identifiers.
    assert "13812345678" not in str(rows[0].after)
    event = MatterEvent.objects.get(matter=matter)
    assert event.verb == "register" and event.to_state == "registered"


def test_codes_follow_each_other_per_kind_township_and_year():
    first, second = make_matter(), make_matter()
    assert int(second.code[-6:]) == int(first.code[-6:]) + 1
    petition = make_matter(kind="petition")
    assert petition.code.startswith("XF-360921101-")
    counter = MatterCodeCounter.objects.get(prefix=second.code[:-7])
    assert counter.last_number == int(second.code[-6:])


def test_party_identifiers_are_encrypted_and_hashed():
    matter = make_matter()
    party = matter.parties.get()
    assert party.id_number == resident_id() and party.phone == "13812345678"
    assert party.id_number_hash == lookup_hash(resident_id())
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, address FROM matters_party WHERE id = %s", [party.pk])
        stored = cursor.fetchone()
    assert all(value.startswith("v1:") for value in stored)
    assert resident_id() not in "".join(stored)
    assert party.masked_id_number == "360921********" + resident_id()[-4:]
    assert party.masked_phone == "138****5678"
    assert party.masked_name == "张**"


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"id_number": invalid_resident_id()}, "parties[0].id_number"),
        ({"id_number": "360921198502300012"}, "parties[0].id_number"),
        ({"phone": "1381234567"}, "parties[0].phone"),
        ({"name": ""}, "parties[0].name"),
        ({"role": "witness"}, "parties[0].role"),
    ],
)
def test_bad_party_input_names_the_field_and_writes_nothing(override, field):
    before = Matter.objects.count(), last_seq()
    with pytest.raises(ValidationFailed) as error:
        make_matter(parties=[applicant(**override)])
    assert error.value.field == field
    assert (Matter.objects.count(), last_seq()) == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"narrative": "x" * 5001}, "narrative"),
        ({"people_count": 0}, "people_count"),
        ({"source_channel": "pigeon"}, "source_channel"),
    ],
)
def test_bad_matter_input_names_the_field_and_writes_nothing(fields, field):
    before = Matter.objects.count(), last_seq()
    with pytest.raises(ValidationFailed) as error:
        make_matter(**fields)
    assert error.value.field == field
    assert (Matter.objects.count(), last_seq()) == before


def test_category_of_another_kind_is_refused():
    with pytest.raises(ValidationFailed) as error:
        make_matter(category=default_category("petition"))
    assert error.value.field == "category"


def test_clerk_cannot_register_outside_own_township_and_handler_cannot_register():
    with pytest.raises(ValidationFailed) as error:
        make_matter(area_code="360921102001")
    assert error.value.field == "area"
    before = Matter.objects.count()
    with pytest.raises(PermissionDenied):
        make_matter("qingshan.justice.handler")
    assert Matter.objects.count() == before
    assert AuditEvent.objects.order_by("-seq").first().event_code == "auth.permission_denied"


def test_full_width_id_number_is_normalised():
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in resident_id())
    matter = make_matter(parties=[applicant(id_number=full_width)])
    assert matter.parties.get().id_number == resident_id()


def test_update_corrects_details_and_audits_old_and_new_values():
    matter = make_matter()
    start = last_seq()
    updated = actions.update_matter(
        matter,
        actor=user("qingshan.director"),
        changes={"title": "排水沟纠纷", "risk_level": "medium"},
        tags=["汛期"],
        expected_version=1,
    )
    assert updated.title == "排水沟纠纷" and updated.version == 2
    [row] = audit_since(start)
    assert row.event_code == "matters.updated"
    assert row.before == {"title": "邻里排水沟堵塞纠纷", "risk_level": "low", "tags": []}
    assert row.after == {"title": "排水沟纠纷", "risk_level": "medium", "tags": ["汛期"], "version": 2}


def test_update_refuses_read_only_fields():
    matter = make_matter()
    with pytest.raises(ValidationFailed) as error:
        actions.update_matter(matter, actor=user("qingshan.clerk"), changes={"area": Area.objects.first()})
    assert error.value.field == "area"
