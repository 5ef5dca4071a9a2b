"""Opening hours, parsed and printed the same readable French way.

Accepted input:

* a dict ``{day: text}`` (France services has one column per weekday,
  ``h_lundi`` … ``h_samedi``, with ``09:00 - 12:00 / 13:30 - 17:00``, ``-`` or
  empty for closed); keys may be ``lundi``, ``h_lundi``, ``Mo``, ``monday``
  or 0–6;
* OSM ``opening_hours``: ``Mo-Fr 08:30-12:30; Sa 09:00-12:00; PH off``,
  ``Mo-Th 09:00-12:00,13:30-17:30``, ``Mo-Su 00:00-00:00`` or ``24/7``
  (open all day);
* what people type: ``du lundi au vendredi de 8h30 à 12h et de 13h30 à 17h``,
  ``lun-ven 9h-12h``, ``lundi, mardi et jeudi : 9:00-12:00 ; samedi fermé``.

Output: a tuple of printed lines grouping consecutive days with identical
hours, closed days left out::

    ('Lundi au vendredi : 8 h 30 – 12 h 30 et 13 h 30 – 17 h', 'Samedi : 9 h – 12 h')

with U+00A0 inside each time and before the en dash and the colon, so a time
never breaks across lines; ':00' minutes are dropped ('17 h').

The free-text parser is deliberately strict: every word must be understood
(days, times, 'de', 'à', 'et', 'fermé'…); anything else ('sauf', 'sur
rendez-vous', 'le 1er samedi du mois') means the text is kept as typed,
French typography applied, with the warning ``horaires-non-reconnus`` — a
wrong timetable in print is worse than the contributor's own words.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from annuaire.text.collate import plain as _plain
from annuaire.check.normalise import NBSP, Normalised, Problem, is_blank

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_OSM_DAYS = {"mo": 0, "tu": 1, "we": 2, "th": 3, "fr": 4, "sa": 5, "su": 6}
_EN_DAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
FULL_DAY = ((0, 1440),)

Intervals = tuple[tuple[int, int], ...]


class _Unparsed(Exception):
    pass


# ---------------------------------------------------------------- printing


def format_time(minutes: int) -> str:
    """540 -> '9 h', 510 -> '8 h 30' (non-breaking spaces)."""
    h, m = divmod(minutes, 60)
    return f"{h}{NBSP}h" if m == 0 else f"{h}{NBSP}h{NBSP}{m:02d}"


def _format_intervals(intervals: Intervals) -> str:
    if intervals == FULL_DAY:
        return f"24{NBSP}h/24"
    # NBSP before the dash keeps it with the opening time; the line may
    # break after it, never inside a time.
    return " et ".join(f"{format_time(a)}{NBSP}– {format_time(b)}" for a, b in intervals)


def _day_label(first: int, last: int) -> str:
    if first == 0 and last == 6:
        return "Tous les jours"
    a = DAYS[first].capitalize()
    if first == last:
        return a
    if last == first + 1:
        return f"{a} et {DAYS[last]}"
    return f"{a} au {DAYS[last]}"


def format_week(week: Mapping[int, "Intervals | str"]) -> tuple[str, ...]:
    """Printed lines for {day: intervals}, consecutive identical days grouped.

    A day may hold text instead of intervals (a France services day written
    '1er samedi du mois : 09:00 - 12:00'): it is printed as typed, French
    typography applied, so one odd day does not lose the whole week."""
    lines = []
    day = 0
    while day < 7:
        iv = week.get(day)
        if not iv:
            day += 1
            continue
        last = day
        while last + 1 < 7 and week.get(last + 1) == iv:
            last += 1
        if isinstance(iv, str):
            from annuaire.text.typo import french

            text = french(iv)
        else:
            text = _format_intervals(iv)
        lines.append(f"{_day_label(day, last)}{NBSP}: {text}")
        day = last + 1
    return tuple(lines)


# ---------------------------------------------------------------- OSM

_OSM_RULE = re.compile(r"^(?P<days>(?:[A-Z][a-zA-Z](?:\s*-\s*[A-Z][a-z])?\s*,?\s*)*)\s*(?P<times>.*)$")
_OSM_TIME = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


def _looks_osm(text: str) -> bool:
    return (
        bool(
            re.search(r"\b(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)\b", text)
            and (re.search(r"\d{2}:\d{2}-\d{2}:\d{2}", text) or "off" in text)
        )
        or text.strip() == "24/7"
    )


def _osm_days(spec: str) -> list[int]:
    days: list[int] = []
    for item in filter(None, (s.strip() for s in spec.split(","))):
        if item in ("PH", "SH"):
            continue
        if "-" in item:
            a, b = (s.strip().lower() for s in item.split("-", 1))
            if a not in _OSM_DAYS or b not in _OSM_DAYS:
                raise _Unparsed(item)
            i, j = _OSM_DAYS[a], _OSM_DAYS[b]
            days.extend(range(i, j + 1) if i <= j else [*range(i, 7), *range(0, j + 1)])
        elif item.lower() in _OSM_DAYS:
            days.append(_OSM_DAYS[item.lower()])
        else:
            raise _Unparsed(item)
    return days


def _interval(h1: int, m1: int, h2: int, m2: int) -> tuple[int, int]:
    a, b = h1 * 60 + m1, h2 * 60 + m2
    if b == 0 and a > 0:
        b = 1440  # '18:00-00:00' closes at midnight
    if not (0 <= a < 1440 and 0 < b <= 1440 and m1 < 60 and m2 < 60) or (b <= a and not (a == 0 and b == 0)):
        raise _Unparsed(f"{h1}:{m1}-{h2}:{m2}")
    return (a, b)


def _parse_osm(text: str) -> dict[int, Intervals]:
    week: dict[int, Intervals] = {}
    if text.strip() == "24/7":
        return {d: FULL_DAY for d in range(7)}
    for rule in filter(None, (r.strip() for r in re.split(r";|\|\|", text))):
        if re.match(r"^(PH|SH)\b", rule) and not re.match(r"^(PH|SH)\s*,", rule):
            continue  # public/school holidays: not printed in a directory
        m = _OSM_RULE.match(rule)
        if not m:
            raise _Unparsed(rule)
        spec, times = m["days"].strip().rstrip(","), m["times"].strip()
        days = _osm_days(spec) if spec else list(range(7))
        if times in ("off", "closed"):
            for d in days:
                week.pop(d, None)
            continue
        ivs = []
        for t in filter(None, (s.strip() for s in times.split(","))):
            tm = _OSM_TIME.match(t)
            if not tm:
                raise _Unparsed(t)
            h1, m1, h2, m2 = map(int, tm.groups())
            if (h1, m1) == (0, 0) and (h2, m2) in ((0, 0), (24, 0)):
                ivs = list(FULL_DAY)  # 'Mo-Su 00:00-00:00' is open round the clock
                break
            ivs.append(_interval(h1, m1, h2, m2))
        for d in days:  # a later rule replaces an earlier one for its days (OSM semantics)
            week[d] = tuple(sorted(ivs))
    return week


# ---------------------------------------------------------------- French text

_DAY_WORDS = {
    "lundi": 0,
    "lun": 0,
    "mardi": 1,
    "mar": 1,
    "mercredi": 2,
    "mer": 2,
    "merc": 2,
    "jeudi": 3,
    "jeu": 3,
    "vendredi": 4,
    "ven": 4,
    "vend": 4,
    "samedi": 5,
    "sam": 5,
    "dimanche": 6,
    "dim": 6,
}
_TOKEN = re.compile(
    r"""
    (?P<time>(?P<h>\d{1,2})\s*(?:h(?:eures?)?|:)(?:\s*(?P<m>\d{2})(?!\s*(?:h|:)))?(?!\d))
  | (?P<noon>midi|minuit)
  | (?P<day>[a-z]+)(?=\W|$)
  | (?P<sep>-|–|—|jusqu'?a)
  | (?P<and>[,/;+&]|\n)
  | (?P<colon>[:.()])
  | (?P<space>\s+)
  | (?P<other>.)
    """,
    re.VERBOSE,
)
_FILLER = {
    "du",
    "de",
    "le",
    "les",
    "l",
    "d",
    "des",
    "puis",
    "ouvert",
    "ouverte",
    "ouverture",
    "h",
    "horaires",
    "et",
    "au",
    "a",
}
_CLOSED = {"ferme", "fermee", "fermes", "fermees", "fermeture", "clos", "off"}


_EVERY_DAY = re.compile(r"\btous\s+les\s+jours\b|\b7\s*j\s*/\s*7\b")


def _tokens(text: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    plain = _EVERY_DAY.sub(" lundi au dimanche ", _plain(text).replace("’", "'"))
    for m in _TOKEN.finditer(plain):
        if m["time"]:
            out.append(("time", int(m["h"]) * 60 + int(m["m"] or 0)))
        elif m["noon"]:
            out.append(("time", 720 if m["noon"] == "midi" else 1440))
        elif m["day"]:
            w = m["day"]
            w1 = w[:-1] if w.endswith("s") and w[:-1] in _DAY_WORDS else w
            if w1 in _DAY_WORDS:
                out.append(("day", _DAY_WORDS[w1]))
            elif w in ("au", "a"):
                out.append(("sep", w))
            elif w == "et":
                out.append(("and", w))
            elif w in _CLOSED:
                out.append(("closed", w))
            elif w in _FILLER:
                continue
            else:
                raise _Unparsed(w)
        elif m["sep"]:
            out.append(("sep", m["sep"]))
        elif m["and"]:
            out.append(("and", m["and"]))
        elif m["colon"] or m["space"]:
            continue
        else:
            raise _Unparsed(m.group())
    return out


def _parse_french(text: str, default_days: list[int] | None = None) -> dict[int, Intervals]:
    toks = _tokens(text)
    # Pass 1: 'lundi au vendredi' / 'lun-ven' -> day sets; '8h30 à 12h' -> intervals.
    items: list[tuple[str, Any]] = []
    i = 0
    while i < len(toks):
        kind, val = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        nxt2 = toks[i + 2] if i + 2 < len(toks) else None
        if kind == "day" and nxt and nxt[0] == "sep" and nxt2 and nxt2[0] == "day":
            a, b = val, nxt2[1]
            items.append(("days", list(range(a, b + 1)) if a <= b else [*range(a, 7), *range(0, b + 1)]))
            i += 3
        elif kind == "day":
            items.append(("days", [val]))
            i += 1
        elif kind == "time" and nxt and nxt[0] == "sep" and nxt2 and nxt2[0] == "time":
            a, b = val, nxt2[1]
            if b == 1440 and a == 0:
                items.append(("iv", FULL_DAY[0]))
            else:
                h1, m1 = divmod(a, 60)
                h2, m2 = divmod(b % 1440 if b != 1440 else 0, 60)
                items.append(("iv", _interval(h1, m1, h2, m2)))
            i += 3
        elif kind in ("and",):
            i += 1
        elif kind == "closed" and items and (closed := _closed_days(toks, i + 1)) is not None:
            # 'lundi au samedi 9h-12h, fermé jeudi': the days named after 'fermé'
            # are taken out of what came before.
            days, i = closed
            items.append(("closed_days", days))
        elif kind == "closed":
            items.append(("closed", None))
            i += 1
        else:
            raise _Unparsed(str(val))
    # Pass 2: days accumulate until hours follow; then a new day starts a new group.
    groups: list[list] = []  # [days, intervals, closed]
    removed: list[int] = []
    for kind, val in items:
        if kind == "closed_days":
            removed.extend(val)
        elif kind == "days":
            if not groups or groups[-1][1] or groups[-1][2]:
                groups.append([list(val), [], False])
            else:
                groups[-1][0].extend(val)
        elif kind == "iv":
            if not groups:
                if default_days is None:
                    raise _Unparsed("horaires sans jour")
                groups.append([list(default_days), [], False])
            groups[-1][1].append(val)
        else:
            if not groups:
                if default_days is None:
                    raise _Unparsed("fermé sans jour")
                groups.append([list(default_days), [], False])
            groups[-1][2] = True
    week: dict[int, Intervals] = {}
    for days, ivs, closed in groups:
        if not ivs and not closed:
            raise _Unparsed("jour sans horaires")
        for d in days:
            if closed and not ivs:
                week.pop(d, None)
            else:
                week[d] = tuple(sorted(ivs))
    for d in removed:
        week.pop(d, None)
    return week


def _closed_days(toks: list[tuple[str, Any]], i: int) -> tuple[list[int], int] | None:
    """The days named right after 'fermé' at toks[i:] ('jeudi', 'le jeudi et
    le samedi', 'du samedi au dimanche') and the index after them; None when
    no day follows or hours do (then 'fermé' belongs to the days before it)."""
    days: list[int] = []
    j = i
    while j < len(toks):
        kind, val = toks[j]
        if kind == "day":
            if j + 2 < len(toks) and toks[j + 1][0] == "sep" and toks[j + 2][0] == "day":
                a, b = val, toks[j + 2][1]
                days.extend(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
                j += 3
            else:
                days.append(val)
                j += 1
        elif kind == "and" and days:
            j += 1
        else:
            break
    if not days or (j < len(toks) and toks[j][0] == "time"):
        return None
    while j > i and toks[j - 1][0] == "and":
        j -= 1  # leave a trailing separator to the main loop
    return days, j


# ---------------------------------------------------------------- entry point


def _day_key(key: Any) -> int | None:
    if isinstance(key, int):
        return key if 0 <= key < 7 else None
    k = _plain(str(key)).strip()
    k = re.sub(r"^(h|horaires?)[_ ]", "", k)
    if k in _DAY_WORDS:
        return _DAY_WORDS[k]
    if k[:2] in _OSM_DAYS and len(k) == 2:
        return _OSM_DAYS[k]
    return _EN_DAYS.get(k)


def _is_closed_text(text: str) -> bool:
    return _plain(text).strip(" -–.") in ("", "ferme", "fermee", "fermeture", "off", "closed", "x")


def _unparsed(value: Any) -> Normalised:
    from annuaire.text.typo import french

    if isinstance(value, Mapping):
        lines = []
        for k, v in value.items():
            d = _day_key(k)
            if is_blank(v) or _is_closed_text(str(v)):
                continue
            label = DAYS[d].capitalize() if d is not None else str(k)
            lines.append(french(f"{label} : {v}"))
        shown = " ; ".join(f"{k} : {v}" for k, v in value.items() if not is_blank(v))
    else:
        lines = [french(line) for line in str(value).splitlines() if line.strip()]
        shown = str(value)
    return Normalised(
        tuple(lines),
        (
            Problem(
                "warning",
                "horaires-non-reconnus",
                f"Horaires « {shown} » non reconnus : ils seront imprimés tels quels. "
                "Écrivez-les par exemple « du lundi au vendredi de 8h30 à 12h et de 13h30 à 17h ; samedi de 9h à 12h ».",
            ),
        ),
    )


def parse_hours(value: Any) -> dict[int, Intervals]:
    """{day 0–6: intervals in minutes}; raises ValueError when not understood."""
    return {day: _distinct(iv) for day, iv in _parse_hours(value).items()}


def _distinct(intervals: Intervals) -> Intervals:
    """A day's intervals without repeats: sources type a morning twice
    (« 09:00 - 12:00 / 09:00 - 12:00 »), which would print « 9 h – 12 h,
    9 h – 12 h »."""
    return tuple(dict.fromkeys(intervals))


def _parse_hours(value: Any) -> dict[int, Intervals]:
    try:
        if isinstance(value, Mapping):
            week: dict[int, Intervals] = {}
            for k, v in value.items():
                d = _day_key(k)
                if d is None:
                    raise _Unparsed(str(k))
                if is_blank(v) or _is_closed_text(str(v)):
                    continue
                week.update(_parse_french(str(v), default_days=[d]))
            return week
        text = str(value).strip()
        if _looks_osm(text):
            try:
                return _parse_osm(text)
            except _Unparsed:
                pass
        return _parse_french(text)
    except _Unparsed as exc:
        raise ValueError(str(exc)) from None


def normalise_hours(value: Any) -> Normalised:
    """Printed lines for opening hours given as text or as {day: text}."""
    if value is None or (isinstance(value, Mapping) and all(is_blank(v) for v in value.values())):
        return Normalised(())
    if not isinstance(value, Mapping) and is_blank(value):
        return Normalised(())
    try:
        week = parse_hours(value)
    except ValueError:
        if isinstance(value, Mapping):
            return _partial(value)
        return _unparsed(value)
    return Normalised(format_week(week))


def _partial(value: Mapping) -> Normalised:
    """Per-day columns where some days are not understood: those days are
    printed as typed, the others normally; one warning names the days."""
    week: dict[int, Intervals | str] = {}
    odd: list[str] = []
    for k, v in value.items():
        d = _day_key(k)
        if d is None:
            return _unparsed(value)
        if is_blank(v) or _is_closed_text(str(v)):
            continue
        try:
            week.update(_parse_french(str(v), default_days=[d]))
        except _Unparsed:
            week[d] = " ".join(str(v).split())
            odd.append(f"{DAYS[d]} : « {v} »")
    return Normalised(
        format_week(week),
        (
            Problem(
                "warning",
                "horaires-non-reconnus",
                "Horaires non reconnus, imprimés tels quels : " + " ; ".join(odd) + ". "
                "Écrivez-les par exemple « 09:00 - 12:00 / 14:00 - 17:00 » et mettez les précisions "
                "(rendez-vous, samedis du mois) dans la description.",
            ),
        ),
    )
