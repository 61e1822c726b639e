"""The six-field cron expression parser: grammar, next activation and the server's errors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from colonies.devserver.cronexpr import (
    CronExpressionError,
    next_cron_time,
    parse_cron_expression,
)

START = datetime(2024, 1, 31, 23, 59, 58, 500000, tzinfo=UTC)  # a Wednesday


def at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("* * * * * *", at(2024, 1, 31, 23, 59, 59)),
        ("0 * * * * *", at(2024, 2, 1, 0, 0, 0)),
        ("*/5 * * * * *", at(2024, 2, 1, 0, 0, 0)),
        ("15,45 * * * * *", at(2024, 2, 1, 0, 0, 15)),
        ("10-12 30 * * * *", at(2024, 2, 1, 0, 30, 10)),
        ("0 0 12 * * MON-FRI", at(2024, 2, 1, 12, 0, 0)),
        ("0 0 12 * * sat", at(2024, 2, 3, 12, 0, 0)),
        ("0 0 0 29 feb *", at(2024, 2, 29, 0, 0, 0)),
        ("0 0 0 1 * sun", at(2024, 2, 1, 0, 0, 0)),  # day-of-month OR day-of-week
        ("0 0 0 ? * sun", at(2024, 2, 4, 0, 0, 0)),  # '?' is a star: AND
        ("0 0 6/6 * * *", at(2024, 2, 1, 6, 0, 0)),  # N/step runs from N to the maximum
        ("@daily", at(2024, 2, 1, 0, 0, 0)),
        ("@hourly", at(2024, 2, 1, 0, 0, 0)),
        ("@weekly", at(2024, 2, 4, 0, 0, 0)),
        ("@monthly", at(2024, 2, 1, 0, 0, 0)),
        ("@yearly", at(2025, 1, 1, 0, 0, 0)),
        ("@every 1m30s", at(2024, 2, 1, 0, 1, 28)),
    ],
)
def test_next_activation(expression: str, expected: datetime) -> None:
    assert next_cron_time(expression, START) == expected


def test_next_is_strictly_after_a_whole_second() -> None:
    assert next_cron_time("* * * * * *", at(2024, 1, 1, 0, 0, 0)) == at(2024, 1, 1, 0, 0, 1)


def test_impossible_date_has_no_activation() -> None:
    assert next_cron_time("0 0 0 30 2 *", START) is None


def test_time_zone_prefix() -> None:
    result = next_cron_time("TZ=Europe/Stockholm 0 0 8 * * *", START)
    assert result is not None
    assert result.astimezone(UTC) == at(2024, 2, 1, 7, 0, 0)


def test_every_is_at_least_one_second() -> None:
    schedule = parse_cron_expression("@every 10ms")
    assert schedule.next(at(2024, 1, 1)) == at(2024, 1, 1, 0, 0, 1)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("bogus", "expected exactly 6 fields, found 1: [bogus]"),
        ("0 * * * *", "expected exactly 6 fields, found 5: [0 * * * *]"),
        ("", "empty cron expression string"),
        ("* * * * * 7", "end of range (7) above maximum (6): 7"),
        ("* * * 0 * *", "beginning of range (0) below minimum (1): 0"),
        ("5-1 * * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
        ("*/0 * * * * *", "step of range should be a positive number: */0"),
        ("1-2-3 * * * * *", "too many hyphens: 1-2-3"),
        ("1/2/3 * * * * *", "too many slashes: 1/2/3"),
        ("a * * * * *", 'failed to parse int from a: strconv.Atoi: parsing "a": invalid syntax'),
        ("@foo", "unrecognized descriptor: @foo"),
        ("@every x", 'failed to parse duration @every x: time: invalid duration "x"'),
        ("@every 5", 'failed to parse duration @every 5: time: missing unit in duration "5"'),
        (
            "TZ=Nope/Where * * * * * *",
            "provided bad location Nope/Where: unknown time zone Nope/Where",
        ),
    ],
)
def test_errors_carry_the_servers_text(expression: str, message: str) -> None:
    with pytest.raises(CronExpressionError) as caught:
        parse_cron_expression(expression)
    assert str(caught.value) == message
