"""Bulk evaluation: many cases at once, from memory or files, plus synthetic cases and policy comparison.

The rules stay in ``stca.law`` (``evaluate_frame``); this package handles columns, files and reports.

>>> from stca.bulk import evaluate_cases, synth_frame
>>> evaluate_cases(synth_frame(1000, seed=1), policy="pre-protocol").height
1000
"""

from __future__ import annotations

from stca.bulk._normalise import BulkInputError, normalise
from stca.bulk._schema import FACT_SCHEMA, RESULT_COLUMNS
from stca.bulk.evaluate import (
    BulkSummary,
    PolicySpec,
    evaluate_cases,
    evaluate_file,
    evaluate_table,
    parse_policy_spec,
)
from stca.bulk.files import FORMATS, detect_format, read_batches, write_frame
from stca.bulk.synth import synth_frame, synth_table

__all__ = [
    "FACT_SCHEMA",
    "FORMATS",
    "RESULT_COLUMNS",
    "BulkInputError",
    "BulkSummary",
    "PolicySpec",
    "detect_format",
    "evaluate_cases",
    "evaluate_file",
    "evaluate_table",
    "normalise",
    "parse_policy_spec",
    "read_batches",
    "synth_frame",
    "synth_table",
    "write_frame",
]
