"""The analyst view: counts and trends by month, province, entry type, outcome and provision.

Why it cannot leak names: every number comes from ``services.aggregate_counts``, which groups only by
a whitelist of dimensions (no name, reference or id column exists in its frame), and the template
shows nothing else. Downloads are the same tables as CSV or Parquet (``services.export_aggregates``).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import Response

from stca.desk import services
from stca.desk.deps import AnalystUser, SessionDep
from stca.desk.web import _session
from stca.desk.web._charts import Series, bar_chart, legend, line_chart
from stca.desk.web._i18n import N_
from stca.desk.web._labels import ENCOUNTERS, SHORT_RESULTS, STATUSES, label
from stca.desk.web._render import render, translate
from stca.desk.web._router import router

RESULT_ORDER = ("BARRED", "NOT_BARRED", "NOT_APPLICABLE", "NOT_DETERMINED")
RESULT_COLORS = {
    "BARRED": "#af3c43",
    "NOT_BARRED": "#1f6b3a",
    "NOT_APPLICABLE": "#5c6670",
    "NOT_DETERMINED": "#d39e00",
}
TREND_MONTHLY = N_("Cases per month by result")
TREND_YEARLY = N_("Cases per year by result")
NOT_DETERMINED = N_("Not determined")
#: The downloadable tables: name → dimensions.
EXPORTS: dict[str, list[str]] = {
    "month-province-result": ["month", "province", "encounter_type", "stca_result"],
    "provision": ["year", "deciding_provision"],
}


def _rows(frame: Any) -> list[dict[str, Any]]:
    return list(frame.iter_rows(named=True))


def _cell(rows: list[dict[str, Any]]) -> int | str:
    """The number a table shows for the sum of ``rows``: a suppressed part hides the sum too
    (``<5`` for one small cell, ``x`` otherwise; ``services.aggregate_counts`` says why)."""
    if any(r["count"] is None for r in rows):
        return str(rows[0]["shown"]) if len(rows) == 1 else services.COMPLEMENTARY
    return sum(int(r["count"]) for r in rows)


def _plotted(value: int | str) -> int:
    """A chart's value: a hidden count is drawn as 0 (the table beside it says it is hidden)."""
    return value if isinstance(value, int) else 0


@router.get("/analyst", include_in_schema=False)
async def analyst(request: Request, user: AnalystUser, db: SessionDep) -> Response:
    """Aggregates only: no claimant, relative, reference or id appears on this page."""
    lang = _session.language(request)
    total = _cell(_rows(services.aggregate_counts(db, [])))
    by_month_result = _rows(services.aggregate_counts(db, ["month", "stca_result"]))
    by_province = _rows(services.aggregate_counts(db, ["province", "stca_result"]))
    by_encounter = _rows(services.aggregate_counts(db, ["encounter_type", "stca_result"]))
    by_provision = _rows(services.aggregate_counts(db, ["deciding_provision"]))
    by_status = _rows(services.aggregate_counts(db, ["status"]))
    periods, period_of = _periods(sorted({r["month"] for r in by_month_result}))
    results = [r for r in RESULT_ORDER if any(x["stca_result"] == r for x in by_month_result)]
    month_cells = [
        [_cell([x for x in by_month_result if period_of(x["month"]) == p and x["stca_result"] == res])
         for res in results]
        for p in periods
    ]
    series = [
        Series(
            translate(lang, label(SHORT_RESULTS, res) if res in SHORT_RESULTS else NOT_DETERMINED),
            [_plotted(row[j]) for row in month_cells],
            RESULT_COLORS[res],
        )
        for j, res in enumerate(results)
    ]
    monthly = len(periods) > 0 and len(periods[0]) == 7
    trend_title = translate(lang, TREND_MONTHLY if monthly else TREND_YEARLY)
    trend = (line_chart if monthly else bar_chart)(trend_title, periods, series)
    provinces = sorted({r["province"] for r in by_province})
    province_series = [
        Series(
            s.name,
            [
                _plotted(_cell([x for x in by_province if x["province"] == p and x["stca_result"] == res]))
                for p in provinces
            ],
            s.color,
        )
        for s, res in zip(series, results, strict=True)
    ]
    return render(
        request,
        "analyst.html",
        {
            **_session.page_context(request, user),
            "total": total,
            "trend": trend,
            "trend_title": trend_title,
            "trend_legend": legend(series),
            "province_chart": bar_chart(
                translate(lang, "Cases by province and result"), provinces, province_series
            ),
            "month_table": list(zip(periods, month_cells, strict=True)),
            "series": series,
            "by_province": _pivot(by_province, "province", results),
            "by_encounter": [
                (translate(lang, label(ENCOUNTERS, k)), v)
                for k, v in _pivot(by_encounter, "encounter_type", results)
            ],
            "results": results,
            "by_provision": sorted(by_provision, key=lambda r: -(r["count"] or 0)),
            "by_status": [(translate(lang, label(STATUSES, r["status"])), _cell([r])) for r in by_status],
            "exports": EXPORTS,
            "override_provision": services.OVERRIDE_PROVISION,
        },
    )


def _periods(months: list[str]) -> tuple[list[str], Any]:
    """Every month from the first to the last (gaps shown as zero), or years when that spans > 3 years."""
    if not months:
        return [], lambda month: month
    first_year, first_month = (int(x) for x in months[0].split("-"))
    last_year, last_month = (int(x) for x in months[-1].split("-"))
    span = (last_year - first_year) * 12 + last_month - first_month + 1
    if span > 36:
        return [str(y) for y in range(first_year, last_year + 1)], lambda month: month[:4]
    every = [
        f"{first_year + (first_month - 1 + i) // 12}-{(first_month - 1 + i) % 12 + 1:02d}"
        for i in range(span)
    ]
    return every, lambda month: month


def _pivot(rows: list[dict[str, Any]], key: str, results: list[str]) -> list[tuple[str, list[int | str]]]:
    keys = sorted({r[key] for r in rows})
    return [
        (k, [_cell([r for r in rows if r[key] == k and r["stca_result"] == res]) for res in results])
        for k in keys
    ]


@router.get("/analyst/export/{name}.{fmt}", include_in_schema=False)
async def export(name: str, fmt: str, user: AnalystUser, db: SessionDep) -> Response:
    """Download one aggregate table as CSV or Parquet (same audience as the page)."""
    if name not in EXPORTS or fmt not in ("csv", "parquet"):
        return Response("unknown export", status_code=404)
    body = services.export_aggregates(db, EXPORTS[name], fmt)
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/vnd.apache.parquet"
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="stca-{name}.{fmt}"'}
    )
