"""The compiled native -> model mappings (enunclic.compiled) on a small model of their own."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import SchemaValidator

from enunclic import ProtocolError
from enunclic.compiled import (
    Source,
    amount,
    choice,
    compile_model,
    count,
    flag,
    fraction,
    native,
    number,
    ratio,
    required_text,
    text,
    verbatim,
    when,
)


class Item(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    id: str
    size: int = 0
    seen: int | None = None
    share: float = 0.0
    ratio: float | None = None
    label: str | None = None
    kind: str = "?"
    native: str = ""
    active: bool | None = None
    added: datetime | None = None
    note: str | None = None


KINDS = {"a": "alpha", 2: "two"}


def _finish(values: dict[str, Any]) -> None:
    secret = values.pop("_secret")
    values["note"] = f"{values['id']}:{secret}"


ITEM = compile_model(
    Item,
    {
        "id": required_text([["ID"], ["id"]], lower=True),
        "size": amount(["stats", "bytes"]),
        "seen": count("seen"),
        "share": fraction("percent", scale=100),
        "ratio": number("ratio"),
        "label": text(["labels", 0]),
        "kind": choice("kind", KINDS, "unknown"),
        "native": verbatim("kind", "none"),
        "active": flag("active"),
        "added": when("added"),
        "_secret": native("secret", "-"),
    },
    _finish,
)


def test_a_native_object_becomes_the_model_itself() -> None:
    raw = {
        "ID": "ABC",
        "stats": {"bytes": 10},
        "seen": 3,
        "percent": 50,
        "ratio": 0.5,
        "labels": ["x", "y"],
        "kind": "a",
        "active": True,
        "added": 1_700_000_000,
        "secret": "s",
        "ignored": [1, 2],
    }
    item = ITEM.one(raw)
    assert type(item) is Item
    expected = Item(
        id="abc",
        size=10,
        seen=3,
        share=0.5,
        ratio=0.5,
        label="x",
        kind="alpha",
        native="a",
        active=True,
        added=datetime.fromtimestamp(1_700_000_000, tz=timezone.utc),
        note="abc:s",
    )
    assert item == expected
    assert "_secret" not in item.__dict__ and "_secret" not in item.model_fields_set


@pytest.mark.parametrize(
    ("field", "value", "attribute", "expected"),
    [
        ("stats", {"bytes": -1}, "size", 0),
        ("stats", {"bytes": "10"}, "size", 0),  # text is not a number
        ("stats", {"bytes": True}, "size", 0),  # nor is a boolean
        ("stats", {"bytes": 1.5}, "size", 0),
        ("seen", -1, "seen", None),
        ("percent", 150, "share", 1.0),
        ("percent", -3, "share", 0.0),
        ("percent", "half", "share", 0.0),
        ("ratio", "NaN", "ratio", None),
        ("labels", [], "label", None),
        ("labels", [""], "label", None),
        ("kind", 2, "kind", "two"),
        ("kind", [1], "kind", "unknown"),  # unhashable
        ("kind", 2, "native", "2"),
        ("kind", 2.5, "native", "2.5"),
        ("kind", True, "native", "True"),  # a boolean is not a number here either
        ("kind", None, "native", "None"),
        ("kind", [1], "native", "[1]"),
        ("active", 1, "active", None),
        ("added", 0, "added", None),
        ("added", -5, "added", None),
        ("added", "2020-01-01T00:00:00", "added", None),  # a date without an offset is not a date
        ("added", 1e300, "added", None),
    ],
)
def test_odd_values_fall_back_to_the_default(field: str, value: Any, attribute: str, expected: Any) -> None:
    assert getattr(ITEM.one({"id": "a", field: value}), attribute) == expected


@pytest.mark.parametrize("raw", [{}, {"id": 5}, {"id": None}, [], "text", None])
def test_a_missing_id_is_a_protocol_error(raw: Any) -> None:
    with pytest.raises(ProtocolError, match="an item"):
        ITEM.one(raw, "an item")


def test_a_whole_json_reply_is_read_in_one_pass() -> None:
    body = b'{"ok": "yes", "data": {"items": [{"id": "A", "secret": 1}, {"id": "B"}]}}'
    items = ITEM.many_json(body, ("data", "items"), checks={("ok",): "yes"})
    assert items is not None
    assert [(i.id, i.note) for i in items] == [("a", "a:1"), ("b", "b:-")]
    keyed = ITEM.many_json(b'{"r": {"x": {"id": "X"}}}', ("r",), keyed=True)
    assert keyed is not None and [i.id for i in keyed] == ["x"]


@pytest.mark.parametrize(
    ("body", "total", "cursor"),
    [
        (b'{"ok": "yes", "data": {"total": 9, "items": [{"id": "A"}]}, "meta": {"cursor": "c"}}', 9, "c"),
        (b'{"ok": "yes", "data": {"total": "9", "items": [{"id": "A"}]}, "meta": {}}', "9", None),
        (b'{"ok": "yes", "data": {"items": [{"id": "A"}]}}', None, None),  # absent, its parent too
        (b'{"ok": "yes", "data": {"total": null, "items": [{"id": "A"}]}, "meta": {"cursor": [1]}}', None, [1]),
    ],
)
def test_a_page_reads_its_other_values_in_the_same_pass(body: bytes, total: Any, cursor: Any) -> None:
    total_at, cursor_at = ("data", "total"), ("meta", "cursor")
    page = ITEM.page_json(body, ("data", "items"), checks={("ok",): "yes"}, values=(total_at, cursor_at))
    assert page is not None
    assert [i.id for i in page.items] == ["a"]
    assert page.values == {total_at: total, cursor_at: cursor}


@pytest.mark.parametrize(
    ("raw", "native"),
    [(b"7", "7"), (b"-1.5", "-1.5"), (b"0.0", "0.0"), (b"true", "True"), (b"null", "None"), (b'"x"', "x")],
)
def test_a_native_code_is_kept_as_text_from_json_too(raw: bytes, native: str) -> None:
    items = ITEM.many_json(b'[{"id": "a", "kind": ' + raw + b"}]")
    assert items is not None and items[0].native == native


def test_a_page_whose_optional_value_has_a_parent_of_another_shape_is_left_to_the_ordinary_path() -> None:
    body = b'{"ok": "yes", "data": {"items": [{"id": "A"}]}, "meta": "text"}'
    assert ITEM.page_json(body, ("data", "items"), values=(("meta", "cursor"),)) is None
    assert ITEM.many_json(body, ("data", "items")) is not None  # nothing asked of "meta"


@pytest.mark.parametrize(
    "body",
    [
        b'{"ok": "no", "data": {"items": []}}',  # a check fails
        b'{"data": {"items": []}}',
        b'{"ok": "yes", "data": {"items": [{"no": "id"}]}}',
        b'{"ok": "yes", "data": {"items": {"id": "A"}}}',
        b"<html>login</html>",
        b'{"ok": "yes", "data": {"items": [{"id": "A"',
        b"[" * 10_000,
    ],
)
def test_a_reply_of_another_shape_is_left_to_the_ordinary_path(body: bytes) -> None:
    assert ITEM.many_json(body, ("data", "items"), checks={("ok",): "yes"}) is None


def test_the_three_stages_read_the_fields_apply_the_rules_then_build_the_model() -> None:
    raw = {"id": "A", "stats": {"bytes": 7}, "kind": "a", "percent": 50, "secret": 1}
    read = SchemaValidator(ITEM.fields_schema()).validate_python(raw)
    assert read["id"] == "a" and read["size"] == 7  # converted in Rust, by field name
    assert (read["kind"], read["share"], read["_secret"]) == ("a", 50.0, 1)  # no table, no scale, no finish
    assert "note" not in read  # a field the mapping does not name is the model's to default
    values = SchemaValidator(ITEM.values_schema()).validate_python(raw)
    assert (values["kind"], values["share"], values["note"]) == ("alpha", 0.5, "a:1")
    assert "_secret" not in values  # consumed by finish
    model = SchemaValidator(ITEM.schema()).validate_python(raw)
    assert type(model) is Item and model == Item(**values)


def test_the_models_own_constraints_hold_whatever_the_rules_produce() -> None:
    def wrong(values: dict[str, Any]) -> None:
        values["active"] = "maybe"  # not a boolean

    reader = compile_model(Item, {"id": required_text("id")}, wrong)
    with pytest.raises(ProtocolError, match="active"):
        reader.one({"id": "a"}, "an item")
    assert reader.many_json(b'[{"id": "a"}]') is None  # the ordinary path reports it


def test_fields_the_mapping_does_not_name_keep_the_models_defaults_and_are_not_set() -> None:
    reader = compile_model(Item, {"id": required_text("id"), "size": amount("s")})
    items = reader.many_json(b'[{"id": "a", "s": 3, "kind": "a"}, {"id": "b"}]')
    assert items is not None
    assert [(i.id, i.size, i.kind, i.label) for i in items] == [("a", 3, "?", None), ("b", 0, "?", None)]
    assert items[0].model_fields_set == {"id", "size"}
    changed = items[0].model_copy(update={"label": "x"})
    assert changed.label == "x" and items[0].label is None and items[0].model_fields_set == {"id", "size"}


@pytest.mark.parametrize(
    ("value", "expected"), [(1.5, 1.5), (0, 0.0), (-1, None), (-2, None), ("1", None), (True, None)]
)
def test_ratio_sentinels_are_none(value: Any, expected: float | None) -> None:
    reader = compile_model(Item, {"id": required_text("id"), "ratio": ratio("r")})
    assert reader.one({"id": "a", "r": value}).ratio == expected


def test_the_models_own_validation_is_untouched() -> None:
    ITEM.many_json(b"[]")
    assert Item(id="q").id == "q"
    with pytest.raises(ValidationError):
        Item(id="q", unknown=1)  # type: ignore[call-arg]


def test_a_post_step_applies_to_read_values_and_never_to_the_default() -> None:
    seen: list[Any] = []

    def shout(value: str) -> str:
        seen.append(value)
        return value.upper()

    reader = compile_model(Item, {"id": required_text("id"), "label": Source("l", text("l").schema, None, post=shout)})
    assert reader.one({"id": "a", "l": "x"}).label == "X"
    assert reader.one({"id": "a"}).label is None
    assert reader.one({"id": "a", "l": 5}).label is None  # not text: the default, untouched
    assert seen == ["x"]


def test_a_source_takes_one_rule_at_most() -> None:
    with pytest.raises(TypeError, match="one rule"):
        Source("x", text("x").schema, table={}, scale=100)


def test_a_source_for_a_field_the_model_lacks_is_refused() -> None:
    with pytest.raises(TypeError, match="no field"):
        compile_model(Item, {"nope": text("x")})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1_700_000_000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)),
        (1_700_000_000.5, datetime(2023, 11, 14, 22, 13, 20, 500000, tzinfo=timezone.utc)),
        ("2024-01-01T00:00:00+00:00", datetime(2024, 1, 1, tzinfo=timezone.utc)),
        (25_000_000_000, None),  # seconds in the year 2762: pydantic would read them as milliseconds (1970)
        (3e10, None),
        (253_402_300_800, None),  # past the year 9999
        (0, None),
        (-5, None),
        (True, None),
        ("yesterday", None),
        (None, None),
    ],
)
def test_when_is_never_a_wrong_date(raw: Any, expected: datetime | None) -> None:
    reader = compile_model(Item, {"id": required_text("id"), "added": when("t")})
    assert reader.one({"id": "x", "t": raw}).added == expected
