"""US federal business days, for the DMCA counter-notice timer (17 U.S.C. 512(g)(2)(C):
restore "not less than 10, nor more than 14, business days" after the counter-notice).

The federal holidays of 5 U.S.C. 6103, with the observed-day rule for holidays on a
weekend (Saturday -> Friday before, Sunday -> Monday after)."""

import datetime
from functools import cache

MONDAY, THURSDAY, SATURDAY, SUNDAY = 0, 3, 5, 6


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> datetime.date:
    after = datetime.date(year + month // 12, month % 12 + 1, 1)
    last = after - datetime.timedelta(days=1)
    return last - datetime.timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: datetime.date) -> datetime.date:
    if day.weekday() == SATURDAY:
        return day - datetime.timedelta(days=1)
    if day.weekday() == SUNDAY:
        return day + datetime.timedelta(days=1)
    return day


@cache
def federal_holidays(year: int) -> frozenset[datetime.date]:
    fixed = [(1, 1), (6, 19), (7, 4), (11, 11), (12, 25)]
    days = {_observed(datetime.date(year, month, day)) for month, day in fixed}
    days |= {
        _nth_weekday(year, 1, MONDAY, 3),  # Martin Luther King Jr. Day
        _nth_weekday(year, 2, MONDAY, 3),  # Washington's Birthday
        _last_weekday(year, 5, MONDAY),  # Memorial Day
        _nth_weekday(year, 9, MONDAY, 1),  # Labor Day
        _nth_weekday(year, 10, MONDAY, 2),  # Columbus Day
        _nth_weekday(year, 11, THURSDAY, 4),  # Thanksgiving Day
    }
    # New Year's Day of the next year may be observed on 31 December.
    days.add(_observed(datetime.date(year + 1, 1, 1)))
    return frozenset(day for day in days if day.year == year)


def is_business_day(day: datetime.date) -> bool:
    return day.weekday() < SATURDAY and day not in federal_holidays(day.year)


def add_business_days(start: datetime.date, count: int) -> datetime.date:
    """The `count`-th business day after `start` (start itself not counted)."""
    day = start
    while count > 0:
        day += datetime.timedelta(days=1)
        if is_business_day(day):
            count -= 1
    return day
