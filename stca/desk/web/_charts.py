"""Small server-rendered SVG charts (bars and lines) for the capacity and analyst pages.

Why hand-made SVG: the pages must work offline and without JavaScript, and these charts are simple
enough that a few dozen lines beat shipping a 3 MB plotting library to the browser. Each chart has a
``<title>`` and ``<desc>`` and the same numbers are always shown in a table next to it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#26374a", "#af3c43", "#2b8a8a", "#d39e00", "#7a5cc0", "#5c6670", "#1f6b3a", "#c05c8a")


@dataclass(frozen=True)
class Series:
    """One named row of values, aligned with the chart's categories."""

    name: str
    values: Sequence[float]
    color: str = ""


def _nice_max(value: float) -> float:
    """Top of the axis: four equal whole-number steps of 1, 2 or 5 × 10^k that cover ``value``."""
    wanted = max(value, 1.0) / 4
    magnitude = 10 ** math.floor(math.log10(wanted))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= wanted)
    return float(max(step, 1) * 4)


def _colored(series: Sequence[Series]) -> list[Series]:
    return [Series(s.name, s.values, s.color or PALETTE[i % len(PALETTE)]) for i, s in enumerate(series)]


def _frame(title: str, desc: str, width: int, height: int, body: list[str]) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" xmlns="http://www.w3.org/2000/svg" '
        f'aria-labelledby="t-{abs(hash(title))} d-{abs(hash(title))}">'
        f'<title id="t-{abs(hash(title))}">{escape(title)}</title><desc id="d-{abs(hash(title))}">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _axis(left: int, top: int, plot_w: int, plot_h: int, top_value: float) -> list[str]:
    parts = []
    for i in range(5):
        y = top + plot_h - plot_h * i / 4
        label = top_value * i / 4
        text = f"{label:,.0f}"
        parts.append(f'<line class="grid" x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{text}</text>')
    parts.append(
        f'<line class="axis" x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}"/>'
    )
    return parts


def bar_chart(
    title: str, categories: Sequence[str], series: Sequence[Series], *, width: int = 640, height: int = 280
) -> str:
    """Grouped vertical bars, one group per category."""
    series = _colored(series)
    left, top, bottom = 52, 14, 34
    plot_w, plot_h = width - left - 10, height - top - bottom
    top_value = _nice_max(max((v for s in series for v in s.values), default=0))
    body = _axis(left, top, plot_w, plot_h, top_value)
    group_w = plot_w / max(len(categories), 1)
    bar_w = min(28.0, group_w * 0.8 / max(len(series), 1))
    for ci, category in enumerate(categories):
        x0 = left + ci * group_w + (group_w - bar_w * len(series)) / 2
        for si, s in enumerate(series):
            value = s.values[ci]
            h = plot_h * value / top_value
            x = x0 + si * bar_w
            body.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                f'fill="{s.color}"><title>{escape(s.name)} · {escape(category)}: {value:,.0f}</title></rect>'
            )
        body.append(
            f'<text x="{left + ci * group_w + group_w / 2:.1f}" y="{height - 12}" '
            f'text-anchor="middle">{escape(category)}</text>'
        )
    desc = "; ".join(
        f"{s.name}: " + ", ".join(f"{c} {v:,.0f}" for c, v in zip(categories, s.values, strict=True))
        for s in series
    )
    return _frame(title, desc, width, height, body)


def line_chart(
    title: str, categories: Sequence[str], series: Sequence[Series], *, width: int = 640, height: int = 260
) -> str:
    """One line per series over ordered categories (months)."""
    series = _colored(series)
    left, top, bottom = 52, 14, 34
    plot_w, plot_h = width - left - 14, height - top - bottom
    top_value = _nice_max(max((v for s in series for v in s.values), default=0))
    body = _axis(left, top, plot_w, plot_h, top_value)
    n = max(len(categories), 1)
    step = plot_w / max(n - 1, 1)

    def point(i: int, v: float) -> tuple[float, float]:
        return left + i * step, top + plot_h - plot_h * v / top_value

    label_every = max(1, n // 8)
    for i, category in enumerate(categories):
        if i % label_every == 0 or i == n - 1:
            x, _ = point(i, 0)
            body.append(f'<text x="{x:.1f}" y="{height - 12}" text-anchor="middle">{escape(category)}</text>')
    for s in series:
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in enumerate(s.values)))
        body.append(f'<polyline fill="none" stroke="{s.color}" stroke-width="2.5" points="{pts}"/>')
        for i, v in enumerate(s.values):
            x, y = point(i, v)
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{s.color}">'
                f"<title>{escape(s.name)} · {escape(categories[i])}: {v:,.0f}</title></circle>"
            )
    desc = "; ".join(
        f"{s.name}: " + ", ".join(f"{c} {v:,.0f}" for c, v in zip(categories, s.values, strict=True))
        for s in series
    )
    return _frame(title, desc, width, height, body)


def legend(series: Sequence[Series]) -> str:
    """An HTML legend matching the chart's colours."""
    # An SVG swatch, not a style attribute: the Content-Security-Policy allows no inline style.
    items = "".join(f'<span><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" '
                    f'rx="2" fill="{escape(s.color)}"/></svg>{escape(s.name)}</span>' for s in _colored(series))
    return f'<div class="legend" aria-hidden="true">{items}</div>'
