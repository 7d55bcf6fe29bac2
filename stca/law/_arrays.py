"""The population side of the case context: the same attributes as ``ScalarCase``, as numpy arrays."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from stca.law._context import Compiled
from stca.law._uncertain import Switches


class ArrayCase:
    """A population (numpy arrays); built by ``_vector.prepare`` from a polars DataFrame."""

    if TYPE_CHECKING:  # attributes are the fact columns passed to __init__, as in ScalarCase

        def __getattr__(self, name: str) -> Any: ...

    def __init__(self, n: int, p: Compiled, sw: Switches, members: dict[str, np.ndarray], owner: np.ndarray,
                 **cols: Any) -> None:
        self.n, self.p, self.sw = n, p, sw
        self.true = np.ones(n, dtype=bool)
        self._members = members
        self._owner = owner
        self._luts: dict[int, np.ndarray] = {}
        for k, v in cols.items():
            setattr(self, k, v)

    @staticmethod
    def NOT(x: Any) -> Any:
        """Logical not (element-wise; plain bools from switches pass through)."""
        if isinstance(x, np.ndarray):
            return ~x
        return not x

    def isin(self, x: np.ndarray, codes: frozenset[int]) -> np.ndarray:
        """Element-wise membership through a lookup table (faster than ``np.isin`` for small codes)."""
        lut = self._luts.get(id(codes))
        if lut is None:
            lut = np.zeros(max(codes) + 1 if codes else 1, dtype=bool)
            lut[list(codes)] = True
            lut = np.concatenate([lut, np.zeros(64, dtype=bool)])
            self._luts[id(codes)] = lut
        return lut[x]

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
                out[self._owner[hit]] = True
            elif hit:
                out[self._owner] = True
        return out

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
