"""The decision procedure over a whole population at once (numpy), from the same rule book.

``evaluate_frame`` walks ``BOOKS`` exactly as ``_engine.determine`` does — scope rules, decide rules
in order with "first met wins", every parallel ground, the overlay — but each predicate sees arrays,
so one pass over the rules decides every row. No rule is written here.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from stca.law._arrays import ArrayCase
from stca.law._context import DOCS, EPOCH, Compiled, add_one_year, day_number
from stca.law._enums import Direction, Document, Result, code, members
from stca.law._facts import DEFAULT_ZONE
from stca.law._frame import FACT_COLUMNS, normalize
from stca.law._policy import Policy, parse_policy
from stca.law._rulebook import ALL_RULES, BOOKS, RULE_INDEX, in_force
from stca.law._uncertain import DEFAULT_SWITCHES, POINTS, Switches

RESULT_COLUMNS = ("stca_result", "deciding_provision", "other_ineligibility", "covid_direct_back", "uncertain")
_RESULTS = members(Result)
_CITATIONS = list(dict.fromkeys(r.citation for r in ALL_RULES))
_RULE_CITATION = np.array([_CITATIONS.index(r.citation) for r in ALL_RULES], dtype=np.uint8)
_RULE_RESULT = np.array([code(r.outcome) if r.outcome else 0 for r in ALL_RULES], dtype=np.uint8)
_PARALLEL = [r for b in BOOKS.values() for r in b.parallel]
_GROUND_NAMES = list(dict.fromkeys(r.citation for r in _PARALLEL))
_POINT_IDS = [p.id for p in POINTS]
_NOON_OFFSET_S = 12 * 3600


def _np(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.to_numpy(zero_copy_only=False)  # type: ignore[no-any-return]


def _bools(df: pl.DataFrame, name: str) -> np.ndarray:
    return df.get_column(name).to_numpy()


def _codes(df: pl.DataFrame, name: str) -> np.ndarray:
    return df.get_column(name).to_physical().to_numpy()


def _days(df: pl.DataFrame, name: str, fallback: np.ndarray | None = None) -> np.ndarray:
    """Day numbers of a date column; nulls take ``fallback`` (the claim date for the determination date)."""
    s = df.get_column(name)
    days = s.to_physical().to_numpy()
    if s.null_count():
        nulls = s.is_null().to_numpy()
        days = np.where(nulls, fallback if fallback is not None else 0, np.nan_to_num(days)).astype(np.int64)
    return days.astype(np.int64)


def _flat(s: pl.Series) -> tuple[np.ndarray, pa.Array]:
    """Flatten a list column (enum codes, not strings): (owner row of each value, the values)."""
    arr = s.to_physical().to_arrow()
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.value_parent_indices().to_numpy(), arr.flatten()


class _DayTables:
    """Per-day lookups over the range of dates present, computed with the scalar path's own functions.

    Noon in America/Toronto (the default entry instant) and "same day next year" (IRPA 101(1.1)) are
    computed once per distinct calendar day with ``ScalarCase``'s helpers, so both evaluators agree exactly.
    """

    def __init__(self, lo: int, hi: int) -> None:
        self.lo = lo
        days = range(lo, hi + 1)
        dates = [EPOCH + dt.timedelta(days=d) for d in days]
        self.noon = np.array([int(dt.datetime.combine(x, dt.time(12), tzinfo=DEFAULT_ZONE).timestamp())
                              for x in dates], dtype=np.int64)
        self.next_year = np.array([day_number(add_one_year(x)) for x in dates], dtype=np.int64)


@lru_cache(maxsize=8)
def _day_tables(lo: int, hi: int) -> _DayTables:
    """Day tables for a range, widened to whole decades so that batches of one file share them."""
    return _DayTables(lo - lo % 3650, hi - hi % 3650 + 3649)


def _build_case(df: pl.DataFrame, p: Compiled, sw: Switches) -> ArrayCase:
    n = df.height
    entry_day = _days(df, "entry_local_date")
    claim_day = _days(df, "claim_local_date")
    det_day = _days(df, "determination_date", claim_day)
    first = _days(df, "first_entry_after_2020_06_24", entry_day)
    anchor = first
    lo = int(min(entry_day.min(), anchor.min())) if n else 0
    hi = int(max(entry_day.max(), anchor.max())) if n else 0
    tables = _day_tables(lo, hi)
    instant_col = df.get_column("entry_instant")
    if instant_col.null_count():
        noon = tables.noon[entry_day - tables.lo]
        given = instant_col.dt.epoch("s").to_numpy()
        inst = np.where(instant_col.is_null().to_numpy(), noon, np.nan_to_num(given)).astype(np.int64)
    else:
        inst = instant_col.dt.epoch("s").to_numpy()
    nat = df.get_column("nationalities").to_arrow()
    if isinstance(nat, pa.ChunkedArray):
        nat = nat.combine_chunks()
    nat_owner, nat_values = nat.value_parent_indices().to_numpy(), nat.flatten()

    def nationality(iso: str) -> np.ndarray:
        out = np.zeros(n, dtype=bool)
        out[nat_owner[_np(pc.equal(nat_values, iso)).astype(bool)]] = True
        return out

    def country_is(name: str, iso: str) -> np.ndarray:
        return _np(pc.fill_null(pc.equal(df.get_column(name).to_arrow(), iso), False)).astype(bool)

    doc_owner, doc_values = _flat(df.get_column("documents_held"))
    doc_codes = _np(doc_values)
    doc: dict[str, np.ndarray] = {}
    for d in DOCS:
        arr = np.zeros(n, dtype=bool)
        arr[doc_owner[doc_codes == code(Document(d))]] = True
        doc[d] = arr
    place = _codes(df, "entry_place")
    claim_at_entry = _bools(df, "claim_at_entry")
    bp_like = (place == 1) | ((place == 4) & sw.other_non_poe_as_between_ports)
    if p.whole_border:  # policy whole-border: treated as a claim at a land port of entry (_context.ScalarCase)
        place_treated = np.where(bp_like, 0, place)
        claim_at_entry = claim_at_entry | bp_like
    else:
        place_treated = place
    mem_owner, mem_values = _flat(df.get_column("family_members"))
    mem: dict[str, np.ndarray] = {}
    if len(mem_values):
        for attr, col in (("rel", "relationship"), ("loc", "location"), ("age", "age_years"),
                          ("ca_status", "ca_status"), ("claim_state", "claim_state"),
                          ("permit_valid", "permit_valid"), ("wp_206", "work_permit_r206_1_b"),
                          ("us_status", "us_status"), ("forum", "us_asylum_forum")):
            mem[attr] = _np(mem_values.field(col))
    suspended = _bools(df, "agreement_suspended") | p.suspended
    inadmissible = _np(pc.list_value_length(df.get_column("inadmissibility_determined").to_arrow())) > 0
    return ArrayCase(
        n, p, sw, mem, mem_owner,
        direction=_codes(df, "direction"), came_from=_bools(df, "came_from_other_party"),
        place_orig=place, place=place_treated, claim_at_entry=claim_at_entry,
        entered_without_claim=_bools(df, "entered_at_poe_without_claim"), instant=inst,
        entry_day=entry_day, claim_day=claim_day, det_day=det_day, d=claim_day - entry_day,
        transit_us=_bools(df, "in_transit_removal_from_us"), transit_ca=_bools(df, "in_transit_removal_from_canada"),
        nat_us=nationality("US"), nat_ca=nationality("CA"), stateless=_bools(df, "stateless"),
        fhr_us=country_is("former_habitual_residence", "US"), hr_ca=country_is("habitual_residence", "CA"),
        age=df.get_column("age_years").to_numpy(), marital=_codes(df, "marital"),
        accompanied=_bools(df, "accompanied_by_parent_or_legal_guardian"),
        parent_ca=_bools(df, "parent_or_legal_guardian_in_canada"),
        parent_us=_bools(df, "parent_or_legal_guardian_in_us"), doc=doc,
        visa_ca=_bools(df, "visa_required_canada"), visa_us=_bools(df, "visa_required_us"),
        refused_us=_bools(df, "refused_entry_us_no_claim_adjudicated"),
        pr_returned=_bools(df, "ca_pr_removed_from_us_being_returned"), dp=_codes(df, "death_penalty"),
        dp_capital=_bools(df, "death_penalty_offence_punishable_by_death"), tsr=_bools(df, "tsr_country_national"),
        tsr_excluded=_bools(df, "excluded_from_tsr_230_3"), inadmissible=inadmissible,
        prior_elsewhere=_bools(df, "prior_claim_other_country_confirmed"),
        recognized_elsewhere=_bools(df, "recognized_refugee_elsewhere_returnable"),
        prior_ca=_codes(df, "prior_canadian_claim"), anchor_day=anchor,
        anchor_anniversary=tables.next_year[anchor - tables.lo],
        us_public_interest=_bools(df, "us_public_interest_determination"), suspended=suspended,
        permits_ok=_bools(df, "policy_accept_permits_as_documents"),
        protection_conferred=_bools(df, "refugee_protection_conferred_in_canada"),
        whole_border=p.whole_border, b2_enabled=p.b2_enabled,
        mode_transit=np.zeros(n, dtype=bool), mode_between=np.zeros(n, dtype=bool),
    )


def _as_bool(x: Any, n: int) -> np.ndarray:
    if isinstance(x, np.ndarray):
        return x
    return np.full(n, bool(x))


def evaluate_case_arrays(c: ArrayCase) -> dict[str, Any]:
    """Run both rule books over the population; return per-row codes and masks."""
    n, p = c.n, c.p
    deciding = np.zeros(n, dtype=np.uint32)
    grounds = {g: np.zeros(n, dtype=bool) for g in _GROUND_NAMES}
    flags = {pid: np.zeros(n, dtype=bool) for pid in _POINT_IDS}
    covid = np.zeros(n, dtype=bool)
    canada = c.direction == code(Direction.US_TO_CANADA)

    def raise_flags(rule: Any, consulted: np.ndarray, met: np.ndarray) -> None:
        for flag in rule.flags:
            hit = met if flag.pred is None else consulted & _as_bool(flag.pred(c), n)
            flags[flag.point] |= hit

    for country, book in BOOKS.items():
        mask = canada if country == "CA" else ~canada
        if not mask.any():
            continue
        c.mode_transit = np.zeros(n, dtype=bool)  # type: ignore[attr-defined]
        c.mode_between = np.zeros(n, dtype=bool)  # type: ignore[attr-defined]
        for rule in book.scope:
            hit = mask & _as_bool(in_force(rule, c, p), n) & _as_bool(rule.when(c), n)
            raise_flags(rule, hit, hit)
            setattr(c, f"mode_{rule.sets}", hit)
        undecided = mask.copy()
        for rule in book.decide:
            active = undecided if rule.available is None else undecided & _as_bool(rule.available(c), n)
            consulted = active & _as_bool(in_force(rule, c, p), n)
            met = consulted & _as_bool(rule.when(c), n)
            raise_flags(rule, consulted, met)
            deciding[met] = RULE_INDEX[rule.id]
            undecided &= ~met
        for rule in book.parallel:
            consulted = mask & _as_bool(in_force(rule, c, p), n)
            met = consulted & _as_bool(rule.when(c), n)
            raise_flags(rule, consulted, met)
            grounds[rule.citation] |= met
        for rule in book.overlay:
            consulted = mask & _as_bool(in_force(rule, c, p), n)
            met = consulted & _as_bool(rule.when(c), n)
            raise_flags(rule, consulted, met)
            covid |= met
    return {"deciding": deciding, "grounds": grounds, "flags": flags, "covid": covid}


def _list_column(name: str, masks: dict[str, np.ndarray], n: int) -> pl.Series:
    """Per row, the keys whose mask is true, in key order, as a list-of-string column."""
    live = [k for k in masks if masks[k].any()]
    counts = np.zeros(n, dtype=np.int64)
    if live:
        any_row = np.logical_or.reduce([masks[k] for k in live])
        rows_hit = np.flatnonzero(any_row)
        matrix = np.stack([masks[k][rows_hit] for k in live], axis=1)
        sub_rows, cols = np.nonzero(matrix)
        counts[rows_hit] = np.bincount(sub_rows, minlength=len(rows_hit))
    else:
        cols = np.zeros(0, dtype=np.int64)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    names = pa.array(live or [""], pa.large_string())
    values = pa.DictionaryArray.from_arrays(pa.array(cols, pa.int32()), names).cast(pa.large_string())
    return pl.Series(name, pa.LargeListArray.from_arrays(pa.array(offsets), values))


def _enum_column(name: str, codes: np.ndarray, categories: list[str]) -> pl.Series:
    """An Enum column from integer codes (through an Arrow dictionary: no per-row strings are built)."""
    arr = pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.uint8)), pa.array(categories))
    return pl.Series(name, arr, dtype=pl.Enum(categories))


def evaluate_normalized(df: pl.DataFrame, policy: str | Policy = "law",
                        switches: Switches | None = None) -> pl.DataFrame:
    """Evaluate a frame already in ``FACT_COLUMNS`` form; return only the result columns."""
    pol = parse_policy(policy)
    c = _build_case(df, pol.compiled, switches or DEFAULT_SWITCHES)
    out = evaluate_case_arrays(c)
    n = df.height
    return pl.DataFrame([
        _enum_column("stca_result", _RULE_RESULT[out["deciding"]], _RESULTS),
        _enum_column("deciding_provision", _RULE_CITATION[out["deciding"]], _CITATIONS),
        _list_column("other_ineligibility", out["grounds"], n),
        pl.Series("covid_direct_back", out["covid"]),
        _list_column("uncertain", out["flags"], n),
    ])


def evaluate_frame(frame: pl.DataFrame | pa.Table, policy: str | Policy = "law",
                   switches: Switches | None = None) -> pl.DataFrame:
    """Decide every row of a population; return the input with the result columns appended, in order.

    Args:
        frame: one row per case; columns are facts of law.md §4 (see ``FACT_COLUMNS``). Missing columns
            and nulls take the defaults of cases.yaml; ``entry_local_date`` and ``claim_local_date`` are
            required.
        policy: a policy name of contract.md §4 or a ``Policy``.
        switches: readings of UNCERTAIN points.

    Raises:
        FactsError: naming the column (and first bad row) that cannot be used.
    """
    df = frame if isinstance(frame, pl.DataFrame) else pl.DataFrame(pl.from_arrow(frame))
    typed = df if _is_typed(df) else normalize(df)
    return df.hstack(evaluate_normalized(typed, policy, switches))


def _is_typed(df: pl.DataFrame) -> bool:
    """Already normalized: every fact column present, typed, and without nulls where defaults apply."""
    schema = df.schema
    if list(schema) != list(FACT_COLUMNS) or any(schema[k] != v for k, v in FACT_COLUMNS.items()):
        return False
    nullable = {"entry_instant", "determination_date", "former_habitual_residence", "habitual_residence",
                "first_entry_after_2020_06_24"}
    return not any(df.get_column(k).null_count() for k in FACT_COLUMNS if k not in nullable)
