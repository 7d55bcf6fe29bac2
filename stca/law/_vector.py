"""The decision procedure over a whole population at once (numpy), from the same rule book.

``evaluate_frame`` runs the walk generated from the same plan as ``determine`` (``_walk.py``) —
scope rules, decide rules in order with "first met wins", every parallel ground, the overlay — in its
numpy dialect, so one pass over the rules decides every row. No rule is written here.
"""

from __future__ import annotations

import datetime as dt
import difflib
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa

from stca.law import _polars
from stca.law._arrays import ArrayCase
from stca.law._context import DOCS, EPOCH, Compiled, add_one_year, day_number
from stca.law._enums import Direction, Document, Marital, Relationship, Result, UsForum, code, members
from stca.law._facts import DEFAULT_ZONE, FactsError, Problem
from stca.law._frame import FACT_COLUMNS, normalize
from stca.law._policy import Policy, parse_policy
from stca.law._rulebook import ALL_RULES, BOOKS, plan
from stca.law._uncertain import DEFAULT_SWITCHES, POINTS, Switches

#: The bulk backends generated from the rule book, and the one chosen by measurement (docs/benchmarks.md:
#: on 200,000 cases the numpy walk took 0.054 s, the polars expressions 0.55 s — each "some family
#: member" condition is a ``list.eval`` of ~10 ms, and a when/then chain over 40 rules evaluates them all).
BACKENDS = ("numpy", "polars")
BACKEND = "numpy"
RESULT_COLUMNS = ("stca_result", "deciding_provision", "other_ineligibility", "covid_direct_back", "uncertain")
_RESULTS = members(Result)
_CITATIONS = list(dict.fromkeys(r.citation for r in ALL_RULES))
_RULE_CITATION = np.array([_CITATIONS.index(r.citation) for r in ALL_RULES], dtype=np.uint8)
_RULE_RESULT = np.array([code(r.outcome) if r.outcome else 0 for r in ALL_RULES], dtype=np.uint8)
_PARALLEL = [r for b in BOOKS.values() for r in b.parallel]
_GROUND_NAMES = list(dict.fromkeys(r.citation for r in _PARALLEL))
_POINT_IDS = [p.id for p in POINTS]
_NOON_OFFSET_S = 12 * 3600
_NEWEST = pl.CompatLevel.newest()  # Arrow export without converting string views to large strings
assert len(ALL_RULES) < 256, "deciding rule indices are stored as uint8"


def _np(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.to_numpy(zero_copy_only=False)  # type: ignore[no-any-return]


def _bools(df: pl.DataFrame, name: str) -> np.ndarray:
    """A Boolean column as numpy bools, unpacking Arrow's bitmap directly (~20× faster than
    ``Series.to_numpy`` on a million rows); nulls read as False (normalized frames have none)."""
    s = df.get_column(name)
    if s.null_count() or s.n_chunks() != 1:
        return s.fill_null(False).rechunk().to_numpy()
    arr = s.to_arrow()
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    n, offset = len(arr), arr.offset
    bits = np.frombuffer(arr.buffers()[1], dtype=np.uint8)
    first, skip = offset // 8, offset % 8
    unpacked = np.unpackbits(bits[first:], bitorder="little", count=n + skip)
    return unpacked[skip:].view(bool)


def _codes(df: pl.DataFrame, name: str) -> np.ndarray:
    return df.get_column(name).to_physical().to_numpy()


def _primitive(s: pl.Series) -> tuple[np.ndarray, np.ndarray | None]:
    """The values buffer of a primitive column (zero-copy) and its validity as bools (None: no nulls).

    Values under a null are unspecified; callers replace them.
    """
    arr = s.to_physical().rechunk().to_arrow()
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    n, offset = len(arr), arr.offset
    validity, data = arr.buffers()[:2]
    dtype = arr.type.to_pandas_dtype()
    values = np.frombuffer(data, dtype=dtype)[offset:offset + n]
    if not arr.null_count:
        return values, None
    bits = np.frombuffer(validity, dtype=np.uint8)
    valid = np.unpackbits(bits[offset // 8:], bitorder="little", count=n + offset % 8)[offset % 8:].view(bool)
    return values, valid


def _days(df: pl.DataFrame, name: str, fallback: np.ndarray | None = None) -> np.ndarray:
    """Day numbers of a date column; nulls take ``fallback`` (the claim date for the determination date)."""
    values, valid = _primitive(df.get_column(name))
    days = values.astype(np.int64)
    if valid is not None:
        days = np.where(valid, days, fallback if fallback is not None else 0)
    return days


def _rows_where(s: pl.Series, n: int) -> np.ndarray:
    """A Boolean polars expression result as numpy bools, through the (few) true indices."""
    out = np.zeros(n, dtype=bool)
    out[s.arg_true().to_numpy()] = True
    return out


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
    # entry_instant in µs since the epoch (polars Datetime physical); an absent instant is noon local time
    micros, valid = _primitive(df.get_column("entry_instant"))
    inst = micros // 1_000_000
    if valid is not None:
        missing = np.flatnonzero(~valid)
        inst[missing] = tables.noon[entry_day[missing] - tables.lo]
    nat = df.get_column("nationalities").rechunk()
    nat_offsets = nat.to_arrow(compat_level=_NEWEST).offsets.to_numpy()  # string views: no copy
    nat_offsets = nat_offsets - nat_offsets[0]
    nat_values = nat.explode(empty_as_null=False)  # zero-copy: the values in offset order

    def nationality(iso: str) -> np.ndarray:
        # rows owning a value equal to ``iso``: few hits, found by bisecting the list offsets
        hits = nat_values.eq(iso).arg_true().to_numpy()
        out = np.zeros(n, dtype=bool)
        out[np.searchsorted(nat_offsets, hits, side="right") - 1] = True
        return out

    def country_is(name: str, iso: str) -> np.ndarray:
        return _rows_where(df.get_column(name).eq(iso), n)

    doc_owner, doc_values = _flat(df.get_column("documents_held"))
    doc_codes = _np(doc_values)
    doc: dict[str, np.ndarray] = {}
    for d in DOCS:
        arr = np.zeros(n, dtype=bool)
        arr[doc_owner[np.flatnonzero(doc_codes == code(Document(d)))]] = True
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
        # the claimant's age and marriage travel with each member: a legal guardian counts for a minor only
        mem["claimant_age"] = df.get_column("age_years").to_numpy()[mem_owner]
        married = _codes(df, "marital") == code(Marital.SPOUSE)  # declared, or a spouse listed
        married[mem_owner[np.flatnonzero(mem["rel"] == code(Relationship.SPOUSE))]] = True
        mem["claimant_married"] = married[mem_owner]
    suspended = _bools(df, "agreement_suspended") | p.suspended
    inadmissible = df.get_column("inadmissibility_determined").list.len().to_numpy() > 0
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
        us_removal=_codes(df, "us_forum") == code(UsForum.REMOVAL_PROCEEDINGS),
        permits_ok=_bools(df, "policy_accept_permits_as_documents"),
        protection_conferred=_bools(df, "refugee_protection_conferred_in_canada"),
        whole_border=p.whole_border, b2_enabled=p.b2_enabled,
        mode_transit=np.zeros(n, dtype=bool), mode_between=np.zeros(n, dtype=bool),
    )


class _Results:
    """What the walk over a population writes: deciding rule indices, grounds, flags, covid."""

    def __init__(self, n: int) -> None:
        self.deciding = np.zeros(n, dtype=np.uint8)  # rule index; fewer than 256 rules (checked at import)
        self.grounds = {g: np.zeros(n, dtype=bool) for g in _GROUND_NAMES}
        self.flags = {pid: np.zeros(n, dtype=bool) for pid in _POINT_IDS}
        self.covid = np.zeros(n, dtype=bool)

    def decided(self, met: np.ndarray, index: int) -> None:
        # rows are decided once (met ⊆ undecided), so adding the index sets it
        np.add(self.deciding, met.view(np.uint8) * np.uint8(index), out=self.deciding)


def evaluate_case_arrays(c: ArrayCase, sw: Switches) -> dict[str, Any]:
    """Run both rule books over the population; return per-row codes and masks."""
    out = _Results(c.n)
    canada = c.direction == code(Direction.US_TO_CANADA)
    for country in BOOKS:
        mask = canada if country == "CA" else ~canada
        if mask.any():
            plan(country, c.p, sw).walk(True)(c, mask, out)
    return {"deciding": out.deciding, "grounds": out.grounds, "flags": out.flags, "covid": out.covid}


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


def _list_from_bits(name: str, bits: np.ndarray, names: list[str]) -> pl.Series:
    """Per row, ``names[i]`` for each set bit ``i`` of a 64-bit word, in order, as a list-of-string column."""
    n = len(bits)
    rows_hit = np.flatnonzero(bits)
    counts = np.zeros(n, dtype=np.int64)
    if len(rows_hit):
        words = np.ascontiguousarray(bits[rows_hit].astype(np.uint64))
        matrix = np.unpackbits(words.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
        sub_rows, cols = np.nonzero(matrix[:, :len(names)])
        counts[rows_hit] = np.bincount(sub_rows, minlength=len(rows_hit))
    else:
        cols = np.zeros(0, dtype=np.int64)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    values = pa.DictionaryArray.from_arrays(pa.array(cols, pa.int32()), pa.array(names or [""], pa.large_string()))
    return pl.Series(name, pa.LargeListArray.from_arrays(pa.array(offsets), values.cast(pa.large_string())))


def _enum_column(name: str, codes: np.ndarray, categories: list[str]) -> pl.Series:
    """An Enum column from integer codes, as a gather from the categories themselves (no per-row strings;
    ~15× faster than building through an Arrow dictionary, which polars re-encodes)."""
    template = _enum_template(tuple(categories))
    return template.gather(pl.Series(codes.astype(np.uint32))).alias(name)


@lru_cache(maxsize=16)
def _enum_template(categories: tuple[str, ...]) -> pl.Series:
    return pl.Series("", list(categories), dtype=pl.Enum(list(categories)))


def evaluate_normalized(df: pl.DataFrame, policy: str | Policy = "law", switches: Switches | None = None, *,
                        threads: int | None = None, backend: str = BACKEND) -> pl.DataFrame:
    """Evaluate a frame already in ``FACT_COLUMNS`` form; return only the result columns.

    Large frames are cut into one slice per core and the slices evaluated on threads: numpy and polars
    release the GIL inside each array operation, so the rule book runs on every core at once.
    """
    pol = parse_policy(policy)
    sw = switches or DEFAULT_SWITCHES
    if backend == "polars":
        return _evaluate_polars(df, pol, sw)
    parts = _slices(df.height, threads)
    if len(parts) == 1:
        return _evaluate_slice(df, pol, sw)
    with ThreadPoolExecutor(max_workers=len(parts)) as pool:
        results = list(pool.map(lambda span: _evaluate_slice(df.slice(*span), pol, sw), parts))
    return pl.concat(results, rechunk=False)


#: Rows below which one thread is faster than several (thread start and slicing cost more than they save).
MIN_ROWS_PER_THREAD = 131_072


def _slices(n: int, threads: int | None) -> list[tuple[int, int]]:
    """(offset, length) of each thread's share of ``n`` rows."""
    k = threads or pl.thread_pool_size()  # polars' pool: the cores this process may use
    k = max(1, min(k, n // MIN_ROWS_PER_THREAD))
    bounds = [n * i // k for i in range(k + 1)]
    return [(bounds[i], bounds[i + 1] - bounds[i]) for i in range(k)]


def _evaluate_polars(df: pl.DataFrame, pol: Policy, sw: Switches) -> pl.DataFrame:
    out = _polars.evaluate(df, pol.compiled, sw)
    deciding = out.get_column("__deciding").to_numpy()
    return pl.DataFrame([
        _enum_column("stca_result", _RULE_RESULT[deciding], _RESULTS),
        _enum_column("deciding_provision", _RULE_CITATION[deciding], _CITATIONS),
        _list_from_bits("other_ineligibility", out.get_column("__grounds").to_numpy(), _polars.GROUNDS),
        out.get_column("covid_direct_back"),
        _list_from_bits("uncertain", out.get_column("__flags").to_numpy(), _polars.POINT_IDS),
    ])


def _evaluate_slice(df: pl.DataFrame, pol: Policy, sw: Switches) -> pl.DataFrame:
    c = _build_case(df, pol.compiled, sw)
    out = evaluate_case_arrays(c, sw)
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
            required. Other columns (ids, names, provinces) are carried through untouched, unless one looks
            like a misspelt fact (then it is an error, so a typo never silently takes a default).
        policy: a policy name of contract.md §4 or a ``Policy``.
        switches: readings of UNCERTAIN points.

    Raises:
        FactsError: naming the column (and first bad row) that cannot be used.
    """
    df = frame if isinstance(frame, pl.DataFrame) else pl.DataFrame(pl.from_arrow(frame))
    extra = [c for c in df.columns if c not in FACT_COLUMNS]
    for name in extra:
        if name in RESULT_COLUMNS:
            raise FactsError([Problem(name, "a result column is already present; drop it before evaluating")])
        close = difflib.get_close_matches(name, list(FACT_COLUMNS), n=1, cutoff=0.85)
        if close:
            raise FactsError([Problem(name, f"unknown column (did you mean {close[0]!r}?)")])
    facts = df.drop(extra) if extra else df
    typed = facts if _is_typed(facts) else normalize(facts)
    return df.hstack(evaluate_normalized(typed, policy, switches))


def _is_typed(df: pl.DataFrame) -> bool:
    """Already normalized: every fact column present, typed, and without nulls where defaults apply."""
    schema = df.schema
    if list(schema) != list(FACT_COLUMNS) or any(schema[k] != v for k, v in FACT_COLUMNS.items()):
        return False
    nullable = {"entry_instant", "determination_date", "former_habitual_residence", "habitual_residence",
                "first_entry_after_2020_06_24"}
    return not any(df.get_column(k).null_count() for k in FACT_COLUMNS if k not in nullable)
