"""A note's date: stored as an ISO date (YYYY-MM-DD); read in another form only when ``--date-format`` says which.
A time of day given with it (in that form, in an ISO date and time, or in a ``time`` field) is stored beside it,
as HH:MM or HH:MM:SS: it orders a day's notes. A time given with a zone (an offset, Z, UTC, GMT or BST) is stored
as UK clock time, the date with it: a UK service's other records keep that clock, and times kept as written in
two zones would order a day's notes wrongly.

A date such as 03/04/2024 may be the 3rd of April or the 4th of March, so no form is guessed; nor is 02:05 read as
14:05, nor 9.30 (09:30 or 21:30). Messages say what form a date or time has, never quoting it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo

from .errors import CaseReviewError

# [0-9], not \d: \d matches the digits of every script (full-width "\uff12\uff10\uff12\uff14"), which no ISO date has
_DAY_MONTH_FIRST = re.compile(r"[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2,4}(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?")
_DATE_AND_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: An ISO date and time read without --date-format: to the minute or the second, with no fraction, and with a zone
#: (Z, +01:00, +0100) or none.
_ISO_DATE_AND_TIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}:[0-9]{2}(?::[0-9]{2})?)"
                                r"(Z|[+-][0-9]{2}:?[0-9]{2})?")
#: A time of day as a ``time`` field gives it: the hour in one digit or two (exports write 9:05), minutes and seconds
#: after a colon or a dot (9.30, as UK writing has it), and am or pm (9:30 am, 9.30pm, 9 p.m., 9am).
_TIME_OF_DAY = re.compile(r"(?P<hour>[0-9]{1,2})(?:(?P<sep>[:.])(?P<minute>[0-9]{2})(?:(?P=sep)(?P<second>[0-9]{2}))?)?"
                          r"(?:\s*(?P<half>[ap])\.?\s*m\.?)?", re.IGNORECASE)
#: The zone names --date-format's %Z reads, by the offset from UTC each stands for. Python's %Z reads UTC, GMT and
#: the names of the machine's own zone, and applies none of them; BST is read on every machine.
_ZONE_NAMES = {"UTC": "+0000", "GMT": "+0000", "BST": "+0100"}
_ZONE_NAME = re.compile(r"(?<![A-Za-z])(UTC|GMT|BST)(?![A-Za-z])")
#: The zone every time with a zone is stored in: UK clock time, GMT or BST.
UK_ZONE = "Europe/London"
#: A moment whose day, month and year differ from each other and from strptime's defaults (1900-01-01): a format
#: that writes it and reads it back to another day leaves one of them out. Aware, so that %z and %Z read back.
_PROBE = dt.datetime(2024, 11, 23, 14, 5, 6, tzinfo=dt.timezone.utc)


def date_problem(date: str) -> str | None:
    """What is wrong with a note's date when no ``--date-format`` is given, said by the form it has; None for an
    ISO date."""
    if _DATE_AND_TIME.match(date):
        return ("a date and time with a fraction of a second, or in another form; give its form with --date-format "
                "(e.g. \"%Y-%m-%dT%H:%M:%S.%f%z\"), or write YYYY-MM-DDTHH:MM[:SS], a zone after it if any (Z, "
                "+01:00)")
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
        read = _written(_PROBE.strftime(date_format), date_format)
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
    read = _written(_PROBE.strftime(date_format), date_format)
    if read.hour != _PROBE.hour:
        return None
    return "seconds" if read.second == _PROBE.second else "minutes"


def _time_text(moment: dt.time | dt.datetime, precision: str) -> str:
    """HH:MM or HH:MM:SS: the form a note's time is stored in, which sorts as the times do."""
    return f"{moment.hour:02}:{moment.minute:02}" + (f":{moment.second:02}" if precision == "seconds" else "")


def time_of_day(value: str) -> tuple[str | None, str | None]:
    """``(HH:MM or HH:MM:SS, None)`` of a time of day (``(None, what is wrong)``): on a 24-hour clock after a colon
    (``9:05`` is 09:05) or a dot where it cannot be a 12-hour time (``21.30``, ``09.30``), or with am or pm
    (``9:30 am``, ``9.30pm``, ``9 p.m.``). A dot's 1.00 to 12.59 without am or pm may be morning or evening: refused."""
    match = _TIME_OF_DAY.fullmatch(value)
    if match is None or match["minute"] is None and match["half"] is None:  # "9" alone: an hour, or a count?
        return None, ("not a time of day; write it HH:MM or HH:MM:SS on a 24-hour clock, or with am or pm "
                      "(9:30 am, 9.30pm)")
    hour, minute, second = (int(match[part] or 0) for part in ("hour", "minute", "second"))
    if minute > 59 or second > 59:
        return None, "no such time of day (HH:MM or HH:MM:SS)"
    if match["half"]:
        if hour > 12:
            return None, "a 24-hour time with am or pm: write one or the other (21:30, or 9:30 pm)"
        if hour == 0:
            return None, "no hour 0 on a 12-hour clock: write 12:30 am, or 00:30 on a 24-hour clock"
        hour = hour % 12 + (12 if match["half"].lower() == "p" else 0)
    elif match["sep"] == "." and 1 <= hour <= 12 and not match["hour"].startswith("0"):
        return None, ("may be morning or evening (a time with a dot, 1.00 to 12.59, and no am or pm): add am or pm, "
                      "or write it on a 24-hour clock (09:30, 21:30)")
    if hour > 23:
        return None, "no such time of day (HH:MM or HH:MM:SS, on a 24-hour clock)"
    return _time_text(dt.time(hour, minute, second), "seconds" if match["second"] else "minutes"), None


def date_and_time(date: str | None, time: str | None) -> str | None:
    """A note's date, with its time to the minute where it has one (``2024-03-12 09:30``), as screens and reports show
    it."""
    return f"{date} {time[:5]}" if date and time else date


#: How a time of 00:00 is read (``--midnight``): "date-only", a date written with no time, as many case-management
#: exports write a date-only entry; "time", a note made at midnight.
MIDNIGHT_READINGS = ("date-only", "time")


def is_midnight(time: str | None) -> bool:
    """Whether a stored time (HH:MM or HH:MM:SS) is 00:00."""
    return time in ("00:00", "00:00:00")


def check_midnight(midnight: str | None) -> str | None:
    """``midnight`` (``--midnight``) if it is one of :data:`MIDNIGHT_READINGS` or None; else a one-line error."""
    if midnight is not None and midnight not in MIDNIGHT_READINGS:
        raise CaseReviewError(f"--midnight {midnight!r}: choose from {', '.join(MIDNIGHT_READINGS)}")
    return midnight


@functools.lru_cache(maxsize=1)
def _uk_zone() -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(UK_ZONE)
    except zoneinfo.ZoneInfoNotFoundError:
        raise CaseReviewError(f"a time with a zone is stored as UK time, but this system has no time zone data for "
                              f"{UK_ZONE}; install it (the tzdata package), or give times without a zone") from None


def in_uk_time(moment: dt.datetime) -> dt.datetime:
    """A moment given with a zone as UK clocks showed it (GMT, or BST in summer), without its zone; one given without
    a zone as it is (read as UK time already)."""
    return moment if moment.tzinfo is None else moment.astimezone(_uk_zone()).replace(tzinfo=None)


def _written(value: str, date_format: str) -> dt.datetime:
    """``value`` read in ``date_format`` as written (strptime's ValueError if it cannot be), with its zone if it gives
    one: a zone's name (%Z) read as the offset it stands for (:data:`_ZONE_NAMES`), as an offset (%z) is."""
    if "%Z" in date_format:
        date_format = re.sub(r"%.", lambda m: "%z" if m.group() == "%Z" else m.group(), date_format)  # not %%Z
        value = _ZONE_NAME.sub(lambda m: _ZONE_NAMES[m.group()], value)
    return dt.datetime.strptime(value, date_format)


def _stored(written: dt.datetime, precision: str | None, midnight_is_no_time: bool) -> tuple[str, str | None, None]:
    """``read_date``'s answer for a date and time read as written, its time to ``precision`` (None: a date alone): a
    time with a zone in UK time, on the UK day; 00:00 as written, where ``midnight_is_no_time``, no time (a date
    written with no time is its date as written: no zone applies to it)."""
    if precision is None or midnight_is_no_time and written.time() == dt.time(0):
        return written.date().isoformat(), None, None
    moment = in_uk_time(written)
    return moment.date().isoformat(), _time_text(moment, precision), None


def _iso_date_and_time(date: str, time: str, zone: str | None,
                       midnight_is_no_time: bool) -> tuple[str | None, str | None, str | None]:
    """``read_date``'s answer for an ISO date and a time (HH:MM[:SS]) after it, with its zone if it has one."""
    problem = date_problem(date)
    if problem is None:
        time, problem = time_of_day(time)
    if problem is not None:
        return None, None, problem
    try:
        written = dt.datetime.fromisoformat(f"{date}T{time}{zone or ''}")
    except ValueError:  # +25:00
        return None, None, "no such time zone offset (Z, or +HH:MM from UTC)"
    return _stored(written, "seconds" if len(time) > 5 else "minutes", midnight_is_no_time)


def read_date(value: str, date_format: str | None,
              midnight_is_no_time: bool = False) -> tuple[str | None, str | None, str | None]:
    """``(the ISO date, its time or None, None)`` of a note's date, read in ``date_format`` if given (a time it reads
    is kept), else as an ISO date, with a time if one follows (``2024-03-12T09:30``, ``2024-03-12 09:30:15``, with a
    zone or not: ``2024-03-12T09:30Z``); a time with a zone is stored as UK time (:func:`in_uk_time`), on the UK
    day; a time of 00:00 as written is none where ``midnight_is_no_time`` (``--midnight date-only``);
    ``(None, None, what is wrong)`` if it cannot be."""
    if date_format is None:
        with_time = _ISO_DATE_AND_TIME.fullmatch(value)
        if with_time:
            return _iso_date_and_time(*with_time.groups(), midnight_is_no_time)
        problem = date_problem(value)
        return (value, None, None) if problem is None else (None, None, problem)
    try:
        return _stored(_written(value, date_format), _time_read_by(date_format), midnight_is_no_time)
    except ValueError as e:  # never said: its message may quote the value
        if date_problem(value) is None:
            return None, None, (f"an ISO date (YYYY-MM-DD), not in the form of --date-format {date_format}: a file's "
                                "dates are all read in one form")
        if "out of range" in str(e):  # "day is out of range for month": 31/02
            return None, None, f"no such day in the calendar (read as --date-format {date_format})"
        names = " (a time zone's name is read as UTC, GMT or BST)" if "%Z" in date_format else ""
        return None, None, f"does not match --date-format {date_format}{names}"
