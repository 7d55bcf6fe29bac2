"""Issue 12, finding 8: the API answers every generated request within its own OpenAPI document.

Schemathesis reads ``/openapi.json`` from a real server on 127.0.0.1 (SQLite and PostgreSQL) and sends
a bounded number of generated requests per operation — valid ones and deliberately invalid ones —
as a supervisor (the role that may call the most routes). Every response must be no server error,
with a status code, media type and body the document declares, and invalid input must be refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from .conftest import BACKENDS, Desk, start_desk

EXAMPLES = 3
"""Generated requests per operation and mode (bounded: the suite's time budget)."""
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]
SKIPPED_OPERATIONS = {"DELETE /api/v1/session"}
"""Logging the fuzzing session out would turn every later request into a 401 (tested in test_auth)."""


@pytest.fixture(params=BACKENDS)
def fuzzed_desk(request: pytest.FixtureRequest, new_database: Any) -> Iterator[Desk]:
    """A desk of its own: generated requests create cases, sites and accounts."""
    running = start_desk(request.param, new_database(request.param))
    yield running
    running.stop()


def test_no_server_error_and_no_schema_violation(fuzzed_desk: Desk) -> None:
    client = fuzzed_desk.as_role("supervisor")
    headers = {"X-CSRF-Token": client.headers["X-CSRF-Token"], "Accept": "application/json"}
    cookies = dict(client.cookies)
    schema = schemathesis.openapi.from_url(f"{fuzzed_desk.base_url}/openapi.json")
    failures: list[str] = []
    requests = 0
    for result in schema.get_all_operations():
        assert isinstance(result, Ok)
        operation = result.ok()
        if f"{operation.method.upper()} {operation.path}" in SKIPPED_OPERATIONS:
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode, headers=headers, cookies=cookies)

            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      phases=[Phase.explicit, Phase.generate],
                      suppress_health_check=list(HealthCheck))
            @given(case=strategy)
            def run(case: Any) -> None:
                nonlocal requests
                requests += 1
                case.call_and_validate(base_url=fuzzed_desk.base_url, checks=CHECKS)

            try:
                run()
            except Unsatisfiable:  # negative mode on an operation with no input: nothing to get wrong
                assert mode is GenerationMode.NEGATIVE, operation.label
            except (AssertionError, BaseExceptionGroup) as exc:  # collect every operation's failure, report all
                failures.append(f"{operation.method.upper()} {operation.path} [{mode.value}]: "
                                f"{str(exc).strip()[:600]}")
    print(f"schemathesis: {requests} requests, {len(failures)} failing operations")
    assert not failures, "\n\n".join(failures)
