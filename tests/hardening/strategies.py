"""Hypothesis strategies: any JSON value, and native objects with some fields replaced by anything."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import strategies as st

__all__ = ["any_value", "finite_value", "json_values", "mutated_mapping", "mutated_row", "xmlrpc_value"]

#: Numbers that break naive code: 32/64-bit edges, timestamps far in the future, -1 sentinels.
EDGE_INTS = (0, 1, -1, -2, 2**31 - 1, 2**31, 2**32, 2**53, 2**63 - 1, 2**63, 2**64, 10**12, 10**20, -(10**20))

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from(EDGE_INTS),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
)

#: Any JSON value (Python's json also reads NaN and Infinity, so a server could send them).
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=10,
)

#: Values that break parsers most often, drawn as often as all the others together.
edge_values: st.SearchStrategy[Any] = st.sampled_from(
    [*EDGE_INTS, float("inf"), float("-inf"), float("nan"), 1e300, "", "0", "-1", "1e400", "NaN", [], {}, None, True]
)
any_value = st.one_of(edge_values, json_values)


def _finite(value: Any) -> bool:
    if isinstance(value, float):
        return value == value and abs(value) < 10**11  # noqa: PLR0124 - NaN check
    return not isinstance(value, int) or isinstance(value, bool) or abs(value) < 10**11


#: ``any_value`` without non-finite or huge numbers at the top level (for fields that must stay finite).
finite_value = any_value.filter(_finite)


@st.composite
def mutated_mapping(draw: st.DrawFn, base: Mapping[str, Any], values: st.SearchStrategy[Any] = any_value) -> Any:
    """``base`` with some keys replaced by any value, some removed, sometimes not a mapping at all."""
    if draw(st.integers(0, 19)) == 0:
        return draw(values)
    out = dict(base)
    keys = sorted(out)
    for key in draw(st.lists(st.sampled_from(keys), max_size=len(keys), unique=True)):
        if draw(st.booleans()):
            out[key] = draw(values)
        else:
            del out[key]
    return out


@st.composite
def mutated_row(draw: st.DrawFn, base: Sequence[Any], values: st.SearchStrategy[Any]) -> Any:
    """An rTorrent row with some cells replaced, sometimes of the wrong length."""
    row = list(base)
    for index in draw(st.lists(st.integers(0, len(row) - 1), max_size=len(row), unique=True)):
        row[index] = draw(values)
    cut = draw(st.integers(0, 9))
    if cut == 0:
        row = row[: draw(st.integers(0, len(row)))]
    elif cut == 1:
        row.append(draw(values))
    return row


#: Values XML-RPC can carry (what a decoder hands to rTorrent's mapping).
xmlrpc_value = st.recursive(
    st.one_of(
        st.integers(min_value=-(2**63), max_value=2**63 - 1),
        st.sampled_from(EDGE_INTS[:-3]),
        st.booleans(),
        st.text(max_size=20),
        st.floats(allow_nan=False, allow_infinity=False),
        st.binary(max_size=8),
    ),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
