"""Validated patterns for the structured personal-data types.

Each recogniser is a compiled regular expression for the candidate plus a cheap
validator (checksum, allocation rules, context), so that look-alikes are left
alone: case reference numbers, 10-digit numbers failing the NHS check, meeting
dates, motorway and form names, amounts. Each yields ``(start, end, label, score)``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

Hit = tuple[int, int, str, float]

# -- UK postcodes ------------------------------------------------------------------
# Outward code: A9, A99, AA9, AA99, A9A, AA9A with the Royal Mail's letter rules
# (no Q/V/X first; no I/J/Z second; restricted third and fourth letters);
# inward code: digit + two letters, never C I K M O V. Joined by a space or two, nothing, or (in capitals only, as
# :func:`postcodes` checks) a hyphen: "CF10-1AB" as some forms write it.
_OUTWARD = r"(?:[A-PR-UWYZ](?:[A-HK-Y]\d[ABEHMNPRV-Y]|[A-HK-Y]\d\d?|\d[A-HJKPSTUW]|\d\d?))"
_INWARD = r"\d[ABD-HJLNP-UW-Z]{2}"
POSTCODE_RE = re.compile(
    rf"(?<![\w@.])(?:{_OUTWARD}(?:[ \t]{{0,2}}|-){_INWARD}|GIR[ \t]?0AA)(?![\w@])", re.IGNORECASE
)
_ORDINAL_INWARD = re.compile(r"\d(?:st|nd|rd|th)$", re.IGNORECASE)


def postcodes(text: str) -> Iterator[Hit]:
    for m in POSTCODE_RE.finditer(text):
        value = m.group()
        if not value.isupper():
            # lower or mixed case: accept only with a space (not none, not a hyphen) and no ordinal ("m4 4th")
            if " " not in value or _ORDINAL_INWARD.search(value):
                continue
            yield m.start(), m.end(), "POSTCODE", 0.9
            continue
        yield m.start(), m.end(), "POSTCODE", 0.99


# -- phone numbers -----------------------------------------------------------------
#: Not inside a word, a number or a reference ("41/0161..."), except straight after an abbreviation's full stop
#: ("Tel.07700 900123", "no.07700 900123") or after the slash joining it to another number ("07700 900123/01632
#: 960123": :func:`phones` keeps that one only when the number before the slash is a phone number too).
_NUMBER_START = r"(?:(?<![\w+/.-])|(?<=[A-Za-z]\.)|(?<=\d/))"
# Each pattern first checks what its match can start with (a lookahead: cheap where it fails, which is almost
# everywhere), so that the lookbehinds run only there: a third of the patterns' time.
PHONE_RE = re.compile(
    r"(?=[+(0])" + _NUMBER_START
    # a mobile's 0 may stand apart ("0 7700 900 123"), as people read it out
    + r"(?:(?:\+|00)[ ]?44[ ]?(?:\(0\)[ ]?)?\d{1,4}|\(0\d{1,4}\)|0\d{1,4}|0[ ]7\d{3})(?:[ .-]?\d{2,6}){1,3}"
    r"(?:(?![\w/]|[.-]\d)|(?=/[ ]?(?:\+|0)\d))"
)


def phone_digits(value: str) -> str | None:
    """The national form (0 + 9 or 10 digits) of a UK phone number, else None."""
    digits = re.sub(r"\D", "", value)
    if value.lstrip().startswith(("+", "00")):
        digits = digits[2:] if digits.startswith("44") else digits[4:]
        if value.count("(0)"):
            digits = digits[1:]
        digits = "0" + digits
    if not digits.startswith("0") or len(digits) not in (10, 11):
        return None
    if digits[1] not in "123578":
        return None
    if digits[1] == "7" and len(digits) != 11:
        return None
    if digits[1] == "2" and len(digits) != 11:
        return None
    return digits


#: A number outside the UK, in international form: "+" and a country code other than 44, 9 to 15 digits in
#: all (E.164's most). Families' relatives abroad ("+48 512 345 678"); a "+12 points" is too short.
INTERNATIONAL_PHONE_RE = re.compile(r"(?<![\w+/.-])\+(?!44)[1-9]\d{0,3}(?:[ .-]?\d{1,6}){1,5}(?![\w/]|[.-]\d)")


def phones(text: str) -> Iterator[Hit]:
    last_end = -1  # of the last phone number: one after a slash is a phone number only straight after another
    for m in PHONE_RE.finditer(text):
        if phone_digits(m.group()) is None or (text[m.start() - 1 : m.start()] == "/" and last_end != m.start() - 1):
            continue
        last_end = m.end()
        yield m.start(), m.end(), "PHONE", 0.98
    for m in INTERNATIONAL_PHONE_RE.finditer(text):
        if 9 <= sum(c.isdigit() for c in m.group()) <= 15:
            yield m.start(), m.end(), "PHONE", 0.95


# -- e-mail ------------------------------------------------------------------------
EMAIL_RE = re.compile(
    r"(?<![\w.+'-])[A-Za-z0-9][A-Za-z0-9._%+'-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![\w@])"
)


# An address written to dodge spam filters or auto-linking: "jo.bloggs at gmail dot com", "jo [at] example [dot]
# org", "jo(at)example(dot)org", "jo.bloggs @ gmail.com". Found from its "at" outwards (an "at" is in most notes; one
# with a domain after it is rare): the domain after it, the address's own part before it.
_AT_RE = re.compile(r"(?=[\[({<@aA])(?:[\[({<]\s*at\s*[\])}>]|(?<=\s)at(?=\s)|@)", re.IGNORECASE)
_DOT = r"(?:\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+|\.)"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
#: Generic top-level domains people's addresses end in, or a country's two letters.
_TLD = r"(?:com|org|net|info|biz|wales|cymru|scot|london|[A-Za-z]{2})"
_DISGUISED_DOMAIN = re.compile(rf"\s*({_LABEL}(?:{_DOT}{_LABEL})*{_DOT}{_TLD})(?![\w@/-]|\.[A-Za-z0-9])",
                               re.IGNORECASE)  # not a web address's path ("gov.uk/apply")
_DISGUISED_LOCAL = re.compile(
    r"(?<![\w.+'@-])[A-Za-z0-9][A-Za-z0-9._%+'-]*(?:\s+dot\s+[A-Za-z0-9][A-Za-z0-9._%+'-]*)*\s*$", re.IGNORECASE
)
_WRITTEN_DOT = re.compile(r"\bdot\b", re.IGNORECASE)
_ADDRESS_LIKE = re.compile(r"[._%+\d-]")


def emails(text: str) -> Iterator[Hit]:
    for m in EMAIL_RE.finditer(text):
        yield m.start(), m.end(), "EMAIL", 0.99
    for at in _AT_RE.finditer(text):
        spaced = text[at.start() - 1 : at.start()].isspace() or text[at.end() : at.end() + 1].isspace()
        if at.group() == "@" and not spaced:
            continue  # a plain address: EMAIL_RE's
        domain = _DISGUISED_DOMAIN.match(text, at.end())
        local = _DISGUISED_LOCAL.search(text, max(0, at.start() - 64), at.start()) if domain else None
        if local is None or local.group().endswith("."):
            continue
        if at.group().lower() == "at" and not _WRITTEN_DOT.search(local.group() + domain.group(1)) \
                and (not _ADDRESS_LIKE.search(local.group()) or domain.group(1).lower().startswith("www.")):
            continue  # "bought it at Amazon.co.uk", "info at www.nhs.uk": a web address after a word
        yield local.start(), domain.end(1), "EMAIL", 0.95


# -- NHS numbers -------------------------------------------------------------------
#: Ten digits, 3-3-4, in groups joined alike: by one or two spaces (a CMS's aligned columns), a hyphen or a full
#: stop, spaced or not, or none; not inside a number, except straight after an abbreviation's full stop ("No.").
NHS_RE = re.compile(
    r"(?=\d)(?:(?<![\w/.-])|(?<=[A-Za-z]\.))(\d{3})( ?[-.] ?| {1,2}|)(\d{3})\2(\d{4})(?![\w/]|[.-]\d)"
)
#: A UK number in international form drops its 0 ("+44 161 496 0003"): ten digits that can pass the NHS check.
_PHONE_PREFIX = re.compile(r"(?:\+|\b00)\s?44\s?(?:\(0\)\s?)?$")
#: Words that make a 10-digit number a record or case reference, not an NHS number.
REFERENCE_CUES = re.compile(
    r"\b(?:ref(?:erence)?|case\s+(?:no|number|id)|client\s+(?:no|id)|id|mosaic|lcs|wccis|liquidlogic|"
    r"crime|incident|log|invoice|account|acc|order|claim|file|cms|person\s+id|uprn)\b[\s.:#no]*$",
    re.IGNORECASE,
)
NHS_CUE = re.compile(r"\bnhs\b|\bchi\b|health\s+(?:no|number)", re.IGNORECASE)


def nhs_check_digit_ok(digits: str) -> bool:
    """The NHS number's mod-11 check: weights 10..2 on the first nine digits."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def nhs_numbers(text: str) -> Iterator[Hit]:
    for m in NHS_RE.finditer(text):
        digits = m.group(1) + m.group(3) + m.group(4)
        if digits[0] == "0" or not nhs_check_digit_ok(digits):
            continue  # leading 0: a phone number; failing the check: not an NHS number
        before = text[max(0, m.start() - 40) : m.start()]
        if _PHONE_PREFIX.search(before):
            continue  # a phone number after +44 (UK numbers in national form start with 0: never NHS numbers)
        if NHS_CUE.search(before):
            yield m.start(), m.end(), "NHS_NUMBER", 0.99
        elif not REFERENCE_CUES.search(before):
            yield m.start(), m.end(), "NHS_NUMBER", 0.9


# -- National Insurance numbers ----------------------------------------------------
#: Two prefix letters, three pairs of digits and a suffix letter, joined by spaces, hyphens ("AB-12-34-56-C") or
#: nothing.
NI_RE = re.compile(
    r"(?<![\w/-])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])[ -]?(\d{2})[ -]?(\d{2})[ -]?(\d{2})(?:[ -]?([A-D]))?(?![\w/-])",
    re.IGNORECASE,
)
NI_UNALLOCATED = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})
NI_CUE = re.compile(r"\bni\b|\bn\.i\.|national\s+insurance|\bnino\b", re.IGNORECASE)


def ni_numbers(text: str) -> Iterator[Hit]:
    for m in NI_RE.finditer(text):
        prefix = m.group(1)
        if prefix.upper() in NI_UNALLOCATED:
            continue
        cued = bool(NI_CUE.search(text[max(0, m.start() - 40) : m.start()]))
        upper = prefix.isupper() and (m.group(5) or "A").isupper()
        if m.group(5) is None and not cued:
            continue  # without the suffix letter it reads as a reference code
        if not upper and not cued:
            continue
        yield m.start(), m.end(), "NI_NUMBER", 0.99 if cued else 0.95


# -- dates of birth ----------------------------------------------------------------
#: The months, in order: the English name and its abbreviations (each the start of the name), the Welsh name, and the
#: Welsh name as "o" softens it ("3ydd o Fai"), where it changes. What the patterns match (:data:`_MONTH`,
#: :data:`_OF_MONTH`) and the number a date's month is read as (:data:`_MONTH_NUMBERS`) both come from here.
_MONTHS = (
    ("January", ("Jan",), "Ionawr", None),
    ("February", ("Feb",), "Chwefror", None),
    ("March", ("Mar",), "Mawrth", "Fawrth"),
    ("April", ("Apr",), "Ebrill", None),
    ("May", (), "Mai", "Fai"),
    ("June", ("Jun",), "Mehefin", "Fehefin"),
    ("July", ("Jul",), "Gorffennaf", "Orffennaf"),
    ("August", ("Aug",), "Awst", None),
    ("September", ("Sep", "Sept"), "Medi", "Fedi"),
    ("October", ("Oct",), "Hydref", None),
    ("November", ("Nov",), "Tachwedd", "Dachwedd"),
    ("December", ("Dec",), "Rhagfyr", "Ragfyr"),
)


def _shortest_first(forms: tuple[str, ...]) -> str:
    """A pattern for a name and its abbreviations, each the start of the next: "Sep", "Sept", "September" give
    "Sep(?:t(?:ember)?)?", which prefers the longest, as the name written whole would be read."""
    forms = tuple(sorted(forms, key=len))
    if any(not longer.startswith(shorter) for shorter, longer in zip(forms, forms[1:])):
        raise ValueError(f"not each the start of the next: {forms}")
    rest = ""
    for shorter, longer in reversed(list(zip(forms, forms[1:]))):
        rest = f"(?:{longer[len(shorter):]}{rest})?"
    return forms[0] + rest


#: A month's name, English (whole or abbreviated) or Welsh, and a full stop after it or not.
_MONTH = "(?:{})\\.?".format("|".join([_shortest_first((english, *short)) for english, short, _, _ in _MONTHS]
                                       + [welsh for _, _, welsh, _ in _MONTHS]))
#: A Welsh month's name softened after "o" ("Fai"); only there (alone, "fai" is a word: "ar fai", at fault).
_SOFTENED_MONTH = "(?:{})".format("|".join(softened for *_, softened in _MONTHS if softened))
#: A day's ordinal: English, or Welsh (1af, 2il, 3ydd, 4ydd, 5ed, 7fed, 11eg, 21ain).
_DAY = r"(?:[0-2]?\d|3[01])(?:st|nd|rd|th|af|il|ydd|ed|fed|eg|ain)?"
#: What joins a day to its month's name: a space, "of", or Welsh "o", which softens the month after it ("3ydd o Fai",
#: "1af o Fawrth", "4ydd o Orffennaf"; those it leaves alone, "o Ebrill", are _MONTH's).
_OF_MONTH = rf"(?:\s+of\s+{_MONTH}|\s+o\s+(?:{_MONTH}|{_SOFTENED_MONTH}\b)|\s+{_MONTH})"
DATE_RE = re.compile(
    # not inside a number or a range, except after an abbreviation's full stop ("b.03/04/2016"), ":-" or a "DOB" run
    # into it ("DOB03/04/2016", as forms' fields are pasted)
    rf"(?:\b(?=\d|{_MONTH})|(?=\d)(?<=[Dd][Oo][Bb]))(?:(?<![\w/.-])|(?<=[A-Za-z]\.)|(?<=:-)|(?<=[Dd][Oo][Bb]))(?:"
    r"(?:[0-2]?\d|3[01])[/.-](?:0?\d|1[0-2])[/.-](?:\d{4}|\d{2})"  # 03/04/2016, 3.4.16
    r"|\d{4}(?P<ysep>[-/.])(?:0?[1-9]|1[0-2])(?P=ysep)(?:[0-2]?\d|3[01])"  # ISO, and 2016/04/03 as forms write it
    r"|(?:[0-2]?\d|3[01]) (?:0?\d|1[0-2]) (?:19|20)\d{2}"  # 03 04 2016 (a form's boxes)
    rf"|{_DAY}{_OF_MONTH},?\s+(?:\d{{4}}|['’]\d{{2}})"  # 3rd of June 2019, 3rd June '19, 3ydd o Fai 2015
    rf"|{_DAY}(?P<msep>[-/]){_MONTH}(?P=msep)(?:\d{{4}}|\d{{2}})"  # 03-Apr-2016, 03/Apr/16 (spreadsheets, CMSs)
    rf"|{_DAY}\s+{_MONTH}\s+\d{{2}}"  # 03 Apr 16
    rf"|{_MONTH}\s+{_DAY},?\s+\d{{4}}"  # June 3, 2019
    rf"|{_MONTH}\s+\d{{4}}"  # June 2019 (born in ...)
    # 03042016, 030416: a date only straight after a birth cue (else a reference number)
    r"|(?P<compact>(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:(?:19|20)\d{2}|\d{2}))"
    # 19/2, 3rd March, March 3rd: a day and month with no year, of birth only straight after a birth cue (the note's
    # date gives the year); a month's day of two digits only as an ordinal ("Mar 22" is March 2022)
    r"|(?P<day_month>(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|1[0-2])"
    rf"|{_DAY}{_OF_MONTH}|{_MONTH}\s+(?:(?:[0-2]?\d|3[01])(?:st|nd|rd|th)|[1-9]))"
    r"|(?P<year>(?:19|20)\d{2})"  # 1990: a year alone, of birth only straight after a birth cue
    # a time may follow, as a CMS exports a date ("2016-04-03T00:00:00")
    r")(?:(?![\w/]|[.-]\d)|(?=T\d{2}:\d{2}))",
    re.IGNORECASE,
)
#: A birth cue shortly before the date: "DOB:", "d.o.b", "DOBs", "date(s) of birth", "year of birth", "YOB", "born
#: (on)", "b." (after a word or a bracket, never at a line's start: there it is a list's second item); Welsh "dyddiad
#: geni" (date of birth), "blwyddyn geni" (year of birth), "ganwyd" (was born; "ar" on, "ym" in). A weekday, or
#: whose date it is ("DOB for K is"; Welsh "ganwyd K ar", "ganwyd hi ar", "dyddiad geni K yw'r": K was born on, she was
#: born on, K's date of birth is the), may stand between it and the date.
#: "y babi" (the baby), "y plentyn" (the child), "y bachgen" (the boy), "y ferch" (the girl): who "ganwyd" (was born).
_WELSH_CHILD = r"(?:babi|plentyn|bachgen|ferch)"
DOB_BEFORE = re.compile(
    r"(?:\bd\.?\s?o\.?\s?b(?:s|['’]s)?(?![^\W\d_])\.?|\bdates?\s+of\s+birth\b|\bbirth\s?dates?\b|\bborn\b"
    r"|\b(?:year|yr)\s+of\s+birth\b|\byob\b"
    r"|(?:(?<=\S[ \t])|(?<=[,;(\[]))(?-i:b)\."
    r"|\b(?:dyddiad(?:au)?|blwyddyn)\s+geni\b|\b(?:g|a\s)anwyd\b)"
    r"(?:\s*(?:is|was|as|given|recorded|:|-|–|=|on|in|the|of|ar|ym|yn|y|yr|yw|yw['’]r|\(|for\s+(?-i:[A-Z])(?!\w)"
    rf"|(?<=anwyd\s|\Wgeni\s)(?-i:[A-Z])(?!\w)|(?<=anwyd\s)(?:hi|ef|e|o|nhw)\b|(?<=anwyd\sy\s){_WELSH_CHILD}\b"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day,?))*"
    r"\s*$",
    re.IGNORECASE,
)
#: "born" and where or how, then the date: "born at UHW on 12/06/2019", "born at home on", "born in Wrexham in 1990",
#: "born prematurely on", "born at 34 weeks on"; Welsh "ganwyd K yn Wrecsam ar", "ganwyd y babi yn Ysbyty Gwynedd
#: ar", "ganwyd hi gartref ar" (at home). A place is one to four capitalised words, so a sentence going on ("born in
#: Poland and came to the UK in 2010") is not one.
_PLACE = r"(?-i:[A-Z])[\w'’-]*(?:\s+(?-i:[A-Z])[\w'’-]*){0,3}"
BORN_WHERE = re.compile(
    rf"(?:\bborn\s+(?:(?:at|in)\s+(?:the\s+)?(?:home|hospital|{_PLACE})"
    r"|prematurely|early|unexpectedly|at\s+\d{2}(?:\+\d)?\s*(?:weeks|wks))"
    r"\s+(?:on|in)(?:\s+the)?"
    rf"|\b(?:g|a\s)anwyd\s+(?:(?-i:[A-Z])\s+|(?:hi|ef|e|o|nhw)\s+|y\s+{_WELSH_CHILD}\s+)?"
    rf"(?:gartref|(?:yn|ym|yng)\s+{_PLACE})\s+(?:ar|yn|ym)(?:\s+y)?)\s*$",
    re.IGNORECASE,
)
_BORN = re.compile(r"born|anwyd|(?<![\w.])b\.", re.IGNORECASE)
#: What joins dates of birth listed after one cue ("born 03/04/2016, 05/06/2018 and 7.8.20"; Welsh "a", "ac"),
#: and the next child's initial with them ("J, 03/04/2016; K, 05/06/2018"; a semicolon only with one).
_NEXT_INITIAL = r"(?-i:[A-Z])(?:,|[ ]?\()\s*"
_LIST_JOIN = re.compile(
    rf"\s*(?:(?:,|&|,?\s*\band\b|\ba\b|\bac\b)\s*(?:{_NEXT_INITIAL})?|;\s*{_NEXT_INITIAL})", re.IGNORECASE
)
#: What follows a year that is not one of birth: a time ("born 2015 hrs") or a span ("born 2016 onwards").
_NOT_A_YEAR_OF_BIRTH = re.compile(r"\s*(?:hrs?|hours?|onwards|or\s+(?:later|after|earlier|before))\b", re.IGNORECASE)
#: What follows a day and month that are not a birth date: a time ("born 10.05 hrs"), a span or an age ("born 2/3
#: months ago", "8/12 ago": eight months, as clinicians write it), a weight ("3.3 kg"), a fraction ("1/2 an hour"),
#: a score ("9/10 APGARs") or a period ("19/2 - 25/2").
_NOT_A_DAY_MONTH = re.compile(
    r"\s*(?:(?:an?\s+)?(?:hrs?|hours?|h|mins?|minutes?|am|pm|days?|wks?|weeks?|months?|mths?|years?|yrs?"
    r"|kgs?|lbs?|oz|apgars?|ago|old|prem\w*)\b"
    r"|(?:-|–|—|to\b)\s*\d)",
    re.IGNORECASE,
)
#: Cues a day and month may follow: "born", "ganwyd", "DOB", "date of birth" (not "b.", which also letters a list,
#: nor "year of birth"); not "in" a place or time ("born in March 3 years ago"); "on" only after "born", since "gave
#: his date of birth on 20/05" is the day it was given.
_NOT_A_DAY_MONTH_CUE = re.compile(r"^(?:b\.|y(?:ea)?r|yob|blwyddyn)|\b(?:in|ym|yn)\b", re.IGNORECASE)
_ON = re.compile(r"\b(?:on|ar)\b", re.IGNORECASE)
_BORN_FIRST = re.compile(r"born|(?:g|a\s)anwyd", re.IGNORECASE)
#: "Megan Fitzgerald (25-06-1996)": a full date in brackets straight after a name.
NAME_BRACKET = re.compile(r"\b[A-Z][a-z][\w'’-]*\s\(\s*$")
NOT_NAMES = frozenset("review meeting conference visit supervision assessment plan report hearing court".split())
#: "K (03/04/2016)", "Mr T (12.05.1985)": a full date in brackets straight after an initial, where notes give a
#: child's age ("E (14)"); not after a word a letter labels ("Plan A", "Appendix C", "Hep B", "vitamin K").
INITIAL_BRACKET = re.compile(r"(?:\b(?P<word>[A-Za-z]+)[ \t]+)?(?<![\w'’.&/-])[A-Z][ \t]?\(\s*$")
LETTERED = frozenset(
    "plan appendix annex annexe section part form option stage phase schedule exhibit tier grade block ward unit "
    "room type category level class item step question box bay zone team area hub group list page para paragraph "
    "table figure chart site court floor wing flat pod version hep hepatitis vitamin strep "
    "cynllun atodiad rhan adran ffurflen opsiwn cam".split()
)
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Master)\.?"
#: A family tie, whose date in brackets is an adult's (or a child's) date of birth as a child's initial's is: "mum's
#: partner (12/03/1990)", "maternal aunt (04/07/1985)", "MGM (...)", "son (03/04/2016)", "baby (12/06/2024)"; Welsh
#: "nain", "taid", "modryb" (aunt), "mab" (son), "babi". A parent, partner or grandparent (:data:`_ADULT_KIN`) is over ten: a date fewer
#: than ten years before the note's is an event's ("Contact: mum (12/05/2024) cancelled"); anyone else may be a
#: child ("uncle (04/07/2012)").
_ADULT_KIN = (r"(?:mother|mum|mam|mummy|mammy|father|dad|daddy|tad|parent|step-?(?:mother|father|mum|dad|parent)"
              r"|partner|ex-partner|husband|wife|fianc[eé]e?"
              r"|grand(?:mother|father|ma|pa|parent|mum|dad)|granddad|gran|granny|nan|nana|nanny|nain|taid|mam-?gu"
              r"|tad-?cu|[MP]G[MF]|[MP]GG[MF])")  # "MGM", "mgm"
_KIN = (rf"(?:{_ADULT_KIN}|boyfriend|girlfriend|aunt|auntie|aunty|uncle|modryb|ewythr"
        r"|(?:half-)?(?:sister|brother|sibling)|chwaer|brawd|cousin|niece|nephew"
        r"|(?:step-?|grand)?(?:son|daughter)|grandchild|mab|merch|baby|babi|infant)")
#: A family tie with the words that may stand before it ("maternal", "mum's", "the new"): what a word making the
#: date an event's must stand straight before, as it must before an initial.
_KIN_QUALIFIERS = r"(?:(?:maternal|paternal|the|her|his|their|new|former|older|younger|elder|[A-Za-z]+['’]s)[ \t]+){0,2}"
_KIN_TIE = rf"{_KIN_QUALIFIERS}{_KIN}"
#: A family tie, telling a parent, partner or grandparent (group ``adult``) from anyone else.
_KIN_OF_AGE = rf"(?:(?P<adult>{_ADULT_KIN})|{_KIN})"
#: Whose date a bracket straight after holds: an initial, with its title, or a family tie.
_SUBJECT = rf"(?:(?:{_TITLE}[ \t]+)?(?-i:[A-Z])|{_KIN_TIE})"
KIN_BRACKET = re.compile(rf"\b(?<!ward )(?<!ward\t){_KIN_OF_AGE}[ \t]?\(\s*$",
                         re.IGNORECASE)  # a ward sister: a nurse
#: "Father: 12/03/1990", "Maternal grandmother: 04/07/1965", "- Son: 03/04/2016": a family tie naming a field, as a
#: household's list gives dates of birth. The tie starts a line or an item (after a list's ";" or ",", a bullet, a
#: bracket, a full stop or a heading's colon) and the date is the field's whole value (:data:`_FIELD_DATE_ENDS`): not a
#: tie a sentence leads to ("Last contact with father: 12/03/2024"), nor a date after other words ("Father: seen
#: 12/03/2024"). Searched up to the date (``endpos``), where its ``$`` matches.
KIN_FIELD = re.compile(
    rf"(?:^|(?<=[;,(:.•*–-]))[ \t]*(?<![\w'’-]){_KIN_QUALIFIERS}{_KIN_OF_AGE}[ \t]*:[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
#: An initial (with its title) or a family tie after a role or a word that makes its bracketed date an event's:
#: "Reviewed by TM J (12/05/2024)", "Meeting with Mrs J (...)", "class teacher Miss K (...)", "SW visited K (...)".
#: A call's verb counts anywhere ("Rang Mrs J (...)"), a visit's only after its subject: "Visited L (3rd April 2016)
#: and mother" gives L's date of birth. Not "for": "Referral for K (03/04/2016)" is a child's date of birth as often
#: as "booked for J (15/05/2024)" is an event's, and a birth date missed is worse than a false alarm cleared.
EVENT_BEFORE_INITIAL = re.compile(
    r"(?:(?-i:\b(?:TM|SW|SSW|ASW|ISW|CSW|PSW|SP|IRO|FSW|HV|PA|DSL|DDSL|MW|GP|PC|DC|DS|PCSO|CPN|SENCO|SENDCo|LADO"
    r"|IDVA|ISVA|YOT|EWO|OT|SALT|Dr)\b)"
    r"|\b(?:manager|worker|officer|nurse|teacher|headteacher|chair|chairperson|midwife|visitor|practitioner"
    r"|professional|therapist|psychologist|psychiatrist|paediatrician|consultant|doctor|solicitor|advocate|keyworker"
    r"|mentor|co-?ordinator|supervisor|counsellor|caseworker|adviser|advisor|inspector|sergeant|constable"
    r"|swyddog|nyrs|athro|athrawes|cadeirydd|rheolwr"
    r"|by|with|to|from|at|gan|gyda|efo|called|rang|phoned|texted|emailed)\b"
    r"|(?<=[\w,][ \t])(?:met|seen|visited)\b)"
    rf",?[ \t]+{_SUBJECT}[ \t]?\(\s*$",
    re.IGNORECASE,
)
#: ... except where those words tie the initial to the family, so the date is theirs: "mother to K (...)", "born to
#: Ms J (...)", "lives with Mr T (...)", "a new partner called T (...)".
FAMILY_BEFORE_INITIAL = re.compile(
    r"\b(?:(?:mother|mum|father|dad|parent|carer|sister|brother|aunt|uncle|nan|nain|taid|grand\w*|step-?\w+"
    r"|born|birth)\s+to|(?:lives?|living|lived|stay(?:s|ing|ed)?|placed|resid(?:es|ing)|moved\s+in)\s+with"
    r"|(?:an?|the|her|his|their|new|partner|boyfriend|girlfriend|friend|boy|girl|man|woman|child|baby|son|daughter)"
    r"\s+(?:\w+\s+)?called)"
    rf"[ \t]+{_SUBJECT}[ \t]?\(\s*$",
    re.IGNORECASE,
)
#: Another initial or family tie with a date of its own straight after: a list of dates of birth ("Strategy discussion
#: for J (03/04/2016) and K (05/06/2018)", "Meeting with mother (12/03/1990) and father (04/07/1985)").
_NEXT_INITIAL_DATE = re.compile(rf"\s*\)\s*(?:,|&|\band\b)\s*{_SUBJECT}[ \t]?\(\s*\d", re.IGNORECASE)
#: "Child K, 03/04/2016, lives with...", "Siblings: J, 03/04/2016": a child's initial, a comma and the date, as a
#: heading names a child. Only after a word for a child: after a heading's initials the date is the meeting's
#: ("RCPC – E O, 12/01/23").
_CHILD_WORD = (r"\b(?:child(?:ren)?|baby|infant|son|daughter|siblings?|brother|sister|twins?|half-(?:brother|sister)"
               r"|step-?(?:son|daughter|brother|sister)|grand(?:child|son|daughter)|plentyn|plant|babi|mab|merch|brawd"
               r"|chwaer)")
CHILD_INITIAL_COMMA = re.compile(rf"{_CHILD_WORD}:?[ \t]+[A-Z],[ \t]*$", re.IGNORECASE)
#: A list of children under a heading, a child a line: "Siblings: J, 03/04/2016" then "K, 05/06/2018", or "Children:"
#: alone on its line and the children after it, bulleted or not. A line of it (:data:`_CHILD_LIST_ITEM`, up to the
#: date) is the list's while the lines above it, back to the heading, are all the list's (:func:`_in_child_list`): a
#: blank line or a sentence ends it, and a list with no word for a child ("Attendees:") is a meeting's.
_BULLET = r"[ \t]*(?:[-–•*][ \t]*)?"
_CHILD_LIST_ITEM = re.compile(rf"{_BULLET}(?-i:[A-Z]),[ \t]*")
_CHILD_LIST_HEADING = re.compile(rf"{_BULLET}{_CHILD_WORD}:[ \t]*(?:(?P<first>(?-i:[A-Z]),[ \t]*)|$)", re.IGNORECASE)
#: How many lines above a date :func:`_in_child_list` reads for the list's heading (a household's children).
_CHILD_LIST_LINES = 20
#: After an initial's date: its bracket, sentence or line ends (a line's end, "\r\n" too, as much as the note's), or
#: another is listed ("K (03/04/2016 - 05/04/2016)", "Child K, 03/04/2024 visit" are not dates of birth).
_DATE_ENDS = r"\s*(?:[),;]|\.(?!\d)|\band\b|&|(?m:$))"
_INITIAL_DATE_ENDS = re.compile(_DATE_ENDS)
#: After a family tie's field's date: as after an initial's, or an age in brackets follows ("Father: 12/03/1990
#: (34)"); not a period ("Father: 12/03/2024 - 14/03/2024") nor more words ("Mum: 12/05/2024 no answer").
_FIELD_DATE_ENDS = re.compile(rf"[ \t]*\(\s*\d{{1,3}}\s*\)|{_DATE_ENDS}")
DOB_AFTER = re.compile(r"^\s*[(\[]?\s*(?:d\.?o\.?b\.?|date of birth)\b", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"^{_MONTH}\s+\d{{4}}$", re.IGNORECASE)


def dates_of_birth(text: str, note_date: dt.date | None = None) -> Iterator[Hit]:
    """Dates of birth in ``text``; a date after a person, not after a birth cue, is judged by the note's date, or,
    without it, by the latest day the note can be of (:func:`_born_by`)."""
    last_end = last_kind = None  # of the last date of birth: a date listed straight after it, of its kind, is one too
    for m in DATE_RE.finditer(text):
        cue = _birth_cue(text, m.start())
        if m.group("compact") is not None and cue is None:
            continue
        kind = "year" if m.group("year") is not None else "day_month" if m.group("day_month") is not None else "date"
        if kind == "day_month":
            # never listed: after "born 19/05, " comes a weight or the next event's day ("3.1 kg", "home 21/05")
            if cue is None or not _day_month_cue(cue) or _NOT_A_DAY_MONTH.match(text, m.end()):
                continue
        else:
            listed = last_end is not None and last_kind == kind and _LIST_JOIN.fullmatch(text, last_end, m.start())
            if kind == "year":
                if (cue is None and not listed) or _NOT_A_YEAR_OF_BIRTH.match(text, m.end()):
                    continue
            elif cue is None and not listed and not DOB_AFTER.match(text[m.end() : m.end() + 20]):
                whose = _after_person(text, m)
                if whose is None or not _born_by(m.group(), whose, note_date):
                    continue
            if _MONTH_YEAR.match(m.group()) and (cue is None or not _BORN.search(cue.group())):
                continue  # a month and year is a birth date only in "born in June 2019"
        last_end, last_kind = m.end(), kind
        yield m.start(), m.end(), "DATE_OF_BIRTH", 0.98


def _day_month_cue(cue: re.Match) -> bool:
    """Whether a day and month straight after ``cue`` is a birth date's.

    "born 10.05" may be a time of birth or a date: it is read as a date, as a false alarm costs a reviewer one key
    and a date of birth missed goes out in an export. A time says so and is left alone ("10.05am", "10.05 hrs":
    :data:`_NOT_A_DAY_MONTH`; "born at 10.05" is no cue).
    """
    if cue.re is BORN_WHERE:
        return _ON.search(cue.group()) is not None  # "born at UHW on 12/06", not "born in Wrexham in ..."
    words = cue.group()
    if _NOT_A_DAY_MONTH_CUE.search(words):
        return False
    return _ON.search(words) is None or _BORN_FIRST.match(words) is not None


def _birth_cue(text: str, start: int) -> re.Match | None:
    cue = DOB_BEFORE.search(text[max(0, start - 30) : start])
    if cue is None:
        before = text[max(0, start - 60) : start]
        lower = before.lower()
        if "born" in lower or "anwyd" in lower:  # the cheap test first: most dates have no "born" before them
            cue = BORN_WHERE.search(before)
    return cue


def _after_person(text: str, m: re.Match) -> str | None:
    """Whose date of birth the date ``m`` is, if it follows a name, an initial or a family tie as a date of birth
    does (in brackets, after a child's initial and a comma, or as a family tie's field): ``"adult"`` after a parent, partner or grandparent (:data:`_ADULT_KIN`), ``"person"`` after anyone else;
    None if it does not."""
    before = text[max(0, m.start() - 30) : m.start()]
    if _MONTH_YEAR.match(m.group()):
        return None
    field = KIN_FIELD.search(text, max(0, m.start() - 50), m.start())  # "Father: 12/03/1990"
    if field is not None:
        return None if _FIELD_DATE_ENDS.match(text, m.end()) is None else "adult" if field.group("adult") else "person"
    initial = KIN_BRACKET.search(before)  # before a name's: "Mother (" is a tie, a date after "with" is an event's
    if initial is None:
        name = NAME_BRACKET.search(before)
        if name is not None:
            return "person" if name.group().split()[0].lower() not in NOT_NAMES else None
        initial = INITIAL_BRACKET.search(before)
        if initial is not None and (initial.group("word") or "").lower() in LETTERED:
            return None
    if initial is not None and not _NEXT_INITIAL_DATE.match(text, m.end()):
        around = text[max(0, m.start() - 50) : m.start()]
        if EVENT_BEFORE_INITIAL.search(around) and not FAMILY_BEFORE_INITIAL.search(around):
            return None  # an event's date: "Reviewed by TM J (12/05/2024)"
    if initial is None and CHILD_INITIAL_COMMA.search(before) is None and not _in_child_list(text, m.start()):
        return None
    if _INITIAL_DATE_ENDS.match(text, m.end()) is None:
        return None
    return "adult" if initial is not None and initial.re is KIN_BRACKET and initial.group("adult") else "person"


def _in_child_list(text: str, start: int) -> bool:
    """Whether the date at ``start`` is a line of a list of children under a heading (:data:`_CHILD_LIST_ITEM`): its
    line an initial and a comma up to it, and each line above it one of the list's, up to the heading's."""
    line_start = text.rfind("\n", 0, start) + 1
    if not _CHILD_LIST_ITEM.fullmatch(text, line_start, start):
        return False
    end = line_start - 1  # the line above ends at its "\n"
    for _ in range(_CHILD_LIST_LINES):
        if end < 0:
            return False
        begin = text.rfind("\n", 0, end) + 1
        line = text[begin:end].rstrip("\r")
        heading = _CHILD_LIST_HEADING.match(line)
        if heading is not None and heading.group("first") is None:
            return True  # "Children:" alone on its line
        item = heading or _CHILD_LIST_ITEM.match(line)
        date = DATE_RE.match(line, item.end()) if item is not None else None
        if date is None or _INITIAL_DATE_ENDS.match(line, date.end()) is None:
            return False  # not a child's line: the list ended above the date, if there was one
        if heading is not None:
            return True  # "Siblings: J, 03/04/2016"
        end = begin - 1
    return False


#: The youngest a parent, partner or grandparent is on a note's date: a date in brackets after one, fewer years than
#: this before the note's date, is an event's ("Core group: mum (10/06/2024)"); a teenage mother's is still found.
ADULT_MIN_AGE = 10
_MIN_AGE = {"adult": ADULT_MIN_AGE, "person": 0}  # a child's date of birth may be the note's day
#: The day these rules were written: no note is scanned before it, so no undated note is read as of an earlier day
#: (:func:`latest_note_day`), whatever a machine's clock says.
RULES_WRITTEN = dt.date(2026, 11, 27)


def latest_note_day(today: dt.date | None = None) -> dt.date:
    """The latest day a note without a date can be of: it was written by the day it is scanned (``today``, the
    clock's by default), a day's grace for time zones; never before :data:`RULES_WRITTEN` (a clock reset to 1970 would
    make every recent adult's date of birth look too young). Read as of this day, a date after it is still nobody's
    date of birth and one fewer than ten years before it no adult's ("Mum: 12/05/2024." in an undated letter is an
    event's), and a date of birth is never lost: a note's real date is on or before this day, and whoever was born
    by then and of age then is so now. As the clock moves on a scan can only find more, never less."""
    return max((today or dt.date.today()) + dt.timedelta(days=1), RULES_WRITTEN)


def _born_by(value: str, whose: str, note_date: dt.date | None) -> bool:
    """Whether the date ``value`` after a person (``whose``: :func:`_after_person`) can be their date of birth on
    the note's date (without one, :func:`latest_note_day`): nobody is born after it, no adult fewer than
    :data:`ADULT_MIN_AGE` years before it. A date it cannot read can."""
    by = note_date if note_date is not None else latest_note_day()
    born = _date_of(value, by)
    if born is None:
        return True
    age = by.year - born.year - ((by.month, by.day) < (born.month, born.day))
    return age >= _MIN_AGE[whose]


_MONTH_FORMS = [(form.lower(), n) for n, (english, short, welsh, softened) in enumerate(_MONTHS, 1)
                for form in (english, *short, welsh, softened) if form]
#: Each form of a month's name the patterns match (:data:`_MONTHS`), in lower case, to the month's number.
_MONTH_NUMBERS = dict(_MONTH_FORMS)
assert len(_MONTH_NUMBERS) == len(_MONTH_FORMS), "two months share a form: one would be read as the other"
_WORD = re.compile(r"(?<![^\W_])[^\W\d_]+")  # a word not run into a number ("3ydd", "7fed": ordinals)


def _date_of(value: str, note_date: dt.date) -> dt.date | None:
    """The day a date that :data:`DATE_RE` matched with a day, a month and a year stands for, day first (UK notes);
    a year of two digits in the century that puts it on or before the note's year. None if it names no such day."""
    numbers = [int(n) for n in re.findall(r"\d+", value)]
    months = [_MONTH_NUMBERS.get(w.lower()) for w in _WORD.findall(value)]
    months = [n for n in months if n]
    if months and len(numbers) == 2:
        (day, year), month = numbers, months[0]
    elif len(numbers) == 3:
        day, month, year = numbers[::-1] if value[:4].isdigit() else numbers  # ISO: the year first
    else:
        return None
    if year < 100:
        year += 2000 if 2000 + year <= note_date.year else 1900
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


RECOGNISERS = (postcodes, phones, emails, nhs_numbers, ni_numbers)


def structured(text: str, note_date: dt.date | None = None) -> list[Hit]:
    """Every structured-type hit in ``text`` (may overlap; the scanner resolves overlaps); the note's date (else the
    latest day the note can be of) tells some dates of birth from events' dates (:func:`dates_of_birth`)."""
    return [hit for recogniser in RECOGNISERS for hit in recogniser(text)] + list(dates_of_birth(text, note_date))
