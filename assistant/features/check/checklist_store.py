"""Versions of the checklist: the shipped YAML is version 1, every edit stores a new version.

Versions live in the Compliancy Check database (``compliancy.sqlite3``) and are never
changed, so a stored check always knows the exact questions it answered. The first call
seeds version 1 from the shipped file.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.features.check.checklist import (
    Checklist,
    ChecklistError,
    ChecklistQuestion,
    load_shipped_checklist,
    parse_checklist,
    questions_from_json,
)
from ingestion.errors import SchemaVersionError
from knowledge.database import create_store, short_transaction
from knowledge.migrations import Migrations, script
from knowledge.records import stamp, unstamp

_SCHEMA = """
CREATE TABLE IF NOT EXISTS checklist_versions (
    version INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    author TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    questions_json TEXT NOT NULL
);
"""
QUESTION_VERSION = 1  # of each question in checklist_versions.questions_json
#: Questions the shipped checklist gained after release 0.1 (migration 2 adds them to existing installs).
ADDED_QUESTIONS = ("DPIA-03", "FG-03", "ADM-01", "CAM-01", "KIN-01")


def added_questions(conn: sqlite3.Connection) -> None:
    """Add the newly shipped questions as a new checklist version, keeping every existing question as is.

    A fresh file has no versions yet (the store seeds the shipped checklist after the migrations);
    a file whose newest version already has all of them (or on purpose removed some later) is left alone.
    """
    row = conn.execute("SELECT version, questions_json FROM checklist_versions ORDER BY version DESC LIMIT 1")
    latest = row.fetchone()
    if latest is None:
        return
    items = json.loads(latest[1])
    present = {str(item.get("id")) for item in items}
    shipped = load_shipped_checklist()
    new = [q for q in shipped.questions if q.id in ADDED_QUESTIONS and q.id not in present]
    if not new:
        return
    added = [stamp(asdict(q), QUESTION_VERSION) for q in new]
    conn.execute(
        "INSERT INTO checklist_versions (version, created_at, author, note, questions_json) "
        "VALUES (?, ?, ?, ?, ?)",
        (
            int(latest[0]) + 1,
            _now(),
            "meegeleverd",
            "Nieuwe vragen van het adviesbureau: " + ", ".join(q.id for q in new),
            json.dumps([*items, *added], ensure_ascii=False),
        ),
    )


#: The fields a knowledge manager edits; a stored question equal to a shipped one in these was not edited.
EDITED_FIELDS = ("theme", "question", "articles", "good_evidence", "measure", "effort_days", "key_terms")
#: What the judge of the check reads besides the question text (added to the shipped checklist after 0.1).
JUDGE_FIELDS = ("requirements", "periodic", "red_flags", "own_practice", "statement_evidence")


def shipped_requirements(conn: sqlite3.Connection) -> None:
    """Migration 3; see :func:`_adopt_shipped` (a question counts as current when stored exactly so)."""
    _adopt_shipped(conn, lambda item, current: stamp(asdict(current), QUESTION_VERSION) == item)


def _adopt_shipped(
    conn: sqlite3.Connection,
    is_current: Callable[[dict[str, Any], ChecklistQuestion], bool],
    what: str = "Vereisten, periodiek en tekortkomingen van de meegeleverde checklist",
) -> None:
    """Bring the shipped requirements, periodic marks and known weaknesses into an existing checklist.

    A question of the newest version that a knowledge manager never edited (its text, key terms and
    the like equal the question as a version of the tool itself wrote it, author ``meegeleverd``; a
    question such a version only copied along from an earlier version does not count) becomes
    the currently shipped question, with what the judge reads (``vereisten``, ``periodiek``,
    ``tekortkomingen``). An edited question is kept exactly as it is, and so is a removed one (it
    stays removed); the new version's note names the edited questions that did not get requirements.
    A fresh file (no versions yet) is left alone: the store seeds the shipped checklist after this.
    """
    rows = conn.execute("SELECT version, author, questions_json FROM checklist_versions ORDER BY version")
    versions = [(int(r[0]), str(r[1]), json.loads(r[2])) for r in rows.fetchall()]
    if not versions:
        return
    shipped_texts: set[tuple[str, str]] = set()  # what the tool itself wrote, not what it copied along
    before: set[tuple[str, str]] = set()
    for _, author, items in versions:
        texts = {(str(item.get("id")), _edited_part(item)) for item in items}
        if author == "meegeleverd":
            shipped_texts |= texts - before
        before = texts
    shipped = {q.id: q for q in load_shipped_checklist().questions}
    latest_version, _, items = versions[-1]
    updated, kept = [], []
    result = []
    for item in items:
        question_id = str(item.get("id"))
        current = shipped.get(question_id)
        if (
            current is None
            or not any(getattr(current, name) for name in JUDGE_FIELDS)
            or is_current(item, current)
        ):
            result.append(item)
        elif (question_id, _edited_part(item)) in shipped_texts:
            result.append(stamp(asdict(current), QUESTION_VERSION))
            updated.append(question_id)
        else:
            result.append(item)
            if not item.get("requirements") and not item.get("periodic") and not item.get("red_flags"):
                kept.append(question_id)
    if not updated:
        return
    note = f"{what} bij {len(updated)} vragen"
    if kept:
        note += "; niet bij de door u gewijzigde vragen " + ", ".join(kept) + " (vul ze zelf aan)"
    conn.execute(
        "INSERT INTO checklist_versions (version, created_at, author, note, questions_json) "
        "VALUES (?, ?, ?, ?, ?)",
        (latest_version + 1, _now(), "meegeleverd", note, json.dumps(result, ensure_ascii=False)),
    )


def _edited_part(item: dict[str, object]) -> str:
    fields = {name: item.get(name) for name in EDITED_FIELDS}
    if isinstance(fields["effort_days"], int | float):
        fields["effort_days"] = float(fields["effort_days"])  # 1 and 1.0 are the same effort
    return json.dumps(fields, ensure_ascii=False, sort_keys=True)


def optional_requirements(conn: sqlite3.Connection) -> None:
    """Bring the shipped ``aanvullend`` marks (optional requirements) into unedited questions.

    The same rule as :func:`shipped_requirements`: only questions a knowledge manager never edited change.
    A question is compared by content, not by its stored shape: a file that ran migration 3 under an
    earlier release stored requirements without the ``optional`` key, and such a question whose content
    is already the shipped one is left as it is (no new version when nothing changes).
    """
    _adopt_shipped(conn, _same_content)


def _same_content(item: dict[str, Any], current: ChecklistQuestion) -> bool:
    """Whether a stored question reads as ``current`` (missing newer keys take their defaults)."""
    try:
        stored = questions_from_json([unstamp(item, QUESTION_VERSION, "checklistvraag")], 0).questions[0]
    except (TypeError, KeyError, ValueError, SchemaVersionError):
        return False  # not readable as a question of this release: never "already current"
    return stored == current


def broader_terms(conn: sqlite3.Connection) -> None:
    """Bring the shipped broader key terms, requirements and weaknesses (round 4) into unedited questions.

    GOV-01 (privacyhandboek, privacyreglement), REC-04 (other marketing wordings and requirements: an
    opt-out in every message, handled at once) and PBD-02 (pre-ticked boxes, broad defaults). The same
    rule as :func:`shipped_requirements`: only questions a knowledge manager never edited change, and a
    question is compared by content (as in :func:`optional_requirements`), so a file whose questions are
    already current gets no new version.
    """
    _adopt_shipped(conn, _same_content, "Bredere kernbegrippen en vereisten van de meegeleverde checklist")


def judged_questions(conn: sqlite3.Connection) -> None:
    """Bring the shipped requirements of DPIA-01, DPIA-03, REC-02 and PBD-02 into unedited questions.

    Without requirements the judge could only propose *onbekend* for these questions whenever a
    passage mentioned the subject. The same rule as :func:`broader_terms`.
    """
    _adopt_shipped(conn, _same_content, "Vereisten bij DPIA-01, DPIA-03, REC-02 en PBD-02")


def own_words_requirements(conn: sqlite3.Connection) -> None:
    """Migration 7: the shipped requirements of LEK-01, BEV-02 and TRA-02 (round 6) in unedited questions.

    Measures written in the client's own words ("meldt dat dezelfde dag bij de privacy officer", "de
    privacycoördinator en de directeur bekijken samen", "alleen de teamleider kan erbij") and TRA-02's
    term of informing as an optional element (consultants accept the information without it). The same
    rule as :func:`broader_terms`.
    """
    _adopt_shipped(conn, _same_content, "Vereisten in eigen woorden bij LEK-01, BEV-02 en TRA-02")


def essential_requirements(conn: sqlite3.Connection) -> None:
    """Migration 8: the shipped ``kern`` marks (round 7) in unedited questions.

    What a question itself asks for must be shown for *voldoet*: GOV-01's adoption by the board, LEK-01's
    72 hours, BWT-02's record of the clean-up; GOV-01 also knows a partnership ("maatschap") as its board,
    BEV-03 "tweestapsverificatie" and BitLocker as its subject, BEV-02 access in the client's own words
    ("wie kan waarbij", "zien alleen …", "afgeschermd"), and FG-01's first requirement has its whole name
    again. The same rule as :func:`broader_terms`.
    """
    _adopt_shipped(conn, _same_content, "Kernvereisten van de meegeleverde checklist")


def evidence_by_document_kind(conn: sqlite3.Connection) -> None:
    """Migration 9: which documents count as evidence (round 8), in unedited questions.

    ``eigen_werkwijze`` on the questions about the organisation's own way of working (a processing agreement
    is no evidence there), ``bewijs_uit_privacyverklaring`` on the transparency questions (the client's
    privacy statement is evidence only there) with TRA-02's "informed" shown by the statement, and broader
    key terms: REG-03 "vult het register aan" / "werkt … bij", LEK-03 "informeren we" and "is het risico
    hoog", TRA-02 "Van het CBR krijgen we …", GRS-04 "medische informatie". The same rule as
    :func:`broader_terms`.
    """
    _adopt_shipped(conn, _same_content, "Bewijs naar soort document en bredere kernbegrippen (ronde 8)")


def client_words(conn: sqlite3.Connection) -> None:
    """Migration 10: broader key terms of round 9, in unedited questions.

    REG-03 knows a register that is gone through with the process owners ("twee keer per jaar
    doorgelopen", "controleert het register", "nieuw opgenomen"); GRS-04 knows health data in a client's
    words ("zwanger", "allergie", "medicijngebruik", "hartklachten", "hoge bloeddruk", "epilepsie"), so a
    register that lists no special data while an intake form asks for them is seen as incomplete; REC-02
    names a standard term of six or more weeks as a weakness, REC-03 a copy kept in other words ("bewaar
    die kopie", "de kopie … wordt bij het verzoek bewaard", "altijd om een kopie"), KIN-01 a child under 16
    who consents alone ("vanaf 13 jaar … zelf", "geen toestemming van ouders") and FG-01 the number of
    employees as the criterion ("minder dan 250 medewerkers"). The same rule as :func:`broader_terms`.
    """
    _adopt_shipped(conn, _same_content, "Kernbegrippen in de woorden van de klant (ronde 9)")


def reasoned_outcomes(conn: sqlite3.Connection) -> None:
    """Migration 11: broader requirement terms of round 10, in unedited questions.

    FG-01's conclusion in the client's words ("hoeft geen FG aan te stellen", "hoeven niet"), ADM-01's
    human intervention where a person decides ("de software beslist niets", "de optometrist beslist altijd
    zelf"), BEV-02's weaknesses of access for all ("iedereen gebruikt hetzelfde account", "alle
    intercedenten kunnen alle kandidaten zien"), VWK-03's objection only by ending the contract ("bezwaar
    … kan alleen worden gemaakt door opzegging"). The same rule as :func:`broader_terms`.
    """
    _adopt_shipped(
        conn, _same_content, "Conclusies, tussenkomst en gedeelde toegang in eigen woorden (ronde 10)"
    )


def own_words_round_11(conn: sqlite3.Connection) -> None:
    """Migration 12: weaknesses of round 11 in the client's own words, in unedited questions.

    REC-03: a copy of the identity document asked at every request and kept with it ("wij vragen bij elk
    verzoek een kopie …, die wij bij het verzoek in het dossier bewaren"); LEK-02: a breach register that
    holds only the breaches reported to the AP ("nemen wij de inbreuken op die bij de AP zijn gemeld"),
    and knows a breach register in other words ("worden geregistreerd", "legt het incident vast in het
    incidentenlog", a column "Omschrijving" or "Afhandeling"). The same rule as :func:`broader_terms`.
    """
    _adopt_shipped(
        conn, _same_content, "Kopie bij elk verzoek en het datalekregister in eigen woorden (ronde 11)"
    )


def struck_down_safeguards(conn: sqlite3.Connection) -> None:
    """Migration 13: DGF-02 knows the transfer mechanisms the Court of Justice struck down, in unedited
    questions: a transfer "geregeld via het Privacy Shield-certificaat" (or Safe Harbor) has no safeguard
    since 16 July 2020 (C-311/18 *Schrems II*). The same rule as :func:`broader_terms`."""
    _adopt_shipped(conn, _same_content, "Privacy Shield en Safe Harbor zijn geen waarborg (ronde 12)")


def own_words_round_13(conn: sqlite3.Connection) -> None:
    """Migration 14: the client's own words of round 13, in unedited questions.

    GOV-01 knows a policy named "Privacy- en informatiebeveiligingsbeleid"; CAM-01's purpose in other
    words ("dient ter bescherming van personen en het pand"); FG-01's criteria in the client's words ("het
    grote aantal dossiers", "openbaar ambtenaar"); LEK-04's information a processor gives ("met de
    informatie die wij nodig hebben", "de informatie genoemd in artikel 33 lid 3"); REC-02 no longer
    reads "na verlenging binnen zes weken afgehandeld" as a late answer; KIN-01 knows photos of children
    published without every parent's consent ("ook als niet alle ouders ja hebben ingevuld", "tenzij een
    ouder bezwaar maakt", "vragen we geen toestemming aan de ouders"); BEV-04's restore test is its core
    (back-ups at night to a second location without one are *voldoet deels*); known weaknesses in the
    client's words: one account for a group ("hetzelfde beheeraccount", "het account van de woongroep",
    BEV-02), no two-step login or data on private computers (BEV-03), the 72 hours counted from the end of
    an investigation (LEK-01), registration of unreported breaches "niet nodig" (LEK-02), a processor's
    agreement that excludes audits or lets it keep the data "zolang" it needs them (VWK-02). The same rule as
    :func:`broader_terms`.
    """
    _adopt_shipped(conn, _same_content, "Eigen woorden van de klant (ronde 13)")


def misconceptions_round_14(conn: sqlite3.Connection) -> None:
    """Migration 15: known misconceptions and the client's words of round 14, in unedited questions.

    LEK-01 knows a duty to report that depends on a number of people ("hoeft alleen gemeld te worden als
    er meer dan 100 mensen bij betrokken zijn"; art. 33 lid 1 AVG asks for the risk); GRS-04 knows health
    data taken without explicit consent because the person gives them himself, or on silent or implicit
    consent; PBD-02 a setting that shows, shares or tracks more and is on by default ("berichtinhoud tonen
    in meldingen staat standaard aan"); DGF-02 knows a transfer impact assessment ("doorgiftetoets") as its
    subject; BWT-01 retention in other words ("hoe lang … bewaart"); BWS-01 and BWS-02 know volunteers as
    the workforce beside employees ("elke nieuwe vrijwilliger volgt de basiscursus", "inwerkperiode"). The
    same rule as :func:`broader_terms`.
    """
    _adopt_shipped(conn, _same_content, "Bekende misvattingen en eigen woorden van de klant (ronde 14)")


def misconceptions_round_15(conn: sqlite3.Connection) -> None:
    """Migration 16: known misconceptions and the client's words of round 15, in unedited questions.

    REC-03 knows a passport or driving licence asked with a request ("Bij een inzageverzoek vragen wij om
    een kopie van zijn paspoort") and a copy scanned into the file ("Van iedere aanvrager maken we een kopie
    van het identiteitsbewijs; deze kopie wordt in het dossier gescand"); DGF-01 knows not knowing where a
    service keeps the data ("Waar Plonsapp de gegevens opslaat, weten wij niet") and a European server
    taken for no transfer at all ("een Europese server in Frankfurt, dus er gaat niets naar Amerika");
    DPIA-02 knows processing started or continued without the prior consultation a high residual risk asks
    for (art. 36 AVG); the legal bases (GRS-01 to GRS-03) are the organisation's own: a processing
    agreement's "toestemming" is the controller's consent to a sub-processor, no consent of a data subject.
    Own words: a clean-up "na twee jaar" (BWT-02), a section "Rechten van betrokkenen" and "beantwoorden
    wij" (REC-01). The same rule as :func:`broader_terms`.
    """
    _adopt_shipped(conn, _same_content, "Bekende misvattingen en eigen woorden van de klant (ronde 15)")


def weaknesses_round_17(conn: sqlite3.Connection) -> None:
    """Migration 17: known weaknesses in the client's words of round 17, in unedited questions.

    BEV-02 knows data put where a whole group reaches them ("op de gedeelde schijf, zodat alle vrijwilligers
    erbij kunnen", "in het Teamskanaal waarin alle medewerkers zitten"); LEK-02 knows the misconception that
    unreported breaches need no record ("hoeven we ook nergens vast te leggen"; art. 33 lid 5 AVG asks for
    every breach); VWK-02 knows a processor allowed to use the data for its own purposes (art. 28 lid 3 sub
    a and lid 10 AVG); BWT-02 knows an "opschoonregel" as its subject, LEK-03 informing the people by name
    ("Klanten informeren"); GOV-01 and LEK-01 know a policy or breach procedure still built on the Wet
    bescherming persoonsgegevens, which the AVG replaced on 25 May 2018. The same rule as
    :func:`broader_terms`.
    """
    _adopt_shipped(conn, _same_content, "Bekende tekortkomingen in eigen woorden van de klant (ronde 17)")


def misconceptions_round_18(conn: sqlite3.Connection) -> None:
    """Migration 18: a known misconception and the client's words of round 18, in unedited questions.

    LEK-01 knows the 72 hours counted from the moment all facts are known or the breach is confirmed
    ("uiterlijk 72 uur nadat alle feiten op tafel liggen", "gaat pas lopen als het onderzoek is afgerond";
    art. 33 lid 1 AVG counts from the discovery); VWK-02 knows a processor that may keep using the data to
    improve its own product (art. 28 lid 3 sub a and lid 10 AVG); REC-04 knows an unsubscribe link left out
    of the messages ("hebben we bewust weggelaten"); REC-01 knows requests refused as a rule ("verzoeken om
    inzage … wijzen wij af"); FG-02 knows an FG who also holds a management position ("naast FG ook manager
    ICT", art. 38 lid 6 AVG); BEV-02 knows "alle bezorgers kunnen in RouteSlim de kluiscodes van alle routes
    zien" (a place between the group and what it sees); GRS-04 knows data about health taken for no health
    data ("Dieetwensen zijn geen medische gegevens", art. 4 sub 15 AVG);
    BWT-02 knows deleting in other words ("zijn er nooit uit gehaald"); DPIA-03 knows pseudonymised data
    taken for anonymous data ("slaat alleen gehashte MAC-adressen op, en die zijn anoniem"; overweging 26
    AVG); DPIA-02 knows a high residual risk with "geen reden om de Autoriteit Persoonsgegevens te
    raadplegen" (art. 36 lid 1 AVG). The same rule as :func:`broader_terms`.
    """
    _adopt_shipped(conn, _same_content, "Bekende misvatting en eigen woorden van de klant (ronde 18)")


def camera_balancing_test_round_19(conn: sqlite3.Connection) -> None:
    """Migration 19: CAM-01's balancing test is essential, in unedited questions.

    A camera policy with purpose, term, access and signs but without the balancing test is what the
    Autoriteit Persoonsgegevens calls incomplete: camera surveillance rests on a legitimate interest that
    must be weighed and recorded (art. 6 lid 1 sub f AVG). Measured on the read dossiers: of six policies
    the check called *voldoet* without a balancing test, the consultant called four *voldoet deels*. The
    same rule as :func:`broader_terms`.
    """
    _adopt_shipped(conn, _same_content, "Belangenafweging als kern van het camerareglement (ronde 19)")


def misconceptions_round_20(conn: sqlite3.Connection) -> None:
    """Migration 20: consent presumed, the 72 hours counted from a decision, the unreported breaches as
    LEK-02's core, a private computer and ordinary e-mail (BEV-03), in unedited questions.

    GRS-02 knows consent taken for given where the person made no choice ("heeft de patiënt er geen
    uitgesproken mening over of is het druk, zet het veld dan op ja"; "wie niet reageert, daarvan gaan we
    ervan uit dat hij toestemming geeft"): art. 4 punt 11 AVG asks for an active, unambiguous act. LEK-01
    knows the 72 hours counted from a meeting's decision ("gaat in op het moment dat het MT heeft vastgesteld
    dat er sprake is van een datalek"; art. 33 lid 1 AVG counts from the discovery). LEK-02's core is what it
    asks: the breaches that were not reported are recorded too ("ieder datalek, gemeld of niet, komt in het
    register"); the facts, effects and measures per entry are good practice (aanvullend): on the read dossiers
    consultants accepted five registers without them and none without the unreported breaches. BEV-03 knows
    a private computer allowed for the work ("mag daarvoor de eigen computer gebruiken") and data sent by
    ordinary e-mail ("met gewone e-mail naar het teamadres"): of nine read dossiers with such a sentence, the
    consultant called BEV-03 *voldoet deels* in eight (the ninth said "nooit via gewone e-mail"). The same
    rule as :func:`broader_terms`.
    """
    _adopt_shipped(
        conn,
        _same_content,
        "Veronderstelde toestemming, de 72 uur na een besluit, niet-gemelde datalekken (ronde 20)",
    )


def weaknesses_round_22(conn: sqlite3.Connection) -> None:
    """Migration 21: weaknesses in the client's own words of round 22, in unedited questions.

    BEV-02 knows a login in sight of all ("de pincode van de groepstablet staat op een sticker", "het
    wachtwoord hangt in de backoffice"), a hyphenated shared account ("het gezamenlijke receptie-account"), a
    place where everyone gets in ("op de gedeelde schijf, waar iedereen bij kan") and volunteers or members
    with an administrator's account. BEV-03 knows two-step login switched off ("is op verzoek van kantoor
    uitgeschakeld"). LEK-01 knows the 72 hours counted from an investigation with more words between
    ("de termijn van 72 uur voor een melding bij de Autoriteit Persoonsgegevens gaat pas lopen als …") and a
    duty to report made to depend on the kind of data ("alleen … als er bijzondere persoonsgegevens bij
    betrokken zijn"; art. 33 lid 1 AVG asks for the risk). VWK-02 knows a processor that may use the data
    for statistics or its own analyses (art. 28 lid 3 sub a AVG). REC-04 knows objections handled once a
    month and marketing that goes on after one ("maar de herinnering met de actie van de maand gaat gewoon
    door"; art. 21 lid 3 AVG). The same rule as :func:`broader_terms`.
    """
    _adopt_shipped(conn, _same_content, "Bekende tekortkomingen in eigen woorden van de klant (ronde 22)")


def weaknesses_round_23(conn: sqlite3.Connection) -> None:
    """Migration 22: weaknesses in the client's own words of round 23, in unedited questions.

    LEK-01 knows the 72 hours counted from a decision ("binnen 72 uur na het besluit van het MT"; art. 33
    lid 1 AVG counts from the discovery) and a number of people as a condition to report ("melden wij bij
    de AP als er gegevens van meer dan 100 personen bij betrokken zijn"; the law asks for the risk). REC-04
    knows members who cannot unsubscribe ("leden kunnen zich niet afmelden voor de nieuwsbrief"; art. 21
    lid 2 and 3 AVG). REC-01 knows data called the organisation's property and kept from the person ("zijn
    eigendom van … en die geven wij niet mee"; art. 15 AVG). VWK-01 knows a party with nothing agreed in
    writing ("met Jelmer hebben we niets op papier"; art. 28 lid 3 and 9 AVG). BWT-02 knows data never
    deleted ("we hebben nooit iets verwijderd"). CAM-01 knows a camera kept outside the camera rules ("de
    webcam … valt daarom niet onder dit reglement"). The same rule as :func:`broader_terms`.
    """
    _adopt_shipped(conn, _same_content, "Bekende tekortkomingen in eigen woorden van de klant (ronde 23)")


def weaknesses_round_24(conn: sqlite3.Connection) -> None:
    """Migration 23: round 24's words, in unedited questions.

    BEV-02 knows accounts of people who left that stay open ("accounts van zzp'ers die niet meer voor ons
    werken, blijven actief"), passwords not changed when someone leaves, one account for all ("werken we
    allemaal onder het account 'balie'") and everyone with access to everything ("hebben alle
    projectmanagers toegang tot alle projecten"; art. 32 AVG). REC-02 knows a request that took longer than
    a month ("heeft negen weken geduurd"; art. 12 lid 3 AVG). GRS-02 knows a box "al aangevinkt" (art. 4
    sub 11 AVG). REC-04 knows an unsubscribe that waits for the next round and mail after unsubscribing
    (art. 21 lid 3 AVG). BEV-03 reads a second factor in other words ("wachtwoord en
    een tweede factor (authenticator-app of sms-code)"). TRA-03 reads plain language in other words ("in
    gewone taal of in andere talen"). ADM-01 no longer reads a response or satisfaction score as the score
    of a person ("de responsscore is van 18 naar 41 procent gestegen"). The same rule as
    :func:`broader_terms`.
    """
    _adopt_shipped(conn, _same_content, "Woorden van ronde 24 (tekortkomingen, tweede factor, gewone taal)")


MIGRATIONS = Migrations(
    "checklist",
    [
        script("base_schema", _SCHEMA),
        added_questions,
        shipped_requirements,
        optional_requirements,
        broader_terms,
        judged_questions,
        own_words_requirements,
        essential_requirements,
        evidence_by_document_kind,
        client_words,
        reasoned_outcomes,
        own_words_round_11,
        struck_down_safeguards,
        own_words_round_13,
        misconceptions_round_14,
        misconceptions_round_15,
        weaknesses_round_17,
        misconceptions_round_18,
        camera_balancing_test_round_19,
        misconceptions_round_20,
        weaknesses_round_22,
        weaknesses_round_23,
        weaknesses_round_24,
    ],
)


def _dump(checklist: Checklist) -> str:
    return json.dumps([stamp(q, QUESTION_VERSION) for q in checklist.to_json()], ensure_ascii=False)


@dataclass(frozen=True)
class ChecklistVersion:
    """Who made a version of the checklist, when and why."""

    version: int
    created_at: str
    author: str
    note: str
    question_count: int


class ChecklistStore:
    """The checklist's versions in SQLite."""

    def __init__(self, path: Path) -> None:
        self.path = path
        create_store(path, MIGRATIONS, wal=False)
        with short_transaction(path, immediate=True) as conn:
            if conn.execute("SELECT COUNT(*) FROM checklist_versions").fetchone()[0] == 0:
                shipped = load_shipped_checklist()
                conn.execute(
                    "INSERT OR IGNORE INTO checklist_versions (version, created_at, author, note, "
                    "questions_json) VALUES (1, ?, 'meegeleverd', 'Meegeleverde checklist', ?)",
                    (_now(), _dump(shipped)),
                )

    def current(self) -> Checklist:
        """The newest version."""
        return self.get(self.versions()[-1].version)

    def get(self, version: int) -> Checklist:
        """One version of the checklist."""
        with short_transaction(self.path) as conn:
            row = conn.execute(
                "SELECT questions_json FROM checklist_versions WHERE version = ?", (version,)
            ).fetchone()
        if row is None:
            raise ChecklistError(f"Versie {version} van de checklist bestaat niet.")
        items = json.loads(row["questions_json"])
        return questions_from_json([unstamp(q, QUESTION_VERSION, "checklistvraag") for q in items], version)

    def versions(self) -> list[ChecklistVersion]:
        """All versions, oldest first."""
        with short_transaction(self.path) as conn:
            rows = conn.execute("SELECT * FROM checklist_versions ORDER BY version").fetchall()
        return [
            ChecklistVersion(
                r["version"], r["created_at"], r["author"], r["note"], len(json.loads(r["questions_json"]))
            )
            for r in rows
        ]

    def save(self, questions: list[ChecklistQuestion], author: str, note: str = "") -> Checklist:
        """Store ``questions`` as a new version; validated like an imported YAML file."""
        author = " ".join(author.split())
        if not author:
            raise ChecklistError("Vul de naam in van wie de checklist wijzigt.")
        draft = Checklist(0, questions)
        parse_checklist(draft.to_yaml())  # the same checks as an imported file
        with short_transaction(self.path, immediate=True) as conn:
            number = int(conn.execute("SELECT MAX(version) FROM checklist_versions").fetchone()[0]) + 1
            conn.execute(
                "INSERT INTO checklist_versions (version, created_at, author, note, questions_json) "
                "VALUES (?, ?, ?, ?, ?)",
                (number, _now(), author, note.strip(), _dump(draft)),
            )
        return replace(draft, version=number)

    def save_yaml(self, text: str, author: str, note: str = "") -> Checklist:
        """Store an edited YAML checklist as a new version."""
        return self.save(parse_checklist(text).questions, author, note)

    def update_question(self, question: ChecklistQuestion, author: str, note: str = "") -> Checklist:
        """A new version with ``question`` replaced (same id) or added at the end (new id)."""
        questions = list(self.current().questions)
        for index, existing in enumerate(questions):
            if existing.id == question.id:
                questions[index] = question
                break
        else:
            questions.append(question)
        return self.save(questions, author, note or f"Vraag {question.id} gewijzigd")

    def remove_question(self, question_id: str, author: str, note: str = "") -> Checklist:
        """A new version without the question ``question_id``."""
        current = self.current()
        current.get(question_id)  # raises when unknown
        questions = [q for q in current.questions if q.id != question_id]
        return self.save(questions, author, note or f"Vraag {question_id} verwijderd")


def key_terms_from_text(text: str) -> list[str]:
    """Key terms as a knowledge manager types them → the stored form (see ``kernbegrippen``).

    One line per term that must occur in a passage; on a line, words or phrases separated by
    commas are alternatives, one of which is enough ("privacybeleid, privacy policy" is stored as
    ``privacybeleid|privacy policy``). Nothing else has a special meaning.
    """
    terms = []
    for line in (text or "").splitlines():
        if "|" in line:
            raise ChecklistError("Gebruik komma's tussen varianten van een kernbegrip, geen '|'.")
        alternatives = [" ".join(a.split()) for a in line.split(",") if a.strip()]
        if alternatives:
            terms.append("|".join(alternatives))
    if not terms:
        raise ChecklistError("Vul minstens één kernbegrip in.")
    return terms


def key_terms_to_text(terms: list[str]) -> str:
    """The stored key terms as the form shows them: one line per term, alternatives by commas."""
    return "\n".join(", ".join(a.strip() for a in term.split("|") if a.strip()) for term in terms)


def question_from_form(
    question_id: str,
    theme: str,
    text: str,
    articles: str,
    good_evidence: str,
    measure: str,
    effort_days: float | None,
    key_terms: str,
) -> ChecklistQuestion:
    """A checklist question from the fields of a form (articles comma-separated); Dutch errors."""
    identifier = " ".join((question_id or "").split()).upper()
    if not identifier:
        raise ChecklistError("Vul de code van de vraag in, bijvoorbeeld GOV-04.")
    if effort_days is None:
        raise ChecklistError("Vul de inspanning in dagen in.")
    return ChecklistQuestion(
        id=identifier,
        theme=" ".join((theme or "").split()),
        question=" ".join((text or "").split()),
        articles=[" ".join(a.split()) for a in (articles or "").split(",") if a.strip()],
        good_evidence=" ".join((good_evidence or "").split()),
        measure=" ".join((measure or "").split()),
        effort_days=float(effort_days),
        key_terms=key_terms_from_text(key_terms),
    )


#: The fields of a question the checklist form does not show; an edit in the form keeps them.
FIELDS_NOT_ON_FORM = (
    "risk",
    "condition",
    "requirements",
    "periodic",
    "red_flags",
    "own_practice",
    "statement_evidence",
)


def keep_unedited(stored: ChecklistQuestion, edited: ChecklistQuestion) -> ChecklistQuestion:
    """``edited`` (from the form) with the fields the form does not show taken from ``stored``."""
    return replace(edited, **{name: getattr(stored, name) for name in FIELDS_NOT_ON_FORM})


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
