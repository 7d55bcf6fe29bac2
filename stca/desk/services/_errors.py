"""Errors raised by the service layer; each maps to one HTTP status and names the field at fault.

Exception tree:

- ``ServiceError`` (400)
    - ``InvalidInput`` (422): ``problems`` = list of :class:`FieldProblem` (field, message)
    - ``NotFound`` (404)
    - ``Conflict`` (409): the request is valid but the case's state forbids it (bad transition,
      reused idempotency key with different content, full site)
    - ``PermissionDenied`` (403): a business rule about *who* (e.g. approving one's own override)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class FieldProblem:
    """One bad field (dotted path such as ``family_members[0].name``) and what was expected."""

    field: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """JSON form used in every 4xx body."""
        return {"field": self.field, "message": self.message}


class ServiceError(Exception):
    """Base class: a request the desk refuses, with a message for people."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def to_dict(self) -> dict[str, Any]:
        """JSON body: ``{"detail": message, "problems": [{field, message}]}``."""
        problems = [FieldProblem(self.field, self.message).to_dict()] if self.field else []
        return {"detail": self.message, "problems": problems}


class InvalidInput(ServiceError):
    """The input cannot be used; nothing was changed."""

    status_code = 422

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems

    @classmethod
    def one(cls, field: str, message: str) -> InvalidInput:
        """Shortcut for a single bad field."""
        return cls([FieldProblem(field, message)])

    def to_dict(self) -> dict[str, Any]:
        """JSON body naming every bad field."""
        return {"detail": self.message, "problems": [p.to_dict() for p in self.problems]}


class NotFound(ServiceError):
    """No such entity."""

    status_code = 404

    def __init__(self, entity: str, key: object) -> None:
        super().__init__(f"{entity} {key} not found")


class Conflict(ServiceError):
    """Valid input, but the current state does not allow it."""

    status_code = 409


class PermissionDenied(ServiceError):
    """A rule about who may do this (beyond the route's roles) forbids it."""

    status_code = 403


def dotted(loc: tuple[int | str, ...]) -> str:
    """``("family_members", 0, "name")`` → ``family_members[0].name``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out or "(body)"


def problems_from(exc: ValidationError, prefix: tuple[int | str, ...] = ()) -> list[FieldProblem]:
    """Pydantic errors → field problems, with messages a person can act on."""
    out = []
    for err in exc.errors():
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        elif err["type"] == "missing":
            msg = "required field is missing"
        out.append(FieldProblem(dotted(prefix + tuple(err["loc"])), msg))
    return out


def validate(model: type[M], data: Any) -> M:
    """Validate ``data`` into ``model`` or raise :class:`InvalidInput` naming the fields."""
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(problems_from(exc)) from None
