"""A note's date: stored as an ISO date (YYYY-MM-DD); read in another form only when ``--date-format`` says which.

A date such as 03/04/2024 may be the 3rd of April or the 4th of March, so no form is guessed. Messages say what
form a date has, never quoting it.
"""

from __future__ import annotations

import datetime as dt
import re

from .errors import CaseReviewError

# [0-9], not \d: \d matches the digits of every script (full-width "\uff12\uff10\uff12\uff14"), which no ISO date has
_DAY_MONTH_FIRST = re.compile(r"[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2,4}(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?")
_DATE_AND_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: A moment whose day, month and year differ from each other and from strptime's defaults (1900-01-01): a format
#: that writes it and reads it back to another day leaves one of them out. Aware, so that %z and %Z read back.
_PROBE = dt.datetime(2024, 11, 23, 14, 5, 6, tzinfo=dt.timezone.utc)


def date_problem(date: str) -> str | None:
    """What is wrong with a note's date when no ``--date-format`` is given, said by the form it has; None for an
    ISO date."""
    if _DATE_AND_TIME.match(date):
        return ("a date and time; give the date alone, as an ISO date (YYYY-MM-DD), or its form with --date-format "
                "(e.g. \"%Y-%m-%d %H:%M\")")
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
        whole = dt.datetime.strptime(_PROBE.strftime(date_format), date_format).date() == _PROBE.date()
    except ValueError:
        whole = False
    if not whole:
        raise CaseReviewError(f"--date-format {date_format!r}: not a format that reads a whole date (a day, a month "
                              "and a year, as %d/%m/%Y does; a time may follow, as in \"%d/%m/%Y %H:%M\")")
    return date_format


def iso_date(date: str, date_format: str | None) -> tuple[str | None, str | None]:
    """``(the ISO date, None)`` of a note's date, read in ``date_format`` if given (a time in it is read and not
    kept); ``(None, what is wrong)`` if it cannot be."""
    if date_format is None:
        problem = date_problem(date)
        return (date, None) if problem is None else (None, problem)
    try:
        return dt.datetime.strptime(date, date_format).date().isoformat(), None
    except ValueError as e:  # never said: its message may quote the value
        if date_problem(date) is None:
            return None, (f"an ISO date (YYYY-MM-DD), not in the form of --date-format {date_format}: a file's dates "
                          "are all read in one form")
        if "out of range" in str(e):  # "day is out of range for month": 31/02
            return None, f"no such day in the calendar (read as --date-format {date_format})"
        return None, f"does not match --date-format {date_format}"
