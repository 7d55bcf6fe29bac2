"""The sources the rules cite, by id — transcribed from the specification's sources.md.

Each rule lists the ids of the sources that support it (``Rule.sources``); ``SOURCES`` gives each id its
address, its reliability tier (P = primary legal text, O = official government or court material,
S = secondary commentary; "mirror" = a third-party copy of an official page) and what it supports.
"""

from __future__ import annotations

from typing import NamedTuple


class Source(NamedTuple):
    """One cited source."""

    tier: str
    url: str
    supports: str


SOURCES: dict[str, Source] = {
    'S-IRPR-XML': Source(
        'P',
        'https://github.com/justicecanada/laws-lois-xml/blob/d6853c4af2ae0b7ab8c205a0e95ee734b9945c31/eng/regulations/SOR-2002-227.xml',
        (
            'Justice Canada consolidated IRPR XML (snapshot 2026-07-23): current text of ss. 159–159.7, 159.01, '
            'history notes (SOR/2004-217, SOR/2009-210, SOR/2009-290, SOR/2015-46, SOR/2023-58), in-force dates '
            '(159.4(1.1) = 2023-03-25), ss. 1(1)-(3), 6, 7, 7.01, 151, 206, 209, 222, 230, 233. Human-readable '
            'equivalent: https://laws-lois.justice.gc.ca/eng/regulations/SOR-2002-227/'
        ),
    ),
    'S-IRPR-XML-2022': Source(
        'P',
        'https://github.com/justicecanada/laws-lois-xml/blob/1a2da23dda4b89259e699a0fc874b5981434a35b/eng/regulations/SOR-2002-227.xml',
        (
            'IRPR as consolidated 2022-11-16: pre-Protocol text of 159.1–159.7 (incl. "in accordance with '
            'subsection 100(4)" wording, no 159.4(1.1)).'
        ),
    ),
    'S-IRPR-PAGE68-2014': Source(
        'P',
        'http://laws-lois.justice.gc.ca/eng/regulations/SOR-2002-227/page-68.html',
        'IRPR consolidated to 2014-12-08: 159.2, 159.3, 159.4(1)-(2), 159.5 chapeau (original structure).',
    ),
    'S-IRPR-159.5-FR-2006': Source(
        'P',
        'https://lois-laws.justice.gc.ca/fra/reglements/DORS-2002-227/section-159.5-20060322.html',
        (
            'French point-in-time version of 159.5 from 2006-03-22: original exceptions (a)-(f) wording incl. '
            '100(4) reference and R206(b)/R209/R222 carve-outs.'
        ),
    ),
    'S-IRPA-XML': Source(
        'P',
        'https://github.com/justicecanada/laws-lois-xml/blob/d6853c4af2ae0b7ab8c205a0e95ee734b9945c31/eng/acts/I-2.5.xml',
        (
            'IRPA consolidated to 2026-03-31: ss. 99, 100 (100(1.1) burden), 101(1)(a)-(f) incl. new (b.1), '
            '(b.2), (1.1), (1.2) (S.C. 2026, c. 4, in force 2026-03-26), 101(2), 102; (c.1) in force 2019-06-21.'
        ),
    ),
    'S-INTERP-ACT': Source(
        'P',
        'https://github.com/justicecanada/laws-lois-xml/blob/d6853c4af2ae0b7ab8c205a0e95ee734b9945c31/eng/acts/I-21.xml',
        (
            'Interpretation Act s. 27 (day counting: first day excluded, last day included; "after/within a time '
            'after a specified day" excludes that day).'
        ),
    ),
    'S-SOR2023-58': Source(
        'P',
        'https://www.gazette.gc.ca/rp-pr/p2/2023/2023-04-12/html/sor-dors58-eng.html',
        (
            'SOR/2023-58 (registered 2023-03-23, P.C. 2023-260), "Examination of Eligibility to Refer Claim": '
            '159.01 prior-claim definition, new "Agreement" definition, 159.4 amendments.'
        ),
    ),
    'S-SOR2015-46': Source(
        'P',
        'https://canadagazetteducanada.gc.ca/rp-pr/p2/2015/2015-03-11/html/sor-dors46-eng.html',
        (
            'SOR/2015-46 (registered 2015-02-20): only replaced "Minister of Foreign Affairs" with "Minister" in '
            '159.5(f)(iv) (shows 159.5(h) was not added in 2015).'
        ),
    ),
    'S-SOR2020-55': Source(
        'P',
        'http://gazette.gc.ca/rp-pr/p2/2020/2020-04-15/html/sor-dors55-eng.html',
        (
            'SOR/2020-55 (2020-03-20): ports-of-entry / direct-back amendments accompanying COVID measures '
            '(details not read).'
        ),
    ),
    'S-PROTOCOL': Source(
        'P',
        'https://treaty-accord.gc.ca/text-texte.aspx?id=105722&lcid=1033&t=638677892823309863',
        (
            'Additional Protocol text: para 1 (persons entering between POEs on/after entry into force and '
            'claiming "within 14 days after such crossing"; Art. 10 excluded), para 2 (waters fixed by diplomatic'
            ' notes), para 3(a) Country of Last Presence.'
        ),
    ),
    'S-AGREEMENT-DEFS': Source(
        'O',
        'https://www.hsdl.org/?abstract&did=744918',
        'Agreement Art. 1 definitions (Country of Last Presence, Family Member list, Unaccompanied Minor).',
    ),
    'S-SOP': Source(
        'O',
        'https://www.refworld.org/legal/agreements/natlegbod/2002/en/70962?prevPage=/node/70962',
        (
            'Statement of Principles: burden on applicant to prove relationship/status; credible testimony may '
            'suffice; US preponderance vs Canada balance of probabilities "functionally equivalent".'
        ),
    ),
    'S-IRCC-PDI': Source(
        'O',
        'https://www.canada.ca/en/immigration-refugees-citizenship/corporate/publications-manuals/operational-bulletins-manuals/refugee-protection/canada/processing-claims-protection-safe-third-country-agreement.html',
        (
            'IRCC PDI (older version): where the Agreement applies (land POEs incl. train; airports only for in-'
            'transit removals), balance-of-probabilities standard, Art. 3.1 no return until final decision.'
        ),
    ),
    'S-IRCC-PDI-DOC': Source(
        'O',
        'https://www.canada.ca/en/immigration-refugees-citizenship/corporate/publications-manuals/operational-bulletins-manuals/refugee-protection/canada/processing-claims-protection-safe-third-country-agreement.doc',
        (
            'IRCC PDI (post-2023 version): adds between-POE locations "including the waters along or across the '
            'border" when claim made within 14 days.'
        ),
    ),
    'S-CANADA-STCA-2023': Source(
        'O, mirror',
        'https://suspectserialesviews.pages.dev/961610.html',
        (
            'copy of canada.ca "Canada-US Safe Third Country Agreement" page: expansion "across the entire land '
            'border, including internal waterways", effective 12:01 a.m. EDT 25 Mar 2023; "less than 14 days '
            'after the day of entry"; not applicable to US citizens/stateless habitual residents of the US.'
        ),
    ),
    'S-CANADA-STCA-OLD': Source(
        'O, mirror',
        'https://canadavisa.com/canada-immigration-discussion-board/threads/apply-for-refugee-at-windsor-canada-border.351785/post-4667980',
        (
            'copy of older canada.ca STCA page: four exception types; family statuses list (incl. valid '
            'work/study permit, referred claim not withdrawn/abandoned/rejected/ineligible); inadmissibility '
            '(security, human rights, serious criminality) still makes a claimant ineligible.'
        ),
    ),
    'S-CANADAVISA-COPY': Source(
        'O, mirror',
        'https://canadavisa.com/canada-immigration-discussion-board/threads/apply-for-refugee-at-windsor-canada-border.351785/post-4667980',
        (
            'copy of older canada.ca STCA page: four exception types; family statuses list (incl. valid '
            'work/study permit, referred claim not withdrawn/abandoned/rejected/ineligible); inadmissibility '
            '(security, human rights, serious criminality) still makes a claimant ineligible.'
        ),
    ),
    'S-CANADAVISA-CBSA-GUIDANCE': Source(
        'O, mirror',
        'https://canadavisa.com/canada-immigration-discussion-board/threads/need-help-at-last-moment-crossing-us-to-canada.529500/post-6522415',
        (
            'quoted CBSA/IRCC guidance: proof of family relationship on balance of probabilities, credible '
            'testimony, verification methods, no support expected from anchor relative.'
        ),
    ),
    'S-CIC-2009-NOTICE': Source(
        'O',
        'http://www.cic.gc.ca/english/department/media/notices/notice-removal.asp',
        (
            'TSR/moratorium exception removed 23 July 2009; TSR countries then: Afghanistan, DRC, Haiti, Iraq, '
            'Zimbabwe; persons at non-land-border POEs unaffected.'
        ),
    ),
    'S-MARKETWIRE-2009': Source(
        'O',
        'http://www.marketwired.com/press-release/Minister-Kenney-Announces-Removal-Exception-Relating-Safe-Third-Country-Agreement-1021464.htm',
        (
            'CIC press release 23 July 2009: same; Agreement signed 5 Dec 2002, implemented 29 Dec 2004; TSR '
            'nationals still eligible via other exceptions.'
        ),
    ),
    'S-OB136': Source(
        'O',
        'http://www.cic.gc.ca/english/resources/manuals/bulletins/2009/ob136.asp',
        'OB 136: Burundi, Liberia, Rwanda removed from TSR list effective 23 July 2009.',
    ),
    'S-CIMM-2020-06': Source(
        'O',
        'https://www.canada.ca/en/immigration-refugees-citizenship/corporate/transparency/committees/cimm-june-17-2020/asylum-claimants-border-restrictions.html',
        (
            'COVID: claimants between POEs (and at air/marine POEs) directed back; STCA and exceptions applied at'
            ' land POEs.'
        ),
    ),
    'S-CIMM-2020-11': Source(
        'O',
        'https://www.canada.ca/en/immigration-refugees-citizenship/corporate/transparency/committees/cimm-nov-25-2020/cimm-asylum-claimants-border-restrictions-nov-25-2020.html',
        (
            'FCA granted stay of 2020 FC 770 on 26 Oct 2020; STCA regime remains in effect; ~775 exception '
            'entries (705 family) by Oct 2020.'
        ),
    ),
    'S-CIMM-2021-03': Source(
        'O',
        'https://www.canada.ca/en/immigration-refugees-citizenship/corporate/transparency/committees/cimm-mar-08-2021/cimm-asylum-border-restrictions-stca-mar-08-2021.html',
        'direct-back extended to 21 Mar 2021; stay still in place.',
    ),
    'S-CIMM-2021-06': Source(
        'O',
        'https://www.canada.ca/en/immigration-refugees-citizenship/corporate/transparency/committees/cimm-jun-02-2021/asylum-border-restrictions-stca.html',
        "FCA allowed the Government's appeal; direct-back continuing (June 2021).",
    ),
    'S-QP-2020': Source(
        'O',
        'https://search.open.canada.ca/qpnotes/record/cic%2CIRCC-2020-QP-00010',
        (
            'Question Period note: on 21 March 2020 Canada and the US agreed to return asylum seekers; extended '
            'in 30-day increments.'
        ),
    ),
    'S-PS-2020-04': Source(
        'O',
        'https://securitepublique.gc.ca/cnt/trnsprnc/brfng-mtrls/prlmntry-bndrs/20200730/012/index-en.aspx',
        (
            'Public Safety note (27 Apr 2020): OIC of 22 April 2020 exempts STCA-exception claimants at land '
            'POEs, US citizens, unaccompanied minors, stateless habitual residents of the US.'
        ),
    ),
    'S-CG-2020-05-02': Source(
        'P',
        'https://canadagazette.gc.ca/rp-pr/p1/2020/2020-05-02/html/order-decret-eng.html',
        'P.C. 2020-263 (20 Apr 2020) Prohibition of Entry into Canada from the US order (text beginning).',
    ),
    'S-PC2021-0961': Source(
        'P',
        'https://decrets.canada.ca/attachment.php?attach=41322&lang=fr',
        'P.C. 2021-0961 dated 2021-11-20: new US-entry prohibition order (content beyond preamble not read).',
    ),
    'S-C12-BACKGROUNDER': Source(
        'O, mirror',
        'https://cdn2.el-balad.com/391025',
        (
            'copy of Government backgrounder on Bill C-12 (royal assent 26 Mar 2026): one-year and 14-day land-'
            'border ineligibility rules apply to claims made on/after 3 June 2025; PRRA remains; "no change to '
            'the application of the Safe Third Country Agreement".'
        ),
    ),
    'S-CCR-2006': Source(
        'S',
        'http://ccrweb.ca/sites/ccrweb.ca/files/static-files/releaselesssafedec06.html',
        'CCR: US designation took effect 29 Dec 2004; Colombians most affected.',
    ),
    'S-ECFR-208.30-2023': Source(
        'P',
        'https://github.com/MichalOpoka/ecfr/blob/ed86192a49441fe4e3cc2475f2ed8572a7569456/cfr/title-08-Aliens-Nationality/chapter-I-Department-Homeland-Security/subchapter-B-Immigration-Regulations/part-208-Procedures-Asylum-Withholding-Removal/subpart-B-Credible-Fear-Persecution/section-208.30.md',
        (
            'eCFR text of 8 CFR 208.30(e)(6) after the 2023 rule: between-POE scope (on/after 12:01 a.m. 25 Mar '
            '2023, designated waters, claim within 14 days), exceptions (A)-(F), legal-guardian definition.'
        ),
    ),
    'S-ECFR-208.30-PRE2023': Source(
        'P',
        'https://github.com/MichalOpoka/ecfr/blob/08832f84b60157865ddbcc8292d8b2e2c73199f0/cfr/title-08-Aliens-Nationality/chapter-I-Department-Homeland-Security/subchapter-B-Immigration-Regulations/part-208-Procedures-Asylum-Withholding-Removal/subpart-B-Credible-Fear-Persecution/section-208.30.md',
        'pre-2023 eCFR text (land POE + transit only).',
    ),
    'S-ECFR-1240.11': Source(
        'P',
        'https://github.com/MichalOpoka/ecfr/blob/e2d53e9f9ada8747847590a87c3f1d1a476d2fe6/cfr/title-08-Aliens-Nationality/chapter-V-Executive-Office-Immigration-Review-Department-Justice/subchapter-B-Immigration-Regulations/part-1240-Proceedings-Determine-Removability-Aliens-United-States/subpart-A-Removal-Proceedings/section-1240.11.md',
        (
            '8 CFR 1240.11(g): IJ application of the Agreement; public-interest reserved to DHS; no '
            'withholding/CAT; removal to Canada.'
        ),
    ),
    'S-ECFR-1208.30': Source(
        'P',
        'https://github.com/MichalOpoka/ecfr/blob/08832f84b60157865ddbcc8292d8b2e2c73199f0/cfr/title-08-Aliens-Nationality/chapter-V-Executive-Office-Immigration-Review-Department-Justice/subchapter-B-Immigration-Regulations/part-1208-Procedures-Asylum-Withholding-Removal/subpart-B-Credible-Fear-Persecution/section-1208.30.md',
        (
            '8 CFR 1208.30 as shown in 2020–2021 eCFR ((e) = cross-reference to 208.30; amended by 69 FR 69497 in'
            ' 2004).'
        ),
    ),
    'S-FR2004': Source(
        'P',
        'http://federal.elaws.us/citation/69-FR-69489',
        (
            'DHS final rule 69 FR 69480 (29 Nov 2004), effective 29 Dec 2004; sections on family, unaccompanied '
            'minor, public interest, visa exceptions.'
        ),
    ),
    'S-FR2004-EOIR': Source(
        'P',
        'http://federal.elaws.us/fr/11/29/2004/04-26238',
        (
            'EOIR final rule 69 FR 69490, effective 29 Dec 2004; IJ role limited to aliens DHS places in s. 240 '
            'proceedings.'
        ),
    ),
    'S-FR2023': Source(
        'P',
        'https://www.govinfo.gov/content/pkg/FR-2023-03-28/html/2023-06351.htm',
        (
            '88 FR 18227 (28 Mar 2023), "Final rule" implementing the 2022 Additional Protocol; signatures Ottawa'
            ' 29 Mar 2022 and Washington 15 Apr 2022. Also http://federal.elaws.us/fr/notice/3/28/2023/2023-06351'
        ),
    ),
    'S-FR2023-CORR': Source(
        'P',
        'https://regulations.justia.com/regulations/fedreg/2023/04/17/2023-07966.html',
        '88 FR 23329 (17 Apr 2023) correction to the 2023 rule.',
    ),
    'S-DHS-PR': Source(
        'O, mirror',
        'https://newportasantedisabler.pages.dev/443700.html',
        'copy of DHS press release (24 Mar 2023): expansion effective 12:01 AM ET Saturday 25 March 2023.',
    ),
    'S-CTV-2024': Source(
        'S',
        'https://webjosh.com/article/u-s-canada-border-rules-procedural-changes-planned-in-line-with-law-ottawa-says-1723835481-14573',
        (
            'copy of CTV report (Aug 2024): US consultation window 24h → 4h; documentary evidence limited to what'
            ' claimant carries; IRCC: criteria for exceptions unchanged.'
        ),
    ),
    'S-AOBTC-2006': Source(
        'O',
        'https://fdocuments.net/document/asylum-officer-basic-training-course-safe-third-country-threshold-screening.html',
        (
            'USCIS Asylum Officer Basic Training, Safe Third Country Threshold Screening (2006): structure of '
            'exceptions (background only).'
        ),
    ),
    'S-FC2007': Source(
        'O',
        'https://ca.vlex.com/vid/refugees-v-can-681013333',
        'CCR v. Canada, 2007 FC 1262 (29 Nov 2007): regs declared ultra vires / Charter-inconsistent.',
    ),
    'S-FCA2008': Source(
        'O',
        'https://decisions.fca-caf.gc.ca/fca-caf/decisions/en/item/36041/index.do?iframe=true',
        '2008 FCA 229 (27 Jun 2008): appeal allowed.',
    ),
    'S-FC2020': Source(
        'O',
        'https://decisions.fct-cf.gc.ca/fc-cf/decisions/en/item/482757/index.do?q=MUSTEFA+&iframe=true',
        '2020 FC 770 (22 Jul 2020).',
    ),
    'S-FC2020-SUM': Source(
        'S',
        'https://geramilaw.com/blog/safe-third-country-agreement-found-to-infringe-on-refugees-rights-to-section-7.html',
        'summary of 2020 FC 770: 6-month suspension; air/sea/between-POE claimants were outside STCA.',
    ),
    'S-FCA2020-181': Source(
        'O',
        'https://decisions.fca-caf.gc.ca/fca-caf/decisions/en/item/487582/index.do?q=%22Safe+Third+Country%22&iframe=true',
        '2020 FCA 181 (26 Oct 2020): stay motion (granted, per [S-CIMM-2020-11]).',
    ),
    'S-FCA2021': Source(
        'O',
        'https://recueil.fja-cmf.gc.ca/fja-cmf/j/en/item/520965/index.do?alternatelocale=en&iframe=true',
        '2021 FCA 72 (15 Apr 2021).',
    ),
    'S-SCC2023': Source(
        'O',
        'https://decisions.scc-csc.ca/scc-csc/scc-csc/en/item/19957/index.do?iframe=true',
        (
            '2023 SCC 17 (16 Jun 2023); summary also at https://supremeadvocacy.ca/2023/06/16/scc-today-'
            'immigration-safe-third-country-agreement/'
        ),
    ),
    'S-ABDURAHMAN': Source(
        'O',
        'https://decisions.fca-caf.gc.ca/fc-cf/decisions/en/item/367197/index.do?iframe=true',
        (
            'Abdurahman, 2019 FC 176: officer erred by requiring documentary proof of relationship (uncles/aunt; '
            'Lacolle, 28 Dec 2016).'
        ),
    ),
    'S-WANGDEN': Source(
        'O',
        'https://reports.fja-cmf.gc.ca/fja-cmf/j/fr/item/332241/index.do?iframe=true',
        (
            'Wangden, 2008 FC 1230: half-brother Canadian citizen would satisfy an STCA exception; ineligible '
            'under 101(1)(d) (US withholding of removal).'
        ),
    ),
    'S-BIOSA': Source(
        'O',
        'https://decisions.fct-cf.gc.ca/fc-cf/decisions/en/item/71452/index.do?alternatelocale=en&iframe=true',
        (
            "Biosa, 2014 FC 431: mother STCA-ineligible at land POE (12 Jun 2013); children's claims allowed "
            'under an IRPR exception.'
        ),
    ),
    'S-RIVERA': Source(
        'O',
        'https://decision.tcc-cci.gc.ca/fc-cf/decisions/en/item/525747/index.do?iframe=true',
        (
            'Rivera Calambas, 2024 FC 840: Peace Bridge claim 2 Aug 2022 ineligible under 101(1)(e); later claim '
            'ineligible under 101(1)(c).'
        ),
    ),
    'S-VIVEROS': Source(
        'O',
        'https://decisions.fca-caf.ca/fc-cf/decisions/en/item/523654/index.do?iframe=true',
        (
            "Viveros Garces, 2023 FC 798: mother found ineligible at land border (2016); daughters' 101(1)(c.1) "
            'issue.'
        ),
    ),
    'S-YUSUF': Source(
        'O',
        'https://decisions.fca-caf.gc.ca/fc-cf/decisions/en/item/526612/index.do?iframe=true',
        'Yusuf, 2024 FC 1454: 101(1)(c.1) ineligibility for prior US claim.',
    ),
    'S-WIKIBOOKS': Source(
        'S',
        'https://en.m.wikibooks.org/wiki/Canadian_Refugee_Procedure/Safe_Third_Countries',
        'reproduces IRPR 159–159.7 text; commentary.',
    ),
    'S-CBA': Source(
        'S',
        'https://www.cba.org/Publications-Resources/Practice-Tools/Asylum-Seekers/STCA',
        'CBA practice tool: exceptions list incl. work/study permit as documents.',
    ),
    'S-CLEO': Source(
        'S',
        'https://refugee.cleo.on.ca/en/are-there-exceptions-rule',
        'CLEO: family statuses with age 18+ for claimants and permit holders; minors; visas; death penalty.',
    ),
    'S-STEPS': Source(
        'S',
        'https://stepstojustice.ca/steps/refugee-law/2-learn-about-exceptions-to-the-stca/',
        (
            'Steps to Justice: family member must be in Canada when claim made; exception unavailable if a US '
            'claim was already made.'
        ),
    ),
    'S-BOYDLAW': Source(
        'S',
        'https://boydlaw.ca/2023/04/20/family-member-exception-to-the-stca/',
        (
            'anchor-relative relationships (sibling = at least one parent in common; grandparents/aunts/uncles '
            'via parents) and statuses.'
        ),
    ),
    'S-IMMIGRANTSCANADA': Source(
        'S',
        'http://www.immigrantscanada.com/2017/05/refugee-claimant-refugee-claimants-and.html',
        (
            'summary of official exceptions incl. Mexico example for visa rule; ineligible if inadmissible for '
            'security/human rights/serious crime "or ... a danger to the public".'
        ),
    ),
    'S-GENUGDA-PDI-PARAPHRASE': Source(
        'S, low quality',
        'https://genugda.de/index.php/exception-to-third-country-agreement',
        (
            'paraphrase of IRCC PDI: visa-exempt for Canada but visa-required for US = exception; visa-exempt for'
            ' both = Agreement applies.'
        ),
    ),
    'S-IMMREF-2020': Source(
        'S',
        'https://immref-emerg.blogspot.com/2020/04',
        'analysis of April 2020 OIC: refugee-claimant exemptions keyed to IRPR 159.5(a)-(d), (f)-(h).',
    ),
    'S-CRR-2020': Source(
        'S',
        'https://canadaregulatoryreview.com/an-update-on-canadas-travel-ban-resulting-from-the-covid-19-outbreak',
        'Canada-US Order effective 00:00:01 EDT 21 March 2020.',
    ),
    'S-REUTERS-2021': Source(
        'S',
        'https://ksaplayers.com/Ksahome/NewsDetial/?nid=26571735',
        (
            'copy of Reuters (22 Nov 2021): Canada ends turn-back of between-POE asylum seekers per policy '
            'document released Sunday (21 Nov 2021).'
        ),
    ),
    'S-FCJ-2023': Source(
        'S',
        'https://www.fcjrefugeecentre.org/2023/03/safe-third-country-agreement-what-is-it-what-is-new-what-are-the-exceptions/',
        'Roxham Road closed at midnight Saturday 25 March 2023.',
    ),
    'S-DAWN-2023': Source(
        'S',
        'https://dawn.com/news/1744251/canada-us-amend-decades-old-pact-after-surge-in-irregular-asylum-seekers',
        'Reuters report: revised pact applies along 6,416 km land border; claims within 14 days turned back.',
    ),
    'S-IMMIGRANTSJOURNAL': Source(
        'S',
        'https://theimmigrantsjournal.com/us-and-canada-expand-safe-third-country-agreement-in-another-move-to-limit-asylum/',
        'signature dates 29 Mar 2022 (Canada) / 15 Apr 2022 (US); effective 12:01 am 25 March.',
    ),
    'S-RONNIE': Source(
        'S',
        'http://ronnierecords.com/Blog/?p=5653',
        (
            'signing 5 Dec 2002 in Washington (Bertin Côté / Arthur E. Dewey); in force 29 Dec 2004 '
            '(corroborating only).'
        ),
    ),
    'S-IMMCANLAW': Source(
        'S',
        'https://www.immcanlaw.com/blogs/blog/1374039-canada-s-bill-c-2-strong-borders-act-what-refugee-applicants-need-to-know',
        'Bill C-2 (June 2025) retroactivity to claims after 3 June 2025.',
    ),
    'S-CICNEWS-2026': Source(
        'S',
        'https://www.cicnews.com/2026/03/canada-passes-greatest-immigration-reforms-in-decades-0372876.html/amp',
        'Bill C-12 royal assent 26 Mar 2026; two new ineligibility grounds.',
    ),
    'S-C12-OTHER': Source(
        'S',
        'https://cleartoenter.ca/guides/bill-c-12-immigration-reform ; https://bartlaw.ca/2026-01-16-2',
        'Bill C-12 = S.C. 2026, c. 4; regulation-making power for exceptions to the new bars.',
    ),
}
