"""When periodic tasks run next: every N minutes, or once a day at a local hour."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sanbao.core.tasks import daily_at, every

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_daily_task_runs_tonight_if_its_hour_is_still_to_come_else_tomorrow(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    at_two = daily_at(lambda: 2)
    assert at_two(datetime(2026, 12, 3, 1, 30, tzinfo=SHANGHAI)) == datetime(2026, 12, 3, 2, 0, tzinfo=SHANGHAI)
    assert at_two(datetime(2026, 12, 3, 2, 0, tzinfo=SHANGHAI)) == datetime(2026, 12, 4, 2, 0, tzinfo=SHANGHAI)
    assert at_two(datetime(2026, 12, 3, 14, 0, tzinfo=SHANGHAI)) == datetime(2026, 12, 4, 2, 0, tzinfo=SHANGHAI)
    # The hour is the site's, not UTC's: 17:00 UTC is already 01:00 the next day in Shanghai.
    assert at_two(datetime(2026, 12, 3, 17, 0, tzinfo=UTC)) == datetime(2026, 12, 4, 2, 0, tzinfo=SHANGHAI)


def test_the_interval_is_read_at_each_run():
    minutes = [3]
    later = every(lambda: minutes[0])
    start = datetime(2026, 12, 3, 9, 0, tzinfo=SHANGHAI)
    assert later(start) == datetime(2026, 12, 3, 9, 3, tzinfo=SHANGHAI)
    minutes[0] = 60
    assert later(start) == datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI)
