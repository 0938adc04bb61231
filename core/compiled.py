"""Native replies validated straight into the normalized models by pydantic-core.

A backend declares, per model field, where the value sits in its native object and how it
converts (:class:`Source`); :func:`compile_model` turns that into one pydantic-core validator.
Listing replies are then parsed from bytes in Rust (``validate_json``), without building the
native dicts in Python first, and a single native dict goes through the same validator
(``validate_python``): one mapping serves both, and the mapping stays data.

Every conversion is tolerant: a value of the wrong type, out of range or missing becomes the
field's default (usually "unknown") instead of an error, as in :mod:`enunclic.convert`. Only
the fields a backend marks as required (the id) fail a reply.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Generic, TypeVar, cast

from pydantic import BaseModel
from pydantic_core import CoreSchema, PydanticUndefined, SchemaValidator, ValidationError
from pydantic_core import core_schema as cs

from .exceptions import ProtocolError

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
    "native",
    "number",
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
    #: Applied in Python to the validated value (never to the default). All of one object's
    #: steps run in one call, which costs less than a Python validator per field; a table
    #: lookup or a scale needs no function of its own at all.
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


def when(alias: Alias) -> Source:
    """Seconds since the epoch as a UTC datetime; None for 0, negative or impossible dates.

    pydantic reads numbers above 2e10 (the year 2603) as milliseconds.
    """
    return Source(alias, _DATE, None)


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

#: Mutates one validated field dict in place (cross-field rules; consumes the ``_`` inputs).
#: It keeps nothing per object elsewhere: what a backend needs later it reads from the models.
Finish = Callable[[dict[str, Any]], None]

_ABSENT = "\x00absent"  # a key no reply holds: fields a backend does not map keep their defaults
_BUILD_LOCK = threading.Lock()


class CompiledModel(Generic[M]):
    """A backend's native -> model mapping as one pydantic-core validator."""

    def __init__(
        self,
        model: type[M],
        sources: Mapping[str, Source],
        finish: Finish | None = None,
        *,
        rules: bool = True,
    ) -> None:
        self.model = model
        self._sources = dict(sources)
        self._finish = finish
        self._rules = rules
        self._validator: SchemaValidator | None = None
        self._lists: dict[Any, SchemaValidator] = {}
        unknown = {name for name in sources if not name.startswith("_")} - set(model.model_fields)
        if unknown:
            raise TypeError(f"{model.__name__} has no field(s) {sorted(unknown)}")

    def schema(self) -> CoreSchema:
        """The model schema: one field per model field, plus the ``_`` inputs ``finish`` reads.

        The fields are read as a typed dict and handed to the model with one fields-set shared by
        every instance: pydantic's own model-fields reader builds a new set per object, which costs
        more than the whole Python step below (measured: docs/performance.md). The set is never
        mutated in place by pydantic (a frozen model has no setattr; ``model_copy`` copies it first).
        """
        fields: dict[str, cs.TypedDictField] = {}
        for name, info in self.model.model_fields.items():
            source = self._sources.get(name)
            if source is None:
                default = info.get_default(call_default_factory=True)
                if default is PydanticUndefined:
                    default = None  # a required field left to ``finish``
                source = Source(_ABSENT, cs.any_schema(), default)
            fields[name] = source.field()
        # Every field is set by the mapping (from the reply or as its fallback): the set pydantic
        # calls "fields set", one for all instances.
        mapped = set(fields)
        if not self._rules:

            def bare(values: dict[str, Any]) -> tuple[dict[str, Any], None, set[str]]:
                return values, None, mapped

            return self._model(cs.no_info_after_validator_function(bare, _reader(fields)))
        for name, source in self._sources.items():
            if name.startswith("_"):
                fields[name] = source.field()
        rules = _rules_step(self._sources, self._finish, mapped)
        # No ValidationInfo: pydantic-core would build one per object.
        return self._model(cs.no_info_after_validator_function(rules, _reader(fields)))

    def _model(self, inner: CoreSchema) -> CoreSchema:
        return cs.model_schema(self.model, inner, custom_init=False, root_model=False)

    def without_rules(self) -> CompiledModel[M]:
        """The same fields read and validated in Rust, with no rule (tables, scales, ``post``,
        ``finish``) and no hidden inputs, only the one call that hands the dict to the model: not a
        correct mapping, the benchmark's measure of what the rules cost."""
        return CompiledModel(self.model, self._sources, None, rules=False)

    def _compile(self, schema: CoreSchema) -> SchemaValidator:
        # pydantic-core reuses a complete model's own validator for a schema naming that class
        # (its "prebuilt" shortcut), which would ignore these aliases; it must not see it complete.
        with _BUILD_LOCK:
            was = self.model.__pydantic_complete__
            self.model.__pydantic_complete__ = False
            try:
                return SchemaValidator(schema)
            finally:
                self.model.__pydantic_complete__ = was

    def one(self, native: Any, what: str = "reply") -> M:
        """One native object (a dict) as the model."""
        if self._validator is None:
            self._validator = self._compile(self.schema())
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
        fixed = dict(checks or {})
        key = (tuple(path), keyed, tuple(sorted((k, repr(v)) for k, v in fixed.items())), tuple(values))
        validator = self._lists.get(key)
        if validator is None:
            items = cs.dict_schema(cs.str_schema(), self.schema()) if keyed else cs.list_schema(self.schema())
            leaves: dict[tuple[str, ...], CoreSchema] = {tuple(path): items}
            leaves.update((k, cs.literal_schema([v])) for k, v in fixed.items())
            leaves.update((tuple(at), _OPTIONAL) for at in values)
            validator = self._lists[key] = self._compile(_envelope(leaves))
        # Tens of thousands of new objects, none of them garbage yet: the collector would walk
        # the growing heap over and over for nothing. Paused for this call only, then restored.
        collecting = gc.isenabled()
        gc.disable()
        try:
            reply = validator.validate_json(body)
        except (ValidationError, RecursionError, ValueError):
            return None
        finally:
            if collecting:
                gc.enable()
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


_Step = Callable[[dict[str, Any]], tuple[dict[str, Any], None, set[str]]]


def _rules_step(sources: Mapping[str, Source], finish: Finish | None, mapped: set[str]) -> _Step:
    """The per-object Python step: tables, scales and ``post`` of each field, then ``finish``.

    Written out as straight-line code for this mapping (as dataclasses writes ``__init__``): it
    runs once per torrent of every poll, and a generic loop over each kind of rule costs more
    than the rules themselves (measured: docs/performance.md). Field names only appear as
    string literals (``repr``); the tables, functions and defaults are passed in, never written.
    """
    lines = ["def step(values):"]
    names: dict[str, Any] = {"finish": finish, "mapped": mapped}
    for index, (name, source) in enumerate(sources.items()):
        if source.table is None and source.scale is None and source.post is None:
            continue
        key, default = repr(name), f"default{index}"
        names[default] = source.default
        lines += [f"    value = values[{key}]", f"    if value is not {default}:"]
        if source.table is not None:
            names[f"table{index}"] = source.table
            lines.append(f"        value = table{index}.get(value, {default})")
        if source.scale is not None:
            if source.scale != 1.0:
                names[f"scale{index}"] = source.scale
                lines.append(f"        value /= scale{index}")
            lines.append("        value = 0.0 if value < 0.0 else 1.0 if value > 1.0 else value")
        if source.post is not None:
            names[f"post{index}"] = source.post
            lines.append(f"        value = post{index}(value)")
        lines.append(f"        values[{key}] = value")
    if finish is not None:
        lines.append("    finish(values)")
    lines.append("    return values, None, mapped")
    exec("\n".join(lines), names)  # noqa: S102 - our own code, from the names of our own fields
    step: _Step = names["step"]
    return step


def _reader(fields: dict[str, cs.TypedDictField]) -> CoreSchema:
    """The fields of one native object, read into a dict (keys the mapping does not name are ignored)."""
    return cs.typed_dict_schema(fields, extra_behavior="ignore")


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
