"""Concurrent writers: the chain-head lock hands out seq values one at a time."""

import threading

import pytest
from django.db import connection

from sanbao.audit.actions import record_event
from sanbao.audit.models import AuditEvent
from sanbao.audit.verify import verify_chain

THREADS = 6
EVENTS_PER_THREAD = 15


@pytest.mark.django_db(transaction=True)
def test_threads_recording_at_once_leave_a_contiguous_verifiable_chain():
    start = threading.Barrier(THREADS)
    errors = []

    def writer(number: int) -> None:
        try:
            start.wait()
            for index in range(EVENTS_PER_THREAD):
                record_event("auth.login", actor_username=f"thread{number}", after={"index": index})
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)
        finally:
            connection.close()

    before = AuditEvent.objects.count()
    threads = [threading.Thread(target=writer, args=(number,)) for number in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert len(seqs) == before + THREADS * EVENTS_PER_THREAD
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    result = verify_chain()
    assert result.ok, result
    assert result.checked == len(seqs)
