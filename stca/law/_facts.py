"""The facts of one case (law.md §4), validated.

Why pydantic: every bad field must be reported by name with what was expected (contract.md §2), and
the same model documents the vocabulary for the API (OpenAPI) and the desk. Booleans and integers are
strict (``"yes"`` is not ``true``); dates must be ISO strings or dates, not numbers. A missing key or
``null`` takes the default of cases.yaml ``defaults`` / ``family_member_defaults``.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
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


def today() -> dt.date:
    """Today's civil date in ``DEFAULT_ZONE``: a case decided after it is decided under the law as known
    today (``Determination.law_known_on``)."""
    return dt.datetime.now(DEFAULT_ZONE).date()



@cache
def iso_countries() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes, read from the database the ``pycountry`` package maintains.

    Read directly from its JSON file, once and only when a country is checked: importing ``pycountry``
    itself costs a fifth of a second, more than a whole ``stca check``.
    """
    spec = importlib.util.find_spec("pycountry")
    assert spec is not None and spec.submodule_search_locations and spec.loader, "pycountry is a dependency"
    loader: Any = spec.loader  # a package loader (importlib.abc.ResourceLoader): reads package data
    data = json.loads(loader.get_data(f"{spec.submodule_search_locations[0]}/databases/iso3166-1.json"))
    return frozenset(entry["alpha_2"] for entry in data["3166-1"])


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
    """An ISO 3166-1 alpha-2 code in any case, stored upper case."""
    if value is None:
        return None
    if not isinstance(value, str) or value.upper() not in iso_countries():
        raise ValueError(f"expected an ISO 3166-1 alpha-2 country code such as 'US' or 'CO', got {value!r}")
    return value.upper()


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
OptIsoDate = Annotated[dt.date | None, BeforeValidator(_iso_date)]
Instant = Annotated[dt.datetime | None, BeforeValidator(_iso_instant)]
Country = Annotated[str, BeforeValidator(_country)]
OptCountry = Annotated[str | None, BeforeValidator(_country)]
Age = Annotated[int, Field(strict=True, ge=0, le=130)]


@dataclass(frozen=True)
class About:
    """What a fact means, in English and French, and which other answers are worth trying.

    Attached to each field of ``Facts`` and ``FamilyMember`` (``Annotated[type, About(...)]``): the one
    place a fact is described. ``probe`` lists other values to try when the fact was not given
    (``could_change``), in the JSON form an input would give, each a value or a mapping of several facts
    set together; ``None`` means "derive them from the type" (the other members of an enum, the other
    boolean, each member of a list of enums, and for dates and instants the edges of the rules' in-force
    windows); ``()`` means the fact is a reading of the law, not something to establish.
    """

    en: str
    fr: str
    unit: str | None = None
    probe: tuple[Any, ...] | None = None

    def meaning(self, lang: str = "en") -> str:
        """The meaning in ``lang`` ("en" or "fr")."""
        return self.fr if lang == "fr" else self.en


def _relative(relationship: str, location: str, **status: str) -> list[dict[str, Any]]:
    return [{"relationship": relationship, "location": location, "age_years": 40, **status}]


#: One relative of each kind that can decide an exception (IRPR 159.5(a)–(e); 8 CFR 208.30(e)(6)(iii)(B)–(D)):
#: what ``could_change`` tries when ``family_members`` was not given.
RELATIVE_PROBES: tuple[Any, ...] = (
    *(_relative("SISTER", "CANADA", ca_status=s) for s in (
        "CANADIAN_CITIZEN", "PERMANENT_RESIDENT", "PROTECTED_PERSON", "STAY_R233", "WORK_PERMIT", "STUDY_PERMIT")),
    _relative("SISTER", "CANADA", ca_status="REFUGEE_CLAIMANT", claim_state="REFERRED_PENDING"),
    *(_relative("SISTER", "US", us_status=s) for s in (
        "US_CITIZEN", "LPR", "ASYLEE", "REFUGEE", "OTHER_LAWFUL_STATUS", "TPS_OR_PAROLE")),
    _relative("SISTER", "US", us_status="ASYLUM_PENDING", us_asylum_forum="USCIS"),
    _relative("MOTHER", "CANADA"),
    _relative("MOTHER", "US"),
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class FamilyMember(_Strict):
    """A relative of the claimant as of the claim date (law.md §4 ``family_members``)."""

    relationship: Annotated[Relationship, About(
        "The relative's relationship to the claimant; only some are family members (IRPR 159.1; 8 CFR "
        "208.30(e)(6)(iii)(B)).",
        "Lien du parent avec le demandeur ; seuls certains sont des membres de la famille (RIPR 159.1 ; 8 CFR "
        "208.30(e)(6)(iii)(B)).")]
    location: Annotated[Location, About("Where the relative physically is on the claim date.",
                                        "Où se trouve physiquement le parent à la date de la demande.")] = (
        Location.CANADA)
    age_years: Annotated[Age, About("The relative's age on the claim date.",
                                    "Âge du parent à la date de la demande.", unit="years")] = 40
    ca_status: Annotated[CaStatus, About("The relative's status in Canada (IRPR 159.5(a)–(d)).",
                                         "Statut du parent au Canada (RIPR 159.5a)–d)).")] = CaStatus.NO_STATUS
    claim_state: Annotated[ClaimState, About(
        "State of the relative's own refugee claim in Canada (IRPR 159.5(c)).",
        "État de la demande d'asile du parent au Canada (RIPR 159.5c)).")] = ClaimState.NOT_APPLICABLE
    permit_valid: Annotated[StrictBool, About(
        "The relative's work or study permit is valid: not expired, cancelled or void (IRPR 209, 222).",
        "Le permis de travail ou d'études du parent est valide : ni expiré, ni annulé, ni invalide (RIPR 209, "
        "222).")] = True
    work_permit_r206_1_b: Annotated[StrictBool, About(
        "The relative's work permit was issued under IRPR 206(1)(b) (unenforceable removal order), which IRPR "
        "159.5(d) excludes.",
        "Le permis de travail du parent a été délivré en vertu du RIPR 206(1)b) (mesure de renvoi inexécutable), "
        "exclu par le RIPR 159.5d).")] = False
    us_status: Annotated[UsStatus, About("The relative's status in the US (8 CFR 208.30(e)(6)(iii)(B)–(C)).",
                                         "Statut du parent aux États-Unis (8 CFR 208.30(e)(6)(iii)(B)–(C)).")] = (
        UsStatus.NO_STATUS)
    us_asylum_forum: Annotated[UsAsylumForum, About(
        "Where the relative's US asylum application is pending (8 CFR 208.30(e)(6)(iii)(C)).",
        "Instance devant laquelle la demande d'asile américaine du parent est pendante (8 CFR "
        "208.30(e)(6)(iii)(C)).")] = UsAsylumForum.NONE


class Facts(_Strict):
    """Everything the STCA rules of both countries can read about one claim (law.md §4).

    Each field carries ``About``: its meaning in English and French, its unit, and the other answers worth
    trying when nobody gave it (``stca.law.could_change``). ``stca.law.FACT_TABLE``, the bulk column types,
    the JSON Schema of the API and docs/facts.md are all read from this one declaration.

    An input value of ``true`` for an exception fact means the claimant has *established* it (Canada:
    balance of probabilities, IRPA 100(1.1); US: preponderance, 8 CFR 208.30(e)(6)(ii)).
    """

    direction: Annotated[Direction, About(
        "Which country receives the claim: Canada, from a person coming from the US (US_TO_CANADA), or the US, "
        "from a person coming from Canada (CANADA_TO_US).",
        "Pays qui reçoit la demande : le Canada, d'une personne venant des États-Unis (US_TO_CANADA), ou les "
        "États-Unis, d'une personne venant du Canada (CANADA_TO_US).")] = Direction.US_TO_CANADA
    came_from_other_party: Annotated[StrictBool, About(
        "The person was in the other country (the country of last presence) immediately before arriving; in "
        "Canada, came directly or indirectly from the US (IRPA 101(1)(e); Agreement Art. 1).",
        "La personne se trouvait dans l'autre pays (dernier pays de présence) juste avant d'arriver ; au Canada, "
        "est arrivée directement ou indirectement des États-Unis (LIPR 101(1)e) ; Entente, art. 1).")] = True
    entry_place: Annotated[EntryPlace, About(
        "Where the person sought entry: a land port of entry, the land border between ports (including waters "
        "along it), an airport, a harbour port, or elsewhere (IRPR 159.4(1); 8 CFR 208.30(e)(6)).",
        "Lieu où la personne a cherché à entrer : point d'entrée terrestre, frontière terrestre entre les points "
        "d'entrée (eaux comprises), aéroport, port maritime ou ailleurs (RIPR 159.4(1) ; 8 CFR 208.30(e)(6)).")] = (
        EntryPlace.LAND_POE)
    claim_at_entry: Annotated[StrictBool, About(
        "The claim was made when seeking entry at the entry place (false: made later, inland).",
        "La demande a été faite en cherchant à entrer au lieu d'entrée (faux : faite plus tard, à "
        "l'intérieur du pays).")] = True
    entered_at_poe_without_claim: Annotated[StrictBool, About(
        "The person was admitted at a port of entry without claiming, and claimed inland later.",
        "La personne a été admise à un point d'entrée sans faire de demande, puis a demandé l'asile à "
        "l'intérieur du pays.")] = False
    entry_instant: Annotated[Instant, About(
        "The instant of entry, with its UTC offset; for a claim at a port of entry, the instant of the claim. "
        "Not given: noon local time (America/Toronto) on entry_local_date.",
        "Instant de l'entrée, avec son décalage UTC ; pour une demande à un point d'entrée, l'instant de la "
        "demande. Non donné : midi, heure locale (America/Toronto), le jour de entry_local_date.")] = None
    entry_local_date: Annotated[IsoDate, About("The local calendar date of entry.",
                                               "Date civile locale de l'entrée.")]
    claim_local_date: Annotated[IsoDate, About("The local calendar date of the claim.",
                                               "Date civile locale de la demande.")]
    determination_date: Annotated[OptIsoDate, About(
        "The date of the eligibility decision; the Bill C-12 grounds (2026) depend on it. Not given: "
        "claim_local_date.",
        "Date de la décision sur la recevabilité ; les motifs du projet de loi C-12 (2026) en dépendent. Non "
        "donnée : claim_local_date.")] = None
    in_transit_removal_from_us: Annotated[StrictBool, About(
        "The person, ordered removed from the US, is in transit through Canada in the course of that removal "
        "(IRPR 159.4(2)).",
        "La personne, frappée d'une mesure de renvoi des États-Unis, transite par le Canada au cours de ce "
        "renvoi (RIPR 159.4(2)).")] = False
    in_transit_removal_from_canada: Annotated[StrictBool, About(
        "The person is in transit through the US in the course of removal by Canada (8 CFR 208.30(e)(6)).",
        "La personne transite par les États-Unis au cours d'un renvoi par le Canada (8 CFR 208.30(e)(6)).")] = (
        False)
    nationalities: Annotated[tuple[Country, ...], About(
        "The person's nationalities, as ISO 3166-1 alpha-2 codes (empty if stateless).",
        "Nationalités de la personne, en codes ISO 3166-1 alpha-2 (vide si apatride).",
        probe=(["US"], ["CA"]))] = ("CO",)
    stateless: Annotated[StrictBool, About("The person has no nationality.", "La personne n'a aucune nationalité.",
                                           probe=({"stateless": True, "nationalities": []},))] = False
    former_habitual_residence: Annotated[OptCountry, About(
        "For a stateless person, the country of former habitual residence (IRPA 101(1)(e); IRPR 159.2).",
        "Pour un apatride, le pays de l'ancienne résidence habituelle (LIPR 101(1)e) ; RIPR 159.2).",
        probe=("US",))] = None
    habitual_residence: Annotated[OptCountry, About(
        "The country of habitual residence (8 CFR 208.30(e)(6)(iii)(A), for a stateless person).",
        "Pays de résidence habituelle (8 CFR 208.30(e)(6)(iii)(A), pour un apatride).", probe=("CA", "US"))] = None
    age_years: Annotated[Age, About(
        "The person's age on the claim date (18 on the claim date is not under 18).",
        "Âge de la personne à la date de la demande (avoir 18 ans ce jour-là n'est pas avoir moins de 18 ans).",
        unit="years", probe=(17,))] = 35
    marital: Annotated[Marital, About(
        "Whether the person has a spouse or common-law partner (IRPR 159.5(e); 8 CFR 208.30(e)(6)(iii)(D)).",
        "La personne a-t-elle un époux ou un conjoint de fait (RIPR 159.5e) ; 8 CFR 208.30(e)(6)(iii)(D)).")] = (
        Marital.NONE)
    accompanied_by_parent_or_legal_guardian: Annotated[StrictBool, About(
        "A minor travels with a parent or legal guardian.", "Un mineur voyage avec un parent ou un tuteur légal.")] = (
        False)
    parent_or_legal_guardian_in_canada: Annotated[StrictBool, About(
        "A parent or legal guardian of a minor is in Canada (IRPR 159.5(e)).",
        "Un parent ou tuteur légal du mineur est au Canada (RIPR 159.5e)).")] = False
    parent_or_legal_guardian_in_us: Annotated[StrictBool, About(
        "A parent or legal guardian of a minor is in the US (IRPR 159.5(e); 8 CFR 208.30(e)(6)(iii)(D)).",
        "Un parent ou tuteur légal du mineur est aux États-Unis (RIPR 159.5e) ; 8 CFR 208.30(e)(6)(iii)(D)).")] = (
        False)
    family_members: Annotated[tuple[FamilyMember, ...], About(
        "The person's relatives on the claim date, each with relationship, location, age and status (IRPR "
        "159.1, 159.5(a)–(d); 8 CFR 208.30(e)(6)(iii)(B)–(C)). Given as an empty list: no relative.",
        "Parents de la personne à la date de la demande, chacun avec son lien, son lieu, son âge et son statut "
        "(RIPR 159.1, 159.5a)–d) ; 8 CFR 208.30(e)(6)(iii)(B)–(C)). Liste vide : aucun parent.",
        probe=RELATIVE_PROBES)] = ()
    documents_held: Annotated[tuple[Document, ...], About(
        "Documents the person holds (IRPR 159.5(f); 8 CFR 208.30(e)(6)(iii)(E)).",
        "Documents que détient la personne (RIPR 159.5f) ; 8 CFR 208.30(e)(6)(iii)(E)).")] = ()
    visa_required_canada: Annotated[StrictBool, About(
        "The person needs a visa to enter Canada, for this mode of entry (IRPR 159.5(g); 8 CFR "
        "208.30(e)(6)(iii)(E)).",
        "La personne a besoin d'un visa pour entrer au Canada par ce mode d'entrée (RIPR 159.5g) ; 8 CFR "
        "208.30(e)(6)(iii)(E)).")] = True
    visa_required_us: Annotated[StrictBool, About(
        "The person needs a visa to enter the US (IRPR 159.5(g); 8 CFR 208.30(e)(6)(iii)(E)).",
        "La personne a besoin d'un visa pour entrer aux États-Unis (RIPR 159.5g) ; 8 CFR 208.30(e)(6)(iii)(E)).")] = (
        True)
    refused_entry_us_no_claim_adjudicated: Annotated[StrictBool, About(
        "Re-entering Canada after the US refused entry without adjudicating a claim (IRPR 159.5(h)).",
        "Retour au Canada après un refus d'entrée aux États-Unis sans décision sur une demande (RIPR 159.5h)).")] = (
        False)
    ca_pr_removed_from_us_being_returned: Annotated[StrictBool, About(
        "A Canadian permanent resident removed from the US and being returned to Canada (IRPR 159.5(h)).",
        "Résident permanent du Canada renvoyé des États-Unis et ramené au Canada (RIPR 159.5h)).")] = False
    death_penalty: Annotated[DeathPenalty, About(
        "Whether the person is charged with or convicted of an offence, and where (IRPR 159.6).",
        "La personne est-elle accusée ou déclarée coupable d'une infraction, et où (RIPR 159.6).")] = (
        DeathPenalty.NONE)
    death_penalty_offence_punishable_by_death: Annotated[StrictBool, About(
        "That offence is punishable by death where charged or convicted (IRPR 159.6).",
        "Cette infraction est punissable de mort là où la personne est accusée ou condamnée (RIPR 159.6).")] = False
    tsr_country_national: Annotated[StrictBool, About(
        "A national of a country under a temporary suspension of removals (IRPR 230) on the claim date; "
        "2004–2009 only (former IRPR 159.6(c)).",
        "Ressortissant d'un pays visé par une suspension temporaire des renvois (RIPR 230) à la date de la "
        "demande ; 2004–2009 seulement (ancien RIPR 159.6c)).")] = False
    excluded_from_tsr_230_3: Annotated[StrictBool, About(
        "Excluded from that suspension by IRPR 230(3) (criminality, security, human rights).",
        "Exclu de cette suspension par le RIPR 230(3) (criminalité, sécurité, droits de la personne).")] = False
    inadmissibility_determined: Annotated[tuple[Inadmissibility, ...], About(
        "Inadmissibility findings made against the person (IRPA 101(1)(f), 101(2)).",
        "Interdictions de territoire prononcées contre la personne (LIPR 101(1)f), 101(2)).")] = ()
    prior_claim_other_country_confirmed: Annotated[StrictBool, About(
        "An earlier claim made in another country (the US, the UK, Australia or New Zealand) is confirmed "
        "(IRPA 101(1)(c.1)).",
        "Une demande antérieure faite dans un autre pays (États-Unis, Royaume-Uni, Australie, "
        "Nouvelle-Zélande) est confirmée (LIPR 101(1)c.1)).")] = False
    recognized_refugee_elsewhere_returnable: Annotated[StrictBool, About(
        "Recognised as a Convention refugee by another country to which the person can be returned (IRPA "
        "101(1)(d)).",
        "Reconnu réfugié au sens de la Convention par un autre pays où la personne peut être renvoyée (LIPR "
        "101(1)d)).")] = False
    prior_canadian_claim: Annotated[PriorCanadianClaim, About(
        "Outcome of an earlier claim in Canada (IRPA 101(1)(b)–(c); IRPR 159.01).",
        "Issue d'une demande antérieure au Canada (LIPR 101(1)b)–c) ; RIPR 159.01).")] = PriorCanadianClaim.NONE
    first_entry_after_2020_06_24: Annotated[OptIsoDate, About(
        "The first entry into Canada after 24 June 2020, for the one-year bar (IRPA 101(1)(b.1), 101(1.1)). Not "
        "given: entry_local_date.",
        "Première entrée au Canada après le 24 juin 2020, pour le délai d'un an (LIPR 101(1)b.1), 101(1.1)). "
        "Non donnée : entry_local_date.")] = None
    us_public_interest_determination: Annotated[StrictBool, About(
        "The Director of USCIS (or, in removal proceedings, DHS) determined that it is in the public interest "
        "to let the person claim in the US (8 CFR 208.30(e)(6)(iii)(F); 8 CFR 1240.11(g)(3)).",
        "Le directeur de l'USCIS (ou, en procédure de renvoi, le DHS) a décidé qu'il est dans l'intérêt public "
        "de permettre à la personne de demander l'asile aux États-Unis (8 CFR 208.30(e)(6)(iii)(F) ; 8 CFR "
        "1240.11(g)(3)).")] = False
    us_forum: Annotated[UsForum, About(
        "Who applies the Agreement to a claim made in the US: an asylum officer's threshold screening, or an "
        "immigration judge in INA 240 removal proceedings (law.md §9 A1; 8 CFR 1240.11(g)).",
        "Qui applique l'Entente à une demande faite aux États-Unis : l'examen préliminaire d'un agent d'asile, "
        "ou un juge de l'immigration dans une procédure de renvoi de l'article 240 de l'INA (law.md §9 A1 ; "
        "8 CFR 1240.11(g)).")] = UsForum.THRESHOLD_SCREENING
    agreement_suspended: Annotated[StrictBool, About(
        "A notice suspending the Agreement is in effect (IRPR 159.7; Agreement Art. 10(2)).",
        "Un avis de suspension de l'Entente est en vigueur (RIPR 159.7 ; Entente, art. 10(2)).")] = False
    policy_accept_permits_as_documents: Annotated[StrictBool, About(
        "Treat a valid Canadian work or study permit as a document under IRPR 159.5(f), as IRCC guidance does "
        "(UNCERTAIN CA-PERMITS-AS-DOCUMENTS).",
        "Considérer un permis de travail ou d'études canadien valide comme un document du RIPR 159.5f), comme "
        "les lignes directrices d'IRCC (point INCERTAIN CA-PERMITS-AS-DOCUMENTS).", probe=())] = True
    refugee_protection_conferred_in_canada: Annotated[StrictBool, About(
        "Refugee protection has already been conferred on the person under the Act (IRPA 101(1)(a)); an "
        "extension to law.md §4.",
        "L'asile a déjà été conféré à la personne sous le régime de la Loi (LIPR 101(1)a)) ; extension du §4 de "
        "law.md.")] = False

    @model_validator(mode="after")
    def _coherent(self) -> Facts:
        """Reject combinations no real case can have (contract.md §2: impossible dates); the same checks,
        vectorised, are ``stca.law.frame.coherence_checks``."""
        if self.claim_local_date < self.entry_local_date:
            raise _FieldProblem("claim_local_date", COHERENCE["claim_before_entry"])
        det = self.determination_date
        if det is not None and det < self.claim_local_date:
            raise _FieldProblem("determination_date", COHERENCE["decision_before_claim"])
        if self.entry_instant is not None:
            utc_day = self.entry_instant.astimezone(dt.UTC).date()
            if abs((utc_day - self.entry_local_date).days) > 1:
                raise _FieldProblem("entry_instant", COHERENCE["instant_far_from_date"])
        if self.stateless and self.nationalities:
            raise _FieldProblem("stateless", COHERENCE["stateless_with_nationality"])
        first = self.first_entry_after_2020_06_24
        if first is not None:
            if first <= dt.date(2020, 6, 24):
                raise _FieldProblem("first_entry_after_2020_06_24", COHERENCE["first_entry_too_early"])
            if first > self.claim_local_date:
                raise _FieldProblem("first_entry_after_2020_06_24", COHERENCE["first_entry_after_claim"])
            if self.entry_local_date > dt.date(2020, 6, 24) and first > self.entry_local_date:
                raise _FieldProblem("first_entry_after_2020_06_24", COHERENCE["first_entry_after_entry"])
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


#: The cross-field checks of ``Facts._coherent`` (and of ``coherence_checks`` for populations): (EN, FR).
COHERENCE: dict[str, tuple[str, str]] = {
    "claim_before_entry": ("the claim cannot be made before entry_local_date",
                           "la demande ne peut pas précéder entry_local_date"),
    "decision_before_claim": ("the determination cannot precede claim_local_date",
                              "la décision ne peut pas précéder claim_local_date"),
    "instant_far_from_date": ("more than a day from entry_local_date", "à plus d'un jour de entry_local_date"),
    "stateless_with_nationality": ("a stateless claimant must have an empty nationalities list",
                                   "un demandeur apatride doit avoir une liste nationalities vide"),
    "first_entry_too_early": ("must be a date after 2020-06-24", "doit être une date postérieure au 2020-06-24"),
    "first_entry_after_claim": ("cannot be after claim_local_date", "ne peut pas être postérieure à claim_local_date"),
    "first_entry_after_entry": ("cannot be after entry_local_date, itself an entry after 2020-06-24",
                                "ne peut pas être postérieure à entry_local_date, elle-même une entrée après le "
                                "2020-06-24"),
}


class _FieldProblem(ValueError):
    """Raised inside validators to attach a message (EN, FR) to a named field."""

    def __init__(self, field: str, message: tuple[str, str]) -> None:
        super().__init__(message[0])
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Problem:
    """One bad field: its dotted path (``family_members[0].age_years``) and what was expected, in English
    and, when known, in French."""

    field: str
    message: str
    message_fr: str = ""

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"

    def describe(self, lang: str = "en") -> str:
        """``field: message`` in ``lang``."""
        return f"{self.field}: {self.message_fr if lang == 'fr' and self.message_fr else self.message}"


class FactsError(ValueError):
    """The facts of a case cannot be used; ``problems`` names every bad field.

    The message is meant for people: one line per field, saying what was expected (``message(lang)`` in
    French). ``case_index`` is the row (0 = first) when the facts came as a population.
    """

    def __init__(self, problems: list[Problem], *, case_index: int | None = None) -> None:
        self.problems = problems
        self.case_index = case_index
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        """One line per bad field, in ``lang``."""
        where = ""
        if self.case_index is not None:
            where = f"ligne {self.case_index + 1} : " if lang == "fr" else f"row {self.case_index + 1}: "
        return "\n".join(f"{where}{p.describe(lang)}" for p in self.problems)


FACT_NAMES: tuple[str, ...] = tuple(Facts.model_fields)
MEMBER_NAMES: tuple[str, ...] = tuple(FamilyMember.model_fields)


def _drop_nulls(data: Mapping[str, Any]) -> dict[str, Any]:
    """A ``null`` value means "use the default" (contract.md §2)."""
    return {k: v for k, v in data.items() if v is not None}


def parse_facts(data: Mapping[str, Any] | Facts) -> Facts:
    """Validate one case's facts, filling defaults.

    Raises:
        FactsError: naming every bad field and what was expected, in English and French.

    >>> parse_facts({"entry_local_date": "2024-01-02", "claim_local_date": "2024-01-02"}).entry_place
    <EntryPlace.LAND_POE: 'LAND_POE'>
    """
    if isinstance(data, Facts):
        return data
    if not isinstance(data, Mapping):
        raise FactsError([Problem("(case)", f"expected a JSON object of facts, got {type(data).__name__}",
                                  f"attendu : un objet JSON de faits, reçu {type(data).__name__}")])
    clean = _drop_nulls(data)
    members = clean.get("family_members")
    if isinstance(members, list):
        clean["family_members"] = [_drop_nulls(m) if isinstance(m, Mapping) else m for m in members]
    try:
        return Facts.model_validate(clean)
    except ValidationError as exc:
        from stca.law._messages import problems_of  # only on the error path: keeps start-up light

        raise FactsError(problems_of(exc)) from None
    except _FieldProblem as exc:
        raise FactsError([Problem(exc.field, *exc.message)]) from None

