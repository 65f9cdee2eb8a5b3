"""Delivering notifications beyond the in-app inbox: pluggable SMS / e-mail backends.

``NOTIFICATION_BACKENDS`` (see ``conf``) lists dotted paths of classes with a
``send(messages)`` method taking a list of ``OutgoingMessage``. The default
console backend prints them, like Django's console e-mail backend; a site
plugs in its SMS gateway or mail relay by adding a class. Nothing here calls
out to the internet by itself.
"""

import sys
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from sanbao.deadlines import conf
from sanbao.deadlines.models import Notification

BATCH = 500


@dataclass(frozen=True)
class OutgoingMessage:
    username: str
    phone: str
    email: str
    text: str
    link: str


class ConsoleBackend:
    """Writes each message to standard output (the default; for development and demos)."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stdout

    def send(self, messages: list[OutgoingMessage]) -> None:
        for message in messages:
            recipient = f"{message.username} {message.phone}".strip()
            self.stream.write(f"[notice → {recipient}] {message.text} {message.link}\n")
        self.stream.flush()


class EmailBackend:
    """Sends each message by e-mail through Django's configured mail backend (users with an address only)."""

    def send(self, messages: list[OutgoingMessage]) -> None:
        for message in messages:
            if message.email:
                send_mail("Sanbao", f"{message.text}\n{message.link}", None, [message.email])


class LocmemBackend:
    """Keeps messages in ``LocmemBackend.outbox`` (for tests)."""

    outbox: list[OutgoingMessage] = []

    def send(self, messages: list[OutgoingMessage]) -> None:
        LocmemBackend.outbox.extend(messages)


def _messages(rows: list[Notification]) -> list[OutgoingMessage]:
    # Texts go out in the site language; the inbox renders each reader's own.
    with translation.override(settings.LANGUAGE_CODE):
        return [_message(row) for row in rows]


def _message(row: Notification) -> OutgoingMessage:
    person = row.recipient
    return OutgoingMessage(person.username, person.phone, person.email, row.text, row.link)


def deliver_pending(limit: int = BATCH) -> int:
    """Send up to ``limit`` undelivered notifications through every backend; returns how many.

    Rows are marked delivered in the same transaction, so a delivery is not
    repeated by the next run (at-least-once if a backend fails half-way).
    """
    backends = [import_string(path)() for path in conf.notification_backends()]
    with transaction.atomic():
        pending = Notification.objects.select_for_update(of=("self",)).filter(delivered_at__isnull=True)
        rows = list(pending.select_related("recipient").order_by("id")[:limit])
        if not rows:
            return 0
        messages = _messages(rows)
        for backend in backends:
            backend.send(messages)
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(delivered_at=timezone.now())
    return len(rows)
