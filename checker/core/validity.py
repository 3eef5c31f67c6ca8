"""How long a designation lasts: one rule for certificates and for plan progress.

A designation is valid from the audit date until ``validity_years`` later
less one day (audited 2026-12-01 with 3 years: valid to 2029-11-30; an audit
on 29 February runs to 28 February), cut short by the earliest expiry of a
waiver the result relies on: a rule waived today is assessed normally once
its waiver ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

__all__ = ["add_years", "valid_until"]


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def valid_until(audited_on: str, years: int, waiver_expiries: Iterable[str] = ()) -> str:
    """The last day a designation from an audit on ``audited_on`` is valid (ISO dates)."""
    start = dt.date.fromisoformat(audited_on)
    end = (add_years(start, years) - dt.timedelta(days=1)).isoformat()
    return min([end, *waiver_expiries])
