"""Every point law.md marks UNCERTAIN, as named data; the ones that can change an outcome are switches.

A switch has a default — the reading law.md recommends — and an alternative a user may choose
(``--switch NAME=VALUE`` on the command line, ``switches=`` in the API). Results list, in
``uncertain``, the ids of the points they actually relied on, so a reader knows which answers would
move if the point were settled the other way. Informational points (no alternative reading changes
an outcome the engine computes) are listed by ``stca law --uncertain`` and in the docs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pydantic import BaseModel, ConfigDict


@dataclass(frozen=True)
class UncertainPoint:
    """One UNCERTAIN point: id, where law.md discusses it, the reading applied, and its switch if any."""

    id: str
    section: str
    description: str
    reading: str
    switch: str | None = None
    description_fr: str = ""
    #: ids of sources.md that bear on the reading (``SOURCES``); empty where law.md gives none.
    sources: tuple[str, ...] = ()

    def describe(self, lang: str = "en") -> str:
        """The point in ``lang`` ("en" or "fr")."""
        return self.description_fr if lang == "fr" and self.description_fr else self.description


POINTS: tuple[UncertainPoint, ...] = (
    UncertainPoint("CA-BURDEN-100-4", "§1.1", "Date IRPA 100(4) was renumbered 100(1.1)",
                   "no effect: the claimant bears the burden in every period"),
    UncertainPoint("CA-SOR-2004-217-DATES", "§1.2", "Registration/publication dates of SOR/2004-217",
                   "in force 2004-12-29 with the Agreement"),
    UncertainPoint("CA-FAMILY-STEP-HALF", "§1.2 159.1", "Step-parents and half-siblings as 'family members'",
                   "half-siblings entered as BROTHER/SISTER qualify (Wangden); step-relatives as OTHER do not"),
    UncertainPoint("CA-FHR-NOT-STATELESS", "§5 CA-R04",
                   "A national whose former habitual residence is the US (IRPA 101(1)(e) literal text)",
                   "covered by the STCA (guidance limits 159.2 to stateless persons)", "fhr_non_stateless_covered"),
    UncertainPoint("CA-WATERS", "§1.3", "Waters covered by 159.4(1.1) (diplomatic notes not retrieved); "
                   "coastal landings not along the land border",
                   "OTHER_NON_POE is outside 159.4(1.1): IRPR 159.4(1)(a) non-application",
                   "other_non_poe_as_between_ports"),
    UncertainPoint("CA-BRIDGE-BYPASS", "§1.3", "Bypassing a POE on a bridge/tunnel counts as between POEs",
                   "classify such entries as BETWEEN_POES_LAND"),
    UncertainPoint("CA-DAY-14", "§1.3, §7.1", "Canada's 14-day count: 'less than 14 days after the day of entry' "
                   "(d ≤ 13) vs the Protocol's 'within 14 days' (d ≤ 14)",
                   "the regulation governs: d = 14 is not covered", "ca_day_14_covered"),
    UncertainPoint("CA-CIVIL-DATE-ZONE", "§1.3", "Time zone of the civil dates when entry and claim are in "
                   "different zones", "entry date local to the place of entry, claim date local to the place of claim"),
    UncertainPoint("CA-PROTOCOL-TRANSITION", "§1.3, §9 A3", "Entry between POEs before 2023-03-25 00:01 EDT and "
                   "claim after it (SOR/2023-58 has no visible transitional clause)",
                   "follow the Protocol: the crossing instant governs, so the claim is not covered (the Government "
                   "of Canada said the new rules applied to everyone who crossed after 00:01 EDT on 25 March 2023)",
                   "protocol_by_claim_date", sources=("S-CANADA-STCA-2023", "S-SOR2023-58", "S-IRPR-XML")),
    UncertainPoint("CA-PROTOCOL-WESTERN-ZONES", "§1.3", "Crossings late on 24 March 2023 local time in "
                   "Central/Mountain/Pacific zones can fall after the Protocol instant",
                   "follow the instant 2023-03-25T04:01Z"),
    UncertainPoint("CA-INLAND-AFTER-POE", "§5 CA-R05f", "Inland claim after ordinary admission at a land POE",
                   "IRPR 159.4(1)(a) non-application per IRCC practice", "inland_after_poe_covered"),
    UncertainPoint("CA-159.5C-RAD", "§1.5 CA-FAM-CLM", "Relative's claim rejected by the RPD with an appeal "
                   "pending at the RAD", "'rejected' disqualifies under 159.5(c)(iii)", "rad_pending_qualifies"),
    UncertainPoint("CA-MAINTAINED-STATUS", "§1.5 CA-FAM-PERMIT", "Relative on maintained status after a "
                   "permit expired", "does not qualify: record permit_valid = false"),
    UncertainPoint("CA-PERMITS-AS-DOCUMENTS", "§1.5 CA-DOC", "Valid Canadian work/study permit as a 159.5(f) "
                   "document (in guidance, not in the regulation)",
                   "accepted (fact policy_accept_permits_as_documents, default true)", "accept_permits_as_documents"),
    UncertainPoint("CA-VISA-DATES", "§1.5 CA-VISA", "Dates of visa requirements (e.g. Mexico) for 159.5(g)",
                   "driven by the visa_required_* facts"),
    UncertainPoint("CA-TSR-WORDING", "§1.2 159.6(c)", "Exact wording of former 159.6(c) (moratorium exception)",
                   "2004-12-29..2009-07-22, national of a TSR country, not within IRPR 230(3)"),
    UncertainPoint("CA-DANGER-PUBLIC", "§1.2 159.6", "'Danger to the public' carve-out in old guidance",
                   "not applied; 101(1)(f) reported as a parallel ground"),
    UncertainPoint("CA-FC-2007-STAY", "§1.7", "Whether 2007 FC 1262 was stayed until 2008 FCA 229",
                   "treat the STCA as operative throughout", "fc_2007_suspends"),
    UncertainPoint("CA-C12-TRANSITION", "§1.1", "Transitional provisions of S.C. 2026, c. 4 (not read)",
                   "(b.1)/(b.2) apply to claims made on or after 2025-06-03 decided on or after 2026-03-26"),
    UncertainPoint("CA-COVID-ORDERS", "§1.6", "Which COVID-19 order version exempted whom on each date; "
                   "exact end time; SOR/2020-55 mechanism", "direct-back of between-POE entrants "
                   "2020-03-21 00:00:01 EDT to 2021-11-21 (local date)"),
    UncertainPoint("CA-SCC-S15", "§1.7", "Outcome of the s. 15 proceeding remitted by 2023 SCC 17",
                   "no effect on eligibility"),
    UncertainPoint("US-STATUTE", "§0", "Wording of INA 208(a)(2)(A) not retrieved", "regulations applied"),
    UncertainPoint("US-DAY-14", "§2.1", "US 14-day count: 'within 14 days after such crossing'",
                   "d ≤ 14 is covered", "us_day_14_covered"),
    UncertainPoint("US-LAWFUL-STATUS", "§2.2 (iii)(B)", "US citizens and LPRs as 'other lawful status' (inference)",
                   "they qualify"),
    UncertainPoint("US-TPS-PAROLE", "§2.2 (iii)(B), §9 A2", "TPS, parole, DACA as 'other lawful status'",
                   "they qualify: for TPS the reading is supported (a summary of the USCIS threshold-screening "
                   "lesson plan of 2013 treats TPS as other lawful status and accepts credible testimony as proof "
                   "of the relationship); it stays uncertain for parole and DACA, which TPS_OR_PAROLE also covers",
                   "us_tps_parole_lawful", sources=("S-AGREEMENT-DEFS", "S-SOP", "S-ECFR-208.30-2023")),
    UncertainPoint("US-TRANSIT-ART6", "§2.2 (iii)", "Agreement Art. 6 discretion for aliens in transit",
                   "not modelled: no exception for in-transit aliens"),
    UncertainPoint("US-1208.30", "§2.2", "Current DOJ mirror provision 8 CFR 1208.30(e)(6)", "no effect"),
    UncertainPoint("US-APA-2023", "§2.1", "APA exemption invoked for 88 FR 18227", "no effect"),
    UncertainPoint("US-CONSULT-2024", "§2.2", "Instrument/date of the 2024 consultation change", "procedure only"),
    UncertainPoint("US-INLAND-AFTER-POE", "§6 US-R03", "Claim made after admission at a land POE (not at entry)",
                   "covered, as US-R03 reads 'LAND_POE arrival'"),
)

#: law.md's UNCERTAIN points in French, for explanations given in French.
_FRENCH = {
    'CA-BURDEN-100-4': 'Date de la renumérotation du paragraphe 100(4) de la LIPR en 100(1.1)',
    'CA-SOR-2004-217-DATES': "Dates d'enregistrement et de publication du DORS/2004-217",
    'CA-FAMILY-STEP-HALF': 'Beaux-parents et demi-frères ou demi-sœurs comme « membres de la famille »',
    'CA-FHR-NOT-STATELESS': (
        "Ressortissant dont l'ancienne résidence habituelle est aux États-Unis (texte littéral de l'alinéa "
        '101(1)e) de la LIPR)'
    ),
    'CA-WATERS': (
        'Eaux visées par le paragraphe 159.4(1.1) (notes diplomatiques non consultées) ; débarquements '
        'côtiers hors de la frontière terrestre'
    ),
    'CA-BRIDGE-BYPASS': (
        "Contourner un point d'entrée sur un pont ou dans un tunnel compte comme une entrée entre les points "
        "d'entrée"
    ),
    'CA-DAY-14': (
        "Délai canadien de 14 jours : « moins de 14 jours après le jour de l'entrée » (d ≤ 13) ou « dans les "
        '14 jours » du Protocole (d ≤ 14)'
    ),
    'CA-CIVIL-DATE-ZONE': (
        "Fuseau horaire des dates civiles lorsque l'entrée et la demande ont lieu dans des fuseaux différents"
    ),
    'CA-PROTOCOL-TRANSITION': (
        "Entrée entre les points d'entrée avant le 25 mars 2023 à 0 h 01 HAE et demande après (le "
        'DORS/2023-58 ne prévoit pas de disposition transitoire visible)'
    ),
    'CA-PROTOCOL-WESTERN-ZONES': (
        'Passages tard le 24 mars 2023, heure locale des fuseaux du Centre, des Rocheuses ou du Pacifique, '
        "pouvant tomber après l'instant d'entrée en vigueur du Protocole"
    ),
    'CA-INLAND-AFTER-POE': (
        "Demande faite à l'intérieur du pays après une admission ordinaire à un point d'entrée terrestre"
    ),
    'CA-159.5C-RAD': "Demande d'un membre de la famille rejetée par la SPR, avec un appel pendant devant la SAR",
    'CA-MAINTAINED-STATUS': "Membre de la famille en statut maintenu après l'expiration de son permis",
    'CA-PERMITS-AS-DOCUMENTS': (
        "Permis de travail ou d'études canadien valide comme document de l'alinéa 159.5f) (prévu par les "
        'lignes directrices, pas par le règlement)'
    ),
    'CA-VISA-DATES': "Dates des obligations de visa (p. ex. le Mexique) pour l'alinéa 159.5g)",
    'CA-TSR-WORDING': "Libellé exact de l'ancien alinéa 159.6c) (exception liée au moratoire)",
    'CA-DANGER-PUBLIC': 'Exclusion « danger pour le public » des anciennes lignes directrices',
    'CA-FC-2007-STAY': "La décision 2007 CF 1262 a-t-elle été suspendue jusqu'à l'arrêt 2008 CAF 229",
    'CA-C12-TRANSITION': 'Dispositions transitoires de L.C. 2026, ch. 4 (non consultées)',
    'CA-COVID-ORDERS': (
        'Quelle version des décrets liés à la COVID-19 exemptait qui à chaque date ; heure exacte de fin ; '
        'mécanisme du DORS/2020-55'
    ),
    'CA-SCC-S15': "Issue de la contestation fondée sur l'article 15 renvoyée par l'arrêt 2023 CSC 17",
    'US-STATUTE': "Libellé de l'INA 208(a)(2)(A) non consulté",
    'US-DAY-14': 'Délai américain de 14 jours : « within 14 days after such crossing »',
    'US-LAWFUL-STATUS': 'Citoyens américains et résidents permanents légaux comme « autre statut légal » (déduction)',
    'US-TPS-PAROLE': 'TPS, libération conditionnelle (parole) et DACA comme « autre statut légal »',
    'US-TRANSIT-ART6': "Pouvoir discrétionnaire de l'article 6 de l'Entente pour les étrangers en transit",
    'US-1208.30': 'Disposition miroir actuelle du DOJ, 8 CFR 1208.30(e)(6)',
    'US-APA-2023': "Exemption de l'APA invoquée pour 88 FR 18227",
    'US-CONSULT-2024': 'Instrument et date de la modification de 2024 relative à la consultation',
    'US-INLAND-AFTER-POE': "Demande faite après une admission à un point d'entrée terrestre (pas à l'entrée)",
}
POINTS = tuple(replace(p, description_fr=_FRENCH[p.id]) for p in POINTS)

POINTS_BY_ID = {p.id: p for p in POINTS}


class Switches(BaseModel):
    """Configurable readings of UNCERTAIN points; defaults are the readings law.md recommends."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fhr_non_stateless_covered: bool = True
    other_non_poe_as_between_ports: bool = False
    ca_day_14_covered: bool = False
    protocol_by_claim_date: bool = False
    inland_after_poe_covered: bool = False
    rad_pending_qualifies: bool = False
    accept_permits_as_documents: bool = True
    fc_2007_suspends: bool = False
    us_day_14_covered: bool = True
    us_tps_parole_lawful: bool = True


DEFAULT_SWITCHES = Switches()


def parse_switch(text: str) -> tuple[str, bool]:
    """Parse ``name=true|false`` as given on the command line.

    Raises:
        ValueError: unknown switch or value; the message lists the valid switches.
    """
    name, sep, value = text.partition("=")
    name = name.strip().replace("-", "_")
    if name not in Switches.model_fields:
        raise ValueError(f"unknown switch {name!r}; switches: {', '.join(Switches.model_fields)}")
    lowered = value.strip().lower()
    if not sep or lowered not in ("true", "false", "1", "0", "yes", "no"):
        raise ValueError(f"switch {name} needs =true or =false")
    return name, lowered in ("true", "1", "yes")
