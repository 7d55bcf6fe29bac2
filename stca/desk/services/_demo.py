"""Demo data: one account per role, reception sites in six provinces, ~40 realistic cases.

Everything is created through the services (so the audit log, snapshots and determinations are the
real thing). Names are invented. Calling :func:`seed_demo` twice adds nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stca.desk.domain import Role
from stca.desk.models import Case, Site, User
from stca.desk.services._cases import create_case, starting_facts
from stca.desk.services._determinations import determine_case
from stca.desk.services._review import (
    approve_override,
    confirm_determination,
    override_determination,
    transition_case,
)
from stca.desk.services._schemas import DESK_ZONE, DemoSummary, UserView
from stca.desk.services._sites import create_site, transfer_case
from stca.desk.services._users import create_user

#: username → (role, password). Demo only: documented in ``stca serve --help`` and the README.
DEMO_USERS: dict[str, tuple[str, str]] = {
    "intake": (Role.INTAKE_OFFICER.value, "intake-demo"),
    "eligibility": (Role.ELIGIBILITY_OFFICER.value, "eligibility-demo"),
    "supervisor": (Role.SUPERVISOR.value, "supervisor-demo"),
    "analyst": (Role.ANALYST.value, "analyst-demo"),
    "admin": (Role.ADMIN.value, "admin-demo"),
}

_SITES: tuple[tuple[str, str, str, int, int], ...] = (
    ("QC-MTL-1", "Montréal — Centre d'hébergement PRAIDA", "QC", 400, 80),
    ("QC-LAC-1", "Lacolle — accueil temporaire", "QC", 120, 40),
    ("ON-TOR-1", "Toronto — Refugee reception centre", "ON", 300, 60),
    ("ON-NIA-1", "Niagara Falls — hotel site", "ON", 150, 30),
    ("NB-MON-1", "Moncton — hébergement temporaire", "NB", 80, 20),
    ("PE-CHA-1", "Charlottetown — reception site", "PE", 40, 10),
    ("MB-WPG-1", "Winnipeg — Welcome Place", "MB", 90, 20),
    ("BC-VAN-1", "Vancouver — reception centre", "BC", 160, 30),
)

_PLACES: dict[str, list[tuple[str, str]]] = {
    "LAND_POE": [("Lacolle (St-Bernard-de-Lacolle) POE", "QC"), ("Fort Erie (Peace Bridge) POE", "ON"),
                 ("Douglas (Pacific Highway) POE", "BC"), ("Emerson POE", "MB"), ("St. Stephen POE", "NB")],
    "RCMP_INTERCEPTION": [("Roxham Road, Saint-Bernard-de-Lacolle", "QC"), ("Emerson, between ports", "MB"),
                          ("Surrey, between ports", "BC")],
    "AIRPORT": [("Montréal–Trudeau International Airport", "QC"), ("Toronto Pearson International Airport", "ON")],
    "INLAND": [("IRCC office, Montréal", "QC"), ("IRCC office, Etobicoke", "ON"), ("IRCC office, Winnipeg", "MB")],
}

_NAMES = ("Amara Diallo", "Jean-Baptiste Pierre", "María Fernanda López", "Oleksandr Kovalenko", "Fatima Noor",
          "Samuel Mensah", "Yusuf Demir", "Ana Lucía Gómez", "Mohammed Al-Hassan", "Grace Nakato",
          "Luis Alberto Ramírez", "Nadia Haidari", "Emmanuel Okafor", "Roza Tesfaye", "Carlos Andrés Muñoz",
          "Mariam Kamara", "Wilson Joseph", "Leila Sadeghi", "Tenzin Dorje", "Esperanza Torres")
_KIN = ("Ruth", "David", "Sara", "Junior", "Miriam", "Joseph", "Lina", "Pablo")
#: Demo overrides: engine result → (officer's result, reason).
_OVERRIDES = {
    "BARRED": ("NOT_BARRED", "Sibling's permanent residence card seen at the interview (IRPR 159.5(a))."),
    "NOT_BARRED": ("BARRED", "The relative's status in Canada could not be confirmed with IRCC records."),
}
_NATIONALITIES = ("CO", "HT", "VE", "NG", "TR", "AF", "MX", "ER", "CD", "PK")


def _extra_facts(rng: random.Random, kind: str, facts: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Add a plausible variation: a relative in Canada, an unaccompanied minor, a late claim…"""
    people: list[tuple[str, str]] = []
    facts["nationalities"] = [rng.choice(_NATIONALITIES)]
    facts["age_years"] = rng.randint(19, 58)
    roll = rng.random()
    if kind == "LAND_POE" and roll < 0.3:
        facts["family_members"] = [{"relationship": "BROTHER", "location": "CANADA", "age_years": 34,
                                    "ca_status": "PERMANENT_RESIDENT"}]
    elif kind == "LAND_POE" and roll < 0.4:
        facts.update(age_years=16, accompanied_by_parent_or_legal_guardian=False)
    elif kind == "RCMP_INTERCEPTION" and roll < 0.3:
        entry = dt.date.fromisoformat(facts["entry_local_date"])
        facts["claim_local_date"] = (entry + dt.timedelta(days=rng.choice((3, 10, 16, 30)))).isoformat()
    if rng.random() < 0.35:
        facts["marital"] = "SPOUSE"
        people.append((rng.choice(_KIN) + " " + rng.choice(_NAMES).split()[-1], "SPOUSE"))
        if rng.random() < 0.6:
            people.append((rng.choice(_KIN), "CHILD"))
    return facts, people


def _actors(db: Session) -> dict[str, UserView]:
    users = db.scalars(select(User).where(User.username.in_(DEMO_USERS))).all()
    return {u.username: UserView.model_validate(u) for u in users}


def seed_demo(db: Session, *, cases: int = 40, seed: int = 2017) -> DemoSummary:
    """Create the demo accounts, sites and cases (idempotent: existing demo data is kept as is)."""
    actors = _actors(db)
    for username, (role, password) in DEMO_USERS.items():
        if username not in actors:
            create_user(db, None, username=username, password=password, role=role,
                        display_name=f"Demo {role.replace('_', ' ')}", scope={"national": True})
    actors = _actors(db)
    admin, intake, officer, supervisor = (actors[n] for n in ("admin", "intake", "eligibility", "supervisor"))
    existing_sites = set(db.scalars(select(Site.code)).all())
    for code, name, prov, beds, daily in _SITES:
        if code not in existing_sites:
            create_site(db, admin, {"code": code, "name": name, "province": prov, "beds": beds, "daily_intake": daily})
    site_ids = dict(db.execute(select(Site.code, Site.id)).all())
    rng = random.Random(seed)
    kinds = ["LAND_POE"] * 16 + ["RCMP_INTERCEPTION"] * 12 + ["AIRPORT"] * 6 + ["INLAND"] * 6
    for i in range(cases):
        kind = kinds[i % len(kinds)]
        place, province = rng.choice(_PLACES[kind])
        year = 2017 + i % 9
        when = dt.datetime(year, rng.randint(1, 12), rng.randint(1, 28), rng.randint(6, 22), rng.choice((0, 15, 30)),
                           tzinfo=DESK_ZONE)
        facts, people = _extra_facts(rng, kind, starting_facts(kind, when))
        name = _NAMES[i % len(_NAMES)]
        transfer_to = rng.choice(("ON-TOR-1", "NB-MON-1", "PE-CHA-1"))
        same_prov = [c for c, _, p, _, _ in _SITES if p == province]
        site = site_ids[same_prov[0]] if same_prov else None
        detail, created = create_case(db, intake, {
            "encounter_type": kind, "place": place, "encountered_at": when.isoformat(), "province": province,
            "claimant_name": name, "family_members": [{"name": n, "relationship": r} for n, r in people],
            "facts": facts, "site_id": site,
        }, idempotency_key=f"demo-{seed}-{i}")
        if not created or i % 8 == 7:
            continue  # leave some cases RECEIVED for the intake queue
        det = determine_case(db, officer, detail.id)
        if i % 8 == 6:
            continue  # determined, awaiting review
        if i % 5 == 4 and det.stca_result in _OVERRIDES:
            review = override_determination(db, officer, detail.id, {
                "result": _OVERRIDES[det.stca_result][0], "reason": _OVERRIDES[det.stca_result][1]})
            if i % 10 == 9:
                approve_override(db, supervisor, review.id, reason="Documents verified.")
            continue  # the others wait in the supervisor's queue
        confirm_determination(db, officer, detail.id, reason="Facts verified at interview.")
        if i % 3 == 0:
            outcome = "RETURNED_TO_US" if det.stca_result == "BARRED" else "REFERRED_TO_IRB"
            transition_case(db, officer, detail.id, outcome, reason="Outcome recorded.")
        elif i % 3 == 1 and province == "QC":
            transfer_case(db, supervisor, detail.id, to_site_id=site_ids[transfer_to],
                          reason="Montréal sites near capacity; interprovincial transfer.")
    total = db.scalar(select(func.count(Case.id))) or 0
    sites = db.scalar(select(func.count(Site.id))) or 0
    return DemoSummary(users={u: p for u, (_, p) in DEMO_USERS.items()}, sites=int(sites), cases=int(total))
