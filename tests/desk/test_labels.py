"""Labels shown on the desk's pages come in the page's language."""

from __future__ import annotations

from stca.desk.web._labels import uncertain_text


def test_uncertain_points_are_described_in_the_page_language() -> None:
    en, fr = uncertain_text("CA-DAY-14", "en"), uncertain_text("CA-DAY-14", "fr")
    assert "14" in en and "14" in fr and en != fr
    assert fr.startswith("Délai canadien")
    assert uncertain_text("NO-SUCH-POINT", "fr") == ""
