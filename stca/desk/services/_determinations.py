"""Running the law engine on a case, storing what it said, and replaying it later.

A stored determination keeps the engine version (``stca.__version__``), the dated law version, the
policy, the full rule path and the snapshot it read; :func:`replay_determination` re-runs the same
facts and policy with today's engine and lists any difference — the check an appeal would ask for.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import stca
from stca.desk.domain import FINAL_STATUSES, CaseStatus
from stca.desk.models import Determination, FactSnapshot
from stca.desk.services._build import determination_view, load_case
from stca.desk.services._errors import Conflict, FieldProblem, InvalidInput, NotFound
from stca.desk.services._schemas import DeterminationView, ReplayReport, UserView
from stca.desk.services._unit import get_row, log, unit_of_work, usernames
from stca.desk.services._workflow import check_move, move
from stca.law import POLICY_NAMES, FactsError, PolicyError, determine, parse_policy

#: Policy names offered in forms; ``window-days=N`` is accepted as well (contract.md §4).
POLICY_CHOICES: tuple[str, ...] = tuple(POLICY_NAMES)
_LANGS = ("en", "fr")

#: Keys of the stored result compared by a replay (the explanation's wording may improve freely).
_REPLAY_KEYS = ("stca_result", "deciding_provision", "other_ineligibility", "covid_direct_back", "uncertain",
                "law_version", "policy")


def _policy(name: str) -> str:
    try:
        return parse_policy(name).name
    except PolicyError as exc:
        raise InvalidInput.one("policy", str(exc)) from None


def _lang(lang: str) -> str:
    if lang not in _LANGS:
        raise InvalidInput.one("lang", "expected 'en' or 'fr'")
    return lang


def _decide(facts: Any, policy: str, lang: str, index: int | None, could_change: bool = False) -> dict[str, Any]:
    try:
        return determine(facts, policy=policy).to_dict(lang=lang, could_change=could_change)
    except FactsError as exc:
        head = f"[{index}]." if index is not None else ""
        raise InvalidInput([FieldProblem(f"{head}{p.field}", p.message_fr if lang == "fr" and p.message_fr
                                         else p.message) for p in exc.problems]) from None


def check_facts(payload: Any, *, policy: str = "law", lang: str = "en",
                could_change: bool = False) -> dict[str, Any] | list[dict[str, Any]]:
    """Contract §2 over the API: an object gives one determination, an array a list of them.

    Nothing is stored. Every bad field of every case is reported (``[2].age_years`` for the third).
    ``could_change`` adds what could change each result (``Determination.to_dict``).
    """
    pol, lng = _policy(policy), _lang(lang)
    if isinstance(payload, list):
        results: list[dict[str, Any]] = []
        problems: list[FieldProblem] = []
        for i, item in enumerate(payload):
            try:
                results.append(_decide(item, pol, lng, i, could_change))
            except InvalidInput as exc:
                problems.extend(exc.problems)
        if problems:
            raise InvalidInput(problems)
        return results
    if isinstance(payload, dict):
        return _decide(payload, pol, lng, None, could_change)
    raise InvalidInput.one("(body)", "expected a JSON object (one case) or an array of objects (many cases)")


def determine_case(db: Session, actor: UserView, case_id: int, *, policy: str = "law") -> DeterminationView:
    """Run the engine on the case's latest fact snapshot and store the result; status → DETERMINED.

    When the latest determination already read this snapshot under the same policy, law version and
    engine, it is returned as it is: the same facts and law give the same determination, and a
    duplicate row would only blur the history (the page says "unchanged").
    """
    pol = _policy(policy)
    with unit_of_work(db):
        case = load_case(db, case_id)
        if case.status in FINAL_STATUSES:
            check_move(case, CaseStatus.DETERMINED)  # a closed case is never determined again
        snap = db.scalar(select(FactSnapshot).where(FactSnapshot.case_id == case.id)
                         .order_by(FactSnapshot.version.desc()).limit(1))
        if snap is None:
            raise Conflict("the case has no facts yet; record facts first", field="facts")
        decided = determine(snap.facts, policy=pol)
        latest = db.scalar(select(Determination).where(Determination.case_id == case.id)
                           .order_by(Determination.id.desc()).limit(1))
        if (latest is not None and latest.snapshot_id == snap.id and latest.policy == decided.policy
                and latest.law_version == decided.law_version and latest.engine_version == stca.__version__
                and latest.stca_result == decided.stca_result):
            same = determination_view(latest, snap.version, usernames(db, {latest.created_by_id})[
                latest.created_by_id])
            return same
        check_move(case, CaseStatus.DETERMINED)
        result = decided.to_dict(lang="en")
        det = Determination(
            case_id=case.id, snapshot_id=snap.id, engine_version=stca.__version__, law_version=decided.law_version,
            policy=decided.policy, stca_result=decided.stca_result, deciding_provision=decided.deciding_provision,
            other_ineligibility=list(decided.other_ineligibility), covid_direct_back=decided.covid_direct_back,
            uncertain=list(decided.uncertain), path=result["path"], result=result, created_by_id=actor.id,
        )
        db.add(det)
        db.flush()
        move(db, actor, case, CaseStatus.DETERMINED, reason=f"{decided.stca_result} ({decided.deciding_provision})")
        log(db, actor, "determination", det.id, "create", None, {
            "case_id": case.id, "snapshot_version": snap.version, "engine_version": det.engine_version,
            "law_version": det.law_version, "policy": det.policy, "stca_result": det.stca_result,
            "deciding_provision": det.deciding_provision,
        })
    view = determination_view(det, snap.version, actor.username)
    return view


def _load(db: Session, determination_id: int) -> tuple[Determination, FactSnapshot]:
    det = get_row(db, Determination, determination_id)
    if det is None:
        raise NotFound("determination", determination_id)
    snap = get_row(db, FactSnapshot, det.snapshot_id)
    assert snap is not None  # foreign key
    return det, snap


def get_determination(db: Session, determination_id: int) -> DeterminationView:
    """One stored determination."""
    det, snap = _load(db, determination_id)
    view = determination_view(det, snap.version, usernames(db, {det.created_by_id})[det.created_by_id])
    return view


def list_determinations(db: Session, case_id: int) -> list[DeterminationView]:
    """Every determination of a case, oldest first."""
    load_case(db, case_id)
    dets = db.scalars(select(Determination).where(Determination.case_id == case_id).order_by(Determination.id)).all()
    versions = dict(db.execute(select(FactSnapshot.id, FactSnapshot.version)
                               .where(FactSnapshot.case_id == case_id)).all())
    names = usernames(db, {d.created_by_id for d in dets})
    views = [determination_view(d, versions[d.snapshot_id], names[d.created_by_id]) for d in dets]
    return views


def replay_determination(db: Session, determination_id: int) -> ReplayReport:
    """Re-run the stored facts with the stored policy and compare with what was stored."""
    det, snap = _load(db, determination_id)
    now = determine(snap.facts, policy=det.policy).to_dict(lang="en")
    then = det.result
    differences = [f"{k}: stored {then.get(k)!r}, now {now.get(k)!r}" for k in _REPLAY_KEYS
                   if then.get(k) != now.get(k)]
    path_then = [(s["rule"], s["citation"], s["outcome"]) for s in det.path]
    path_now = [(s["rule"], s["citation"], s["outcome"]) for s in now["path"]]
    if path_then != path_now:
        differences.append(f"path: stored {len(path_then)} steps, now {len(path_now)} steps differ")
    report = ReplayReport(
        determination_id=det.id, same=not differences, differences=differences,
        engine_version_then=det.engine_version, engine_version_now=stca.__version__,
        law_version_then=det.law_version, law_version_now=str(now["law_version"]), replayed=now,
    )
    return report


def determination_in_language(db: Session, determination_id: int, lang: str) -> dict[str, Any]:
    """The stored determination's JSON with its reasons and explanation in ``lang`` (``en``/``fr``).

    The text is re-rendered from the stored facts and policy; if today's engine would decide
    differently, the stored (English) result is returned unchanged so the record is never rewritten.
    """
    lng = _lang(lang)
    det, snap = _load(db, determination_id)
    if lng == "en":
        return dict(det.result)
    now = determine(snap.facts, policy=det.policy)
    if now.to_dict("en").get("stca_result") != det.stca_result or now.law_version != det.law_version:
        return dict(det.result)
    return now.to_dict(lang=lng)
