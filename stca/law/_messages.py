"""What the law says about bad facts, in English and French, for every door.

Why here: ``parse_facts`` (pydantic) and ``normalize`` (polars) validate the same facts in two ways; a user
must read the same sentence whichever door the facts came through (the tests compare them). Messages are
the project's own words — what was expected, then what was got — never a library's ("Input should be…").
"""

from __future__ import annotations

import difflib

from pydantic import ValidationError

from stca.law._fact_table import FactSpec
from stca.law._facts import Problem
from stca.law._rule import Text


class FactMessages:
    """The message catalogue; each method returns the sentence in English and French (``Text``)."""

    @staticmethod
    def expected(spec: FactSpec) -> Text:
        """A value of the wrong form or outside the vocabulary."""
        kind = spec.kind
        values = ", ".join(spec.values)
        if kind == "enum":
            return Text(f"expected one of {values}", f"attendu : une des valeurs {values}")
        if kind == "list_enum":
            return Text(f"expected a list of {values}", f"attendu : une liste de valeurs parmi {values}")
        if kind == "bool":
            return Text("expected true or false", "attendu : true ou false")
        if kind == "int":
            return Text("expected a whole number", "attendu : un nombre entier")
        if kind == "date":
            return Text("expected a real calendar date as YYYY-MM-DD",
                        "attendu : une date réelle au format AAAA-MM-JJ")
        if kind == "instant":
            return Text("expected an ISO-8601 instant such as 2023-03-25T00:30:00-04:00",
                        "attendu : un instant ISO 8601 tel que 2023-03-25T00:30:00-04:00")
        if kind in ("country", "list_country"):
            return FactMessages.country()
        return Text("expected a list of family-member objects", "attendu : une liste d'objets « membre de la famille »")

    @staticmethod
    def range(spec: FactSpec) -> Text:
        """A number outside its bounds."""
        lo, hi = spec.minimum, spec.maximum
        if spec.about.unit == "years":
            return Text(f"expected an age from {lo} to {hi}", f"attendu : un âge de {lo} à {hi}")
        return Text(f"expected a number from {lo} to {hi}", f"attendu : un nombre de {lo} à {hi}")

    @staticmethod
    def country() -> Text:
        """A code that is not an ISO 3166-1 alpha-2 country."""
        return Text("expected an ISO 3166-1 alpha-2 country code such as 'US' or 'CO'",
                    "attendu : un code de pays ISO 3166-1 alpha-2 tel que 'US' ou 'CO'")

    @staticmethod
    def json_array() -> Text:
        """A list cell (CSV) that is not a JSON array of the right kind."""
        return Text('expected a JSON array such as ["CO"] or [{"relationship": "MOTHER"}]',
                    'attendu : un tableau JSON tel que ["CO"] ou [{"relationship": "MOTHER"}]')

    @staticmethod
    def missing() -> Text:
        """A required fact without a value."""
        return Text("required value is missing", "valeur obligatoire manquante")

    @staticmethod
    def missing_field() -> Text:
        """A required key absent from one case."""
        return Text("required field is missing", "champ obligatoire manquant")

    @staticmethod
    def missing_column() -> Text:
        """A required column absent from a population."""
        return Text("required column is missing", "colonne obligatoire manquante")

    @staticmethod
    def unknown(name: str, known: tuple[str, ...]) -> Text:
        """A key or column that is not a fact, with the closest fact if one is close."""
        close = difflib.get_close_matches(name, known, n=1)
        if close:
            return Text(f"unknown field (did you mean {close[0]!r}?)",
                        f"champ inconnu (vouliez-vous dire {close[0]!r} ?)")
        return Text("unknown field", "champ inconnu")

    @staticmethod
    def not_object() -> Text:
        """A case that is not a JSON object."""
        return Text("expected a JSON object of facts", "attendu : un objet JSON de faits")


FACT_MESSAGES = FactMessages()


def _location(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + part
    return out or "(case)"


def _spec_at(loc: tuple[int | str, ...]) -> tuple[FactSpec | None, bool]:
    """The fact (or family-member field) an error location points to, and whether it is a list element."""
    from stca.law._fact_table import FACTS_BY_NAME, MEMBERS_BY_NAME

    names = [p for p in loc if isinstance(p, str)]
    if not names:
        return None, False
    if names[0] == "family_members" and len(names) > 1:
        return MEMBERS_BY_NAME.get(names[1]), False
    return FACTS_BY_NAME.get(names[0]), isinstance(loc[-1], int)


def _for_element(spec: FactSpec) -> Text:
    """The message for one element of a list fact."""
    if spec.kind == "list_enum":
        values = ", ".join(spec.values)
        return Text(f"expected one of {values}", f"attendu : une des valeurs {values}")
    return FACT_MESSAGES.expected(spec)


def problems_of(exc: ValidationError) -> list[Problem]:
    """pydantic's errors as the project's problems: the field's path and what was expected (EN/FR)."""
    from stca.law._fact_table import FACT_TABLE, MEMBER_TABLE
    from stca.law._facts import _FieldProblem

    problems: list[Problem] = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        field = _location(loc)
        kind = err["type"]
        ctx_error = err.get("ctx", {}).get("error")
        if isinstance(ctx_error, _FieldProblem):
            problems.append(Problem(ctx_error.field, *ctx_error.message))
            continue
        if kind == "extra_forbidden":
            in_member = loc[:1] == ("family_members",) and len(loc) > 2
            known = tuple(s.name for s in (MEMBER_TABLE if in_member else FACT_TABLE))
            text = FACT_MESSAGES.unknown(str(loc[-1]), known)
        elif kind == "missing":
            text = FACT_MESSAGES.missing_field()
        else:
            spec, element = _spec_at(loc)
            if spec is None:
                text = FACT_MESSAGES.not_object()
            elif kind in ("greater_than_equal", "less_than_equal"):
                text = FACT_MESSAGES.range(spec)
            elif element:
                text = _for_element(spec)
            elif spec.kind == "members" and isinstance(loc[-1], int):
                text = Text("expected a family-member object", "attendu : un objet « membre de la famille »")
            else:
                text = FACT_MESSAGES.expected(spec)
            if "input" in err:
                got = f", got {err['input']!r}"
                text = Text(text.en + got, text.fr + got.replace("got", "reçu"))
        problems.append(Problem(field, text.en, text.fr))
    return problems
