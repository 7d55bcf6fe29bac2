"""The facts as one table, read from their single declaration (``Facts`` and ``FamilyMember``).

Why a table: every door needs the same description of a fact — the pydantic model validates it, the bulk
columns type it, the JSON Schema of the API publishes it, docs/facts.md explains it, the interview asks
it, ``could_change`` tries its other values. Each of those is derived here from the model's fields and
their ``About`` annotation, so a fact is described once.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

import annotated_types
from pydantic import BaseModel

from stca.law._facts import About, Facts, FamilyMember
from stca.law._rule import Text

#: The kinds of fact, and what a value of each looks like in JSON.
KINDS: dict[str, Text] = {
    "enum": Text("one of", "une valeur parmi"),
    "bool": Text("true or false", "true ou false"),
    "int": Text("a whole number", "un nombre entier"),
    "date": Text("a date, YYYY-MM-DD", "une date, AAAA-MM-JJ"),
    "instant": Text("an ISO-8601 instant with offset, e.g. 2023-03-25T00:30:00-04:00 (seconds optional)",
                    "un instant ISO 8601 avec décalage, p. ex. 2023-03-25T00:30:00-04:00 (secondes facultatives)"),
    "country": Text("an ISO 3166-1 alpha-2 country code, e.g. US (any case)",
                    "un code de pays ISO 3166-1 alpha-2, p. ex. US (majuscules ou minuscules)"),
    "list_enum": Text("a list of values among", "une liste de valeurs parmi"),
    "list_country": Text("a list of ISO 3166-1 alpha-2 country codes", "une liste de codes de pays ISO 3166-1 alpha-2"),
    "members": Text("a list of family-member objects (fields below)",
                    "une liste d'objets « membre de la famille » (champs ci-dessous)"),
}


@dataclass(frozen=True)
class FactSpec:
    """One fact: how it is typed, what it defaults to, what it means, what reads it.

    Attributes:
        name: the key of law.md §4.
        kind: one of ``KINDS``.
        about: meaning (EN/FR), unit and probe values (``About``).
        default: the value a missing key or ``null`` takes, in JSON form (None: no value, see ``required``).
        required: whether the fact has no default.
        values: the allowed values of an enum (or of a list of enums).
        enum: the enum type, for enum kinds.
        minimum, maximum: bounds of an integer.
    """

    name: str
    kind: str
    about: About
    default: Any
    required: bool
    values: tuple[str, ...] = ()
    enum: type[StrEnum] | None = None
    minimum: int | None = None
    maximum: int | None = None

    def meaning(self, lang: str = "en") -> str:
        """What the fact means, in ``lang``."""
        return self.about.meaning(lang)

    def expects(self, lang: str = "en") -> str:
        """What a value looks like, in ``lang`` (for messages and the reference)."""
        text = KINDS[self.kind].get(lang)
        if self.values:
            text += " " + ", ".join(self.values)
        if self.minimum is not None and self.maximum is not None:
            text += (f" de {self.minimum} à {self.maximum}" if lang == "fr" else
                     f" from {self.minimum} to {self.maximum}")
        return text

    def probes(self) -> tuple[Any, ...]:
        """Other values worth trying when the fact was not given (dates and instants: none here; they come
        from the rules' in-force windows, ``could_change``)."""
        if self.about.probe is not None:
            return self.about.probe
        if self.kind == "bool":
            return (not self.default,)
        if self.kind == "enum":
            return tuple(v for v in self.values if v != self.default)
        if self.kind == "list_enum":
            return tuple([v] for v in self.values)
        return ()


def _json(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple):
        return [_json(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _unwrap(annotation: Any) -> Any:
    """``X | None`` → ``X``; ``Annotated[X, …]`` → ``X``."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _kind(name: str, annotation: Any, metadata: list[Any]) -> tuple[str, type[StrEnum] | None]:
    inner = _unwrap(annotation)
    if typing.get_origin(inner) is tuple:
        item = _unwrap(typing.get_args(inner)[0])
        if item is FamilyMember:
            return "members", None
        if isinstance(item, type) and issubclass(item, StrEnum):
            return "list_enum", item
        return "list_country", None
    if isinstance(inner, type) and issubclass(inner, StrEnum):
        return "enum", inner
    if inner is bool:
        return "bool", None
    if inner is int:
        return "int", None
    if inner is dt.datetime:
        return "instant", None
    if inner is dt.date:
        return "date", None
    if inner is str:
        return "country", None
    raise TypeError(f"fact {name}: no kind for {annotation!r}")


def _table(model: type[BaseModel]) -> tuple[FactSpec, ...]:
    out = []
    for name, field in model.model_fields.items():
        about = next(m for m in field.metadata if isinstance(m, About))
        kind, enum = _kind(name, field.annotation, field.metadata)
        lo = next((m.ge for m in field.metadata if isinstance(m, annotated_types.Ge)), None)
        hi = next((m.le for m in field.metadata if isinstance(m, annotated_types.Le)), None)
        required = field.is_required()
        out.append(FactSpec(name, kind, about, None if required else _json(field.default), required,
                            tuple(m.value for m in enum) if enum else (), enum,
                            typing.cast(int | None, lo), typing.cast(int | None, hi)))
    return tuple(out)


#: Every fact of law.md §4 (plus the extension ``refugee_protection_conferred_in_canada``), in input order.
FACT_TABLE: tuple[FactSpec, ...] = _table(Facts)
#: The fields of one ``family_members`` entry.
MEMBER_TABLE: tuple[FactSpec, ...] = _table(FamilyMember)
FACTS_BY_NAME: dict[str, FactSpec] = {f.name: f for f in FACT_TABLE}
MEMBERS_BY_NAME: dict[str, FactSpec] = {f.name: f for f in MEMBER_TABLE}


@cache
def rules_reading(name: str) -> tuple[str, ...]:
    """Ids of the rules whose condition reads fact ``name`` (``Rule.reads``), in rule-book order.

    >>> rules_reading("us_forum")[:2]
    ('US-R04F', 'US-R04Fr')
    """
    from stca.law._rulebook import ALL_RULES

    return tuple(r.id for r in ALL_RULES if name in r.reads)


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """Replace ``$ref``s to ``$defs`` by the definitions themselves (a schema that stands alone)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def _describe(schema: dict[str, Any], table: tuple[FactSpec, ...]) -> dict[str, Any]:
    props = schema["properties"]
    for spec in table:
        prop = props[spec.name]
        prop.pop("title", None)
        prop["description"] = spec.meaning("en")
        prop["x-description-fr"] = spec.meaning("fr")
        if spec.about.unit:
            prop["x-unit"] = spec.about.unit
        if spec.kind in ("country", "list_country"):
            prop["x-format"] = "ISO 3166-1 alpha-2, any case"
        if not spec.required:  # null means "not given": the default applies (contract.md §2)
            described = {k: prop.pop(k) for k in ("description", "x-description-fr")}
            props[spec.name] = {"anyOf": [prop, {"type": "null"}], **described}
    return schema


@cache
def facts_json_schema() -> dict[str, Any]:
    """The JSON Schema of one case's facts, standing alone (no ``$ref``), each property described in English
    (``description``) and French (``x-description-fr``); published in the OpenAPI of the API.

    >>> facts_json_schema()["required"]
    ['entry_local_date', 'claim_local_date']
    """
    schema = Facts.model_json_schema()
    defs = schema.get("$defs", {})
    member = _describe(_inline(defs["FamilyMember"], defs), MEMBER_TABLE)
    out = _inline(schema, defs)
    out["properties"]["family_members"]["items"] = member
    out["description"] = ("The facts of one claim (docs/facts.md). A missing key or null takes the default; "
                          "unknown keys are an error.")
    return _describe(out, FACT_TABLE)


def fact_questions(lang: str = "en") -> list[dict[str, Any]]:
    """What an interview needs to ask each fact: key, kind, label (the meaning in ``lang``), allowed values,
    default, unit, bounds, whether required, the rules that read it and the countries whose rules do; for
    ``family_members``, ``fields`` lists the same for each field of an entry.

    >>> q = {q["key"]: q for q in fact_questions()}
    >>> q["us_forum"]["countries"], q["us_forum"]["default"]
    (['US'], 'THRESHOLD_SCREENING')
    """
    from stca.law._rulebook import RULES_BY_ID

    def one(spec: FactSpec, reads: tuple[str, ...]) -> dict[str, Any]:
        return {"key": spec.name, "kind": spec.kind, "label": spec.meaning(lang), "expects": spec.expects(lang),
                "values": list(spec.values), "default": spec.default, "required": spec.required,
                "unit": spec.about.unit, "minimum": spec.minimum, "maximum": spec.maximum,
                "read_by": list(reads), "countries": sorted({RULES_BY_ID[r].country for r in reads})}

    out = []
    for spec in FACT_TABLE:
        q = one(spec, rules_reading(spec.name))
        if spec.kind == "members":
            q["fields"] = [one(m, rules_reading(spec.name)) for m in MEMBER_TABLE]
        out.append(q)
    return out
