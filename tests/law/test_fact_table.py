"""One declaration of the facts (issue 10 part 1), and what is derived from it."""

from __future__ import annotations

import subprocess

from stca.law import ALL_RULES, FACT_TABLE, MEMBER_TABLE, fact_questions, facts_json_schema, facts_markdown
from stca.law.frame import FACT_COLUMNS, MEMBER_STRUCT
from tests.conftest import ROOT, stca_bin


def test_the_facts_reference_in_docs_is_current() -> None:
    for lang, name in (("en", "facts.md"), ("fr", "facts.fr.md")):
        assert (ROOT / "docs" / name).read_text(encoding="utf-8") == facts_markdown(lang), (
            f"regenerate: stca law --facts-markdown --lang {lang} > docs/{name}")
    printed = subprocess.run([*stca_bin(), "law", "--facts-markdown", "--lang", "fr"], capture_output=True,
                             text=True, timeout=60)
    assert printed.returncode == 0 and printed.stdout == facts_markdown("fr")


def test_every_fact_is_described_in_both_languages_and_every_read_is_a_fact() -> None:
    for spec in (*FACT_TABLE, *MEMBER_TABLE):
        assert spec.meaning("en") and spec.meaning("fr") and spec.meaning("en") != spec.meaning("fr"), spec.name
    names = {s.name for s in FACT_TABLE}
    assert {f for rule in ALL_RULES for f in rule.reads} <= names


def test_schemas_are_derived_from_the_table() -> None:
    assert list(FACT_COLUMNS) == [s.name for s in FACT_TABLE]
    assert list(MEMBER_STRUCT.to_schema()) == [s.name for s in MEMBER_TABLE]
    schema = facts_json_schema()
    assert list(schema["properties"]) == [s.name for s in FACT_TABLE] and schema["additionalProperties"] is False
    assert schema["properties"]["us_forum"]["x-description-fr"].startswith("Qui applique")
    member = schema["properties"]["family_members"]["anyOf"][0]["items"]
    assert member["required"] == ["relationship"]
    questions = {q["key"]: q for q in fact_questions("fr")}
    assert questions["age_years"]["maximum"] == 130 and questions["age_years"]["unit"] == "years"
    assert [f["key"] for f in questions["family_members"]["fields"]] == [s.name for s in MEMBER_TABLE]
    assert questions["death_penalty"]["countries"] == ["CA"]
