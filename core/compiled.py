"""Native replies validated straight into the normalized models by pydantic-core.

A backend declares, per model field, where the value sits in its native object and how it
converts (:class:`Source`); :func:`compile_model` turns that into one pydantic-core validator,
built from public core schemas only: a typed dict with aliases, one after-validator for the
rules, then the model's own schema. Listing replies are parsed from bytes in Rust
(``validate_json``), without building the native dicts in Python first, and a single native
dict goes through the same validator (``validate_python``): one mapping serves both, and the
mapping stays data.

Every conversion is tolerant: a value of the wrong type, out of range or missing becomes the
field's default (usually "unknown") instead of an error, as in :mod:`enunclic.convert`. Only
the fields a backend marks as required (the id) fail a reply.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Generic, TypeVar, cast

from pydantic import BaseModel, TypeAdapter
from pydantic_core import CoreSchema, SchemaValidator, ValidationError
from pydantic_core import core_schema as cs

from .exceptions import ProtocolError
from .toolkit import Rate

__all__ = [
    "CompiledModel",
    "Page",
    "Source",
    "amount",
    "choice",
    "compile_model",
    "count",
    "flag",
    "fraction",
    "limit",
    "listing_schema",
    "native",
    "number",
    "page_of",
    "ratio",
    "required_text",
    "text",
    "verbatim",
    "when",
]

M = TypeVar("M", bound=BaseModel)

#: Where a value sits: a key, or a path of keys and list indexes; several of them are tried in order.
Alias = str | Sequence[str | int] | Sequence[Sequence[str | int]]


@dataclass(frozen=True)
class Source:
    """One model field's native origin: where it is, its validation schema, and its fallback."""

    alias: Alias
    schema: CoreSchema
    default: Any = None
    required: bool = False
    #: Applied in Python to the validated value (never to the default).
    post: Callable[[Any], Any] | None = None
    #: The validated value is looked up here (codes missing from it -> ``default``).
    table: Mapping[Any, Any] | None = None
    #: The validated number is divided by it, then clamped to 0..1.
    scale: float | None = None

    def __post_init__(self) -> None:
        if sum(rule is not None for rule in (self.post, self.table, self.scale)) > 1:
            raise TypeError("a Source takes one rule at most: post, table or scale")

    def field(self) -> cs.TypedDictField:
        if self.required:
            return cs.typed_dict_field(self.schema, required=True, validation_alias=_alias(self.alias))
        inner = cs.with_default_schema(self.schema, default=self.default, on_error="default")
        return cs.typed_dict_field(inner, required=False, validation_alias=_alias(self.alias))


def _alias(alias: Alias) -> str | list[str | int] | list[list[str | int]]:
    if isinstance(alias, str):
        return alias
    if alias and all(isinstance(p, (list, tuple)) for p in alias):
        return [list(cast("Sequence[str | int]", p)) for p in alias]
    return [cast("str | int", p) for p in alias]


# -- conversions ----------------------------------------------------------------------------------
# Strict number schemas: bools and strings are not numbers in a reply (as in enunclic.convert).

_FINITE = cs.float_schema(strict=True, allow_inf_nan=False)
_FINITE_RATIO = cs.float_schema(strict=True, allow_inf_nan=False, ge=0.0)
#: What a state table can be keyed by: a value of any other type (unhashable ones included) is unknown.
_CODE = cs.union_schema([cs.str_schema(strict=True), cs.int_schema(strict=True)], mode="left_to_right")


def required_text(alias: Alias, *, lower: bool = False, length: int | None = None) -> Source:
    """A string the model cannot do without (an id): a reply without it is a ProtocolError."""
    return Source(
        alias, cs.str_schema(strict=True, to_lower=lower, min_length=length, max_length=length), required=True
    )


def text(alias: Alias, default: str | None = None) -> Source:
    """A non-empty string, else ``default``."""
    return Source(alias, cs.str_schema(strict=True, min_length=1), default)


def amount(alias: Alias) -> Source:
    """Bytes or bytes per second: an int >= 0, else 0 (a fractional number is not an amount)."""
    return Source(alias, cs.int_schema(strict=True, ge=0), 0)


def count(alias: Alias) -> Source:
    """A count that may be unknown: an int >= 0, else None (servers write -1 for "unknown")."""
    return Source(alias, cs.int_schema(strict=True, ge=0), None)


def number(alias: Alias, default: float | None = None) -> Source:
    """A finite float, else ``default``."""
    return Source(alias, _FINITE, default)


def ratio(alias: Alias) -> Source:
    """A share ratio: a finite float >= 0, else None (servers write -1 or -2 for "none" and "infinite")."""
    return Source(alias, _FINITE_RATIO, None)


def flag(alias: Alias, default: bool | None = None) -> Source:
    """A JSON boolean, else ``default``."""
    return Source(alias, cs.bool_schema(strict=True), default)


def fraction(alias: Alias, *, scale: float = 1.0) -> Source:
    """A fraction clamped to 0..1 (``scale`` 100 for a percentage), else 0.0."""
    return Source(alias, _FINITE, 0.0, scale=scale)


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
#: Converted in Rust (an epoch number, or an ISO text with an offset): a naive date, the epoch
#: itself (servers write 0 for "never") and anything before it are not dates.
_DATE = cs.datetime_schema(gt=_EPOCH, tz_constraint="aware")


#: pydantic reads epoch numbers above 2e10 as milliseconds: a number of seconds that large (past
#: the year 2603) would become a date in 1970, so it is no date here.
_SECONDS = cs.chain_schema(
    [
        cs.union_schema(
            [cs.int_schema(strict=True, gt=0, le=20_000_000_000), cs.float_schema(strict=True, gt=0, le=2e10)]
        ),
        _DATE,
    ]
)
_WHEN = cs.union_schema([_SECONDS, cs.chain_schema([cs.str_schema(), _DATE])], mode="left_to_right")


def limit(alias: Alias, rate: Rate) -> Source:
    """A speed limit written in ``rate``'s unit, as bytes/s; None for the values the rate reads as
    "no limit", and for a missing or odd one (unknown)."""
    return Source(alias, _FINITE, None, post=rate.from_native)


def when(alias: Alias) -> Source:
    """Seconds since the epoch (or an ISO text with an offset) as a UTC datetime; None for 0,
    negative, impossible or far-future dates, never a wrong one."""
    return Source(alias, _WHEN, None)


def choice(alias: Alias, table: Mapping[Any, Any], default: Any) -> Source:
    """A native code (text or integer) looked up in a mapping table (data); others -> ``default``."""
    return Source(alias, _CODE, default, table=table)


def native(alias: Alias, default: Any = None) -> Source:
    """The native value as it is, for a ``finish`` step to read (keys starting with ``_``)."""
    return Source(alias, cs.any_schema(), default)


def verbatim(alias: Alias, default: str = "") -> Source:
    """Any native value as text (a state code as the server wrote it)."""
    return Source(alias, _VERBATIM, default)


#: Text, and integers (Transmission's status codes), are written as text in Rust; anything else
#: by Python's ``str`` (a float too: Rust writes 0.0 from JSON as "0"), so nothing is refused.
_VERBATIM = cs.union_schema(
    [
        cs.str_schema(strict=True),
        cs.chain_schema([cs.int_schema(strict=True), cs.str_schema(coerce_numbers_to_str=True)]),
        cs.no_info_plain_validator_function(str),
    ],
    mode="left_to_right",
)


# -- compiling ------------------------------------------------------------------------------------

#: Mutates one object's field values in place (cross-field rules; consumes the ``_`` inputs).
#: It keeps nothing per object elsewhere: what a backend needs later it reads from the models.
Finish = Callable[[dict[str, Any]], None]


class CompiledModel(Generic[M]):
    """A backend's native -> model mapping as one pydantic-core validator, in three stages.

    1. :meth:`fields_schema`: the native fields, read by alias and converted, into a dict (Rust);
    2. :meth:`values_schema`: plus the rules (tables, scales, ``post``, ``finish``) in one Python
       after-validator per object;
    3. :meth:`schema`: those values validated by the model's own schema, which builds the model.
    """

    def __init__(self, model: type[M], sources: Mapping[str, Source], finish: Finish | None = None) -> None:
        unknown = {name for name in sources if not name.startswith("_")} - set(model.model_fields)
        if unknown:
            raise TypeError(f"{model.__name__} has no field(s) {sorted(unknown)}")
        self.model = model
        self._sources = dict(sources)
        self._rules = tuple(
            (name, source.default, rule) for name, source in self._sources.items() if (rule := _rule(source))
        )
        self._finish = finish
        self._validator: SchemaValidator | None = None
        self._lists: dict[Any, SchemaValidator] = {}

    def fields_schema(self) -> CoreSchema:
        """The mapped fields and the ``_`` inputs of one native object, converted, as a dict.

        Model fields the mapping does not name are left out: the model gives them their defaults.
        """
        fields = {name: source.field() for name, source in self._sources.items()}
        return cs.typed_dict_schema(fields, extra_behavior="ignore")

    def values_schema(self) -> CoreSchema:
        """:meth:`fields_schema` with the rules applied: the model's field values, as a dict."""
        return cs.no_info_after_validator_function(self._apply_rules, self.fields_schema())

    def schema(self) -> CoreSchema:
        """One native object -> the model: :meth:`values_schema`, then the model's own validation."""
        return cs.chain_schema([self.values_schema(), _model_schema(self.model)])

    def _apply_rules(self, values: dict[str, Any]) -> dict[str, Any]:
        for name, default, rule in self._rules:
            value = values[name]
            if value is not default:  # a fallback is already the field's final value
                values[name] = rule(value)
        if self._finish is not None:
            self._finish(values)
        return values

    def one(self, native: Any, what: str = "reply") -> M:
        """One native object (a dict) as the model."""
        if self._validator is None:
            self._validator = SchemaValidator(self.schema())
        try:
            result: M = self._validator.validate_python(native)
        except (ValidationError, RecursionError) as error:
            raise ProtocolError(f"{what}: {_first_problem(error)}") from None
        return result

    def many_json(
        self,
        body: bytes,
        path: Sequence[str] = (),
        *,
        keyed: bool = False,
        checks: Mapping[tuple[str, ...], Any] | None = None,
    ) -> list[M] | None:
        """The models in a JSON reply's list (or object values when ``keyed``) at ``path``.

        ``checks`` are values the reply must hold (``{("result",): "success"}``). None when the
        reply does not have exactly that shape (invalid JSON included): the caller then takes
        its ordinary path, which reports the precise error.
        """
        page = self.page_json(body, path, keyed=keyed, checks=checks)
        return None if page is None else page.items

    def page_json(
        self,
        body: bytes,
        path: Sequence[str] = (),
        *,
        keyed: bool = False,
        checks: Mapping[tuple[str, ...], Any] | None = None,
        values: Sequence[tuple[str, ...]] = (),
    ) -> Page[M] | None:
        """As :meth:`many_json`, plus the reply's other ``values`` (paths; absent -> None) read in
        the same pass: a paged list's ``total`` without parsing the page twice."""
        key = (tuple(path), keyed, tuple(sorted((k, repr(v)) for k, v in (checks or {}).items())), tuple(values))
        validator = self._lists.get(key)
        if validator is None:
            schema = listing_schema(self.schema(), path, keyed=keyed, checks=checks, values=values)
            validator = self._lists[key] = SchemaValidator(schema)
        try:
            reply = validator.validate_json(body)
        except (ValidationError, RecursionError, ValueError):
            return None
        return page_of(reply, path, keyed=keyed, values=values)


def _model_schema(model: type[BaseModel]) -> CoreSchema:
    """The model's own core schema (built now if the model defers its build)."""
    adapter = TypeAdapter(model)
    adapter.rebuild()
    return adapter.core_schema


def _rule(source: Source) -> Callable[[Any], Any] | None:
    """The one Python rule of a source (a table lookup, a scale or its ``post``), if it has one."""
    if source.table is not None:
        table, default = source.table, source.default
        return lambda value: table.get(value, default)
    if source.scale is not None:
        scale = source.scale
        return lambda value: min(max(value / scale, 0.0), 1.0)
    return source.post


def listing_schema(
    items: CoreSchema,
    path: Sequence[str] = (),
    *,
    keyed: bool = False,
    checks: Mapping[tuple[str, ...], Any] | None = None,
    values: Sequence[tuple[str, ...]] = (),
) -> CoreSchema:
    """A reply holding a list (an object when ``keyed``) of ``items`` at ``path``, the ``checks``
    (path -> the value it must hold) and the optional ``values`` (paths, absent -> None)."""
    listed = cs.dict_schema(cs.str_schema(), items) if keyed else cs.list_schema(items)
    leaves: dict[tuple[str, ...], CoreSchema] = {tuple(path): listed}
    leaves.update((tuple(at), cs.literal_schema([v])) for at, v in (checks or {}).items())
    leaves.update((tuple(at), _OPTIONAL) for at in values)
    return _envelope(leaves)


def page_of(
    reply: Any, path: Sequence[str] = (), *, keyed: bool = False, values: Sequence[tuple[str, ...]] = ()
) -> Page[Any]:
    """The items and the ``values`` of a reply read by a :func:`listing_schema` validator."""
    found = reply
    for step in path:
        found = found[step]
    return Page(list(found.values()) if keyed else list(found), {at: _dig(reply, at) for at in values})


@dataclass(frozen=True)
class Page(Generic[M]):
    """The models of one reply, and the other values asked of it (path -> value or None)."""

    items: list[M]
    values: dict[tuple[str, ...], Any]


#: A value a reply may lack (absent -> None), of any type.
_OPTIONAL = cs.with_default_schema(cs.any_schema(), default=None)


def _dig(reply: Any, path: tuple[str, ...]) -> Any:
    """The value at ``path`` in an envelope read by :func:`_envelope`, None where absent."""
    for step in path:
        if not isinstance(reply, dict) or step not in reply:
            return None
        reply = reply[step]
    return reply


def _envelope(leaves: Mapping[tuple[str, ...], CoreSchema]) -> CoreSchema:
    """Nested objects holding each schema at its path (other keys ignored)."""
    if () in leaves:
        return leaves[()]
    heads: dict[str, dict[tuple[str, ...], CoreSchema]] = {}
    for path, schema in leaves.items():
        heads.setdefault(path[0], {})[path[1:]] = schema
    fields = {}
    for head, rest in heads.items():
        inner = _envelope(rest)
        if all(leaf["type"] == "default" for leaf in rest.values()):  # nothing below is required
            optional = inner if inner["type"] == "default" else cs.with_default_schema(inner, default=None)
            fields[head] = cs.typed_dict_field(optional, required=False)
        else:
            fields[head] = cs.typed_dict_field(inner, required=True)
    return cs.typed_dict_schema(fields, extra_behavior="ignore")


def _first_problem(error: BaseException) -> str:
    if isinstance(error, ValidationError) and error.errors():
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}" if where else str(first["msg"])
    return "too deeply nested"


def compile_model(model: type[M], sources: Mapping[str, Source], finish: Finish | None = None) -> CompiledModel[M]:
    """The compiled mapping of ``sources`` (model field or ``_input`` -> :class:`Source`) onto ``model``."""
    return CompiledModel(model, sources, finish)
