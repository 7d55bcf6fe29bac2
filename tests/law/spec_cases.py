"""Loading spec/cases.yaml (the project's copy of the specification) and comparing deciding provisions the way
the spec writes them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import SPEC


def load_cases(spec: Path = SPEC) -> list[dict[str, Any]]:
    """All scenarios of cases.yaml."""
    with (spec / "cases.yaml").open(encoding="utf-8") as fh:
        return list(yaml.safe_load(fh)["cases"])


_CITE = re.compile(r"(?:IRPR|IRPA|8 CFR|INA)\s*[0-9.]+(?:\([0-9a-z.]+\))*")


def provision_key(text: str) -> str:
    """The decisive citation of a ``deciding_rule``/``deciding_provision`` string.

    The spec writes e.g. ``IRPR 159.4(1.1) -> 159.5(a)`` or ``IRPA 101(1)(e) (159.5(c)(iii))``; the
    engine writes ``IRPR 159.5(a)`` or ``IRPA 101(1)(e); IRPR 159.3``. The key is the exception
    provision for a NOT_BARRED result (after ``->``), otherwise the first citation.
    """
    if "->" in text:
        return text.split("->")[-1].strip().split()[-1].strip()
    m = _CITE.search(text)
    assert m, f"no citation in {text!r}"
    return m.group(0).split()[-1]
