"""Special days from the ``chinesecalendar`` package (State Council notices, 2004 onwards).

Used by migration 0002 (every fresh database starts with 2004–2026) and by
``sanbao deadlines seed-calendar``, which adds years a newer release of the
package knows and the database does not; years already in the database are
never touched, so an administrator's edits survive.
"""

from collections import defaultdict
from datetime import date

from sanbao.deadlines.choices import DayKind

SOURCE = "chinesecalendar"

# The package names holidays in English; the calendar shows the official names.
CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def package_days() -> dict[int, list[tuple[date, str, str]]]:
    """Every special day the installed package knows, by year: (date, kind, Chinese name)."""
    import chinese_calendar

    by_year: dict[int, list[tuple[date, str, str]]] = defaultdict(list)
    sources = ((chinese_calendar.holidays, DayKind.HOLIDAY), (chinese_calendar.workdays, DayKind.WORKDAY))
    for source, kind in sources:
        for day, name in source.items():
            by_year[day.year].append((day, kind.value, CHINESE_NAMES.get(name, name)))
    return {year: sorted(days) for year, days in sorted(by_year.items())}


def new_rows(model, existing_years: set[int]) -> tuple[list, list[int]]:
    """Unsaved ``model`` rows for the package's years not in ``existing_years``, and those years."""
    rows, years = [], []
    for year, days in package_days().items():
        if year in existing_years:
            continue
        years.append(year)
        rows += [model(date=day, kind=kind, name=name, source=SOURCE) for day, kind, name in days]
    return rows, years
