"""The population side of the case context: the same attributes as ``ScalarCase``, as numpy arrays."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from stca.law._context import Compiled
from stca.law._uncertain import Switches


class ArrayCase:
    """A population (numpy arrays); built by ``_vector.prepare`` from a polars DataFrame."""

    mode_transit: np.ndarray
    mode_between: np.ndarray
    if TYPE_CHECKING:  # attributes are the fact columns passed to __init__, as in ScalarCase

        def __getattr__(self, name: str) -> Any: ...

    def __init__(self, n: int, p: Compiled, sw: Switches, members: dict[str, np.ndarray], owner: np.ndarray,
                 **cols: Any) -> None:
        self.n, self.p, self.sw = n, p, sw
        self.true = np.ones(n, dtype=bool)
        self._members = members
        self._owner = owner
        self._luts: dict[int, tuple[Any, Any]] = {}
        self._windows: dict[tuple[str, str | None, str | None], np.ndarray] = {}
        for k, v in cols.items():
            setattr(self, k, v)

    @staticmethod
    def NOT(x: Any) -> Any:
        """Logical not (element-wise; plain bools from switches pass through)."""
        if isinstance(x, np.ndarray):
            return ~x
        return not x

    def isin(self, x: np.ndarray, codes: frozenset[int]) -> np.ndarray:
        """Element-wise membership as one shift of a bit mask: ``(mask >> x) & 1``.

        Codes are small enum codes, so the set fits one machine word; the narrowest word is used
        (numpy defines a shift by the word's width or more as 0, so codes outside the set give False).
        This is ~10× faster than a lookup table or ``np.isin`` on a million rows.
        """
        hit = self._luts.get(id(codes))
        if hit is None:
            mask = 0
            for k in codes:
                mask |= 1 << k
            top = max(codes, default=0)
            word = np.uint8 if top < 8 else np.uint16 if top < 16 else np.uint32 if top < 32 else np.uint64
            hit = self._luts[id(codes)] = (word(mask), word(1))
        mask_word, one = hit
        return ((mask_word >> x) & one).astype(bool)

    @staticmethod
    def where(cond: Any, a: Any, b: Any) -> Any:
        """``a`` where ``cond`` else ``b``."""
        return np.where(cond, a, b)

    def any_member(self, pred: Callable[[Any], Any]) -> np.ndarray:
        """Per case: some family member satisfies ``pred`` (members are a flat table with an owner index)."""
        out = np.zeros(self.n, dtype=bool)
        if len(self._owner):
            hit = pred(_MemberArrays(self._members))
            if isinstance(hit, np.ndarray):
                if hit.any():
                    out[self._owner[np.flatnonzero(hit)]] = True  # indices, not a mask: 3× faster scatter
            elif hit:
                out[self._owner] = True
        return out

    def window(self, field: str, start: str | None, end: str | None) -> np.ndarray:
        """Rows whose ``field`` date lies in [start, end) of the compiled parameters; shared by every rule
        with the same in-force window within one evaluation."""
        key = (field, start, end)
        ok = self._windows.get(key)
        if ok is None:
            # the entry instant is compared to the second; the other facts are local dates
            instant = field == "entry_instant"
            value, bounds = (self.instant, self.p.sec) if instant else (self.date_of(field), self.p.day)
            ok = self.true
            if start is not None:
                ok = ok & (value >= bounds[start])
            if end is not None:
                ok = ok & (value < bounds[end])
            self._windows[key] = ok
        return ok

    def date_of(self, field: str) -> np.ndarray:
        """Day numbers of a dated fact named by an in-force window."""
        if field == "claim_local_date":
            return self.claim_day  # type: ignore[no-any-return]
        if field == "determination_date":
            return self.det_day  # type: ignore[no-any-return]
        return self.entry_day  # type: ignore[no-any-return]


class _MemberArrays:
    def __init__(self, cols: dict[str, np.ndarray]) -> None:
        self.__dict__.update(cols)
