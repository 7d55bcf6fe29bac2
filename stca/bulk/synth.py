"""Realistic, valid random cases for demos, tests and benchmarks (``stca synth``).

Vectorised with numpy: a million cases take a few seconds and the same seed gives the same file. The
mixes are rough shapes of the published record, not estimates: claim years follow the volume of claims
at the Canada–US land border and RCMP interceptions (high 2017–2019 and 2022–2023, low during the
COVID-19 closure; stca/data ``rcmp_interceptions_annual``), Roxham-Road-era crossings between ports,
Colombian, Haitian, Nigerian and Mexican claimants most common, most claimants without relatives in
Canada. Rare branches (death penalty, in-transit removals, TSR nationals, US nationals, stateless
persons) are deliberately present so every rule is exercised. Every row is valid input for
``stca.law.parse_facts`` (tests check a sample).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from enum import StrEnum

import numpy as np
import polars as pl
import pyarrow as pa

from stca.bulk._schema import FACT_SCHEMA, MEMBER_COLUMNS
from stca.law import (
    CaStatus,
    ClaimState,
    DeathPenalty,
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

_EPOCH = dt.date(1970, 1, 1)
_LAST_DAY = dt.date(2026, 10, 31)
#: Relative claim volume by year, 2004–2026 (shape only).
_YEAR_WEIGHTS = {
    2004: 0.3, 2005: 4, 2006: 4, 2007: 5, 2008: 6, 2009: 4, 2010: 3, 2011: 3, 2012: 2.5, 2013: 1.5,
    2014: 1.5, 2015: 2, 2016: 3, 2017: 22, 2018: 20, 2019: 17, 2020: 4, 2021: 2, 2022: 40, 2023: 18,
    2024: 8, 2025: 10, 2026: 8,
}
_NATIONALITIES = np.array(["CO", "HT", "NG", "MX", "TR", "VE", "AF", "IR", "IN", "PK", "ER", "SO", "SY",
                           "CN", "CD", "YE", "SD", "ET", "ZW", "IQ", "GT", "HN", "SV", "US", "CA"])
_NAT_WEIGHTS = np.array([14, 13, 10, 8, 6, 5, 4, 4, 5, 4, 3, 3, 3, 3, 3, 2, 2, 2, 1, 1, 2, 2, 2, 0.5, 1.5])
#: Countries under an IRPR 230 temporary suspension of removals when former IRPR 159.6(c) was repealed.
_TSR = {"AF", "CD", "HT", "IQ", "ZW"}
_PROVINCES = np.array(["QC", "ON", "MB", "BC", "AB", "NB", "SK", "NS"])
_PROVINCE_WEIGHTS = np.array([60, 22, 6, 7, 2, 1, 1, 1])


def _choice(rng: np.random.Generator, n: int, weights: list[float] | np.ndarray) -> np.ndarray:
    """n indices drawn with the given relative weights (int8 codes)."""
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum()).astype(np.int32)


def _strings(values: list[str] | np.ndarray, codes: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Strings from codes into a value list, built as an Arrow dictionary and decoded (fast)."""
    mask = None if valid is None else ~valid
    arr = pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32(), mask=mask), pa.array(list(values)))
    return arr.cast(pa.string())


def _enum_strings(enum: type[StrEnum], codes: np.ndarray) -> pa.Array:
    return _strings([m.value for m in enum], codes)


def _dates(days: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    mask = None if valid is None else ~valid
    return pa.array(days.astype(np.int32), pa.date32(), mask=mask)


def _lists(offsets: np.ndarray, values: pa.Array) -> pa.Array:
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), values)


def _family_members(rng: np.random.Generator, n: int) -> pa.Array:
    """List-of-struct column: most claimants have no relatives recorded, some have up to six."""
    counts = _choice(rng, n, [58, 18, 11, 7, 3, 2, 1])
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    m = int(offsets[-1])
    rel = _choice(rng, m, [10, 3, 0.5, 8, 4, 4, 7, 7, 1, 1, 1, 6, 6, 3, 3, 6, 2, 2, 1, 3])
    rel_names = [r.value for r in Relationship]
    age = rng.integers(18, 70, m)
    young = np.isin(rel, [rel_names.index("CHILD"), rel_names.index("GRANDCHILD"),
                          rel_names.index("NEPHEW"), rel_names.index("NIECE")])
    age = np.where(young, rng.integers(0, 30, m), age)
    old = np.isin(rel, [rel_names.index(x) for x in ("FATHER", "MOTHER", "GRANDFATHER", "GRANDMOTHER")])
    age = np.where(old, rng.integers(40, 95, m), age)
    loc = _choice(rng, m, [60, 25, 15])  # CANADA, US, ELSEWHERE
    in_canada = loc == 0
    ca = np.where(in_canada, _choice(rng, m, [20, 20, 10, 2, 20, 8, 4, 6, 2, 8]), len(CaStatus) - 1)
    claimant = ca == list(CaStatus).index(CaStatus.REFUGEE_CLAIMANT)
    claim_state = np.where(claimant, _choice(rng, m, [0, 8, 50, 5, 3, 12, 8, 2, 12]), 0)
    permit = np.isin(ca, [list(CaStatus).index(CaStatus.WORK_PERMIT), list(CaStatus).index(CaStatus.STUDY_PERMIT)])
    permit_valid = ~permit | (rng.random(m) < 0.9)
    r206 = (ca == list(CaStatus).index(CaStatus.WORK_PERMIT)) & (rng.random(m) < 0.08)
    us = np.where(loc == 1, _choice(rng, m, [15, 20, 10, 5, 10, 8, 4, 15, 8, 5]), len(UsStatus) - 1)
    pending = us == list(UsStatus).index(UsStatus.ASYLUM_PENDING)
    forum = np.where(pending, _choice(rng, m, [55, 40, 5]), len(UsAsylumForum) - 1)
    fields = {
        "relationship": _enum_strings(Relationship, rel),
        "location": _enum_strings(Location, loc),
        "age_years": pa.array(age.astype(np.int32)),
        "ca_status": _enum_strings(CaStatus, ca),
        "claim_state": _enum_strings(ClaimState, claim_state),
        "permit_valid": pa.array(permit_valid),
        "work_permit_r206_1_b": pa.array(r206),
        "us_status": _enum_strings(UsStatus, us),
        "us_asylum_forum": _enum_strings(UsAsylumForum, forum),
    }
    assert list(fields) == [c.name for c in MEMBER_COLUMNS]
    return _lists(offsets, pa.StructArray.from_arrays(list(fields.values()), names=list(fields)))


def _claim_days(rng: np.random.Generator, n: int) -> np.ndarray:
    """Claim dates as days since 1970, years weighted like history, uniform within a year."""
    years = np.array(list(_YEAR_WEIGHTS))
    year = years[_choice(rng, n, list(_YEAR_WEIGHTS.values()))]
    start = np.array([(dt.date(y, 1, 1) - _EPOCH).days for y in years])
    end = np.array([(min(dt.date(y, 12, 31), _LAST_DAY) - _EPOCH).days for y in years])
    first = np.array([(dt.date(2004, 12, 1) - _EPOCH).days])  # 2004: only the weeks around entry into force
    lo = np.where(year == 2004, first[0], start[year - years[0]])
    hi = end[year - years[0]]
    return lo + (rng.random(n) * (hi - lo + 1)).astype(np.int64)


def synth_table(rows: int, seed: int | list[int] = 0, first_id: int = 0) -> pa.Table:
    """``rows`` random valid cases as an Arrow table (fact columns plus ``case_id`` and ``province``).

    Args:
        rows: number of cases.
        seed: the same seed always gives the same table.
        first_id: ``case_id`` of the first row (ids count up from it).
    """
    rng = np.random.default_rng(seed)
    n = rows
    us_to_ca = rng.random(n) < 0.92
    claim = _claim_days(rng, n)
    protocol_day = (dt.date(2023, 3, 25) - _EPOCH).days
    roxham_era = (claim >= (dt.date(2017, 1, 1) - _EPOCH).days) & (claim < protocol_day)
    place = np.where(roxham_era, _choice(rng, n, [25, 55, 15, 3, 2]), _choice(rng, n, [50, 12, 30, 5, 3]))
    land_poe, between, airport = place == 0, place == 1, place == 2
    claim_at_entry = np.where(land_poe, rng.random(n) < 0.9, np.where(airport, rng.random(n) < 0.7, False))
    after_poe = land_poe & ~claim_at_entry
    delay = np.zeros(n, dtype=np.int64)
    late_between = _choice(rng, n, [70, 20, 10])
    delay = np.where(between & (late_between == 1), rng.integers(1, 14, n), delay)
    delay = np.where(between & (late_between == 2), rng.integers(14, 400, n), delay)
    delay = np.where(after_poe | (airport & ~claim_at_entry), rng.integers(1, 700, n), delay)
    entry = claim - delay
    # Entry instant: a local time of day in Eastern time (UTC−4 in summer, UTC−5 otherwise); 10 % unknown.
    month = (entry.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12) + 1
    offset_h = np.where((month >= 4) & (month <= 10), 4, 5)
    seconds = rng.integers(0, 86400, n)
    instant_us = ((entry * 86400 + seconds + offset_h * 3600) * 1_000_000).astype(np.int64)
    has_instant = rng.random(n) < 0.9
    decided_late = rng.random(n) < 0.15
    determination = claim + np.where(decided_late, rng.integers(0, 400, n), 0)

    nat = _choice(rng, n, _NAT_WEIGHTS)
    nat = np.where(us_to_ca & (_NATIONALITIES[nat] == "CA"), 0, nat)
    nat = np.where(~us_to_ca & (_NATIONALITIES[nat] == "US"), 1, nat)
    stateless = rng.random(n) < 0.01
    dual = ~stateless & (rng.random(n) < 0.05)
    second = _choice(rng, n, _NAT_WEIGHTS)
    nat_counts = np.where(stateless, 0, 1 + dual)
    nat_offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(nat_counts, out=nat_offsets[1:])
    nat_values = np.stack([nat, second], axis=1)[np.stack([~stateless, dual], axis=1)]
    first_nat = _NATIONALITIES[nat]
    fhr = np.where(rng.random(n) < 0.4, 23, _choice(rng, n, _NAT_WEIGHTS))  # 23 = "US"

    minor = rng.random(n) < 0.15
    age = np.where(minor, rng.integers(0, 18, n), np.clip(rng.normal(34, 11, n), 18, 85).astype(np.int64))
    age = np.where(minor & (rng.random(n) < 0.1), 17, age)
    marital = np.where(minor, 0, _choice(rng, n, [55, 35, 10]))
    accompanied = minor & (rng.random(n) < 0.85)
    parent_ca = minor & (rng.random(n) < 0.2)
    parent_us = minor & (rng.random(n) < 0.3)

    doc_count = np.where(rng.random(n) < 0.85, 0, _choice(rng, n, [0, 70, 30]))
    doc_offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(doc_count, out=doc_offsets[1:])
    docs = _choice(rng, int(doc_offsets[-1]), [4, 30, 4, 4, 1, 1, 1, 8, 6, 25, 4, 12])
    mexican_exempt = (first_nat == "MX") & (
        ((claim >= (dt.date(2016, 12, 1) - _EPOCH).days) & (claim < (dt.date(2024, 2, 29) - _EPOCH).days))
        | (claim < (dt.date(2009, 7, 14) - _EPOCH).days)
    )
    visa_ca = ~(mexican_exempt | (rng.random(n) < 0.05))
    tsr_window = claim <= (dt.date(2009, 7, 22) - _EPOCH).days
    tsr = np.isin(first_nat, list(_TSR)) & tsr_window
    death = _choice(rng, n, [9990, 5, 5])
    inad_count = (rng.random(n) < 0.005).astype(np.int64)
    inad_offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(inad_count, out=inad_offsets[1:])
    first_entry_valid = (entry > (dt.date(2020, 6, 24) - _EPOCH).days) & (rng.random(n) < 0.5)
    place_names = [p.value for p in EntryPlace]

    columns: dict[str, pa.Array] = {
        "case_id": pa.array(np.arange(first_id, first_id + n, dtype=np.int64)),
        "province": _strings(_PROVINCES, _choice(rng, n, _PROVINCE_WEIGHTS)),
        "direction": _strings(["US_TO_CANADA", "CANADA_TO_US"], (~us_to_ca).astype(np.int32)),
        "came_from_other_party": pa.array(rng.random(n) < 0.97),
        "entry_place": _strings(place_names, place),
        "claim_at_entry": pa.array(claim_at_entry),
        "entered_at_poe_without_claim": pa.array(after_poe),
        "entry_instant": pa.array(instant_us, pa.timestamp("us", "UTC"), mask=~has_instant),
        "entry_local_date": _dates(entry),
        "claim_local_date": _dates(claim),
        "determination_date": _dates(determination, decided_late),
        "in_transit_removal_from_us": pa.array(airport & us_to_ca & (rng.random(n) < 0.03)),
        "in_transit_removal_from_canada": pa.array(airport & ~us_to_ca & (rng.random(n) < 0.03)),
        "nationalities": _lists(nat_offsets, _strings(_NATIONALITIES, nat_values.astype(np.int32))),
        "stateless": pa.array(stateless),
        "former_habitual_residence": _strings(_NATIONALITIES, fhr, stateless),
        "habitual_residence": _strings(["CA"], np.zeros(n, np.int32), ~us_to_ca & (rng.random(n) < 0.3)),
        "age_years": pa.array(age.astype(np.int32)),
        "marital": _enum_strings(Marital, marital),
        "accompanied_by_parent_or_legal_guardian": pa.array(accompanied),
        "parent_or_legal_guardian_in_canada": pa.array(parent_ca),
        "parent_or_legal_guardian_in_us": pa.array(parent_us),
        "family_members": _family_members(rng, n),
        "documents_held": _lists(doc_offsets, _enum_strings(Document, docs)),
        "visa_required_canada": pa.array(visa_ca),
        "visa_required_us": pa.array(rng.random(n) < 0.92),
        "refused_entry_us_no_claim_adjudicated": pa.array(rng.random(n) < 0.01),
        "ca_pr_removed_from_us_being_returned": pa.array(rng.random(n) < 0.003),
        "death_penalty": _enum_strings(DeathPenalty, death),
        "death_penalty_offence_punishable_by_death": pa.array((death > 0) & (rng.random(n) < 0.8)),
        "tsr_country_national": pa.array(tsr),
        "excluded_from_tsr_230_3": pa.array(tsr & (rng.random(n) < 0.03)),
        "inadmissibility_determined": _lists(
            inad_offsets, _enum_strings(Inadmissibility, _choice(rng, int(inad_offsets[-1]), [2, 1, 5, 2]))
        ),
        "prior_claim_other_country_confirmed": pa.array(rng.random(n) < 0.02),
        "recognized_refugee_elsewhere_returnable": pa.array(rng.random(n) < 0.01),
        "prior_canadian_claim": _enum_strings(PriorCanadianClaim, _choice(rng, n, [95, 2, 1, 1, 1])),
        "first_entry_after_2020_06_24": _dates(entry, first_entry_valid),
        "us_public_interest_determination": pa.array(~us_to_ca & (rng.random(n) < 0.005)),
        "agreement_suspended": pa.array(rng.random(n) < 0.001),
        "policy_accept_permits_as_documents": pa.array(rng.random(n) < 0.98),
        "refugee_protection_conferred_in_canada": pa.array(rng.random(n) < 0.002),
        # drawn last, so the columns above are those an earlier version drew from the same seed
        "us_forum": _enum_strings(UsForum, (~us_to_ca & (rng.random(n) < 0.05)).astype(np.int32)),
    }
    missing = set(FACT_SCHEMA) - set(columns)
    if missing:  # a fact added to the law must be generated too
        raise RuntimeError(f"synth does not generate {sorted(missing)}")
    order = [k for k in columns if k not in FACT_SCHEMA] + list(FACT_SCHEMA)  # the law's column order
    return pa.table({k: columns[k] for k in order})


def synth_frame(rows: int, seed: int | list[int] = 0) -> pl.DataFrame:
    """``synth_table`` as a polars DataFrame in the law's column types (enums as ``pl.Enum``).

    Typed, a Parquet file written from it carries its vocabulary, and bulk evaluation reads it without
    parsing text.
    """
    from stca.bulk._normalise import normalise

    frame = pl.from_arrow(synth_table(rows, seed))
    assert isinstance(frame, pl.DataFrame)
    return normalise(frame)


#: Rows generated at a time by ``synth_chunks``; fixed, so a seed always gives the same file.
CHUNK_ROWS = 1_000_000


def synth_chunks(rows: int, seed: int = 0, chunk_rows: int = CHUNK_ROWS) -> Iterator[pa.Table]:
    """``rows`` cases in tables of at most ``chunk_rows`` rows, so any number fits in memory.

    The first chunk equals ``synth_table(min(rows, chunk_rows), seed)``; chunk k > 0 is seeded with
    ``[seed, k]``, so the output depends only on ``rows``, ``seed`` and ``chunk_rows``.
    """
    for k, start in enumerate(range(0, rows, chunk_rows)):
        yield synth_table(min(chunk_rows, rows - start), seed if k == 0 else [seed, k], first_id=start)
