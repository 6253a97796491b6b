"""Hostile input, as hypothesis strategies: what an attacker or a careless paste can send.

Used by test_hostile_input.py (HTML forms and the JSON API). Everything here is something a
browser or an HTTP client can really send: no lone surrogates (they cannot be encoded as UTF-8).
"""

from __future__ import annotations

from hypothesis import strategies as st

SCRIPT = "<script>alert(1)</script>"
IMAGE_ONERROR = '"><img src=x onerror=alert(1)>'
SQL = "'; DROP TABLE x; --"
CONTROL_CHARACTERS = "".join(chr(code) for code in range(0x01, 0x20))
NUL = "\x00"
# Right-to-left override, zero-width space/joiner, byte-order mark, a combining accent.
UNICODE_TRICKS = "\u202egnp.exe\u200b\u200d\ufeffe\u0301 \U0001f600"
VERY_LONG = "A" * 100_000

# Markup that must never come back unescaped in a page or an API body that renders as HTML.
LIVE_MARKUP = (SCRIPT, "<img src=x onerror=alert(1)>")

HOSTILE_STRINGS: tuple[str, ...] = (
    SCRIPT,
    IMAGE_ONERROR,
    SQL,
    CONTROL_CHARACTERS,
    NUL,
    f"before{NUL}after",
    UNICODE_TRICKS,
    VERY_LONG,
    f"{SCRIPT}{SQL}{UNICODE_TRICKS}",
    "",
    " ",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "3.5",
    "true",
    "null",
    "[]",
    "{}",
    "2026-02-30",
    "../../etc/passwd",
    "%00%27%22",
    "${7*7}{{7*7}}",
)

# Any character a browser can send in a form: everything but lone surrogates.
_sendable = st.characters(codec="utf-8")


def hostile_text() -> st.SearchStrategy[str]:
    """One hostile string: a known nasty value, random text, or a nasty value inside text."""
    known = st.sampled_from(HOSTILE_STRINGS)
    return st.one_of(
        known,
        st.text(_sendable, max_size=60),
        st.tuples(st.text(_sendable, max_size=10), known).map("".join),
    )


def hostile_form_value() -> st.SearchStrategy[str | list[str]]:
    """A value for one form field: hostile text, a number where text is expected, or several
    values where the form expects one."""
    return st.one_of(
        hostile_text(),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.lists(hostile_text(), min_size=2, max_size=3),
    )


def hostile_json_value() -> st.SearchStrategy[object]:
    """A value for one JSON field: hostile text, or a value of the wrong type."""
    return st.one_of(
        hostile_text(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        st.booleans(),
        st.none(),
        st.lists(hostile_text(), max_size=3),
        st.dictionaries(st.sampled_from(["a", SCRIPT]), hostile_text(), max_size=2),
    )


def hostile_form(field_names: list[str]) -> st.SearchStrategy[dict[str, str | list[str]]]:
    """Every field of a form filled with a hostile value."""
    return st.fixed_dictionaries({name: hostile_form_value() for name in field_names})


def worst_case_form(field_names: list[str]) -> dict[str, str | list[str]]:
    """The fixed worst case every form is also sent: script, control characters and SQL in every
    field, as one value over 100,000 characters long."""
    nasty = f"{SCRIPT}{IMAGE_ONERROR}{SQL}{CONTROL_CHARACTERS.replace(NUL, '')}{UNICODE_TRICKS}"
    return dict.fromkeys(field_names, nasty + VERY_LONG)
