"""The model's calendar: a step is a day, staff work Monday to Friday.

Day 0 is a Monday unless a model says otherwise (a city puts 1 January 2009 on
a Thursday).  Public holidays are left out (an assumption: China has
about eleven a year, so staff work ~250 days rather than 261).
"""

from __future__ import annotations

import numpy as np

WEEK = 7
WORKDAYS = 5
WORKING_DAYS_PER_YEAR = 365.25 * WORKDAYS / WEEK


def is_workday(day: int, monday: int = 0) -> bool:
    """Whether staff work on ``day`` (Monday to Friday), the week starting on day ``monday``."""
    return (day - monday) % WEEK < WORKDAYS


def next_transfer(after: int | np.ndarray, interval: int | np.ndarray, monday: int = 0) -> int | np.ndarray:
    """The first day strictly after ``after`` on which files are sent up, when they go every ``interval`` days.

    Transfers happen every ``interval`` days counted from a Monday (every day
    for 1, every Monday for 7), so a case waits for the next batch.
    """
    return ((np.asarray(after) - monday) // interval + 1) * interval + monday


def workdays_per_day() -> float:
    """Working days per calendar day (5/7), for converting daily rates."""
    return WORKDAYS / WEEK
