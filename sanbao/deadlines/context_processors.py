"""Template context for every page: the missing-holiday-data warning (``deadlines/calendar_warning.html``)."""

from django.utils.functional import SimpleLazyObject

from sanbao.deadlines.calendar import missing_years


def calendar_warning(request):
    """``calendar_missing_years``: years without holiday data, for signed-in staff only (lazy: one query)."""
    user = getattr(request, "user", None)

    def years() -> list[int]:
        if not getattr(user, "is_authenticated", False):
            return []
        return missing_years()

    return {"calendar_missing_years": SimpleLazyObject(years)}
