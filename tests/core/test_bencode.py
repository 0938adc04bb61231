"""bencode: round trips, strictness, and no crash but BencodeError on any input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from enunclic import bencode

values = st.recursive(
    st.integers() | st.binary(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.binary(max_size=8), children, max_size=4),
    max_leaves=12,
)


@given(values)
def test_round_trip(value: bencode.Value) -> None:
    assert bencode.decode(bencode.encode(value)) == value


@given(st.binary(max_size=200))
def test_arbitrary_bytes_decode_or_raise_bencode_error(data: bytes) -> None:
    try:
        bencode.decode(data)
    except bencode.BencodeError:
        pass


def test_depth_limit() -> None:
    with pytest.raises(bencode.BencodeError, match="deeply"):
        bencode.decode(b"l" * 100 + b"e" * 100)


@pytest.mark.parametrize("bad", [b"i-0e", b"i03e", b"ie", b"i1", b"5:abc", b"x", b"d1:ae", b"di1ei2ee"])
def test_strictness(bad: bytes) -> None:
    with pytest.raises(bencode.BencodeError):
        bencode.decode(bad)


def test_encode_refuses_other_types() -> None:
    with pytest.raises(TypeError):
        bencode.encode(True)
    with pytest.raises(TypeError):
        bencode.encode("text")  # type: ignore[arg-type]
