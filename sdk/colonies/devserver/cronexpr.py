"""Six-field cron expressions (seconds first), parsed and evaluated like the server's.

The real server uses a vendored robfig/cron v3 parser configured with
``Second | Minute | Hour | Dom | Month | Dow | Descriptor``. This module mirrors its
grammar (``*``, ``?``, lists, ranges, steps, month/weekday names, ``@daily``-style
descriptors, ``@every <duration>``, an optional ``TZ=``/``CRON_TZ=`` prefix), its
error texts (clients see them verbatim in ``addcronmsg`` replies) and its day-matching
rule: when day-of-month or day-of-week is a ``*``, both must match, otherwise either.
Times without a ``TZ=`` prefix are evaluated in UTC (the server's local zone in its
container images).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "CronExpressionError",
    "Schedule",
    "next_cron_time",
    "parse_cron_expression",
]

_YEARS_TO_SEARCH = 5
_MONTH_NAMES = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_DOW_NAMES = {
    name: number for number, name in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))
}


class CronExpressionError(ValueError):
    """An expression the server would reject; the message is the server's own text."""


class Schedule(Protocol):
    """Something that knows the first activation strictly after a moment."""

    def next(self, after: datetime) -> datetime | None: ...


@dataclass(frozen=True, slots=True)
class _Bounds:
    low: int
    high: int
    names: dict[str, int] | None = None


_SECONDS = _Bounds(0, 59)
_MINUTES = _Bounds(0, 59)
_HOURS = _Bounds(0, 23)
_DAYS_OF_MONTH = _Bounds(1, 31)
_MONTHS = _Bounds(1, 12, _MONTH_NAMES)
_DAYS_OF_WEEK = _Bounds(0, 6, _DOW_NAMES)


@dataclass(frozen=True, slots=True)
class _Field:
    """The values a field allows; ``star`` records a leading ``*``/``?`` without a step."""

    values: frozenset[int]
    star: bool = False


@dataclass(frozen=True, slots=True)
class CronSchedule:
    """A parsed six-field expression."""

    second: _Field
    minute: _Field
    hour: _Field
    day_of_month: _Field
    month: _Field
    day_of_week: _Field
    zone: tzinfo

    def _day_matches(self, moment: datetime) -> bool:
        dom_match = moment.day in self.day_of_month.values
        dow_match = (moment.isoweekday() % 7) in self.day_of_week.values
        if self.day_of_month.star or self.day_of_week.star:
            return dom_match and dow_match
        return dom_match or dow_match

    def next(self, after: datetime) -> datetime | None:
        """The first activation strictly after ``after`` (whole seconds), or None when
        nothing matches within five years (e.g. 30 February)."""
        local = after.astimezone(self.zone).replace(tzinfo=None)
        start = local.replace(microsecond=0) + timedelta(seconds=1)
        year_limit = start.year + _YEARS_TO_SEARCH
        candidate, truncated = start, False
        while candidate.year <= year_limit:
            candidate, truncated, done = self._advance(candidate, truncated)
            if done:
                return candidate.replace(tzinfo=self.zone)
        return None

    def _advance(self, moment: datetime, truncated: bool) -> tuple[datetime, bool, bool]:
        """One pass of robfig's search: returns (moment, truncated, finished); a pass
        that wraps a larger unit returns finished=False so the caller starts over."""
        while moment.month not in self.month.values:
            if not truncated:
                truncated = True
                moment = moment.replace(day=1, hour=0, minute=0, second=0)
            moment = _add_month(moment.replace(day=1))
            if moment.month == 1:
                return moment, truncated, False
        while not self._day_matches(moment):
            if not truncated:
                truncated = True
                moment = moment.replace(hour=0, minute=0, second=0)
            moment += timedelta(days=1)
            if moment.day == 1:
                return moment, truncated, False
        for unit, field, size in (
            ("hour", self.hour, timedelta(hours=1)),
            ("minute", self.minute, timedelta(minutes=1)),
            ("second", self.second, timedelta(seconds=1)),
        ):
            while getattr(moment, unit) not in field.values:
                if not truncated:
                    truncated = True
                    moment = _truncate_below(moment, unit)
                moment += size
                if getattr(moment, unit) == 0:
                    return moment, truncated, False
        return moment, truncated, True


@dataclass(frozen=True, slots=True)
class EverySchedule:
    """``@every <duration>``: a constant delay, at least one second, whole seconds."""

    delay: timedelta

    def next(self, after: datetime) -> datetime | None:
        return after.replace(microsecond=0) + self.delay


def _truncate_below(moment: datetime, unit: str) -> datetime:
    if unit == "hour":
        return moment.replace(minute=0, second=0)
    if unit == "minute":
        return moment.replace(second=0)
    return moment


def _add_month(moment: datetime) -> datetime:
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    return moment.replace(year=year, month=month)


def _go_list(fields: list[str]) -> str:
    """Go's ``%s`` rendering of a string slice."""
    return "[" + " ".join(fields) + "]"


def _atoi(text: str) -> int:
    """strconv.Atoi with Go's error texts."""
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise CronExpressionError(
            f'failed to parse int from {text}: strconv.Atoi: parsing "{text}": invalid syntax'
        )
    value = int(text)
    if not -(2**63) <= value < 2**63:
        raise CronExpressionError(
            f'failed to parse int from {text}: strconv.Atoi: parsing "{text}": value out of range'
        )
    if value < 0:
        raise CronExpressionError(f"negative number ({value}) not allowed: {text}")
    return value


def _int_or_name(text: str, bounds: _Bounds) -> int:
    if bounds.names is not None and text.lower() in bounds.names:
        return bounds.names[text.lower()]
    return _atoi(text)


def _parse_range(expr: str, bounds: _Bounds) -> _Field:
    range_and_step = expr.split("/")
    low_and_high = range_and_step[0].split("-")
    star = False
    if low_and_high[0] in ("*", "?"):
        start, end, star = bounds.low, bounds.high, True
    else:
        start = _int_or_name(low_and_high[0], bounds)
        if len(low_and_high) == 1:
            end = start
        elif len(low_and_high) == 2:
            end = _int_or_name(low_and_high[1], bounds)
        else:
            raise CronExpressionError(f"too many hyphens: {expr}")
    if len(range_and_step) == 1:
        step = 1
    elif len(range_and_step) == 2:
        step = _atoi(range_and_step[1])
        if len(low_and_high) == 1:
            end = bounds.high
        if step > 1:
            star = False
    else:
        raise CronExpressionError(f"too many slashes: {expr}")
    if start < bounds.low:
        raise CronExpressionError(
            f"beginning of range ({start}) below minimum ({bounds.low}): {expr}"
        )
    if end > bounds.high:
        raise CronExpressionError(f"end of range ({end}) above maximum ({bounds.high}): {expr}")
    if start > end:
        raise CronExpressionError(
            f"beginning of range ({start}) beyond end of range ({end}): {expr}"
        )
    if step == 0:
        raise CronExpressionError(f"step of range should be a positive number: {expr}")
    return _Field(frozenset(range(start, end + 1, step)), star)


def _parse_field(text: str, bounds: _Bounds) -> _Field:
    values: set[int] = set()
    star = False
    for expr in (part for part in text.split(",") if part):
        parsed = _parse_range(expr, bounds)
        values |= parsed.values
        star = star or parsed.star
    return _Field(frozenset(values), star)


_DURATION_UNITS = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,
    "μs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}
_DURATION_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)([^0-9.]+)")


def _parse_go_duration(text: str) -> float:
    """Seconds in a Go duration string (``1h30m``, ``90s``); Go's messages on error."""
    quoted = f'"{text}"'
    body = text.lstrip("+-")
    sign = -1.0 if text.startswith("-") else 1.0
    if body == "0":
        return 0.0
    if not body:
        raise ValueError(f"time: invalid duration {quoted}")
    total, position = 0.0, 0
    while position < len(body):
        match = _DURATION_PART.match(body, position)
        if match is None or match.group(1) in ("", "."):
            if re.fullmatch(r"[0-9.]+", body[position:]):
                raise ValueError(f"time: missing unit in duration {quoted}")
            raise ValueError(f"time: invalid duration {quoted}")
        unit = match.group(2)
        if unit not in _DURATION_UNITS:
            raise ValueError(f'time: unknown unit "{unit}" in duration {quoted}')
        total += float(match.group(1)) * _DURATION_UNITS[unit]
        position = match.end()
    return sign * total


def _parse_descriptor(descriptor: str, zone: tzinfo) -> Schedule:
    every = "@every "
    if descriptor.startswith(every):
        try:
            seconds = _parse_go_duration(descriptor[len(every) :])
        except ValueError as error:
            raise CronExpressionError(f"failed to parse duration {descriptor}: {error}") from None
        return EverySchedule(timedelta(seconds=max(1, int(seconds))))
    first = {
        "second": _Field(frozenset({0})),
        "minute": _Field(frozenset({0})),
        "hour": _Field(frozenset({0})),
        "day_of_month": _Field(frozenset({1})),
        "month": _Field(frozenset({1})),
    }
    every_value = {
        "hour": _Field(frozenset(range(24)), True),
        "day_of_month": _Field(frozenset(range(1, 32)), True),
        "month": _Field(frozenset(range(1, 13)), True),
    }
    all_days = _Field(frozenset(range(7)), True)
    layouts: dict[str, tuple[dict[str, _Field], _Field]] = {
        "@yearly": (first, all_days),
        "@annually": (first, all_days),
        "@monthly": ({**first, "month": every_value["month"]}, all_days),
        "@weekly": (
            {**first, "day_of_month": every_value["day_of_month"], "month": every_value["month"]},
            _Field(frozenset({0})),
        ),
        "@daily": ({**first, **{k: every_value[k] for k in ("day_of_month", "month")}}, all_days),
        "@hourly": ({**first, **every_value}, all_days),
    }
    layouts["@midnight"] = layouts["@daily"]
    if descriptor not in layouts:
        raise CronExpressionError(f"unrecognized descriptor: {descriptor}")
    fields, day_of_week = layouts[descriptor]
    return CronSchedule(day_of_week=day_of_week, zone=zone, **fields)


def _split_zone(spec: str) -> tuple[tzinfo, str]:
    if not spec.startswith(("TZ=", "CRON_TZ=")):
        return UTC, spec
    space = spec.find(" ")
    name = spec[spec.index("=") + 1 : space if space >= 0 else len(spec)]
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CronExpressionError(
            f"provided bad location {name}: unknown time zone {name}"
        ) from None
    return zone, spec[space:].strip() if space >= 0 else ""


def parse_cron_expression(spec: str) -> Schedule:
    """Parse ``spec``; raises :class:`CronExpressionError` with the server's message."""
    if not spec:
        raise CronExpressionError("empty cron expression string")
    zone, spec = _split_zone(spec)
    if spec.startswith("@"):
        return _parse_descriptor(spec, zone)
    fields = spec.split()
    if len(fields) != 6:
        raise CronExpressionError(
            f"expected exactly 6 fields, found {len(fields)}: {_go_list(fields)}"
        )
    bounds = (_SECONDS, _MINUTES, _HOURS, _DAYS_OF_MONTH, _MONTHS, _DAYS_OF_WEEK)
    second, minute, hour, day_of_month, month, day_of_week = (
        _parse_field(text, bound) for text, bound in zip(fields, bounds, strict=True)
    )
    return CronSchedule(second, minute, hour, day_of_month, month, day_of_week, zone)


def next_cron_time(spec: str, after: datetime) -> datetime | None:
    """The first activation of ``spec`` strictly after ``after`` (timezone-aware)."""
    return parse_cron_expression(spec).next(after)
