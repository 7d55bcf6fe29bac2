"""The decision procedure over a whole population at once (numpy), from the same rule book.

``evaluate_frame`` walks ``BOOKS`` exactly as ``_engine.determine`` does — scope rules, decide rules
in order with "first met wins", every parallel ground, the overlay — but each predicate sees arrays,
so one pass over the rules decides every row. No rule is written here.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa

from stca.law._arrays import ArrayCase
from stca.law._context import DOCS, Compiled
from stca.law._enums import Direction, Document, Result, code, members
from stca.law._frame import FACT_COLUMNS, MEMBER_STRUCT, normalize
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


def _bools(df: pl.DataFrame, name: str) -> np.ndarray:
    return df.get_column(name).to_numpy()


def _codes(df: pl.DataFrame, name: str) -> np.ndarray:
    return df.get_column(name).to_physical().to_numpy()


def _days(s: pl.Series) -> np.ndarray:
    return s.to_physical().fill_null(0).to_numpy().astype(np.int64)


def _flat(s: pl.Series) -> tuple[np.ndarray, pa.Array]:
    """Flatten a list column: (owner row of each value, the values)."""
    arr = s.to_arrow()
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.value_parent_indices().to_numpy(), arr.flatten()


def _enum_codes(values: pa.Array, dtype: pl.DataType) -> np.ndarray:
    """Enum codes of flattened values (Arrow dictionaries do not keep the Enum's order; re-cast)."""
    if not len(values):
        return np.zeros(0, dtype=np.int64)
    return pl.Series(values).cast(dtype).to_physical().to_numpy()  # type: ignore[no-any-return]


def _build_case(df: pl.DataFrame, p: Compiled, sw: Switches) -> ArrayCase:
    n = df.height
    entry_day = _days(df.get_column("entry_local_date"))
    claim_day = _days(df.get_column("claim_local_date"))
    det = df.get_column("determination_date")
    det_day = np.where(det.is_null().to_numpy(), claim_day, _days(det))
    instant = df.get_column("entry_instant")
    noon = (
        df.get_column("entry_local_date").cast(pl.Datetime("us")).dt.offset_by("12h")
        .dt.replace_time_zone("America/Toronto").dt.epoch("s").to_numpy()
    )
    inst = np.where(instant.is_null().to_numpy(), noon, instant.dt.epoch("s").fill_null(0).to_numpy())
    nat_owner, nat_values = _flat(df.get_column("nationalities"))
    nat_values_np = np.asarray(nat_values.to_numpy(zero_copy_only=False), dtype=object)

    def nationality(iso: str) -> np.ndarray:
        out = np.zeros(n, dtype=bool)
        out[nat_owner[nat_values_np == iso]] = True
        return out

    doc_owner, doc_values = _flat(df.get_column("documents_held"))
    doc_codes = _enum_codes(doc_values, FACT_COLUMNS["documents_held"].inner)  # type: ignore[attr-defined]
    doc: dict[str, np.ndarray] = {}
    for d in DOCS:
        arr = np.zeros(n, dtype=bool)
        arr[doc_owner[doc_codes == code(Document(d))]] = True
        doc[d] = arr
    first = df.get_column("first_entry_after_2020_06_24")
    anchor = pl.Series(np.where(first.is_null().to_numpy(), entry_day, _days(first)),
                       dtype=pl.Int32).cast(pl.Date)
    anniversary = _days(anchor.dt.offset_by("1y"))
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
        fields = pl.from_arrow(mem_values).struct.unnest()  # type: ignore[union-attr]
        schema = MEMBER_STRUCT.to_schema()
        for attr, col in (("rel", "relationship"), ("loc", "location"), ("age", "age_years"),
                          ("ca_status", "ca_status"), ("claim_state", "claim_state"),
                          ("permit_valid", "permit_valid"), ("wp_206", "work_permit_r206_1_b"),
                          ("us_status", "us_status"), ("forum", "us_asylum_forum")):
            mem[attr] = fields.get_column(col).cast(schema[col]).to_physical().to_numpy()
    suspended = _bools(df, "agreement_suspended") | p.suspended
    return ArrayCase(
        n, p, sw, mem, mem_owner,
        direction=_codes(df, "direction"), came_from=_bools(df, "came_from_other_party"),
        place_orig=place, place=place_treated, claim_at_entry=claim_at_entry,
        entered_without_claim=_bools(df, "entered_at_poe_without_claim"), instant=inst,
        entry_day=entry_day, claim_day=claim_day, det_day=det_day, d=claim_day - entry_day,
        transit_us=_bools(df, "in_transit_removal_from_us"), transit_ca=_bools(df, "in_transit_removal_from_canada"),
        nat_us=nationality("US"), nat_ca=nationality("CA"), stateless=_bools(df, "stateless"),
        fhr_us=(df.get_column("former_habitual_residence") == "US").fill_null(False).to_numpy(),
        hr_ca=(df.get_column("habitual_residence") == "CA").fill_null(False).to_numpy(),
        age=df.get_column("age_years").to_numpy(), marital=_codes(df, "marital"),
        accompanied=_bools(df, "accompanied_by_parent_or_legal_guardian"),
        parent_ca=_bools(df, "parent_or_legal_guardian_in_canada"),
        parent_us=_bools(df, "parent_or_legal_guardian_in_us"), doc=doc,
        visa_ca=_bools(df, "visa_required_canada"), visa_us=_bools(df, "visa_required_us"),
        refused_us=_bools(df, "refused_entry_us_no_claim_adjudicated"),
        pr_returned=_bools(df, "ca_pr_removed_from_us_being_returned"), dp=_codes(df, "death_penalty"),
        dp_capital=_bools(df, "death_penalty_offence_punishable_by_death"), tsr=_bools(df, "tsr_country_national"),
        tsr_excluded=_bools(df, "excluded_from_tsr_230_3"),
        inadmissible=(df.get_column("inadmissibility_determined").list.len() > 0).to_numpy(),
        prior_elsewhere=_bools(df, "prior_claim_other_country_confirmed"),
        recognized_elsewhere=_bools(df, "recognized_refugee_elsewhere_returnable"),
        prior_ca=_codes(df, "prior_canadian_claim"), anchor_day=_days(anchor), anchor_anniversary=anniversary,
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
    keys = list(masks)
    live = [k for k in keys if masks[k].any()]
    if not live:
        return pl.Series(name, [[]] * n, dtype=pl.List(pl.String))
    matrix = np.stack([masks[k] for k in live], axis=1)
    rows, cols = np.nonzero(matrix)
    counts = np.bincount(rows, minlength=n)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    values = pa.DictionaryArray.from_arrays(pa.array(cols, pa.int32()), pa.array(live, pa.string()))
    arr = pa.LargeListArray.from_arrays(pa.array(offsets), values.cast(pa.large_string()))
    return pl.Series(name, arr)


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
