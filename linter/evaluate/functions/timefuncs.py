"""Date and time functions over RFC 3339 timestamps: ``formatdate``, ``timeadd``, ``timecmp``."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from ...values import LStr
from ._base import FunctionError, known, need_str

_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$"
)


def parse_timestamp(text: str, name: str) -> tuple[datetime, bool]:
    """The time and whether it was written in UTC with ``Z``."""
    m = _RFC3339.match(text)
    if not m:
        raise FunctionError(f'{name}(): "{text}" is not a valid RFC 3339 timestamp')
    y, mo, d, h, mi, s, frac, z, sign, oh, om = m.groups()
    tz = timezone.utc
    if not z:
        off = timedelta(hours=int(oh), minutes=int(om))
        tz = timezone(-off if sign == "-" else off)
    try:
        micro = int((frac or "0")[:6].ljust(6, "0"))
        return datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), micro, tz), bool(z)
    except ValueError:
        raise FunctionError(f'{name}(): "{text}" is not a valid RFC 3339 timestamp') from None


def _offset(dt: datetime, utc_z: bool, colon: bool = True) -> str:
    if utc_z:
        return "Z"
    off = dt.utcoffset() or timedelta(0)
    total = int(off.total_seconds() // 60)
    sign = "-" if total < 0 else "+"
    h, m = divmod(abs(total), 60)
    return f"{sign}{h:02d}:{m:02d}" if colon else f"{sign}{h:02d}{m:02d}"


def rfc3339(dt: datetime, utc_z: bool) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + _offset(dt, utc_z)


_TOKEN = re.compile(r"'(?:[^']|'')*'?|([A-Za-z])\1*|[^A-Za-z']+")


def _token(tok: str, dt: datetime, utc_z: bool) -> str:
    h12 = dt.hour % 12 or 12
    table = {
        "YYYY": f"{dt.year:04d}",
        "YY": f"{dt.year % 100:02d}",
        "MMMM": dt.strftime("%B"),
        "MMM": dt.strftime("%b"),
        "MM": f"{dt.month:02d}",
        "M": str(dt.month),
        "DD": f"{dt.day:02d}",
        "D": str(dt.day),
        "EEEE": dt.strftime("%A"),
        "EEE": dt.strftime("%a"),
        "hh": f"{dt.hour:02d}",
        "h": str(dt.hour),
        "HH": f"{h12:02d}",
        "H": str(h12),
        "mm": f"{dt.minute:02d}",
        "m": str(dt.minute),
        "ss": f"{dt.second:02d}",
        "s": str(dt.second),
        "AA": "AM" if dt.hour < 12 else "PM",
        "aa": "am" if dt.hour < 12 else "pm",
        "ZZZZZ": _offset(dt, False),
        "ZZZZ": _offset(dt, False, colon=False),
        "ZZZ": "UTC" if utc_z or not dt.utcoffset() else _offset(dt, False, colon=False),
        "Z": _offset(dt, utc_z),
    }
    if tok not in table:
        raise FunctionError(f'formatdate(): invalid date format verb "{tok}"')
    return table[tok]


@known("formatdate", 2)
def formatdate(args, span):
    spec = need_str(args[0], "formatdate", "format")
    dt, utc_z = parse_timestamp(need_str(args[1], "formatdate", "timestamp"), "formatdate")
    out = []
    for m in _TOKEN.finditer(spec):
        tok = m.group(0)
        if tok.startswith("'"):
            if (
                len(tok) < 2
                or not tok.endswith("'")
                or tok.endswith("''")
                and len(tok) > 2
                and tok.count("'") % 2
            ):
                raise FunctionError("formatdate(): unterminated literal '")
            out.append(tok[1:-1].replace("''", "'") if tok != "''" else "'")
        elif m.group(1):
            out.append(_token(tok, dt, utc_z))
        else:
            out.append(tok)
    return LStr("".join(out), span)


_DURATION = re.compile(r"([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)")
_UNIT_NS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "μs": 1_000,
    "ms": 1_000_000,
    "s": 10**9,
    "m": 60 * 10**9,
    "h": 3600 * 10**9,
}


def parse_duration(text: str) -> int:
    """A Go duration string (``1h30m``, ``-1.5s``) in nanoseconds."""
    s, sign = text, 1
    if s[:1] in "+-":
        sign = -1 if s[0] == "-" else 1
        s = s[1:]
    if s == "0":
        return 0
    if not s:
        raise FunctionError(f'timeadd(): invalid duration "{text}"')
    total, pos = 0, 0
    while pos < len(s):
        m = _DURATION.match(s, pos)
        if not m or m.group(1) in ("", "."):
            raise FunctionError(f'timeadd(): invalid duration "{text}"')
        total += round(float(m.group(1)) * _UNIT_NS[m.group(2)])
        pos = m.end()
    return sign * total


@known("timeadd", 2)
def timeadd(args, span):
    dt, utc_z = parse_timestamp(need_str(args[0], "timeadd", "timestamp"), "timeadd")
    ns = parse_duration(need_str(args[1], "timeadd", "duration"))
    return LStr(rfc3339(dt + timedelta(microseconds=ns / 1000), utc_z), span)


@known("timecmp", 2)
def timecmp(args, span):
    a, _ = parse_timestamp(need_str(args[0], "timecmp", "timestamp"), "timecmp")
    b, _ = parse_timestamp(need_str(args[1], "timecmp", "timestamp"), "timecmp")
    return (a > b) - (a < b)


FUNCTIONS = {"formatdate": formatdate, "timeadd": timeadd, "timecmp": timecmp}
