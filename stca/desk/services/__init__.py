"""The case-desk service layer: every operation the pages and the JSON API may perform.

Pages (``stca.desk.web``) and the API (``stca.desk.api``) call only these functions. Each mutating
function is one unit of work: it validates, changes the database, appends audit rows and commits —
or raises a :class:`ServiceError` having changed nothing. Authorisation by *role* is done before the
call by the route's dependency (``stca.desk.deps``); services enforce only rules about the case itself
(valid transitions, four-eyes approval). ``db`` is a SQLAlchemy ``Session`` (``deps.SessionDep``);
``actor`` is the logged-in :class:`UserView` (``deps.CurrentUser``).

Accounts and login
    authenticate(db, username, password) -> UserView | None
    get_user(db, user_id) -> UserView | None                    (None when unknown or deactivated)
    create_user(db, actor | None, *, username, password, role, display_name=None, scope=None) -> UserView
    list_users(db) -> list[UserView]
    set_user_active(db, actor, user_id, active) -> UserView          (deactivating ends its sessions)
    set_password(db, actor, user_id, new_password, *, keep_session=None) -> None   (ends its sessions)
    set_scope(db, actor, user_id, scope: ScopeIn | dict) -> UserView  (national, or regions and sites)

Sessions (server-side; the cookie holds only a random token)
    start_session(db, user, *, max_age, idle, client, user_agent) -> (token, SessionView)
    session_user(db, token, *, idle, touch=True) -> (UserView, SessionView) | None
    end_session(db, token, reason="logout") -> None
    list_sessions(db, user_id, *, idle) -> list[SessionView]
    revoke_sessions(db, actor, user_id, *, session_ids=None) -> int

Scope (regions and sites; officers work only on cases in their scope)
    in_scope(user, province, site_id) -> bool
    scope_clause(user) -> SQL condition on cases | None
    case_location(db, kind, ident) -> (province, site_id) | None   (kind: case, determination, review)
    check_case_scope(actor, province, site_id, field="province") -> None  (InvalidInput outside the scope)

Cases and facts
    create_case(db, actor, data: CaseIn | dict, *, idempotency_key=None) -> tuple[CaseDetail, bool]
        (bool = newly created; the same key with the same content returns the first case)
    get_case(db, case_id, *, scope=None) -> CaseDetail          (scope: linked cases only in its scope)
    get_case_by_reference(db, reference) -> CaseDetail
    list_cases(db, *, status=None, province=None, encounter_type=None, site_id=None, search=None,
               limit=50, offset=0, created_by_id=None, date_from=None, date_to=None, scope=None) -> CasePage
        (scope: a UserView; only the cases of its regions and sites)
    append_facts(db, actor, case_id, facts: dict, *, note="", provenance=None) -> SnapshotView
        (a new version, never overwrites; provenance = what the officer answered / recorded as unknown)
    list_snapshots(db, case_id) -> list[SnapshotView]
    save_draft(db, actor, token, path, state) -> None         (interview draft kept as the officer answers)
    load_draft(db, actor, token) -> dict | None                (only its owner reads it)
    discard_draft(db, actor, token) -> None                    (once the case is saved)
    diff_facts(old: dict, new: dict) -> list[tuple[str, Any, Any]]             (pure; field, old, new)
    starting_facts(encounter_type, encountered_at) -> dict                       (pure; facts implied by encounter)

Determinations (the law engine, stca.law)
    check_facts(payload: dict | list, *, policy="law", lang="en") -> dict | list[dict]   (no database)
    determine_case(db, actor, case_id, *, policy="law") -> DeterminationView
    list_determinations(db, case_id) -> list[DeterminationView]
    get_determination(db, determination_id) -> DeterminationView
    replay_determination(db, determination_id) -> ReplayReport
    determination_in_language(db, determination_id, lang) -> dict   (re-rendered §2 JSON, e.g. "fr")
    POLICY_CHOICES: tuple[str, ...]

Review workflow
    confirm_determination(db, actor, case_id, *, reason="") -> ReviewView
    override_determination(db, actor, case_id, data: OverrideIn | dict) -> ReviewView   (pending approval)
    approve_override(db, actor, review_id, *, reason="") -> ReviewView         (another person, supervisor)
    reject_override(db, actor, review_id, *, reason) -> ReviewView
    pending_overrides(db, *, scope=None) -> list[ReviewView]
    transition_case(db, actor, case_id, to_status, *, reason="") -> CaseDetail
    allowed_transitions(status) -> list[str]                                    (pure; for buttons)
    possible_transitions(db, case_id) -> list[str]          (the moves transition_case would accept now)

Reception capacity and transfers
    list_sites(db, *, province=None, as_of=None) -> list[SiteView]
    get_site(db, site_id) -> SiteView
    create_site(db, actor, data: SiteIn | dict) -> SiteView
    update_site_capacity(db, actor, site_id, *, beds=None, daily_intake=None, active=None) -> SiteView
    capacity_by_province(db, *, as_of=None) -> list[ProvinceCapacity]
    assign_site(db, actor, case_id, site_id) -> CaseDetail                      (first placement)
    transfer_case(db, actor, case_id, *, to_site_id, reason) -> TransferView
    list_transfers(db, *, case_id=None, limit=100, scope=None) -> list[TransferView]

Aggregates for analysts (never names or ids)
    AGGREGATE_DIMENSIONS: tuple[str, ...]  ("month", "year", "province", "encounter_type", "status",
                                            "stca_result", "deciding_provision")
        (results in effect: an approved override counts with its result and provision OVERRIDE_PROVISION)
    aggregate_counts(db, by: list[str], *, date_from=None, date_to=None) -> polars.DataFrame
        (counts of 1–4 suppressed, with complementary cells: see SMALL_CELL_THRESHOLD)
    export_aggregates(db, by, fmt: "csv" | "parquet", *, date_from=None, date_to=None) -> bytes
    status_counts(db) -> dict[str, int]                                         (dashboard tiles)

Audit
    verify_audit(db, *, against=None) -> ChainReport   (.ok, .rows, .first_bad_seq, .problem; against: Checkpoint)
    audit_trail(db, *, entity=None, entity_id=None, limit=200) -> list[AuditView]
    redact_audit(rows) -> list[AuditView]     (names, references and free text hidden, for admins)
    case_audit_trail(db, case_id) -> list[AuditView]   (every row about one case, newest first; indexed)

Demo
    seed_demo(db) -> DemoSummary               (users per role, sites, ~40 cases; idempotent)
    DEMO_USERS: dict[str, tuple[str, str]]     (username -> (role, password))

Errors: ServiceError > InvalidInput (422, .problems=[FieldProblem(field, message)]), NotFound (404),
Conflict (409), PermissionDenied (403).
"""

from __future__ import annotations

from stca.desk.audit import ChainReport
from stca.desk.services._analytics import (
    AGGREGATE_DIMENSIONS,
    COMPLEMENTARY,
    OVERRIDE_PROVISION,
    SMALL_CELL_THRESHOLD,
    aggregate_counts,
    export_aggregates,
    status_counts,
)
from stca.desk.services._audit import audit_trail, case_audit_trail, redact_audit, verify_audit
from stca.desk.services._cases import (
    append_facts,
    create_case,
    diff_facts,
    get_case,
    get_case_by_reference,
    list_cases,
    list_snapshots,
    starting_facts,
)
from stca.desk.services._demo import DEMO_USERS, seed_demo
from stca.desk.services._determinations import (
    POLICY_CHOICES,
    check_facts,
    determination_in_language,
    determine_case,
    get_determination,
    list_determinations,
    replay_determination,
)
from stca.desk.services._drafts import discard_draft, load_draft, save_draft
from stca.desk.services._errors import (
    Conflict,
    FieldProblem,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ServiceError,
)
from stca.desk.services._review import (
    allowed_transitions,
    approve_override,
    confirm_determination,
    override_determination,
    pending_overrides,
    possible_transitions,
    reject_override,
    transition_case,
)
from stca.desk.services._schemas import (
    AuditView,
    CaseDetail,
    CaseIn,
    CasePage,
    CaseSummary,
    DemoSummary,
    DeterminationView,
    OverrideIn,
    PersonIn,
    PersonView,
    ProvinceCapacity,
    ReplayReport,
    ReviewView,
    ScopeIn,
    SessionView,
    SiteIn,
    SiteView,
    SnapshotView,
    StatusChangeView,
    TransferView,
    UserView,
)
from stca.desk.services._sites import (
    assign_site,
    capacity_by_province,
    case_location,
    check_case_scope,
    create_site,
    get_site,
    in_scope,
    list_sites,
    list_transfers,
    scope_clause,
    transfer_case,
    update_site_capacity,
)
from stca.desk.services._users import (
    authenticate,
    create_user,
    end_session,
    get_user,
    list_sessions,
    list_users,
    revoke_sessions,
    session_user,
    set_password,
    set_scope,
    set_user_active,
    start_session,
)

__all__ = [
    "AGGREGATE_DIMENSIONS",
    "COMPLEMENTARY",
    "DEMO_USERS",
    "OVERRIDE_PROVISION",
    "POLICY_CHOICES",
    "SMALL_CELL_THRESHOLD",
    "AuditView",
    "CaseDetail",
    "CaseIn",
    "CasePage",
    "CaseSummary",
    "ChainReport",
    "Conflict",
    "DemoSummary",
    "DeterminationView",
    "FieldProblem",
    "InvalidInput",
    "NotFound",
    "OverrideIn",
    "PermissionDenied",
    "PersonIn",
    "PersonView",
    "ProvinceCapacity",
    "ReplayReport",
    "ReviewView",
    "ScopeIn",
    "ServiceError",
    "SessionView",
    "SiteIn",
    "SiteView",
    "SnapshotView",
    "StatusChangeView",
    "TransferView",
    "UserView",
    "aggregate_counts",
    "allowed_transitions",
    "append_facts",
    "approve_override",
    "assign_site",
    "audit_trail",
    "authenticate",
    "capacity_by_province",
    "case_audit_trail",
    "case_location",
    "check_case_scope",
    "check_facts",
    "confirm_determination",
    "create_case",
    "create_site",
    "create_user",
    "determination_in_language",
    "determine_case",
    "diff_facts",
    "discard_draft",
    "end_session",
    "export_aggregates",
    "get_case",
    "get_case_by_reference",
    "get_determination",
    "get_site",
    "get_user",
    "in_scope",
    "list_cases",
    "list_determinations",
    "list_sessions",
    "list_sites",
    "list_snapshots",
    "list_transfers",
    "list_users",
    "load_draft",
    "override_determination",
    "pending_overrides",
    "possible_transitions",
    "redact_audit",
    "reject_override",
    "replay_determination",
    "revoke_sessions",
    "save_draft",
    "scope_clause",
    "seed_demo",
    "session_user",
    "set_password",
    "set_scope",
    "set_user_active",
    "start_session",
    "starting_facts",
    "status_counts",
    "transfer_case",
    "transition_case",
    "update_site_capacity",
    "verify_audit",
]
