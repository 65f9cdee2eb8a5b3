"""Jurisdiction: a user acts within its unit's area subtree.

Area codes are hierarchical digit strings, so a subtree is a range of codes:
everything from the area's significant prefix up to (not including) the next
prefix. A range predicate uses an ordinary index on both SQLite and PostgreSQL.

``access_object`` is the one scoped entry point for loading a
jurisdiction-owned object: missing and out-of-scope both raise ``Http404``;
an out-of-scope hit is recorded in the audit trail as a permission denial.
"""

from django.db import models
from django.db.models import Q
from django.http import Http404


def prefix_upper_bound(prefix: str) -> str | None:
    """Smallest digit string of the same length above every code with ``prefix`` (None after 99…9)."""
    upper = str(int(prefix) + 1).zfill(len(prefix))
    return upper if len(upper) == len(prefix) else None


def code_within(field: str, prefix: str | None) -> Q:
    """Q object matching rows whose ``field`` (an area code) lies under ``prefix``."""
    if not prefix:
        return Q(pk__in=[])
    upper = prefix_upper_bound(prefix)
    if upper is None:
        return Q(**{f"{field}__startswith": prefix})
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})


class JurisdictionQuerySet(models.QuerySet):
    """Queryset of rows owned by an area. Subclasses name the area-code path."""

    jurisdiction_field = "area__code"

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(code_within(self.jurisdiction_field, user.jurisdiction_prefix))


def access_object(user, queryset, **lookup):
    """Load one object through ``user``'s jurisdiction or raise Http404.

    ``queryset`` is a model or queryset whose queryset class is a
    ``JurisdictionQuerySet``. When the object exists but lies outside the
    user's jurisdiction the denial is audited; the caller still sees a 404 so
    existence is never revealed.
    """
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist:
        hidden = queryset.filter(**lookup).first()
        if hidden is not None:
            from sanbao.audit.actions import record_permission_denied

            record_permission_denied(actor=user, target=hidden, reason="out_of_jurisdiction")
        raise Http404 from None
