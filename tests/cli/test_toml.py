"""The tiny TOML writer: whatever it writes, the standard reader reads back the same."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from enunclic.cli.tomlfile import dumps, loads

scalars = st.one_of(st.text(), st.booleans(), st.integers(-(2**63), 2**63 - 1))
fields = st.dictionaries(st.text(min_size=1), scalars, max_size=4)


@given(
    top=st.dictionaries(st.text(min_size=1).filter(lambda k: k != "servers"), st.text(), max_size=2),
    servers=st.dictionaries(st.text(min_size=1), fields, max_size=3),
)
def test_round_trip(top: dict[str, str], servers: dict[str, dict[str, object]]) -> None:
    text = dumps(top, {"servers": servers}, header="a header\nwith two lines")  # type: ignore[dict-item]
    assert loads(text) == {**top, **({"servers": servers} if servers else {})}


def test_control_characters_and_quotes_are_escaped() -> None:
    value = 'a"b\\c\nd\te\x00f\x7fg\u00e9\U0001f600'
    text = dumps({}, {"servers": {"x": {"password": value}}})
    assert "\x00" not in text
    assert "\x7f" not in text
    assert loads(text)["servers"]["x"]["password"] == value


def test_none_values_are_left_out() -> None:
    assert loads(dumps({"default": None}, {"servers": {"a": {"url": "u", "password": None}}})) == {
        "servers": {"a": {"url": "u"}}
    }


def test_refuses_what_it_cannot_write() -> None:
    with pytest.raises(TypeError):
        dumps({}, {"servers": {"a": {"when": float("nan")}}})
