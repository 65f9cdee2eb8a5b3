"""Verbs of time-limit rules: an edit writes a new version and makes it current.

Deadlines keep the rule version they were computed with, so an edit never
moves a running deadline; only clocks started afterwards use the new values.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanbao.audit.actions import record_event
from sanbao.core.errors import ValidationFailed
from sanbao.deadlines import events
from sanbao.deadlines.choices import PauseReason
from sanbao.deadlines.models import TimeLimitRule
from sanbao.deadlines.policy import check_can_manage_calendar

EDITABLE_FIELDS = (
    "name", "amount", "unit", "pause_events", "stop_states", "extension_cap", "extension_approver_role",
    "warn_share", "warn_working_days", "escalates", "basis",
)


def _normalise(field: str, value):
    if field == "warn_share":
        try:
            return Decimal(str(value)).quantize(Decimal("0.01"))
        except InvalidOperation as error:
            raise ValidationFailed(_("Enter a share between 0.05 and 1."), field=field) from error
    if field in ("pause_events", "stop_states"):
        if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
            raise ValidationFailed(_("Enter a list of names."), field=field)
        return sorted({item.strip() for item in value if item.strip()})
    return value


def _check_pauses(rule: TimeLimitRule) -> None:
    unknown = set(rule.pause_events) - set(PauseReason.values)
    if unknown:
        message = _("Unknown pause event: %(events)s") % {"events": ", ".join(sorted(unknown))}
        raise ValidationFailed(message, field="pause_events")


def _validate(rule: TimeLimitRule) -> None:
    _check_pauses(rule)
    try:
        rule.full_clean(exclude=["key", "version", "is_current", "created_by"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ValidationFailed(" ".join(messages), field=field) from error


def load_default_rules(*, actor) -> list[str]:
    """Create version 1 of every shipped rule (``defaults.DEFAULT_RULES``) whose key has no version yet.

    Migration 0003 loads them on a fresh database; this verb restores them
    where a database lost them (a flushed test database). Returns the keys added.
    """
    from sanbao.deadlines.defaults import DEFAULT_RULES

    check_can_manage_calendar(actor)
    with transaction.atomic():
        existing = set(TimeLimitRule.objects.values_list("key", flat=True))
        missing = [rule for rule in DEFAULT_RULES if rule["key"] not in existing]
        if not missing:
            return []
        TimeLimitRule.objects.bulk_create(TimeLimitRule(version=1, is_current=True, **rule) for rule in missing)
        keys = [rule["key"] for rule in missing]
        record_event(events.RULES_LOADED, actor=actor, after={"keys": keys})
    return keys


def edit_rule(*, actor, key: str, changes: dict, note: str = "") -> TimeLimitRule:
    """Write version n+1 of rule ``key`` with ``changes`` and make it current.

    Only the system administrator may call it. Audited as ``deadlines.rule_edited``
    with the changed fields before and after.
    """
    check_can_manage_calendar(actor)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        message = _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        raise ValidationFailed(message, field=sorted(unknown)[0])
    with transaction.atomic():
        current = TimeLimitRule.objects.select_for_update().filter(key=key, is_current=True).first()
        if current is None:
            message = _("There is no rule %(key)s.") % {"key": key}
            raise ValidationFailed(message, code="not_found", field="key")
        changed = {field: _normalise(field, value) for field, value in changes.items()}
        changed = {field: value for field, value in changed.items() if getattr(current, field) != value}
        if not changed:
            raise ValidationFailed(_("Nothing was changed."), code="no_change")
        before = {field: getattr(current, field) for field in changed}
        new = TimeLimitRule.objects.get(pk=current.pk)
        new.pk, new.version = None, current.version + 1
        new.created_by, new.change_note = actor, note.strip()[:200]
        for field, value in changed.items():
            setattr(new, field, value)
        _validate(new)
        current.is_current = False
        current.save(update_fields=["is_current"])
        new.save(force_insert=True)
        record_event(events.RULE_EDITED, actor=actor, target=new,
                     before={"version": current.version, **before}, after={"version": new.version, **changed})
    return new
