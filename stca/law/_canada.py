"""Claims made in Canada by persons coming from the United States (law.md §1 and §5).

Order matters: DECIDE rules are consulted in this order and the first one met decides
``stca_result`` (law.md §5 "apply in order; first decisive rule wins").
"""

from __future__ import annotations

from typing import Any

from stca.law._enums import (
    CaStatus as S,
)
from stca.law._enums import (
    ClaimState as CS,
)
from stca.law._enums import (
    DeathPenalty as DP,
)
from stca.law._enums import (
    EntryPlace as P,
)
from stca.law._enums import (
    Marital,
    Result,
    code,
)
from stca.law._enums import (
    PriorCanadianClaim as PC,
)
from stca.law._enums import (
    Relationship as R,
)
from stca.law._expr import CASE, Expr, SymbolicCase, SymbolicMember, named
from stca.law._rule import Field, Flag, Rule, Stage, Text, Window

C = SymbolicCase
c = CASE  # rules below are conditions over the symbolic case (see _expr.py)

#: IRPR 159.1 "family member" — a closed list (cousins, in-laws, fiancé(e)s are not in it).
FAMILY_159_1 = named("the family members of IRPR 159.1", frozenset(
    code(r)
    for r in (R.SPOUSE, R.COMMON_LAW_PARTNER, R.LEGAL_GUARDIAN, R.CHILD, R.FATHER, R.MOTHER, R.BROTHER,
              R.SISTER, R.GRANDFATHER, R.GRANDMOTHER, R.GRANDCHILD, R.UNCLE, R.AUNT, R.NEPHEW, R.NIECE)
))
#: IRPR 159.5(e)(i),(iii): mother, father or legal guardian.
PARENTS = frozenset(code(r) for r in (R.FATHER, R.MOTHER, R.LEGAL_GUARDIAN))
#: IRPR 159.5(e)(ii): spouse or common-law partner.
PARTNERS = frozenset(code(r) for r in (R.SPOUSE, R.COMMON_LAW_PARTNER))
PERMITS = frozenset(code(s) for s in (S.WORK_PERMIT, S.STUDY_PERMIT))
PRIOR_101_1_C = frozenset(code(x) for x in (PC.INELIGIBLE_STCA, PC.INELIGIBLE_OTHER, PC.WITHDRAWN_ABANDONED))

LAND_POE, BETWEEN, AIRPORT, HARBOUR, OTHER = (code(p) for p in P)
FAMILY_READS = ("family_members", "age_years")  # age: a legal guardian counts for a minor only


# --- derived conditions shared by several rules (each cites where it comes from) ---------------------

def between_ports(c: C) -> Expr:
    """Entry along the land border away from a POE (IRPR 159.4(1)(a), (1.1)); switch CA-WATERS may add
    coastal/other non-POE landings."""
    return (c.place_orig == BETWEEN) | ((c.place_orig == OTHER) & c.sw.other_non_poe_as_between_ports)


def windowed(c: C) -> Expr:
    """A between-ports entry that IRPR 159.4(1.1)'s time limit can reach (none under policy whole-border)."""
    return between_ports(c) & c.NOT(c.whole_border)


def in_protocol_time(c: C) -> Expr:
    """Protocol para 1: persons who enter on or after its entry into force (instant), or — switch
    CA-PROTOCOL-TRANSITION — whose claim is made on or after that date."""
    return (c.instant >= c.p.sec["protocol"]) | (c.sw.protocol_by_claim_date & (c.claim_day >= c.p.day["protocol"]))


def ca_window(c: C) -> Expr:
    """IRPR 159.4(1.1) "less than 14 days after the day on which the claimant enters Canada"."""
    return c.where(c.sw.ca_day_14_covered, c.p.window_days_ca + 1, c.p.window_days_ca)


def relative_in_canada(c: C, m: SymbolicMember) -> Expr:
    """IRPR 159.1 family member physically in Canada on the claim date (law.md §1.5); a legal guardian
    counts only for a claimant under 18 (IRPR 159.1 "legal guardian", law.md §1.2)."""
    return (c.isin(m.rel, FAMILY_159_1) & (m.loc == code_loc_canada)
            & ((m.rel != GUARDIAN) | (m.claimant_age < 18)))


GUARDIAN = code(R.LEGAL_GUARDIAN)


code_loc_canada = 0  # Location.CANADA is the first member


def has_partner(c: C) -> Expr:
    """IRPR 159.5(e)(ii): has a spouse or common-law partner (declared or listed)."""
    return (c.marital != code(Marital.NONE)) | c.any_member(lambda m: c.isin(m.rel, PARTNERS))


def parent_in(c: C, declared: Expr, loc: int) -> Expr:
    """IRPR 159.5(e)(iii): a mother, father or legal guardian in Canada / the US (declared or listed)."""
    return declared | c.any_member(lambda m: c.isin(m.rel, PARENTS) & (m.loc == loc))


def _t(en: str, fr: str) -> Text:
    return Text(en, fr)


def _phrase(title: str) -> str:
    """A title inside a sentence: only its first letter lowered ("a Canadian citizen", "(IRPR 233)" kept)."""
    return title[:1].lower() + title[1:]


def _family(rule_id: str, cite: str, status: S, en: str, fr: str) -> Rule:
    st = code(status)
    return Rule(
        rule_id, "CA", Stage.DECIDE, cite, _t(en, fr),
        met=_t(f"A family member (IRPR 159.1) is in Canada and is {_phrase(en)}.",
               f"Un membre de la famille (RIPR 159.1) est au Canada et est {_phrase(fr)}."),
        not_met=_t(f"No family member in Canada is {_phrase(en)}.",
                   f"Aucun membre de la famille au Canada n'est {_phrase(fr)}."),
        when=c.any_member(lambda m: relative_in_canada(c, m) & (m.ca_status == st)),
        reads=FAMILY_READS, outcome=Result.NOT_BARRED, available=c.NOT(c.mode_transit),
        sources=("S-IRPR-XML",),
    )


def _document(rule_id: str, cite: str, docs: tuple[str, ...], en: str, fr: str) -> Rule:
    when = c.doc[docs[0]]
    for d in docs[1:]:
        when = when | c.doc[d]

    return Rule(
        rule_id, "CA", Stage.DECIDE, cite, _t(en, fr),
        met=_t(f"The claimant holds {en}.", f"Le demandeur détient {fr}."),
        not_met=_t(f"The claimant does not hold {en}.", f"Le demandeur ne détient pas {fr}."),
        when=when, reads=("documents_held",), outcome=Result.NOT_BARRED,
        available=c.NOT(c.mode_transit), sources=("S-IRPR-XML",),
    )


def _na(rule_id: str, cite: str, title: Text, met: Text, not_met: Text, when: Expr, reads: tuple[str, ...],
        **kw: Any) -> Rule:
    return Rule(rule_id, "CA", Stage.DECIDE, cite, title, met, not_met, when, reads,
                outcome=Result.NOT_APPLICABLE, **kw)


def _parallel(rule_id: str, cite: str, title: Text, met: Text, not_met: Text, when: Expr,
              reads: tuple[str, ...], **kw: Any) -> Rule:
    return Rule(rule_id, "CA", Stage.PARALLEL, cite, title, met, not_met, when, reads, **kw)


C12_WINDOWS = (Window(Field.CLAIM, start="c12_claims_from"), Window(Field.DETERMINATION, start="c12_law_from"))
C12_FLAG = Flag("CA-C12-TRANSITION", c.claim_day < c.p.day["c12_law_from"])

RULES: tuple[Rule, ...] = (
    # ---- scope: modes established before the decision (IRPR 159.4(2), 159.4(1.1)) ----
    Rule("CA-S1", "CA", Stage.SCOPE, "IRPR 159.4(2)",
         _t("In-transit removal from the US at an airport", "Renvoi en transit des États-Unis à un aéroport"),
         _t("The claimant was ordered removed from the US and is in transit through a Canadian airport: the "
            "Agreement applies and only IRPR 159.2 and 159.6 can help.",
            "Le demandeur, frappé d'une mesure de renvoi des États-Unis, transite par un aéroport canadien : "
            "l'Entente s'applique et seuls les articles 159.2 et 159.6 du RIPR peuvent l'aider."),
         _t("Not an in-transit removal.", "Pas un renvoi en transit."),
         when=(c.place == AIRPORT) & c.transit_us,
         reads=("entry_place", "in_transit_removal_from_us"), sets="transit"),
    Rule("CA-S2", "CA", Stage.SCOPE, "IRPR 159.4(1.1)",
         _t("Between ports of entry, claim within the window", "Entre les points d'entrée, demande dans le délai"),
         _t("The claimant entered along the land border away from a port of entry on or after 25 March 2023 "
            "and claimed {d} day(s) after the day of entry, less than {window} days: the Agreement applies "
            "unless an exception of IRPR 159.5(a)–(h) is established.",
            "Le demandeur est entré par la frontière terrestre hors d'un point d'entrée le 25 mars 2023 ou après "
            "et a fait sa demande {d} jour(s) après le jour de l'entrée, moins de {window} jours : l'Entente "
            "s'applique sauf si une exception de l'article 159.5(a) à (h) du RIPR est établie."),
         _t("Not a between-ports entry within the window of IRPR 159.4(1.1).",
            "Pas une entrée entre les points d'entrée dans le délai de l'article 159.4(1.1) du RIPR."),
         when=between_ports(c) & c.NOT(c.whole_border) & in_protocol_time(c)
         & (c.d >= 0) & (c.d < ca_window(c)),
         reads=("entry_place", "entry_instant", "entry_local_date", "claim_local_date"), sets="between",
         in_force=(Window(Field.INSTANT, start="protocol", or_claim_switch="protocol_by_claim_date"),),
         # Scope flags are evaluated for every case of the book, whether or not the rule applies: the
         # result relies on the reading either way (law.md §1.3).
         flags=(Flag("CA-DAY-14", windowed(c) & in_protocol_time(c) & (c.d == c.p.window_days_ca)),
                Flag("CA-PROTOCOL-TRANSITION", windowed(c) & (c.instant < c.p.sec["protocol"])
                     & (c.claim_day >= c.p.day["protocol"]) & (c.d < ca_window(c))),
                Flag("CA-PROTOCOL-WESTERN-ZONES", windowed(c) & (c.instant >= c.p.sec["protocol"])
                     & (c.entry_day < c.p.day["protocol"])),
                Flag("CA-WATERS", (c.place_orig == OTHER) & c.sw.other_non_poe_as_between_ports)),
         sources=("S-SOR2023-58", "S-PROTOCOL", "S-CANADA-STCA-2023")),
    # ---- CA-R01 in force ----
    _na("CA-R01", "IRPR 159.1–159.7 (in force 2004-12-29)",
        _t("Agreement in force", "Entrée en vigueur de l'Entente"),
        _t("The claim was made before the Agreement and IRPR 159.1–159.7 came into force on 29 December 2004.",
           "La demande a été faite avant l'entrée en vigueur de l'Entente et des articles 159.1 à 159.7 du RIPR "
           "le 29 décembre 2004."),
        _t("The Agreement was in force on the claim date.", "L'Entente était en vigueur à la date de la demande."),
        when=c.claim_day < c.p.day["agreement"], reads=("claim_local_date",),
        sources=("S-CCR-2006", "S-CIC-2009-NOTICE")),
    _na("CA-R01s", "IRPR 159.7",
        _t("Suspension of the Agreement", "Suspension de l'Entente"),
        _t("A notice suspending the Agreement is in effect, so IRPR 159.1–159.7 do not apply (IRPR 159.7).",
           "Un avis de suspension de l'Entente est en vigueur : les articles 159.1 à 159.7 du RIPR ne "
           "s'appliquent pas (RIPR 159.7)."),
        _t("No notice of suspension is in effect.", "Aucun avis de suspension n'est en vigueur."),
        when=c.suspended, reads=("agreement_suspended",)),
    _na("CA-R01j", "CCR v. Canada, 2007 FC 1262",
        _t("2007 Federal Court judgment", "Jugement de la Cour fédérale de 2007"),
        _t("Under the chosen reading, the 2007 Federal Court judgment suspended the regime until the 2008 "
           "Court of Appeal reversal.",
           "Selon la lecture choisie, le jugement de la Cour fédérale de 2007 a suspendu le régime jusqu'à "
           "l'arrêt de la Cour d'appel de 2008."),
        _t("The regime is treated as operative on the claim date.",
           "Le régime est considéré comme en vigueur à la date de la demande."),
        when=c.sw.fc_2007_suspends & (c.claim_day >= c.p.day["fc_2007_judgment"])
        & (c.claim_day < c.p.day["fca_2008_reversal"]),
        reads=("claim_local_date",),
        flags=(Flag("CA-FC-2007-STAY", (c.claim_day >= c.p.day["fc_2007_judgment"])
                    & (c.claim_day < c.p.day["fca_2008_reversal"])),),
        sources=("S-FC2007", "S-FCA2008")),
    # ---- CA-R02 came from the designated country ----
    _na("CA-R02", "IRPA 101(1)(e); IRPR 159.3",
        _t("Came from the United States", "Arrivée des États-Unis"),
        _t("The claimant did not come directly or indirectly to Canada from the United States, the designated "
           "country.",
           "Le demandeur n'est pas arrivé directement ou indirectement au Canada des États-Unis, le pays désigné."),
        _t("The claimant came from the United States, the designated country (IRPR 159.3).",
           "Le demandeur est arrivé des États-Unis, le pays désigné (RIPR 159.3)."),
        when=c.NOT(c.came_from), reads=("came_from_other_party",)),
    # ---- CA-R03 nationality ----
    _na("CA-R03", "IRPA 101(1)(e)",
        _t("Country of nationality", "Pays de nationalité"),
        _t("The claimant is a US national; IRPA 101(1)(e) excludes a country of the claimant's nationality.",
           "Le demandeur a la nationalité américaine ; l'alinéa 101(1)e) de la LIPR exclut le pays dont il a "
           "la nationalité."),
        _t("The claimant is not a US national.", "Le demandeur n'a pas la nationalité américaine."),
        when=c.nat_us, reads=("nationalities",)),
    # ---- CA-R04 stateless former habitual residence ----
    _na("CA-R04", "IRPR 159.2",
        _t("Stateless, former habitual residence in the US", "Apatride, ancienne résidence habituelle aux É.-U."),
        _t("The claimant is stateless and the United States is their country of former habitual residence.",
           "Le demandeur est apatride et les États-Unis sont son pays de résidence habituelle antérieure."),
        _t("IRPR 159.2 does not apply (not a stateless former habitual resident of the US).",
           "L'article 159.2 du RIPR ne s'applique pas (pas un apatride ayant résidé habituellement aux É.-U.)."),
        when=c.stateless & c.fhr_us, reads=("stateless", "former_habitual_residence")),
    _na("CA-R04b", "IRPA 101(1)(e)",
        _t("Former habitual residence (national)", "Ancienne résidence habituelle (ressortissant)"),
        _t("Under the chosen reading of IRPA 101(1)(e), the US is the claimant's country of former habitual "
           "residence, which the provision excludes.",
           "Selon la lecture choisie de l'alinéa 101(1)e) de la LIPR, les États-Unis sont le pays de résidence "
           "habituelle antérieure du demandeur, que la disposition exclut."),
        _t("The former-habitual-residence exclusion is read as limited to stateless persons.",
           "L'exclusion de la résidence habituelle antérieure est lue comme limitée aux apatrides."),
        when=c.NOT(c.stateless) & c.fhr_us & c.NOT(c.sw.fhr_non_stateless_covered),
        reads=("stateless", "former_habitual_residence"),
        flags=(Flag("CA-FHR-NOT-STATELESS", c.NOT(c.stateless) & c.fhr_us),)),
    # ---- CA-R05 place ----
    _na("CA-R05a", "IRPR 159.4(1)(c)",
        _t("Airport", "Aéroport"),
        _t("The claimant sought entry at an airport and was not in transit under a US removal order.",
           "Le demandeur s'est présenté à un aéroport et n'était pas en transit sous le coup d'une mesure de "
           "renvoi américaine."),
        _t("Not an airport claim outside transit.", "Pas une demande à un aéroport hors transit."),
        when=(c.place == AIRPORT) & c.NOT(c.transit_us), reads=("entry_place", "in_transit_removal_from_us")),
    _na("CA-R05b", "IRPR 159.4(1)(b)",
        _t("Harbour port", "Port maritime"),
        _t("The claimant sought entry at a harbour port or ferry landing.",
           "Le demandeur s'est présenté à un port maritime ou à un débarcadère de traversier."),
        _t("Not a harbour port.", "Pas un port maritime."),
        when=c.place == HARBOUR, reads=("entry_place",)),
    _na("CA-R05c", "IRPR 159.4(1)(a)",
        _t("Between ports of entry, outside the window", "Entre les points d'entrée, hors délai"),
        _t("The claimant entered away from a port of entry and IRPR 159.4(1.1) does not reach the claim "
           "(entry before 25 March 2023 00:01 EDT, or claim {d} day(s) after entry, not less than {window}).",
           "Le demandeur est entré hors d'un point d'entrée et l'article 159.4(1.1) du RIPR ne vise pas la "
           "demande (entrée avant le 25 mars 2023 à 0 h 01 HAE, ou demande {d} jour(s) après l'entrée, pas "
           "moins de {window})."),
        _t("Not a between-ports entry outside the window.", "Pas une entrée entre les points d'entrée hors délai."),
        when=between_ports(c) & c.NOT(c.whole_border) & c.NOT(c.mode_between),
        reads=("entry_place", "entry_instant", "entry_local_date", "claim_local_date")),
    _na("CA-R05d", "IRPR 159.4(1)(a)",
        _t("Other place that is not a port of entry", "Autre lieu qui n'est pas un point d'entrée"),
        _t("The claimant entered at a place that is not a port of entry and not along the land border.",
           "Le demandeur est entré à un lieu qui n'est pas un point d'entrée et qui ne longe pas la frontière "
           "terrestre."),
        _t("Not another non-port place.", "Pas un autre lieu hors point d'entrée."),
        when=(c.place == OTHER) & c.NOT(c.sw.other_non_poe_as_between_ports),
        reads=("entry_place",), flags=(Flag("CA-WATERS"),)),
    _na("CA-R05f", "IRPR 159.4(1)(a)",
        _t("Inland claim after admission", "Demande à l'intérieur après admission"),
        _t("The claimant was admitted at a land port of entry without claiming and claimed later inland.",
           "Le demandeur a été admis à un point d'entrée terrestre sans demander l'asile et a fait sa demande "
           "plus tard à l'intérieur du pays."),
        _t("The claim was made when seeking entry.", "La demande a été faite au moment de demander l'entrée."),
        when=(c.place == LAND_POE) & c.NOT(c.claim_at_entry) & c.NOT(c.sw.inland_after_poe_covered),
        reads=("entry_place", "claim_at_entry", "entered_at_poe_without_claim"),
        flags=(Flag("CA-INLAND-AFTER-POE", (c.place == LAND_POE) & c.NOT(c.claim_at_entry)),)),
    # ---- CA-R06 exceptions, IRPR 159.5 (not in transit mode) ----
    _family("CA-R06a", "IRPR 159.5(a)", S.CANADIAN_CITIZEN, "A Canadian citizen", "Citoyen canadien"),
    _family("CA-R06b1", "IRPR 159.5(b)(i)", S.PROTECTED_PERSON, "A protected person", "Personne protégée"),
    _family("CA-R06b2", "IRPR 159.5(b)(ii)", S.PERMANENT_RESIDENT, "A permanent resident", "Résident permanent"),
    _family("CA-R06b3", "IRPR 159.5(b)(iii)", S.STAY_R233, "Under a removal stay (IRPR 233)",
            "Visé par un sursis (RIPR 233)"),
    Rule("CA-R06c", "CA", Stage.DECIDE, "IRPR 159.5(c)",
         _t("Family member with a referred claim", "Membre de la famille dont la demande a été déférée"),
         _t("A family member aged 18 or over is in Canada with a refugee claim referred to the Board and not "
            "withdrawn, abandoned, rejected, terminated or nullified.",
            "Un membre de la famille âgé d'au moins 18 ans est au Canada et sa demande d'asile a été déférée à la "
            "Commission sans être retirée, abandonnée, rejetée, ni close ou annulée."),
         _t("No adult family member in Canada has a referred claim still pending.",
            "Aucun membre adulte de la famille au Canada n'a de demande déférée toujours en instance."),
         when=c.any_member(lambda m: relative_in_canada(c, m) & (m.age >= 18) & (
             (m.claim_state == code(CS.REFERRED_PENDING))
             | ((m.claim_state == code(CS.REJECTED_RAD_PENDING)) & c.sw.rad_pending_qualifies))),
         reads=FAMILY_READS, outcome=Result.NOT_BARRED, available=c.NOT(c.mode_transit),
         flags=(Flag("CA-159.5C-RAD", c.any_member(
             lambda m: relative_in_canada(c, m) & (m.age >= 18) & (m.claim_state == code(CS.REJECTED_RAD_PENDING)))),)),
    Rule("CA-R06d", "CA", Stage.DECIDE, "IRPR 159.5(d)",
         _t("Family member with a work or study permit", "Membre de la famille titulaire d'un permis"),
         _t("A family member aged 18 or over is in Canada and holds a valid work or study permit (not one "
            "issued under IRPR 206(1)(b)).",
            "Un membre de la famille âgé d'au moins 18 ans est au Canada et détient un permis de travail ou "
            "d'études valide (autre qu'un permis délivré en vertu de l'alinéa 206(1)b) du RIPR)."),
         _t("No adult family member in Canada holds a qualifying work or study permit.",
            "Aucun membre adulte de la famille au Canada ne détient de permis de travail ou d'études admissible."),
         when=c.any_member(lambda m: relative_in_canada(c, m) & (m.age >= 18) & c.isin(m.ca_status, PERMITS)
                                      & m.permit_valid
                                      & c.NOT((m.ca_status == code(S.WORK_PERMIT)) & m.wp_206)),
         reads=FAMILY_READS, outcome=Result.NOT_BARRED, available=c.NOT(c.mode_transit)),
    Rule("CA-R06e", "CA", Stage.DECIDE, "IRPR 159.5(e)",
         _t("Unaccompanied minor", "Mineur non accompagné"),
         _t("The claimant is under 18, not accompanied by a parent or legal guardian, has no spouse or "
            "common-law partner, and has no parent or legal guardian in Canada or the US.",
            "Le demandeur a moins de 18 ans, n'est pas accompagné d'un parent ou tuteur légal, n'a ni époux ni "
            "conjoint de fait, et n'a ni parent ni tuteur légal au Canada ou aux États-Unis."),
         _t("The unaccompanied-minor conditions (under 18, unaccompanied, no spouse, no parent or guardian in "
            "Canada or the US) are not all met.",
            "Les conditions du mineur non accompagné (moins de 18 ans, non accompagné, sans époux, sans parent "
            "ni tuteur au Canada ou aux États-Unis) ne sont pas toutes remplies."),
         when=(c.age < 18) & c.NOT(c.accompanied) & c.NOT(has_partner(c))
         & c.NOT(parent_in(c, c.parent_ca, 0)) & c.NOT(parent_in(c, c.parent_us, 1)),
         reads=("age_years", "accompanied_by_parent_or_legal_guardian", "marital",
                "parent_or_legal_guardian_in_canada", "parent_or_legal_guardian_in_us", "family_members"),
         outcome=Result.NOT_BARRED, available=c.NOT(c.mode_transit)),
    _document("CA-R06f1", "IRPR 159.5(f)(i)", ("CA_PR_VISA", "CA_TRV"),
              "a permanent resident visa or a temporary resident visa",
              "un visa de résident permanent ou de résident temporaire"),
    _document("CA-R06f2", "IRPR 159.5(f)(ii)", ("CA_TRP",), "a temporary resident permit",
              "un permis de séjour temporaire"),
    _document("CA-R06f3", "IRPR 159.5(f)(iii)", ("CA_PR_TRAVEL_DOC_31_3",),
              "a permanent resident travel document (IRPA 31(3))",
              "un titre de voyage de résident permanent (LIPR 31(3))"),
    _document("CA-R06f4", "IRPR 159.5(f)(iv)", ("CA_REFUGEE_TRAVEL_PAPERS",),
              "refugee travel papers issued by the Minister", "un titre de voyage de réfugié délivré par le ministre"),
    _document("CA-R06f5", "IRPR 159.5(f)(v)", ("CA_TEMP_TRAVEL_DOC_R151",),
              "a temporary travel document (IRPR 151)", "un titre de voyage temporaire (RIPR 151)"),
    Rule("CA-R06f6", "CA", Stage.DECIDE, "IRPR 159.5(f) (guidance: work or study permit)",
         _t("Work or study permit as a document", "Permis de travail ou d'études comme document"),
         _t("The claimant holds a valid Canadian work or study permit, which government guidance accepts as a "
            "159.5(f) document.",
            "Le demandeur détient un permis de travail ou d'études canadien valide, que les directives "
            "gouvernementales acceptent comme document au sens de l'alinéa 159.5f)."),
         _t("No Canadian work or study permit is accepted as a document.",
            "Aucun permis de travail ou d'études canadien n'est accepté comme document."),
         when=(c.doc["CA_WORK_PERMIT"] | c.doc["CA_STUDY_PERMIT"]) & c.permits_ok
         & c.sw.accept_permits_as_documents,
         reads=("documents_held", "policy_accept_permits_as_documents"), outcome=Result.NOT_BARRED,
         available=c.NOT(c.mode_transit),
         # relied on whenever a permit is held, accepted or not (law.md §1.5)
         flags=(Flag("CA-PERMITS-AS-DOCUMENTS", c.doc["CA_WORK_PERMIT"] | c.doc["CA_STUDY_PERMIT"]),),
         sources=("S-CANADAVISA-COPY", "S-CBA")),
    Rule("CA-R06g", "CA", Stage.DECIDE, "IRPR 159.5(g)",
         _t("Visa-exempt for Canada, visa required for the US", "Dispensé de visa au Canada, visa requis aux É.-U."),
         _t("The claimant may enter Canada without a visa but would need one to enter the United States.",
            "Le demandeur peut entrer au Canada sans visa mais en aurait besoin pour entrer aux États-Unis."),
         _t("The claimant is not visa-exempt for Canada while needing a US visa.",
            "Le demandeur n'est pas dispensé de visa au Canada tout en ayant besoin d'un visa américain."),
         when=c.NOT(c.visa_ca) & c.visa_us, reads=("visa_required_canada", "visa_required_us"),
         outcome=Result.NOT_BARRED, available=c.NOT(c.mode_transit), flags=(Flag("CA-VISA-DATES"),)),
    Rule("CA-R06h1", "CA", Stage.DECIDE, "IRPR 159.5(h)(i)",
         _t("Returned after refusal by the US", "Retour après refus des États-Unis"),
         _t("The claimant is re-entering Canada after being refused entry to the US without a refugee claim "
            "adjudicated there.",
            "Le demandeur revient au Canada après s'être vu refuser l'entrée aux États-Unis sans qu'une demande "
            "d'asile y ait été tranchée."),
         _t("Not a return after refusal of entry by the US.", "Pas un retour après un refus d'entrée aux É.-U."),
         when=c.refused_us, reads=("refused_entry_us_no_claim_adjudicated",),
         outcome=Result.NOT_BARRED, available=c.NOT(c.mode_transit)),
    Rule("CA-R06h2", "CA", Stage.DECIDE, "IRPR 159.5(h)(ii)",
         _t("Permanent resident returned from the US", "Résident permanent renvoyé des États-Unis"),
         _t("The claimant is a permanent resident ordered removed from the US and being returned to Canada.",
            "Le demandeur est un résident permanent frappé d'une mesure de renvoi des États-Unis et renvoyé au "
            "Canada."),
         _t("Not a permanent resident returned from the US.", "Pas un résident permanent renvoyé des É.-U."),
         when=c.pr_returned, reads=("ca_pr_removed_from_us_being_returned",),
         outcome=Result.NOT_BARRED, available=c.NOT(c.mode_transit)),
    # ---- CA-R07/R08 IRPR 159.6 (available in transit and between ports too) ----
    Rule("CA-R07a", "CA", Stage.DECIDE, "IRPR 159.6(a)",
         _t("Death penalty (United States)", "Peine de mort (États-Unis)"),
         _t("The claimant is charged with or convicted of an offence punishable by death in the United States.",
            "Le demandeur est accusé ou reconnu coupable aux États-Unis d'une infraction punissable de mort."),
         _t("No capital charge or conviction in the United States.", "Aucune accusation ou condamnation capitale "
            "aux États-Unis."),
         when=(c.dp == code(DP.CHARGED_OR_CONVICTED_US)) & c.dp_capital,
         reads=("death_penalty", "death_penalty_offence_punishable_by_death"), outcome=Result.NOT_BARRED),
    Rule("CA-R07b", "CA", Stage.DECIDE, "IRPR 159.6(b)",
         _t("Death penalty (another country)", "Peine de mort (autre pays)"),
         _t("The claimant is charged with or convicted of an offence punishable by death in a country other than "
            "the United States.",
            "Le demandeur est accusé ou reconnu coupable dans un pays autre que les États-Unis d'une infraction "
            "punissable de mort."),
         _t("No capital charge or conviction in another country.", "Aucune accusation ou condamnation capitale "
            "dans un autre pays."),
         when=(c.dp == code(DP.CHARGED_OR_CONVICTED_OTHER)) & c.dp_capital,
         reads=("death_penalty", "death_penalty_offence_punishable_by_death"), outcome=Result.NOT_BARRED),
    Rule("CA-R08", "CA", Stage.DECIDE, "IRPR 159.6(c) (repealed 2009-07-23)",
         _t("Moratorium country (former 159.6(c))", "Pays visé par un moratoire (ancien 159.6c))"),
         _t("The claimant is a national of a country to which Canada had suspended removals (IRPR 230) and is not "
            "excluded under IRPR 230(3).",
            "Le demandeur est ressortissant d'un pays vers lequel le Canada avait suspendu les renvois (RIPR 230) "
            "et n'est pas exclu en vertu du paragraphe 230(3) du RIPR."),
         _t("The former moratorium exception does not apply.", "L'ancienne exception du moratoire ne s'applique "
            "pas."),
         when=c.tsr & c.NOT(c.tsr_excluded), reads=("tsr_country_national", "excluded_from_tsr_230_3"),
         outcome=Result.NOT_BARRED, in_force=(Window(Field.CLAIM, start="agreement", end="tsr_repeal"),),
         # relied on for every national of a moratorium country, excluded under 230(3) or not (law.md §1.2)
         flags=(Flag("CA-TSR-WORDING", c.tsr),), sources=("S-CIC-2009-NOTICE", "S-OB136")),
    # ---- CA-R09 default ----
    Rule("CA-R09t", "CA", Stage.DECIDE, "IRPR 159.4(2); IRPA 101(1)(e)",
         _t("Barred (in transit)", "Irrecevable (en transit)"),
         _t("No exception available in transit was established: the claim is ineligible to be referred to the "
            "Refugee Protection Division.",
            "Aucune exception possible en transit n'a été établie : la demande est irrecevable devant la Section "
            "de la protection des réfugiés."),
         _t("Not an in-transit removal (IRPR 159.4(2)).", "Pas un renvoi en transit (RIPR 159.4(2))."),
         when=c.mode_transit, reads=(), outcome=Result.BARRED),
    Rule("CA-R09b", "CA", Stage.DECIDE, "IRPR 159.4(1.1); IRPA 101(1)(e)",
         _t("Barred (between ports, within the window)", "Irrecevable (entre les points d'entrée, dans le délai)"),
         _t("No exception was established: the claim is ineligible to be referred to the Refugee Protection "
            "Division, and the claimant may be returned to the United States.",
            "Aucune exception n'a été établie : la demande est irrecevable devant la Section de la protection des "
            "réfugiés et le demandeur peut être renvoyé aux États-Unis."),
         _t("Not a between-ports entry within the window (IRPR 159.4(1.1)).",
            "Pas une entrée entre les points d'entrée dans le délai (RIPR 159.4(1.1))."),
         when=c.mode_between, reads=(), outcome=Result.BARRED),
    Rule("CA-R09", "CA", Stage.DECIDE, "IRPA 101(1)(e); IRPR 159.3",
         _t("Barred (land port of entry)", "Irrecevable (point d'entrée terrestre)"),
         _t("No exception was established: the claim is ineligible to be referred to the Refugee Protection "
            "Division, and the claimant may be returned to the United States.",
            "Aucune exception n'a été établie : la demande est irrecevable devant la Section de la protection des "
            "réfugiés et le demandeur peut être renvoyé aux États-Unis."),
         _t("", ""), when=c.true, reads=(), outcome=Result.BARRED),
    # ---- CA-R10 parallel ineligibility, IRPA 101(1) ----
    _parallel("CA-P-a", "IRPA 101(1)(a)", _t("Protection already conferred", "Asile déjà conféré"),
              _t("Refugee protection has already been conferred on the claimant under the Act.",
                 "L'asile a déjà été conféré au demandeur au titre de la Loi."),
              _t("No protection already conferred.", "Aucun asile déjà conféré."),
              when=c.protection_conferred, reads=("refugee_protection_conferred_in_canada",)),
    _parallel("CA-P-b", "IRPA 101(1)(b)", _t("Prior claim rejected by the Board", "Demande antérieure rejetée"),
              _t("A prior claim was rejected by the Immigration and Refugee Board.",
                 "Une demande antérieure a été rejetée par la Commission de l'immigration et du statut de réfugié."),
              _t("No prior claim rejected by the Board.", "Aucune demande antérieure rejetée par la Commission."),
              when=c.prior_ca == code(PC.REJECTED), reads=("prior_canadian_claim",)),
    _parallel("CA-P-c", "IRPA 101(1)(c)", _t("Prior claim ineligible, withdrawn or abandoned",
                                              "Demande antérieure irrecevable, retirée ou abandonnée"),
              _t("A prior claim was found ineligible, or was withdrawn or abandoned.",
                 "Une demande antérieure a été jugée irrecevable, ou a été retirée ou abandonnée."),
              _t("No prior claim counts under 101(1)(c) (IRPR 159.01 excludes an STCA-ineligible claim of a person "
                 "later refused entry by the US).",
                 "Aucune demande antérieure ne compte au titre de 101(1)c) (le RIPR 159.01 exclut la demande "
                 "irrecevable au titre de l'Entente d'une personne ensuite refoulée par les États-Unis)."),
              when=c.isin(c.prior_ca, PRIOR_101_1_C) & c.NOT(
                  (c.prior_ca == code(PC.INELIGIBLE_STCA)) & c.refused_us
                  & (c.claim_day >= c.p.day["prior_claim_exclusion_159_01"])),
              reads=("prior_canadian_claim", "refused_entry_us_no_claim_adjudicated")),
    _parallel("CA-P-c1", "IRPA 101(1)(c.1)", _t("Prior claim in another country", "Demande antérieure dans un "
                                                 "autre pays"),
              _t("The claimant made a prior claim in a country with which Canada shares information (such as the "
                 "US), confirmed through that agreement.",
                 "Le demandeur a déjà fait une demande dans un pays avec lequel le Canada échange des "
                 "renseignements (comme les États-Unis), confirmée par cet accord."),
              _t("No confirmed prior claim in another country.", "Aucune demande antérieure confirmée dans un autre "
                 "pays."),
              when=c.prior_elsewhere, reads=("prior_claim_other_country_confirmed",),
              in_force=(Window(Field.CLAIM, start="prior_claim_elsewhere"),), sources=("S-YUSUF", "S-VIVEROS")),
    _parallel("CA-P-d", "IRPA 101(1)(d)", _t("Refugee in another country", "Réfugié dans un autre pays"),
              _t("The claimant is recognized as a Convention refugee by another country to which they can be "
                 "returned.",
                 "Le demandeur est reconnu comme réfugié au sens de la Convention par un autre pays vers lequel il "
                 "peut être renvoyé."),
              _t("Not a refugee returnable elsewhere.", "Pas un réfugié pouvant être renvoyé ailleurs."),
              when=c.recognized_elsewhere, reads=("recognized_refugee_elsewhere_returnable",),
              sources=("S-WANGDEN",)),
    _parallel("CA-P-f", "IRPA 101(1)(f)", _t("Inadmissibility", "Interdiction de territoire"),
              _t("The claimant has been determined inadmissible on grounds of security, human or international "
                 "rights violations, serious criminality or organized criminality.",
                 "Le demandeur a été déclaré interdit de territoire pour raison de sécurité, atteinte aux droits "
                 "humains ou internationaux, grande criminalité ou criminalité organisée."),
              _t("No inadmissibility determined.", "Aucune interdiction de territoire prononcée."),
              when=c.inadmissible, reads=("inadmissibility_determined",)),
    _parallel("CA-P-b1", "IRPA 101(1)(b.1)", _t("Claim more than one year after entry", "Demande plus d'un an "
                                                 "après l'entrée"),
              _t("The claimant entered Canada after 24 June 2020 and made the claim more than one year after "
                 "entry (IRPA 101(1.1)).",
                 "Le demandeur est entré au Canada après le 24 juin 2020 et a fait sa demande plus d'un an après "
                 "l'entrée (LIPR 101(1.1))."),
              _t("The one-year bar does not apply.", "Le délai d'un an ne s'applique pas."),
              when=(c.anchor_day > c.p.day["one_year_bar_entries_after"])
              & (c.claim_day > c.anchor_anniversary),
              reads=("entry_local_date", "first_entry_after_2020_06_24", "claim_local_date", "determination_date"),
              in_force=C12_WINDOWS, flags=(C12_FLAG,), sources=("S-IRPA-XML", "S-C12-BACKGROUNDER")),
    _parallel("CA-P-b2", "IRPA 101(1)(b.2)", _t("Land-border entry, claim after the time limit",
                                                 "Entrée par la frontière terrestre, demande hors délai"),
              _t("The claimant entered along the land border away from a port of entry and claimed after the time "
                 "limit of IRPR 159.4(1.1) ({d} day(s) after entry).",
                 "Le demandeur est entré par la frontière terrestre hors d'un point d'entrée et a fait sa demande "
                 "après le délai de l'article 159.4(1.1) du RIPR ({d} jour(s) après l'entrée)."),
              _t("The 14-day land-border bar does not apply.", "L'interdiction des 14 jours ne s'applique pas."),
              when=between_ports(c) & c.b2_enabled & (c.d >= ca_window(c)),
              reads=("entry_place", "entry_local_date", "claim_local_date", "determination_date"),
              in_force=C12_WINDOWS, flags=(C12_FLAG,), sources=("S-IRPA-XML", "S-C12-BACKGROUNDER")),
    # ---- CA-R11 COVID-19 overlay ----
    Rule("CA-O-covid", "CA", Stage.OVERLAY, "Quarantine Act orders (COVID-19), 2020-03-21 to 2021-11-21",
         _t("COVID-19 direct-back", "Renvoi direct (COVID-19)"),
         _t("Under the COVID-19 emergency orders, asylum claimants crossing between ports of entry were directed "
            "back to the United States until the measures were lifted.",
            "En vertu des décrets d'urgence liés à la COVID-19, les demandeurs d'asile entrés entre les points "
            "d'entrée étaient renvoyés aux États-Unis jusqu'à la levée des mesures."),
         _t("The COVID-19 direct-back orders did not reach this entry.",
            "Les décrets de renvoi direct liés à la COVID-19 ne visaient pas cette entrée."),
         when=(c.place_orig == BETWEEN) & (c.instant >= c.p.sec["covid_start"])
         & (c.entry_day < c.p.day["covid_end"]),
         reads=("entry_place", "entry_instant", "entry_local_date"),
         in_force=(Window(Field.INSTANT, start="covid_start"), Window(Field.ENTRY, end="covid_end")),
         flags=(Flag("CA-COVID-ORDERS"),),
         sources=("S-CRR-2020", "S-QP-2020", "S-PC2021-0961")),
)
