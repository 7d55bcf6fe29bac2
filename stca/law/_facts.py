"""The facts of one case (law.md §4), validated.

Why pydantic: every bad field must be reported by name with what was expected (contract.md §2), and
the same model documents the vocabulary for the API (OpenAPI) and the desk. Booleans and integers are
strict (``"yes"`` is not ``true``); dates must be ISO strings or dates, not numbers. A missing key or
``null`` takes the default of cases.yaml ``defaults`` / ``family_member_defaults``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    model_validator,
)

from stca.law._enums import (
    CaStatus,
    ClaimState,
    DeathPenalty,
    Direction,
    Document,
    EntryPlace,
    Inadmissibility,
    Location,
    Marital,
    PriorCanadianClaim,
    Relationship,
    UsAsylumForum,
    UsForum,
    UsStatus,
)

#: Civil time zone assumed for an instant given without an offset, and for the default entry instant
#: ("noon local time of entry_local_date", contract.md §2). Most STCA claims are made in Quebec/Ontario.
DEFAULT_ZONE = ZoneInfo("America/Toronto")

_ISO2 = re.compile(r"^[A-Z]{2}$")


def _iso_date(value: Any) -> Any:
    """Accept ``date`` objects and ISO ``YYYY-MM-DD`` strings only (pydantic alone would take numbers)."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"expected a real calendar date as YYYY-MM-DD, got {value!r}") from None
    raise ValueError(f"expected a date as YYYY-MM-DD, got {type(value).__name__} {value!r}")


def _iso_instant(value: Any) -> Any:
    """Accept ISO-8601 instants; one without an offset is read as America/Toronto civil time."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(
                f"expected an ISO-8601 instant such as 2023-03-25T00:30:00-04:00, got {value!r}"
            ) from None
    else:
        raise ValueError(f"expected an ISO-8601 instant string, got {type(value).__name__} {value!r}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=DEFAULT_ZONE)
    return parsed


def _country(value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, str) or not _ISO2.match(value.upper()):
        raise ValueError(f"expected an ISO 3166-1 alpha-2 country code such as 'US' or 'CO', got {value!r}")
    return value.upper()


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
OptIsoDate = Annotated[dt.date | None, BeforeValidator(_iso_date)]
Instant = Annotated[dt.datetime | None, BeforeValidator(_iso_instant)]
Country = Annotated[str, BeforeValidator(_country)]
OptCountry = Annotated[str | None, BeforeValidator(_country)]
Age = Annotated[int, Field(strict=True, ge=0, le=130)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class FamilyMember(_Strict):
    """A relative of the claimant as of the claim date (law.md §4 ``family_members``)."""

    relationship: Relationship
    location: Location = Location.CANADA
    age_years: Age = 40
    ca_status: CaStatus = CaStatus.NO_STATUS
    claim_state: ClaimState = ClaimState.NOT_APPLICABLE
    permit_valid: StrictBool = True
    work_permit_r206_1_b: StrictBool = False
    us_status: UsStatus = UsStatus.NO_STATUS
    us_asylum_forum: UsAsylumForum = UsAsylumForum.NONE


class Facts(_Strict):
    """Everything the STCA rules of both countries can read about one claim (law.md §4).

    An input value of ``true`` for an exception fact means the claimant has *established* it (Canada:
    balance of probabilities, IRPA 100(1.1); US: preponderance, 8 CFR 208.30(e)(6)(ii)).
    """

    direction: Direction = Direction.US_TO_CANADA
    came_from_other_party: StrictBool = True
    entry_place: EntryPlace = EntryPlace.LAND_POE
    claim_at_entry: StrictBool = True
    entered_at_poe_without_claim: StrictBool = False
    entry_instant: Instant = None
    entry_local_date: IsoDate
    claim_local_date: IsoDate
    determination_date: OptIsoDate = None
    in_transit_removal_from_us: StrictBool = False
    in_transit_removal_from_canada: StrictBool = False
    nationalities: tuple[Country, ...] = ("CO",)
    stateless: StrictBool = False
    former_habitual_residence: OptCountry = None
    habitual_residence: OptCountry = None
    age_years: Age = 35
    marital: Marital = Marital.NONE
    accompanied_by_parent_or_legal_guardian: StrictBool = False
    parent_or_legal_guardian_in_canada: StrictBool = False
    parent_or_legal_guardian_in_us: StrictBool = False
    family_members: tuple[FamilyMember, ...] = ()
    documents_held: tuple[Document, ...] = ()
    visa_required_canada: StrictBool = True
    visa_required_us: StrictBool = True
    refused_entry_us_no_claim_adjudicated: StrictBool = False
    ca_pr_removed_from_us_being_returned: StrictBool = False
    death_penalty: DeathPenalty = DeathPenalty.NONE
    death_penalty_offence_punishable_by_death: StrictBool = False
    tsr_country_national: StrictBool = False
    excluded_from_tsr_230_3: StrictBool = False
    inadmissibility_determined: tuple[Inadmissibility, ...] = ()
    prior_claim_other_country_confirmed: StrictBool = False
    recognized_refugee_elsewhere_returnable: StrictBool = False
    prior_canadian_claim: PriorCanadianClaim = PriorCanadianClaim.NONE
    first_entry_after_2020_06_24: OptIsoDate = None
    us_public_interest_determination: StrictBool = False
    #: law.md §9 A1: who applies the Agreement to a claim made in the US (ignored for claims in Canada).
    us_forum: UsForum = UsForum.THRESHOLD_SCREENING
    agreement_suspended: StrictBool = False
    policy_accept_permits_as_documents: StrictBool = True
    #: Extension to law.md §4 for IRPA 101(1)(a) (refugee protection already conferred under the Act).
    refugee_protection_conferred_in_canada: StrictBool = False

    @model_validator(mode="after")
    def _coherent(self) -> Facts:
        """Reject combinations no real case can have (contract.md §2: impossible dates)."""
        if self.claim_local_date < self.entry_local_date:
            raise _FieldProblem("claim_local_date", "the claim cannot be made before entry_local_date")
        det = self.determination_date
        if det is not None and det < self.claim_local_date:
            raise _FieldProblem("determination_date", "the determination cannot precede claim_local_date")
        if self.entry_instant is not None:
            utc_day = self.entry_instant.astimezone(dt.UTC).date()
            if abs((utc_day - self.entry_local_date).days) > 1:
                raise _FieldProblem(
                    "entry_instant",
                    f"falls on {utc_day} (UTC), more than a day from entry_local_date {self.entry_local_date}",
                )
        if self.stateless and self.nationalities:
            raise _FieldProblem("stateless", "a stateless claimant must have an empty nationalities list")
        first = self.first_entry_after_2020_06_24
        if first is not None:
            if first <= dt.date(2020, 6, 24):
                raise _FieldProblem("first_entry_after_2020_06_24", "must be a date after 2020-06-24")
            if first > self.claim_local_date:
                raise _FieldProblem("first_entry_after_2020_06_24", "cannot be after claim_local_date")
            if self.entry_local_date > dt.date(2020, 6, 24) and first > self.entry_local_date:
                raise _FieldProblem("first_entry_after_2020_06_24",
                                    "cannot be after entry_local_date, itself an entry after 2020-06-24")
        return self

    @property
    def decided_on(self) -> dt.date:
        """The date of the eligibility decision (defaults to the claim date, contract.md §2)."""
        return self.determination_date or self.claim_local_date

    @property
    def instant(self) -> dt.datetime:
        """Entry instant, defaulting to noon local time on the entry date (contract.md §2)."""
        if self.entry_instant is not None:
            return self.entry_instant
        return dt.datetime.combine(self.entry_local_date, dt.time(12), tzinfo=DEFAULT_ZONE)


class _FieldProblem(ValueError):
    """Raised inside validators to attach a message to a named field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Problem:
    """One bad field: its dotted path (``family_members[0].age_years``) and what was expected."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class FactsError(ValueError):
    """The facts of a case cannot be used; ``problems`` names every bad field.

    The message is meant for people: one line per field, saying what was expected.
    """

    def __init__(self, problems: list[Problem], *, case_index: int | None = None) -> None:
        self.problems = problems
        self.case_index = case_index
        where = f"case {case_index}: " if case_index is not None else ""
        super().__init__("\n".join(f"{where}{p}" for p in problems))


FACT_NAMES: tuple[str, ...] = tuple(Facts.model_fields)
MEMBER_NAMES: tuple[str, ...] = tuple(FamilyMember.model_fields)


def _drop_nulls(data: Mapping[str, Any]) -> dict[str, Any]:
    """A ``null`` value means "use the default" (contract.md §2)."""
    return {k: v for k, v in data.items() if v is not None}


def _suggest(name: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _location(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def parse_facts(data: Mapping[str, Any] | Facts) -> Facts:
    """Validate one case's facts, filling defaults.

    Raises:
        FactsError: naming every bad field and what was expected.

    >>> parse_facts({"entry_local_date": "2024-01-02", "claim_local_date": "2024-01-02"}).entry_place
    <EntryPlace.LAND_POE: 'LAND_POE'>
    """
    if isinstance(data, Facts):
        return data
    if not isinstance(data, Mapping):
        raise FactsError([Problem("(case)", f"expected a JSON object of facts, got {type(data).__name__}")])
    clean = _drop_nulls(data)
    members = clean.get("family_members")
    if isinstance(members, list):
        clean["family_members"] = [_drop_nulls(m) if isinstance(m, Mapping) else m for m in members]
    try:
        return Facts.model_validate(clean)
    except ValidationError as exc:
        raise FactsError(_problems(exc)) from None
    except _FieldProblem as exc:
        raise FactsError([Problem(exc.field, exc.message)]) from None


def _problems(exc: ValidationError) -> list[Problem]:
    problems: list[Problem] = []
    for err in exc.errors():
        loc = err["loc"]
        field = _location(loc) or "(case)"
        kind = err["type"]
        if kind == "extra_forbidden":
            known = MEMBER_NAMES if "family_members" in loc[:1] and len(loc) > 2 else FACT_NAMES
            msg = f"unknown field{_suggest(str(loc[-1]), known)}"
        elif kind == "missing":
            msg = "required field is missing"
        elif kind == "value_error" and isinstance(err.get("ctx", {}).get("error"), _FieldProblem):
            fp: _FieldProblem = err["ctx"]["error"]
            field, msg = fp.field, fp.message
        else:
            msg = str(err["msg"]).removeprefix("Value error, ")
            if "input" in err and kind != "value_error":
                msg += f" (got {err['input']!r})"
        problems.append(Problem(field, msg))
    return problems
