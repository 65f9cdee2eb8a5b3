"""Verbs on the category dictionaries: publish a new version of a kind's list."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sanbao.audit.actions import record_event
from sanbao.core.errors import PermissionDenied, ValidationFailed
from sanbao.matters import events
from sanbao.matters.actions.common import check_choice
from sanbao.matters.choices import MatterKind
from sanbao.matters.models import Category, CategoryScheme
from sanbao.org.choices import Role


def _check_rows(rows) -> list[tuple[str, str, str | None]]:
    """Rows are (code, name, parent code or None); a parent comes before its children."""
    seen: set[str] = set()
    checked = []
    for index, (code, name, parent) in enumerate(rows, start=1):
        code, name = (code or "").strip(), (name or "").strip()
        problem = None
        if not code or not name or len(code) > 20 or len(name) > 100:
            problem = _("row %(row)d: a code (at most 20 characters) and a name (at most 100) are needed")
        elif code in seen:
            problem = _("row %(row)d: the code is used twice")
        elif parent and parent not in seen:
            problem = _("row %(row)d: the parent code must appear on an earlier row")
        if problem:
            raise ValidationFailed(problem % {"row": index}, code="invalid_row", field="rows")
        seen.add(code)
        checked.append((code, name, parent or None))
    if not checked:
        raise ValidationFailed(_("The list is empty."), code="required", field="rows")
    return checked


def publish_category_scheme(*, actor, kind: str, name: str, rows) -> CategoryScheme:
    """Publish ``rows`` as the next version of ``kind``'s category dictionary and make it current.

    The system administrator maintains dictionaries. The previous version is
    kept (matters registered under it keep their category) but no longer
    offered. Audited as ``matters.category_scheme_published``.
    """
    if not (getattr(actor, "is_authenticated", False) and actor.has_role(Role.SYSTEM_ADMIN)):
        raise PermissionDenied(
            _("Only the system administrator maintains category lists."), code="role_required"
        )
    check_choice(kind, MatterKind, "kind")
    rows = _check_rows(rows)
    with transaction.atomic():
        schemes = CategoryScheme.objects.select_for_update().filter(kind=kind)
        version = (schemes.aggregate(last=Max("version"))["last"] or 0) + 1
        previous = schemes.filter(is_current=True).first()
        schemes.filter(is_current=True).update(is_current=False)
        scheme = CategoryScheme.objects.create(
            kind=kind,
            version=version,
            name=(name or "").strip()[:100] or kind,
            is_current=True,
            published_at=timezone.now(),
        )
        by_code: dict[str, Category] = {}
        for order, (code, label, parent) in enumerate(rows):
            by_code[code] = Category.objects.create(
                scheme=scheme, code=code, name=label, parent=by_code.get(parent), sort_order=order
            )
        record_event(
            events.CATEGORY_SCHEME_PUBLISHED,
            actor=actor,
            target=scheme,
            before={"version": previous.version if previous else None},
            after={"kind": kind, "version": version, "categories": len(rows)},
        )
    return scheme
