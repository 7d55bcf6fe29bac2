"""stca — the Canada–US Safe Third Country Agreement as code."""

from __future__ import annotations

__version__ = "1.0.0"
