"""The service layer's public surface: what its docstring promises the pages is what it exports."""

from __future__ import annotations

import inspect
import re

from stca.desk import services


def test_every_documented_function_is_exported_and_every_export_is_documented() -> None:
    doc = services.__doc__ or ""
    documented = set(re.findall(r"^\s{4}([a-z_]+)\(", doc, flags=re.MULTILINE))
    functions = {n for n in services.__all__ if inspect.isfunction(getattr(services, n))}
    assert documented == functions
    assert services.__all__ == sorted(services.__all__, key=lambda n: (not n.isupper(), n))
    for name in services.__all__:
        assert hasattr(services, name), name


def test_documented_keyword_names_match_the_signatures() -> None:
    doc = services.__doc__ or ""
    for name, args in re.findall(r"^\s{4}([a-z_]+)\(([^)]*)\)", doc, flags=re.MULTILINE):
        params = inspect.signature(getattr(services, name)).parameters
        for piece in args.split(","):
            arg = re.split(r"[=:| ]", piece.strip())[0]
            if arg in ("actor", "db", "*", ""):
                continue
            assert arg in params, f"{name} documents {arg!r} but its signature is {list(params)}"
