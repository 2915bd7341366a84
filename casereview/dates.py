"""A note's date: stored as an ISO date (YYYY-MM-DD); read in another form only when ``--date-format`` says which.
A time of day given with it (in that form, in an ISO date and time, or in a ``time`` field) is stored beside it,
as HH:MM or HH:MM:SS: it orders a day's notes.

A date such as 03/04/2024 may be the 3rd of April or the 4th of March, so no form is guessed; nor is 02:05 read as
14:05. Messages say what form a date or time has, never quoting it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from .errors import CaseReviewError

# [0-9], not \d: \d matches the digits of every script (full-width "\uff12\uff10\uff12\uff14"), which no ISO date has
_DAY_MONTH_FIRST = re.compile(r"[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2,4}(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?")
_DATE_AND_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: An ISO date and time read without --date-format: to the minute or the second, with no zone or fraction (a
#: zone would ask whether to move the time, and the date with it: --date-format reads it as written).
_ISO_DATE_AND_TIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}:[0-9]{2}(?::[0-9]{2})?)")
#: A time of day as a ``time`` field gives it: 24-hour, the hour in one digit or two (exports write 9:05).
_TIME_OF_DAY = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?")
#: A moment whose day, month and year differ from each other and from strptime's defaults (1900-01-01): a format
#: that writes it and reads it back to another day leaves one of them out. Aware, so that %z and %Z read back.
_PROBE = dt.datetime(2024, 11, 23, 14, 5, 6, tzinfo=dt.timezone.utc)


def date_problem(date: str) -> str | None:
    """What is wrong with a note's date when no ``--date-format`` is given, said by the form it has; None for an
    ISO date."""
    if _DATE_AND_TIME.match(date):
        return ("a date and time with a time zone or a fraction of a second; give its form with --date-format "
                "(e.g. \"%Y-%m-%dT%H:%M:%S%z\", read as written), or write YYYY-MM-DDTHH:MM[:SS]")
    if _DAY_MONTH_FIRST.fullmatch(date):
        return ("day and month first (DD/MM/YYYY, or MM/DD/YYYY: not every date tells which); give its form with "
                "--date-format (e.g. %d/%m/%Y), or write ISO dates (YYYY-MM-DD)")
    if not _ISO_DATE.fullmatch(date):
        return ("not an ISO date; if every date of the file has one form, give it with --date-format, or write ISO "
                "dates (YYYY-MM-DD)")
    try:
        dt.date.fromisoformat(date)
    except ValueError:
        return "no such day in the calendar (an ISO date, YYYY-MM-DD)"
    return None


def check_date_format(date_format: str | None) -> str | None:
    """``date_format`` (``--date-format``) if it is a strptime format that reads a whole date; else a one-line error.

    A format without a year, a month or a day (``%d/%m``, ``%H:%M``) would read every date as one in 1900 or on
    the 1st; a bad directive (``%Q``) would make every row an error. Both are refused before anything is read.
    """
    if date_format is None:
        return None
    try:
        read = dt.datetime.strptime(_PROBE.strftime(date_format), date_format)
    except ValueError:
        read = None
    if read is None or read.date() != _PROBE.date():
        raise CaseReviewError(f"--date-format {date_format!r}: not a format that reads a whole date (a day, a month "
                              "and a year, as %d/%m/%Y does; a time may follow, as in \"%d/%m/%Y %H:%M\")")
    if read.hour == _PROBE.hour - 12:
        raise CaseReviewError(f"--date-format {date_format!r}: a 12-hour clock (%I) without AM or PM (%p): 02:05 may "
                              "be 14:05, and a day's notes would be out of order; add %p, or use %H for a 24-hour clock")
    return date_format


@functools.lru_cache(maxsize=8)
def _time_read_by(date_format: str) -> str | None:
    """How much of a time ``date_format`` reads: "seconds", "minutes" (an hour alone too: its minutes are 00), or
    None for none (a date alone)."""
    read = dt.datetime.strptime(_PROBE.strftime(date_format), date_format)
    if read.hour != _PROBE.hour:
        return None
    return "seconds" if read.second == _PROBE.second else "minutes"


def _time_text(moment: dt.time | dt.datetime, precision: str) -> str:
    """HH:MM or HH:MM:SS: the form a note's time is stored in, which sorts as the times do."""
    return f"{moment.hour:02}:{moment.minute:02}" + (f":{moment.second:02}" if precision == "seconds" else "")


def time_of_day(value: str) -> tuple[str | None, str | None]:
    """``(HH:MM or HH:MM:SS, None)`` of a time of day, 24-hour (``9:05`` is 09:05); ``(None, what is wrong)``."""
    match = _TIME_OF_DAY.fullmatch(value)
    if match is None:
        return None, "not a time of day; write it HH:MM or HH:MM:SS, on a 24-hour clock"
    hour, minute, second = (int(part) if part else 0 for part in match.groups())
    if hour > 23 or minute > 59 or second > 59:
        return None, "no such time of day (HH:MM or HH:MM:SS, on a 24-hour clock)"
    return _time_text(dt.time(hour, minute, second), "seconds" if match.group(3) else "minutes"), None


def read_date(value: str, date_format: str | None) -> tuple[str | None, str | None, str | None]:
    """``(the ISO date, its time or None, None)`` of a note's date, read in ``date_format`` if given (a time it reads
    is kept), else as an ISO date, with a time if one follows (``2024-03-12T09:30``, ``2024-03-12 09:30:15``);
    ``(None, None, what is wrong)`` if it cannot be."""
    if date_format is None:
        with_time = _ISO_DATE_AND_TIME.fullmatch(value)
        date, time = with_time.groups() if with_time else (value, None)
        problem = date_problem(date)
        if problem is None and time is not None:
            time, problem = time_of_day(time)
        return (date, time, None) if problem is None else (None, None, problem)
    try:
        read = dt.datetime.strptime(value, date_format)
        precision = _time_read_by(date_format)
        return read.date().isoformat(), _time_text(read, precision) if precision else None, None
    except ValueError as e:  # never said: its message may quote the value
        if date_problem(value) is None:
            return None, None, (f"an ISO date (YYYY-MM-DD), not in the form of --date-format {date_format}: a file's "
                                "dates are all read in one form")
        if "out of range" in str(e):  # "day is out of range for month": 31/02
            return None, None, f"no such day in the calendar (read as --date-format {date_format})"
        return None, None, f"does not match --date-format {date_format}"
