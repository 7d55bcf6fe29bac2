"""Facts in and out of the database, always through ``stca.law.parse_facts`` (never re-coded here)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stca.desk.services._errors import FieldProblem, InvalidInput
from stca.law import FactsError, parse_facts


def normalise_facts(raw: Mapping[str, Any], *, prefix: str = "", case_index: int | None = None) -> dict[str, Any]:
    """Validate facts with the engine's own parser and return them complete, as plain JSON.

    Why complete: a snapshot stores every field (defaults filled in), so replaying it years later
    does not depend on what the defaults were at the time.

    Raises:
        InvalidInput: naming each bad field, e.g. ``facts.family_members[0].age_years``.
    """
    try:
        facts = parse_facts(raw)
    except FactsError as exc:
        raise InvalidInput([FieldProblem(_name(prefix, p.field, case_index), p.message)
                            for p in exc.problems]) from None
    return facts.model_dump(mode="json")


def _name(prefix: str, field: str, case_index: int | None) -> str:
    head = prefix
    if case_index is not None:
        head = f"{prefix}[{case_index}]" if prefix else f"[{case_index}]"
    if not head:
        return field
    return f"{head}{field}" if field.startswith("[") else f"{head}.{field}"
