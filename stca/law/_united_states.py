"""Claims made in the United States by persons coming from Canada (law.md §2 and §6).

8 CFR 208.30(e)(6) (asylum officers) and 8 CFR 1240.11(g) (immigration judges) apply the same
scope and exceptions (A)–(E) (law.md §9 A1). The fact ``us_forum`` says which one hears the claim: in INA 240
removal proceedings a bar is the judge's (8 CFR 1240.11(g)(2)) and the public-interest exception is DHS's
alone (8 CFR 1240.11(g)(3)).
"""

from __future__ import annotations

from typing import Any

from stca.law._enums import (
    DeathPenalty,  # noqa: F401  (documented: the US rules have no death-penalty exception)
    Marital,
    Result,
    code,
)
from stca.law._enums import Document as D
from stca.law._enums import EntryPlace as P
from stca.law._enums import Relationship as R
from stca.law._enums import UsAsylumForum as F
from stca.law._enums import UsStatus as U
from stca.law._expr import CASE, Expr, SymbolicCase, SymbolicMember, named
from stca.law._rule import Field, Flag, Rule, Stage, Text, Window

C = SymbolicCase
c = CASE  # rules below are conditions over the symbolic case (see _expr.py)

#: 8 CFR 208.30(e)(6)(iii)(B): spouse, son, daughter, parent, legal guardian, sibling, grandparent,
#: grandchild, aunt, uncle, niece or nephew — no common-law partner (law.md §7.4).
RELATIVES_US = named("the relatives listed in 8 CFR 208.30(e)(6)(iii)(B)", frozenset(
    code(r)
    for r in (R.SPOUSE, R.CHILD, R.FATHER, R.MOTHER, R.LEGAL_GUARDIAN, R.BROTHER, R.SISTER, R.GRANDFATHER,
              R.GRANDMOTHER, R.GRANDCHILD, R.AUNT, R.UNCLE, R.NIECE, R.NEPHEW)
))
#: "granted asylum, refugee, or other lawful status" — US citizens and LPRs by inference (US-LAWFUL-STATUS).
LAWFUL = frozenset(code(s) for s in (U.US_CITIZEN, U.LPR, U.ASYLEE, U.REFUGEE, U.OTHER_LAWFUL_STATUS))
CITIZEN_OR_LPR = frozenset(code(s) for s in (U.US_CITIZEN, U.LPR))
PARENTS = frozenset(code(r) for r in (R.FATHER, R.MOTHER, R.LEGAL_GUARDIAN))
LAND_POE, BETWEEN = code(P.LAND_POE), code(P.BETWEEN_POES_LAND)
LOC_CANADA, LOC_US = 0, 1


def us_window(c: C) -> Expr:
    """8 CFR 208.30(e)(6) "within 14 days after such crossing": d <= 14 (switch US-DAY-14 may make it d <= 13)."""
    return c.where(c.sw.us_day_14_covered, c.p.window_days_us, c.p.window_days_us - 1)


def relative_in_us(c: C, m: SymbolicMember) -> Expr:
    """A listed relative physically in the United States; a legal guardian counts only for an unmarried
    alien under 18 (8 CFR 208.30(e)(6)(iv), law.md §2.2)."""
    minor = (m.claimant_age < 18) & c.NOT(m.claimant_married)
    return c.isin(m.rel, RELATIVES_US) & (m.loc == LOC_US) & ((m.rel != GUARDIAN) | minor)


GUARDIAN = code(R.LEGAL_GUARDIAN)


def lawful(c: C, m: SymbolicMember) -> Expr:
    """(iii)(B) status: asylum, refugee or other lawful status, not B or VWP visitor only."""
    return c.isin(m.us_status, LAWFUL) | (c.sw.us_tps_parole_lawful & (m.us_status == code(U.TPS_OR_PAROLE)))


def _t(en: str, fr: str) -> Text:
    return Text(en, fr)


def _exception(rule_id: str, cite: str, title: Text, met: Text, not_met: Text, when: Expr,
               reads: tuple[str, ...], **kw: Any) -> Rule:
    """An exception of 8 CFR 208.30(e)(6)(iii): none is available to an alien in transit (US-S1)."""
    kw.setdefault("available", c.NOT(c.mode_transit))
    return Rule(rule_id, "US", Stage.DECIDE, cite, title, met, not_met, when, reads, outcome=Result.NOT_BARRED,
                **kw)


RULES: tuple[Rule, ...] = (
    Rule("US-S1", "US", Stage.SCOPE, "8 CFR 208.30(e)(6) (in transit during removal by Canada)",
         _t("In transit during removal by Canada", "En transit lors d'un renvoi par le Canada"),
         _t("The alien is in transit through the US in the course of removal by Canada: the Agreement applies and "
            "none of the exceptions of 8 CFR 208.30(e)(6)(iii) is available.",
            "L'étranger transite par les États-Unis lors d'un renvoi par le Canada : l'Entente s'applique et "
            "aucune exception du 8 CFR 208.30(e)(6)(iii) n'est possible."),
         _t("Not in transit.", "Pas en transit."),
         when=c.transit_ca, reads=("in_transit_removal_from_canada",), sets="transit"),
    Rule("US-S2", "US", Stage.SCOPE, "8 CFR 208.30(e)(6) (between ports, within 14 days)",
         _t("Between ports of entry, within 14 days", "Entre les points d'entrée, dans les 14 jours"),
         _t("The alien crossed the land border between ports of entry on or after 25 March 2023 00:01 EDT and "
            "claimed {d} day(s) after the crossing, within {window} days.",
            "L'étranger a franchi la frontière terrestre entre les points d'entrée le 25 mars 2023 à 0 h 01 HAE "
            "ou après et a fait sa demande {d} jour(s) après, dans le délai de {window} jours."),
         _t("Not a between-ports crossing within the US window.", "Pas un passage entre les points d'entrée dans "
            "le délai américain."),
         when=(c.place_orig == BETWEEN) & c.NOT(c.whole_border) & (c.instant >= c.p.sec["protocol"])
         & (c.d >= 0) & (c.d <= us_window(c)),
         reads=("entry_place", "entry_instant", "entry_local_date", "claim_local_date"), sets="between",
         in_force=(Window(Field.INSTANT, start="protocol"),),
         # evaluated for every US case, whether or not the rule applies (law.md §2.1: flag every d = 14)
         flags=(Flag("US-DAY-14", (c.place_orig == BETWEEN) & c.NOT(c.whole_border)
                     & (c.instant >= c.p.sec["protocol"]) & (c.d == c.p.window_days_us)),),
         sources=("S-FR2023", "S-ECFR-208.30-2023")),
    Rule("US-R01", "US", Stage.DECIDE, "8 CFR 208.30(e)(6) (effective 2004-12-29; 69 FR 69480)",
         _t("Agreement in force", "Entrée en vigueur de l'Entente"),
         _t("The claim was made before the Agreement and 8 CFR 208.30(e)(6) took effect on 29 December 2004.",
            "La demande a été faite avant la prise d'effet de l'Entente et du 8 CFR 208.30(e)(6) le 29 décembre "
            "2004."),
         _t("The Agreement was in force on the claim date.", "L'Entente était en vigueur à la date de la demande."),
         when=c.claim_day < c.p.day["agreement"], reads=("claim_local_date",),
         outcome=Result.NOT_APPLICABLE, sources=("S-FR2004",)),
    Rule("US-R01s", "US", Stage.DECIDE, "Agreement Art. 10(2)",
         _t("Suspension of the Agreement", "Suspension de l'Entente"),
         _t("A notice suspending the Agreement is in effect.", "Un avis de suspension de l'Entente est en vigueur."),
         _t("No notice of suspension is in effect.", "Aucun avis de suspension n'est en vigueur."),
         when=c.suspended, reads=("agreement_suspended",), outcome=Result.NOT_APPLICABLE),
    Rule("US-R02", "US", Stage.DECIDE, "Agreement Art. 1 (country of last presence)",
         _t("Came from Canada", "Arrivée du Canada"),
         _t("Canada was not the alien's country of last presence.",
            "Le Canada n'était pas le dernier pays de présence de l'étranger."),
         _t("Canada was the country of last presence.", "Le Canada était le dernier pays de présence."),
         when=c.NOT(c.came_from), reads=("came_from_other_party",), outcome=Result.NOT_APPLICABLE),
    Rule("US-R03", "US", Stage.DECIDE, "8 CFR 208.30(e)(6)",
         _t("Place of arrival", "Lieu d'arrivée"),
         _t("The alien did not arrive at a US–Canada land border port of entry, is not in transit during removal "
            "by Canada, and is not a between-ports crosser within the window: the Agreement does not reach the "
            "claim.",
            "L'étranger n'est pas arrivé à un point d'entrée terrestre de la frontière canado-américaine, n'est "
            "pas en transit lors d'un renvoi par le Canada et n'a pas franchi la frontière entre les points "
            "d'entrée dans le délai : l'Entente ne vise pas la demande."),
         _t("The alien arrived at a land port of entry, is in transit, or crossed between ports within the "
            "window.",
            "L'étranger est arrivé à un point d'entrée terrestre, est en transit, ou a franchi la frontière entre "
            "les points d'entrée dans le délai."),
         when=c.NOT(c.mode_transit | (c.place == LAND_POE) | c.mode_between),
         reads=("entry_place", "in_transit_removal_from_canada", "entry_instant", "entry_local_date",
                "claim_local_date"),
         outcome=Result.NOT_APPLICABLE,
         flags=(Flag("US-INLAND-AFTER-POE", (c.place == LAND_POE) & c.NOT(c.claim_at_entry)),)),
    _exception("US-R04A", "8 CFR 208.30(e)(6)(iii)(A)",
               _t("Canadian citizen or stateless habitual resident", "Citoyen canadien ou apatride résidant au "
                  "Canada"),
               _t("The alien is a citizen of Canada or, having no nationality, a habitual resident of Canada.",
                  "L'étranger est citoyen canadien ou, n'ayant pas de nationalité, réside habituellement au Canada."),
               _t("Not a Canadian citizen or stateless habitual resident of Canada.",
                  "Ni citoyen canadien ni apatride résidant habituellement au Canada."),
               when=c.nat_ca | (c.stateless & c.hr_ca),
               reads=("nationalities", "stateless", "habitual_residence")),
    _exception("US-R04B", "8 CFR 208.30(e)(6)(iii)(B)",
               _t("Relative with lawful status in the US", "Parent ayant un statut légal aux É.-U."),
               _t("A listed relative in the United States has been granted asylum, refugee or other lawful status "
                  "(not only visitor status).",
                  "Un parent visé se trouvant aux États-Unis a obtenu l'asile, le statut de réfugié ou un autre "
                  "statut légal (autre que visiteur)."),
               _t("No listed relative in the US has asylum, refugee or other lawful (non-visitor) status.",
                  "Aucun parent visé aux États-Unis n'a l'asile, le statut de réfugié ou un autre statut légal "
                  "(non visiteur)."),
               when=c.any_member(lambda m: relative_in_us(c, m) & lawful(c, m)),
               reads=("family_members", "age_years", "marital"),
               flags=(Flag("US-LAWFUL-STATUS", c.any_member(
                          lambda m: relative_in_us(c, m) & c.isin(m.us_status, CITIZEN_OR_LPR))),
                      Flag("US-TPS-PAROLE", c.any_member(
                          lambda m: relative_in_us(c, m) & (m.us_status == code(U.TPS_OR_PAROLE))))),
               sources=("S-ECFR-208.30-2023", "S-AGREEMENT-DEFS")),
    _exception("US-R04C", "8 CFR 208.30(e)(6)(iii)(C)",
               _t("Relative with a pending asylum application", "Parent dont la demande d'asile est en instance"),
               _t("A listed relative aged 18 or over in the United States has an asylum application pending "
                  "before USCIS, the immigration courts or on appeal in federal court.",
                  "Un parent visé âgé d'au moins 18 ans aux États-Unis a une demande d'asile en instance devant "
                  "l'USCIS, les tribunaux de l'immigration ou en appel devant une cour fédérale."),
               _t("No adult listed relative in the US has a pending asylum application.",
                  "Aucun parent adulte visé aux États-Unis n'a de demande d'asile en instance."),
               when=c.any_member(lambda m: relative_in_us(c, m) & (m.age >= 18) & (
                   # "pending before USCIS, EOIR, or on appeal in federal court" (law.md §2.2): the forum
                   # field says where; a status of ASYLUM_PENDING with no forum does not establish it
                   m.forum != code(F.NONE))),
               reads=("family_members", "age_years", "marital")),
    _exception("US-R04D", "8 CFR 208.30(e)(6)(iii)(D)",
               _t("Unaccompanied minor", "Mineur non accompagné"),
               _t("The alien is unmarried, under 18, and has no parent or legal guardian in Canada or the US.",
                  "L'étranger est célibataire, a moins de 18 ans et n'a ni parent ni tuteur légal au Canada ou aux "
                  "États-Unis."),
               _t("Not an unmarried minor without a parent or legal guardian in Canada or the US.",
                  "Pas un mineur célibataire sans parent ni tuteur au Canada ou aux États-Unis."),
               # "unmarried": a common-law partner is not a spouse (the US list has none, law.md §2.2)
               when=(c.marital != code(Marital.SPOUSE))
               & c.NOT(c.any_member(lambda m: m.rel == code(R.SPOUSE))) & (c.age < 18)
               & c.NOT(c.parent_ca | c.any_member(lambda m: c.isin(m.rel, PARENTS) & (m.loc == LOC_CANADA)))
               & c.NOT(c.parent_us | c.any_member(lambda m: c.isin(m.rel, PARENTS) & (m.loc == LOC_US))),
               reads=("marital", "age_years", "parent_or_legal_guardian_in_canada",
                      "parent_or_legal_guardian_in_us", "family_members")),
    _exception("US-R04E", "8 CFR 208.30(e)(6)(iii)(E)",
               _t("US visa or visa asymmetry", "Visa américain ou asymétrie des visas"),
               _t("The alien arrived with a valid non-transit US visa or admission document, or needs a visa for "
                  "Canada but not for the US.",
                  "L'étranger est arrivé avec un visa ou document d'admission américain valide autre que de "
                  "transit, ou a besoin d'un visa pour le Canada mais pas pour les États-Unis."),
               _t("No valid non-transit US document and no visa asymmetry.",
                  "Aucun document américain valide autre que de transit et aucune asymétrie de visas."),
               when=c.doc[D.US_VISA_NON_TRANSIT.value] | c.doc[D.US_OTHER_ADMISSION_DOC.value]
               | (c.visa_ca & c.NOT(c.visa_us)),
               reads=("documents_held", "visa_required_canada", "visa_required_us")),
    _exception("US-R04F", "8 CFR 208.30(e)(6)(iii)(F)",
               _t("Public interest", "Intérêt public"),
               _t("The Director of USCIS determined that it is in the public interest to let the alien pursue a "
                  "claim in the United States.",
                  "Le directeur de l'USCIS a décidé qu'il est dans l'intérêt public de permettre à l'étranger de "
                  "présenter sa demande aux États-Unis."),
               _t("No public-interest determination.", "Aucune décision d'intérêt public."),
               when=c.us_public_interest, reads=("us_public_interest_determination", "us_forum"),
               available=c.NOT(c.mode_transit) & c.NOT(c.us_removal)),
    _exception("US-R04Fr", "8 CFR 1240.11(g)(3); 8 CFR 208.30(e)(6)(iii)(F)",
               _t("Public interest (determined by DHS, removal proceedings)",
                  "Intérêt public (décision du DHS, procédure de renvoi)"),
               _t("DHS determined that it is in the public interest to let the alien pursue a claim in the United "
                  "States; in removal proceedings that determination is DHS's alone, not the immigration judge's.",
                  "Le DHS a décidé qu'il est dans l'intérêt public de permettre à l'étranger de présenter sa demande "
                  "aux États-Unis ; dans une procédure de renvoi, cette décision appartient au DHS seul, non au juge "
                  "de l'immigration."),
               _t("DHS has made no public-interest determination, and the immigration judge cannot make one.",
                  "Le DHS n'a pris aucune décision d'intérêt public, et le juge de l'immigration ne peut pas en "
                  "prendre."),
               when=c.us_public_interest, reads=("us_public_interest_determination", "us_forum"),
               available=c.NOT(c.mode_transit) & c.us_removal,
               sources=("S-ECFR-1240.11", "S-FR2004-EOIR")),
    Rule("US-R05r", "US", Stage.DECIDE, "8 CFR 1240.11(g)(2); INA 208(a)(2)(A)",
         _t("Barred by the immigration judge (removal proceedings)",
            "Irrecevable selon le juge de l'immigration (procédure de renvoi)"),
         _t("In removal proceedings under INA 240, the alien has not shown by a preponderance of the evidence that "
            "an exception applies: the alien is ineligible for asylum, and also for withholding of removal and "
            "protection under the Convention Against Torture, in the United States, and is ordered removed to "
            "Canada to pursue the claim there.",
            "Dans une procédure de renvoi fondée sur l'article 240 de l'INA, l'étranger n'a pas démontré, selon la "
            "prépondérance de la preuve, qu'une exception s'applique : il ne peut obtenir ni l'asile, ni la "
            "suspension du renvoi, ni la protection de la Convention contre la torture aux États-Unis, et son "
            "renvoi au Canada est ordonné pour qu'il y présente sa demande."),
         _t("The claim is not before an immigration judge in removal proceedings.",
            "La demande n'est pas devant un juge de l'immigration dans une procédure de renvoi."),
         when=c.true, reads=("us_forum",), outcome=Result.BARRED, available=c.us_removal,
         flags=(Flag("US-TRANSIT-ART6", c.mode_transit),),
         sources=("S-ECFR-1240.11", "S-FR2004-EOIR")),
    Rule("US-R05b", "US", Stage.DECIDE,
         "8 CFR 208.30(e)(6) (between ports, within 14 days); 8 CFR 208.30(e)(6)(i); INA 208(a)(2)(A)",
         _t("Barred (between ports, within 14 days)", "Irrecevable (entre les points d'entrée, dans les 14 jours)"),
         _t("No exception was established for this crossing between ports of entry: the alien is ineligible to "
            "apply for asylum in the United States and is removed to Canada to pursue the claim there.",
            "Aucune exception n'a été établie pour ce passage entre les points d'entrée : l'étranger ne peut pas "
            "demander l'asile aux États-Unis et est renvoyé au Canada pour y présenter sa demande."),
         _t("Not a between-ports crossing within the US window.",
            "Pas un passage entre les points d'entrée dans le délai américain."),
         when=c.mode_between, reads=("us_forum",), outcome=Result.BARRED,
         available=c.NOT(c.us_removal)),
    Rule("US-R05", "US", Stage.DECIDE, "8 CFR 208.30(e)(6)(i); INA 208(a)(2)(A)",
         _t("Barred", "Irrecevable"),
         _t("No exception was established: the alien is ineligible to apply for asylum in the United States and "
            "is removed to Canada to pursue the claim there (also ineligible for withholding and CAT protection "
            "in section 240 proceedings, 8 CFR 1240.11(g)).",
            "Aucune exception n'a été établie : l'étranger ne peut pas demander l'asile aux États-Unis et est "
            "renvoyé au Canada pour y présenter sa demande (il est aussi exclu de la suspension du renvoi et de "
            "la protection de la CCT dans une procédure de l'article 240, 8 CFR 1240.11(g))."),
         _t("", ""), when=c.true, reads=("us_forum",), outcome=Result.BARRED,
         available=c.NOT(c.us_removal), flags=(Flag("US-TRANSIT-ART6", c.mode_transit),)),
)
