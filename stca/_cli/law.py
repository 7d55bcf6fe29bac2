"""``stca check`` (contract.md §2) and ``stca law`` (the rules on a date, and what changed)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from stca._cli._common import fail

LANGS = ("en", "fr")


def _read_json(path: Path | None) -> Any:
    try:
        text = path.read_text(encoding="utf-8") if path and str(path) != "-" else sys.stdin.read()
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")
    if not text.strip():
        fail("input: expected a JSON object (one case) or array (many cases), got nothing")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        fail(f"input: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
    except RecursionError:
        fail("input: JSON nested too deeply (expected an object of facts or an array of them)")


def _switches(values: list[str] | None) -> Any:
    from stca.law import Switches, parse_switch

    if not values:
        return None
    chosen: dict[str, bool] = {}
    for v in values:
        try:
            name, value = parse_switch(v)
        except ValueError as exc:
            fail(f"--switch: {exc}")
        chosen[name] = value
    return Switches(**chosen)


def check(
    file: Annotated[Path | None, typer.Argument(help="JSON file of facts; standard input if omitted or '-'.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of explanations and reasons: en or fr.")] = "en",
    policy: Annotated[str, typer.Option("--policy", help="law (default), no-agreement, pre-protocol, "
                                        "whole-border, suspended, or window-days=N.")] = "law",
    switch: Annotated[list[str] | None, typer.Option("--switch", help="Read an UNCERTAIN point another way, "
                                                     "e.g. --switch us_day_14_covered=false (see stca law "
                                                     "--uncertain).")] = None,
    pretty: Annotated[bool, typer.Option("--pretty/--compact", help="Indent the JSON output.")] = False,
    could_change: Annotated[bool, typer.Option("--could-change", help="Also list, under could_change, the facts "
                                               "left at their default that would change stca_result if "
                                               "established otherwise, with the provision that would then "
                                               "decide (replays each case ~30 times).")] = False,
) -> None:
    """Decide one case (a JSON object) or many (a JSON array) under the STCA rules on their dates.

    Keys are the facts of docs/facts.md (also printed by `stca law --facts-markdown`); anything missing or
    null takes its default, and --could-change lists the defaults that would change the result. Output is one
    JSON object per case (an array for an array) with stca_result, deciding_provision, path,
    other_ineligibility, covid_direct_back, uncertain, explanation and law_version.

    Examples:

      echo '{"entry_local_date": "2024-05-01", "claim_local_date": "2024-05-01"}' | stca check

      stca check case.json --lang fr --policy pre-protocol
    """
    from stca.law import FactsError, PolicyError, determine, parse_facts, parse_policy

    if lang not in LANGS:
        fail(f"--lang: expected en or fr, got {lang!r}")
    try:
        pol = parse_policy(policy)
    except PolicyError as exc:
        fail(f"--policy: {exc}")
    sw = _switches(switch)
    data = _read_json(file)
    many = isinstance(data, list)
    cases = data if many else [data]
    facts = []
    for i, case in enumerate(cases):
        try:
            facts.append(parse_facts(case))
        except RecursionError:
            fail(f"{f'case [{i}] ' if many else ''}input: nested too deeply to be facts")
        except FactsError as exc:
            where = f"case [{i}] " if many else ""
            fail("\n".join(f"{where}{p.describe(lang)}" for p in exc.problems))
    import orjson  # 5-10x faster than json.dumps for these documents (measured in benchmarks/)

    out = [determine(f, policy=pol, switches=sw).to_dict(lang, could_change=could_change) for f in facts]
    doc = out if many else out[0]
    sys.stdout.buffer.write(orjson.dumps(doc, option=orjson.OPT_INDENT_2 if pretty else 0))
    sys.stdout.buffer.write(b"\n")


def _parse_date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: expected a date as YYYY-MM-DD, got {value!r}")


_STAGES = {"en": {"scope": "Scope (modes set before the decision)", "decide": "Decision (first rule met decides)",
                  "parallel": "Parallel grounds of ineligibility", "overlay": "Overlay"},
           "fr": {"scope": "Portée (modes établis avant la décision)",
                  "decide": "Décision (la première règle remplie décide)",
                  "parallel": "Autres motifs d'irrecevabilité", "overlay": "Superposition"}}


def _reference(country: str | None, lang: str) -> str:
    """Every rule as Markdown: id, citation, title, outcome, in-force window, facts read, UNCERTAIN, sources."""
    from stca import law as L

    fr = lang == "fr"
    dated = L.parse_policy("law").params.dated()

    def when(key: str | None, instant: bool = False) -> str:
        if not key:
            return "…"
        value = dated[key].value
        return value.strftime("%Y-%m-%d %H:%M:%S UTC") if instant else value.date().isoformat()

    def window(w: Any) -> str:
        instant = w.on.value == "entry_instant"
        text = f"{w.on.value}: {when(w.start, instant)} → {when(w.end, instant)}"
        if w.or_claim_switch:
            text += f" (or claim_local_date ≥ {when(w.start)} with --switch {w.or_claim_switch}=true)"
        return text

    head = ("# Règles appliquées par stca" if fr else "# The rules stca applies") + "\n\n" + (
        "Générée par `stca law --markdown --lang fr` à partir du recueil de règles ; chaque règle porte sa "
        "citation et ses dates d'entrée en vigueur (date de la demande, de l'entrée ou de la décision)."
        if fr else
        "Generated by `stca law --markdown` from the rule book itself; every rule carries its citation and "
        "the dates it is in force (on the claim, entry or determination date, as the rule says).") + "\n"
    parts = [head]
    names = {"CA": ("Canada — demandes faites au Canada" if fr else "Canada — claims made in Canada"),
             "US": ("États-Unis — demandes faites aux États-Unis" if fr else "United States — claims made in the US")}
    cols = ("règle", "citation", "titre", "résultat", "en vigueur", "faits lus", "incertain", "sources") if fr else (
        "rule", "citation", "title", "outcome", "in force", "facts read", "UNCERTAIN", "sources")
    for ctry, book in L.BOOKS.items():
        if country and ctry != country:
            continue
        parts.append(f"\n## {names[ctry]}\n")
        for stage in ("scope", "decide", "parallel", "overlay"):
            rules = getattr(book, stage)
            if not rules:
                continue
            parts.append(f"\n### {_STAGES[lang][stage]}\n\n| " + " | ".join(cols) + " |\n|"
                         + "---|" * len(cols) + "\n")
            for r in rules:
                span = "; ".join(window(w) for w in r.in_force) or "—"
                cells = (r.id, r.citation, r.title.get(lang), r.outcome.value if r.outcome else "—", span,
                         ", ".join(r.reads) or "—", ", ".join(f.point for f in r.flags) or "—",
                         ", ".join(r.sources) or "—")
                parts.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |\n")
            parts.append("\n" + ("Conditions (sur les faits ; « switch » : une lecture d'un point INCERTAIN) :" if fr
                                 else "Conditions (over the facts; “switch”: a reading of an UNCERTAIN point):")
                         + "\n\n")
            for r in rules:
                parts.append(f"- **{r.id}** — {r.condition()}\n")
    cited = sorted({sid for book in L.BOOKS.values() for r in book.rules for sid in r.sources})
    parts.append("\n## " + ("Sources citées" if fr else "Sources cited") + "\n\n")
    for sid in cited:
        src = L.SOURCES[sid]
        parts.append(f"- **{sid}** ({src.tier}) <{src.url}> — {src.supports}\n")
    return "".join(parts)


def law(
    date: Annotated[str | None, typer.Option("--date", help="Rules in force on this date (YYYY-MM-DD).")] = None,
    diff: Annotated[tuple[str, str] | None, typer.Option("--diff", help="Show what changed between two dates.")] = None,
    country: Annotated[str | None, typer.Option("--country", help="CA or US (default: both).")] = None,
    policy: Annotated[str, typer.Option("--policy", help="Policy variant (see stca check --help).")] = "law",
    uncertain: Annotated[bool, typer.Option("--uncertain", help="List every UNCERTAIN point and its switch.")] = False,
    rule: Annotated[str | None, typer.Option("--rule", help="Show one rule in full, e.g. CA-R06a.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="en or fr.")] = "en",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print every rule of the rule book as a Markdown "
                                           "reference (docs/rules.md is this output).")] = False,
    facts_markdown: Annotated[bool, typer.Option("--facts-markdown", help="Print every fact stca reads (value, "
                                                 "default, meaning, rules that read it) as a Markdown reference "
                                                 "(docs/facts.md is this output).")] = False,
) -> None:
    """Read the law as data: the rules in force on a date, what changed between two dates, UNCERTAIN points.

    Examples:

      stca law --date 2023-03-25

      stca law --diff 2023-03-24 2023-03-26

      stca law --uncertain

      stca law --rule CA-S2 --lang fr

      stca law --markdown --lang fr > rules.fr.md

      stca law --facts-markdown > facts.md
    """
    from rich.console import Console
    from rich.table import Table

    from stca import law as L

    if lang not in LANGS:
        fail(f"--lang: expected en or fr, got {lang!r}")
    if country is not None and country.upper() not in ("CA", "US"):
        fail(f"--country: expected CA or US, got {country!r}")
    ctry = country.upper() if country else None
    try:
        L.parse_policy(policy)
    except L.PolicyError as exc:
        fail(f"--policy: {exc}")
    console = Console()
    if facts_markdown:
        from stca.law import facts_markdown as reference

        print(reference(lang), end="")
        return
    if markdown:
        print(_reference(ctry, lang), end="")
        return
    if uncertain:
        if as_json:
            rows = [{"id": p.id, "law_md": p.section, "point": p.describe(lang), "reading": p.reading,
                     "switch": p.switch, "default": getattr(L.DEFAULT_SWITCHES, p.switch) if p.switch else None,
                     "sources": list(p.sources)} for p in L.POINTS]
            print(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        t = Table("id", "law.md", "point", "reading applied", "switch (default)", "sources", title="UNCERTAIN points")
        for p in L.POINTS:
            t.add_row(p.id, p.section, p.describe(lang), p.reading,
                      f"{p.switch} ({getattr(L.DEFAULT_SWITCHES, p.switch)})" if p.switch else "—",
                      ", ".join(p.sources) or "—")
        console.print(t)
        return
    if rule is not None:
        found = L.RULES_BY_ID.get(rule)
        if found is None:
            fail(f"--rule: unknown rule {rule!r}; e.g. {', '.join(list(L.RULES_BY_ID)[:6])}, …")
        r = found
        info = {"rule": r.id, "country": r.country, "stage": r.stage.value, "citation": r.citation,
                "title": r.title.get(lang), "when_met": r.met.get(lang), "when_not_met": r.not_met.get(lang),
                "condition": r.condition(), "reads": list(r.reads), "outcome": r.outcome.value if r.outcome else None,
                "in_force": [{"on": w.on.value, "from": w.start, "until": w.end} for w in r.in_force],
                "uncertain": [f.point for f in r.flags],
                "sources": [{"id": sid, "tier": L.SOURCES[sid].tier, "url": L.SOURCES[sid].url,
                             "supports": L.SOURCES[sid].supports} for sid in r.sources]}
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return
    if diff is not None:
        d1, d2 = _parse_date(diff[0], "--diff"), _parse_date(diff[1], "--diff")
        changes = L.diff(d1, d2, policy, ctry)
        if as_json:
            print(json.dumps({"from": d1.isoformat(), "to": d2.isoformat(),
                              "added": [x.as_dict(lang) for x in changes.added],
                              "removed": [x.as_dict(lang) for x in changes.removed]}, ensure_ascii=False, indent=2))
            return
        t = Table("change", "rule", "citation", "title", "in force", title=f"Changes {d1} → {d2} ({policy})")
        for label, items in (("+ in force", changes.added), ("− ended", changes.removed)):
            for x in items:
                t.add_row(label, x.rule.id, x.rule.citation, x.rule.title.get(lang),
                          f"{x.start or '…'} → {x.end or '…'}")
        if not changes.added and not changes.removed:
            console.print(f"No rule came into or went out of force between {d1} and {d2}.")
            return
        console.print(t)
        return
    on = _parse_date(date, "--date") if date else dt.datetime.now(dt.UTC).date()
    rules = L.rules_on(on, policy, ctry)
    if as_json:
        print(json.dumps([x.as_dict(lang) for x in rules], ensure_ascii=False, indent=2))
        return
    t = Table("rule", "stage", "citation", "title", "in force", title=f"STCA rules in force on {on} ({policy})")
    for x in rules:
        t.add_row(x.rule.id, x.rule.stage.value, x.rule.citation, x.rule.title.get(lang),
                  f"{x.start or '…'} → {x.end or '…'}")
    console.print(t)


def register(app: typer.Typer) -> None:
    """Add ``check`` and ``law`` to the main app."""
    app.command("check")(check)
    app.command("law")(law)
