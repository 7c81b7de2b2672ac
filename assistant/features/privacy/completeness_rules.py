"""The rules of the completeness check: the elements of art. 13/14 AVG and how each is recognised.

Patterns work on folded text (lowercase, no accents). Per element: ``groups`` that must all be found
for "aanwezig"; ``vague`` wording that with the element's topic makes it "zwak" ("niet langer dan
noodzakelijk" without a term); ``nothing_to_report``, a sentence saying the element does not occur
("wij geven geen gegevens door buiten de EER") that makes it "niet van toepassing". Without a
register, ``SILENT`` says what in a text points to a conditional element; when nothing does, the
element is "niet van toepassing" (to be checked). These rules were fixed on labelled public statements
(``privacy toets-evaluatie``), never on single lines of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.features.privacy.statement import ARTICLES


@dataclass(frozen=True)
class Element:
    """A mandatory element of the privacyverklaring and how to recognise it."""

    key: str
    label: str
    groups: tuple[tuple[str, str], ...]
    descriptions: tuple[str, ...]
    condition: str = ""
    same_unit: bool = True
    vague: str = ""
    nothing_to_report: str = ""
    topic_is_weak: bool = False  # the first group alone (the topic without its detail) is "zwak"
    #: Items of a list element (``same_unit=False``) whose absence alone keeps it "aanwezig": a right that
    #: applies only with some legal bases (data portability, art. 20 lid 1 AVG).
    may_lack: tuple[str, ...] = ()
    #: A list element's items count only in a unit that also matches this (folded): "verwijderen" of
    #: cookies or "bezwaar" of the neighbours is no right of the person.
    unit_cue: str = ""

    @property
    def article(self) -> str:
        """The article(s) the element comes from."""
        a13, a14 = ARTICLES[self.key]
        return " / ".join(a for a in (a13, a14) if a)


_PERIOD = (
    r"(?<!jonger dan )(?<!ouder dan )(?<!binnen )(?<!vanaf )"  # an age or a reply time is no retention term
    r"\b(\d+|een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|vijftien|twintig|dertig)"
    r"\s*(-\s*)?(dag|dagen|week|weken|maand|maanden|jaar|jaren)\b"
    r"|tot (u|je|de betrokkene) (zich )?(\w+ ){0,4}(afmeld|uitschrijf|opzeg)\w*"
    r"|(afmeld|uitschrijf|opzeg)\w* .{0,40}(verwijder|gewist|vernietig)"
)
#: A retention statement without a term or criterion ("niet langer dan noodzakelijk").
_VAGUE_PERIOD = (
    r"niet langer (\w+ )?dan (\w+ ){0,6}(nodig|noodzakelijk)"
    r"|geen (\w+ ){0,2}langer (\w+ )?dan (\w+ ){0,6}(nodig|noodzakelijk)"
    r"|zo ?lang (als |dat )?(\w+ ){0,4}(nodig|noodzakelijk)|zo ?lang (als )?de wet"
    r"|(voor )?de (\w+ )?duur die (\w+ ){0,2}(nodig|noodzakelijk)"
    r"|wettelijke (bewaar)?termijn|criteri|archiefwet|selectielijst|bewaarplicht|verschilt per"
)
#: Whether the person must provide the data, or that some data are optional: never the
#: organisation's own duty ("wij zijn verplicht", "wettelijke verplichting").
_SUBJECT_DUTY = (
    r"\b(u|je|jij|ouders?|leden|deelnemers?) (bent|is|zijn) (\w+ ){0,4}?(niet |wettelijk )?verplicht"
    r"|\b(bent|ben|is) (u|je|jij) (\w+ ){0,3}?(niet |wettelijk )?verplicht"
    r"|verplicht (om )?(\w+ ){0,5}((?<!\baf )te geven|te verstrekken|op te geven|in te vullen"
    r"|aan te leveren|te tonen)"
    r"|verplichte (velden|gegevens|vragen)|(velden|vragen) (\w+ ){0,3}(zijn |is )?verplicht"
    r"|(gegevens|velden) (\w+ ){0,3}(zijn |is )?(niet verplicht|optioneel)"
    r"|moet(en)? (u|je) .{0,30}(geven|verstrekken)"
    # the organisation's duty about the person's own data: "wij zijn wettelijk verplicht uw identiteit
    # vast te stellen" (not "verplicht een dossier bij te houden", "verplicht deze gegevens af te geven")
    r"|\b(wij|we|ik) (zijn|ben) (\w+ ){0,2}?verplicht (om )?(\w+ ){0,4}?(uw|je|jouw)\b(?![^.;]{0,80}\bbewa)"
    r"|\b(zijn|ben) (wij|we|ik) (\w+ ){0,2}?verplicht (om )?(\w+ ){0,4}?(uw|je|jouw)\b(?![^.;]{0,80}\bbewa)"
    r"|\boptione(el|le)\b|\bvrijwillig(e)?\b|niet (noodzakelijk|verplicht)\b(?! .{0,20}(bewaren|verwerken))"
    r"|(gegevens|informatie) (\w+ ){0,3}(nodig|noodzakelijk) (\w+ ){0,2}(voor|om) (het |de |je |uw )?"
    r"(\w+ ){0,3}(inschrijving|lidmaatschap|bestelling|behandeling|les|lessen|levering|bezorg\w*)"
    r"|(nodig|noodzakelijk) om de (\w+ ){0,3}overeenkomst"
)
#: What happens when the person does not give the data: on its own it tells both that they are
#: needed and the consequence ("zonder uw contactgegevens kunnen wij u niet bemiddelen").
_WITHOUT_DATA = (
    r"zonder (deze|die|dit|uw|je|jouw) (\w+ ){0,4}(\w*gegevens|informatie|naam|\w*adres|\w*nummer"
    r"|\w*datum|bsn|identiteitsbewijs|cv)\b[^.;]{0,140}\b(niet|geen)\b"
    # "en de deelnemer die gegevens niet wil geven, kan Fri3d Camp weigeren een relatie … aan te gaan"
    r"|\bniet (wil|wilt|willen) (geven|verstrekken|delen)\b[^.;]{0,120}\b(kan|kunnen|zal|zullen)\b"
)
_NO_TRANSFER = (
    r"\b(geen|niet)\b[^.]{0,80}buiten de (eer|eu\b|europese)"
    r"|buiten de (eer|eu\b|europese( economische ruimte| unie)?)[^.]{0,40}\b(niet|geen|nooit)\b"
    r"|(alleen|uitsluitend) binnen de (eer|eu\b|europese)"
    r"|binnen de (eer|eu\b|europese( economische ruimte| unie)?) (\w+ ){0,3}(verwerkt|opgeslagen|bewaard)"
)
#: Recipients named by kind (or a well-known name): "derden" alone does not say who receives the data.
_RECIPIENT_KINDS = (
    r"boekhoud|accountant|administratiekantoor|belastingdienst|zorgverzekeraar|verzekeraar|bezorg(dienst|er|partner|bedrijf)"
    r"|pakket|postnl"
    r"|\bdhl\b|\bdpd\b|\bgls\b|koerier|vervoerder|betaal(dienst|provider|partner|platform|systeem)|\bbank|incasso|deurwaarder|advocaat|hosting|webhost"
    r"|host(ing)?partij|it-?leverancier|ict|software|cloud|leverancier|mailchimp|google|microsoft|stripe|mollie"
    r"|paypal|adyen|instructeur|drukker|laboratorium|apothe|huisarts|specialist|politie|gemeente|uwv|werkgever"
    r"|school|overheid|(marketing|reclame|advertentie)\w*|nieuwsbriefdienst|e-?maildienst|salarisadministratie"
    r"|arbodienst|bedrijfsarts|notaris|makelaar|bond\b|federatie|vereniging|stichting|webwinkel|platform"
)
#: The processors among the recipients: the service providers that work for the organisation (software,
#: hosting, mail, payments, delivery), named or by kind.
PROCESSOR_KINDS = (
    r"namens ons|in opdracht van ons|hosting|webhost|host(ing)?partij|it-?leverancier|\bict\b"
    r"|it-?partner|software|cloud|leverancier|dienstverlener|mailchimp|laposta|google|microsoft|office 365"
    r"|nieuwsbriefdienst|e-?maildienst|mailprogramma|administratiepakket|ledenadministratie\w*"
    r"|webwinkelplatform|boekhoud|accountant|administratiekantoor|salarisadministratie"
    r"|betaal(dienst|provider|partner|platform)|mollie|stripe|paypal|adyen|bezorg(dienst|er|partner|bedrijf)"
    r"|pakket|postnl|\bdhl\b|\bdpd\b|koerier"
)
#: Processing that usually rests on legitimate interest: when a statement mentions it without naming
#: that basis, the legitimate interest is missing rather than not applicable. Not an IP address or a
#: log file alone (every website has them; labellers of real statements did not count them), not a
#: phone's camera, not "geen gebruik van analytics".
F_TYPICAL = (
    r"(?<!geen gebruik van )(?<!geen )(analytics|statistiek)|serverlog|camerabeeld|cameratoezicht"
    r"|bewakingscamera|beveiligingscamera|camera's|fraude|direct ?marketing|tag manager"
    r"|hotjar|matomo|goatcounter|bezoekersgegevens"
    # offers to customers, browsing behaviour, management information and internal control (recital 47-49)
    r"|(?<!geen )(?<!niet voor )aanbiedingen\b|(?:surf|klik)gedrag\b(?! niet)"
    r"|managementinformatie|interne controle"
    # analytics cookies (not the privacy-friendly kind) and improving the service (recital 47)
    r"|(?<!geen )analy(?:se|tische?)[ -]?cookies(?! die geen inbreuk)"
    r"|verbeter(?:en|ing) van (?:onze|de|het) (?:dienstverlening|website|diensten|webshop)"
)
#: A legal basis named as such; "toestemming" only as the ground of processing, not cookie consent.
NAMED_BASIS = (
    r"grondslag|rechtsgrond|rechtmatigheid|art(ikel|\.)? ?6\b"
    r"|(op basis|op grond|vanwege|met|na) van (uw |je )?(uitdrukkelijke )?toestemming"
    r"|(met|na|op basis van) (uw |je )?(uitdrukkelijke )?toestemming"
    r"|toestemming (\w+ ){0,3}(als|is de) (grondslag|basis)"
    r"|(uitvoering|nakoming|uitvoeren) van (de |een |uw |je |onze )?(overeenkomst|opdracht|contract)"
    r"|(op grond|op basis) van (de |een |uw |je |onze )?(\w+ ){0,2}(overeenkomst|contract)"
    r"|wettelijke (verplichting|plicht)|(de )?wet (verplicht|schrijft)|gerechtvaardigd\w* belang"
    r"|(taak|belang) van algemeen belang|algemeen belang|vitaal belang"
)
#: Personal data that comes from someone else than the data subject (art. 14 AVG): data words
#: near a third party as source, not "inhoud van derden" in general.
_OTHER_SOURCE = (
    r"(gegevens|informatie)\b[^.]{0,60}\b(van|via|uit) (een |het )?(andere|derde|openbare?|externe)\w*"
    r"|(krijgen|ontvangen|verkrijgen|verzamelen) (wij|we)\b[^.]{0,60}\b(van|via|uit) (een |het )?"
    r"(andere|derde|openbare?|externe)\w*"
    r"|niet (van|bij) (u|je)( zelf)?\b[^.]{0,40}(verkregen|gekregen|ontvangen|verzameld)"
    r"|(ontvangen|krijgen|verkrijgen) (wij|we) (\w+ ){0,4}(gegevens|persoonsgegevens)\b"
    r"[^.]{0,60}\b(van|via)\b"
    # the source first: "dan ontvangen wij van de fabrikant (…) gegevens over uw auto" (not "van u")
    r"|(ontvangen|krijgen|verkrijgen) (wij|we) (van|via) (?!(u|je|jou|uzelf|jezelf)\b)[^.]{0,60}"
    r"\b(gegevens|persoonsgegevens|informatie)\b"
    # inverted order: "die gegevens krijgen we van de opdrachtgever"
    r"|(gegevens|informatie) (krijgen|ontvangen|verkrijgen) (wij|we)\b[^.]{0,40}\b(van|via)\b"
    r"|(gegevens|persoonsgegevens) (\w+ ){0,6}(van|via) [^.]{0,40}\b(ontvangen|gekregen|verkregen|doorgegeven"
    r"|aangeleverd|doorgestuurd)"
    r"|\bdeel\w* (\S+ ){0,5}\S*gegevens met ons"
    r"|door (de |hun |uw |je )?(ouders|voogd|werkgever|school|verwijzer|huisarts)\b"
    r"|(gegevens|informatie)\b[^.]{0,40}afkomstig (van|uit)"
    # the source at the head of the sentence: "Van het CBR krijgen we de uitslag", "Van de KNVB ontvangen
    # wij gegevens over wedstrijden"; a heading "Gegevens die we van het CBR krijgen"; "krijgen we in eerste
    # instantie van hun werkgever" (a third party named by an article, never "van u/je")
    r"|\bvan (de|het|een|onze|hun|uw|je|jouw) (\S+ ){0,3}(krijgen|ontvangen|verkrijgen) (wij|we)\b"
    r"|(gegevens|informatie) die (wij|we) van (de|het|een|onze|hun) [^.]{0,40}"
    r"\b(krijgen|ontvangen|verkrijgen)\b"
    r"|(krijgen|ontvangen|verkrijgen) (wij|we) (\w+ ){0,4}van (de|het|een|hun) "
    r"(?!(website|app|formulier|mail|e-mail|telefoon)\b)\w+"
)
#: Data said to come "in de meeste gevallen" from the person himself: the rest comes from others, so the
#: categories and the source are owed (art. 14 AVG), but the hedge names no source ("zwak" for the source).
_HEDGED_SELF = (
    r"\b(in de meeste gevallen|meestal|doorgaans|hoofdzakelijk|voornamelijk|grotendeels|merendeels)\b"
    r"[^.]{0,80}\b(betrokkene|(van )?(u|je|jou) zelf|uzelf|jezelf)\b"
)
_FROM_SUBJECT = (
    r"(die|welke) (u|je) (zelf )?(aan ons|bij ons|met ons) (\w+ ){0,2}"
    r"(geeft|verstrekt|deelt|invult|achterlaat)"
    r"|(gegevens|persoonsgegevens) (die|welke) (wij|we) (\w+ ){0,3}van (u|je) (zelf )?(krijgen|ontvangen)"
    r"|(die|welke) (u|je) (zelf )?(\w+ ){0,3}(aan ons|ons) (verstrekt|geeft|heeft gegeven|hebt gegeven)"
    # "wij krijgen uw gegevens altijd rechtstreeks van u" ("… niet rechtstreeks van u, maar …" is no claim)
    r"|(wij|we) (krijgen|ontvangen) (uw|je|jouw) ((?!niet\b)\w+ ){0,2}gegevens "
    r"((?!niet\b)\w+ ){0,3}van (u|je|jou)\b"
    r"|(uw|je|jouw|alle|de) ((?!niet\b)\w+ ){0,2}gegevens ((?!niet\b)\w+ ){0,3}komen "
    r"((?!niet\b)\w+ ){0,2}van (u|je|jou)\b"
)
ELEMENTS: tuple[Element, ...] = (
    Element(
        "identiteit",
        "Naam en contactgegevens van de organisatie",
        (
            (
                "verantwoordelijke",
                r"verantwoordelijk|wie zijn (wij|we)|over ons|contactgegevens|contact .{0,30}op"
                r"|\bkvk\b|kamer van koophandel|handelsregister|\b(b\.v\.|v\.o\.f\.|n\.v\.)",
            ),
            (
                "contactgegevens",
                r"[\w.+-]+@[\w-]+\.[\w.]+|\b0\d{1,3}[ -]?\d{3}[ -]?\d{3,4}\b|\+\d{2}\b"
                r"|\b\d{4} ?[a-z]{2}\b|postbus",
            ),
        ),
        (
            "Wie is verantwoordelijk voor de verwerking en hoe kunt u contact met ons opnemen.",
            "Onze contactgegevens: adres, e-mailadres en telefoonnummer van de organisatie.",
        ),
    ),
    Element(
        "fg",
        "Contactgegevens van de functionaris gegevensbescherming (FG)",
        (
            (
                "fg",
                # "Functionaris Gegevensbescherming" (without "voor") is the common template's wording
                r"functionaris ((voor|van) )?(de )?gegevensbescherming|\bfg\b|data protection officer"
                r"|\bdpo\b",
            ),
        ),
        (
            "Onze functionaris voor gegevensbescherming is bereikbaar via het volgende e-mailadres.",
            "Wij hebben een privacy officer die toezicht houdt op hoe wij met persoonsgegevens omgaan.",
        ),
        condition="alleen als er een FG is; vermeld anders dat er geen FG is",
        nothing_to_report=r"\bgeen\b (\w+ ){0,2}(functionaris|fg\b|data protection officer|dpo\b)"
        r"|(functionaris|\bfg\b)[^.]{0,60}\bniet (verplicht|nodig)",
    ),
    Element(
        "doelen",
        "Doelen en grondslagen van de verwerking",
        (
            (
                "doel",
                r"\bdoel(en|einden)?\b|waarvoor (gebruiken|verwerken|verzamelen|vragen)"
                r"|waarom (gebruiken|verwerken|verzamelen|vragen|bewaren) (wij|we)\b"
                r"|(gebruiken|verwerken) (wij|we) .{0,60}(om|voor)( |:)"
                r"|\b(wij|we) (\w+ ){0,2}(gebruiken|verwerken|bewaren|vragen) .{0,60}\b(om|voor)( |:)"
                # "de gegevens worden bewaard om oud-leden uit te nodigen"
                r"|\b(wordt|worden) (\w+ ){0,4}(gebruikt|verwerkt|verzameld|gevraagd|vastgelegd) "
                r"(\w+ ){0,3}(om|voor) |\b(wordt|worden) (\w+ ){0,4}bewaard (\w+ ){0,3}om ",
            ),
            (
                "grondslag",
                NAMED_BASIS,
            ),
        ),
        (
            "Voor welke doelen gebruiken wij uw persoonsgegevens en op welke wettelijke grondslag.",
            "Wij gebruiken uw gegevens om uw bestelling te leveren, omdat dat nodig is voor de overeenkomst.",
        ),
    ),
    Element(
        "gerechtvaardigd_belang",
        "Gerechtvaardigde belangen",
        (("belang", r"gerechtvaardigd\w* belang"),),
        ("Gerechtvaardigd belang: ons belang bij de verwerking, afgewogen tegen uw privacy.",),
        condition="alleen bij grondslag gerechtvaardigd belang (art. 6 lid 1 sub f AVG)",
    ),
    Element(
        "categorieen",
        "Categorieën persoonsgegevens die niet van de betrokkene zelf komen",
        (
            (
                "anders",
                _OTHER_SOURCE + "|" + _HEDGED_SELF,
            ),
        ),
        ("Deze gegevens krijgen wij niet van u zelf maar van een andere organisatie.",),
        condition="alleen als gegevens niet van de betrokkene zelf komen (art. 14 AVG)",
        nothing_to_report=_FROM_SUBJECT,
    ),
    Element(
        "ontvangers",
        "Ontvangers of categorieën ontvangers",
        (
            (
                "ontvangers",
                r"ontvanger|verwerker|(delen|verstrekken|geven|doorgeven) .{0,60}(aan|met) "
                r"(derden|andere|partijen|organisaties|bedrijven)|derde partij|derden"
                r"|(?<!wij )(?<!we )\bontvang(t|en)\b(?! (wij|we)\b)[^.]{0,40}gegevens"
                # "Met wie delen we je gegevens?", "camerabeelden geven we alleen aan de politie",
                # "leveranciers die gegevens namens ons verwerken"
                r"|met wie (delen|deelt) |\b(delen|verstrekken|geven|doorgeven|sturen) (wij|we)\b[^.]{0,60}"
                r"\b(aan|met|naar)\b|gegevens[^.]{0,40}\b(gedeeld met|verstrekt aan|doorgegeven aan)"
                r"|namens ons\b[^.]{0,40}\b(verwerk|opsla|opgeslagen|bewaar|bewaard|beheer)"
                # "We schakelen een paar dienstverleners in … Zij verwerken je gegevens uitsluitend in onze
                # opdracht", "Wie je gegevens nog meer ziet"
                r"|\bin (onze|mijn) opdracht\b"
                r"|\b(schakelen|schakelt) (\w+ ){0,4}"
                r"(dienstverleners|leveranciers|partijen|bedrijven|verwerkers) in\b"
                r"|\bwie (je|uw|jouw) gegevens (\w+ ){0,2}(ziet|zien|krijgt|krijgen|ontvangt|ontvangen)\b",
            ),
            ("wie (naam of soort)", _RECIPIENT_KINDS),
        ),
        (
            "Met welke organisaties delen wij uw gegevens, zoals verwerkers en andere ontvangers.",
            "Uw gegevens gaan naar de bezorgdienst en de betaalprovider die wij inschakelen.",
        ),
        vague=r"derden|derde partij|verwerker|ontvanger",
    ),
    Element(
        "doorgifte",
        "Doorgifte buiten de EER en de waarborgen",
        (
            (
                "buiten de EER",
                r"buiten de (europese economische ruimte|eer|europese unie|eu)\b|derde(n)? land|doorgifte"
                r"|buiten europa|verenigde staten|verenigd koninkrijk|amerikaans",
            ),
            (
                "waarborg (mechanisme)",
                r"modelcontract|standaardcontract|standard contractual|\bscc|adequaatheid|adequacy"
                r"|passend beschermingsniveau vastgesteld|data privacy framework|privacy shield"
                r"|bindende bedrijfsvoorschriften|binding corporate|\bbcr|art(ikel|\.)? ?4[5-9]\b",
            ),
        ),
        (
            "Uw gegevens gaan naar een land buiten de Europese Economische Ruimte; daarvoor gelden passende "
            "waarborgen.",
        ),
        condition="alleen bij doorgifte buiten de EER",
        vague=r"waarborg|passende (maatregel|garantie|bescherming)|beschermingsniveau|afspraken gemaakt",
        topic_is_weak=True,  # a transfer named without its mechanism
        nothing_to_report=_NO_TRANSFER,
    ),
    Element(
        "bewaartermijnen",
        "Bewaartermijnen",
        (
            ("bewaren", r"\bbewa(ar|ren|rd|ard)|hoe lang|opgeslagen|opslaan|gehouden"),
            ("termijn of criterium", _PERIOD),
        ),
        (
            "Hoe lang bewaren wij uw gegevens: de bewaartermijn per doel.",
            "Wanneer wij uw gegevens niet meer nodig hebben, vernietigen of verwijderen wij ze.",
        ),
        vague=_VAGUE_PERIOD,
    ),
    Element(
        "rechten",
        "Rechten van de betrokkene",
        (
            (
                "inzage",
                r"inzage|inzien|in te zien|bekijken"
                r"|welke (persoons)?gegevens (wij|we) (\w+ ){0,3}(hebben|verwerken)",
            ),
            ("rectificatie", r"rectificatie|verbeter|corrigeren|correctie"),
            ("wissing", r"wissing|verwijder|vergetelheid|wissen"),
            ("beperking", r"beperking|beperken"),
            ("overdraagbaarheid", r"overdraagbaarheid|overdragen|dataportabiliteit"),
            ("bezwaar", r"bezwaar"),
        ),
        (
            "U heeft recht op inzage, rectificatie, verwijdering, beperking, overdraagbaarheid en bezwaar.",
            "U mag uw gegevens bekijken, laten aanpassen of laten weghalen.",
        ),
        same_unit=False,
        may_lack=("overdraagbaarheid",),
        # a passage about the person's rights or requests ("u heeft het recht", "u kunt ons verzoeken")
        unit_cue=r"\brecht(en)?\b|verzoek|\b(kunt|kun|kan|mag|mogen) (u|je|jij)\b"
        r"|\b(u|je|jij) (kunt|kan|kun|mag)\b",
    ),
    Element(
        "toestemming_intrekken",
        "Toestemming intrekken",
        (
            (
                "intrekken",
                r"toestemming\W+(\w+\W+){0,12}?(in)?(trek|trok)|intrek\w*\W+(\w+\W+){0,6}?toestemming"
                # "Heeft u ons toestemming gegeven, bijvoorbeeld voor …, dan kunt u die weer intrekken."
                r"|toestemming (gegeven|verleend)\b[^.]{0,160}\b(die|deze|haar|het) (\w+ ){0,3}"
                r"(in)?(trekken|intrekken)",
            ),
        ),
        ("U mag uw toestemming altijd weer intrekken.",),
        condition="alleen bij grondslag toestemming",
        vague=r"toestemming\b[^.]{0,200}\b(aanpassen|wijzigen|veranderen|herroep\w*|uitzetten|intrek)"
        r"|\b(afmeld\w*|af te melden|uitschrijv\w*|uit te schrijven)\b"
        r"|(keuze|voorkeur|instelling)\w* (\w+ ){0,3}(aanpassen|wijzigen|veranderen)",
    ),
    Element(
        "klacht",
        "Klacht bij de Autoriteit Persoonsgegevens",
        (
            # the Belgian "Gegevensbeschermingsautoriteit" is a supervisory authority too
            (
                "Autoriteit Persoonsgegevens",
                r"autoriteit persoonsgegevens|toezichthoud|gegevensbeschermingsautoriteit",
            ),
            # a "melding" the person makes, not the organisation's own old notification of its processing
            # ("heeft de verwerking gemeld bij de Autoriteit Persoonsgegevens", under the heading "Melding")
            ("klacht", r"klacht|wenden tot|tip\b|melding (\w+ ){0,4}(doen|maken|indienen)|\bmelden\b"),
        ),
        (
            "U kunt een klacht indienen bij de Autoriteit Persoonsgegevens.",
            "Niet tevreden over hoe wij met uw persoonsgegevens omgaan? Meld dat bij de toezichthouder.",
        ),
        vague=r"(?!)",  # an internal complaints procedure without the supervisory authority is no element
        topic_is_weak=True,
    ),
    Element(
        "verplichting",
        "Wettelijke of contractuele verplichting en de gevolgen van niet verstrekken",
        (
            (
                "verplichting",
                # whether the person must give the data: the organisation's own duties ("wij zijn
                # wettelijk verplicht te bewaren") are not this element
                _SUBJECT_DUTY
                + "|"
                + _WITHOUT_DATA
                # "om je bestelling af te leveren hebben we een aantal gegevens van je nodig": that the
                # data are needed, without what follows from not giving them (at most "zwak")
                + r"|\b(hebben|heb) (wij|we|ik) (\w+ ){0,4}\w*gegevens (\w+ ){0,4}nodig\b",
            ),
            (
                "gevolgen",
                _WITHOUT_DATA + r"|gevolg|wat er gebeurt als|zonder (deze|die|uw|je) (\w+ )?gegevens"
                r"|zonder (uw |je )?e-mailadres"
                r"|(kunnen|kan) (wij|we) .{0,60}niet",
            ),
        ),
        (
            "Bent u verplicht om uw gegevens te geven, en wat gebeurt er als u dat niet doet.",
            "Zonder uw adres kunnen wij de overeenkomst niet uitvoeren; de wet verplicht ons dit te vragen.",
        ),
    ),
    Element(
        "bron",
        "Bron van de gegevens",
        (
            (
                "bron",
                _OTHER_SOURCE + r"|waar (?!(?:\w+ ){0,3}(?:geld|vermogen|middelen)\b).{0,30}vandaan"
                r"|verkregen (van|via|uit)|openbare bron|openbaar register"
                r"|(krijgen|ontvangen) (wij|we) .{0,40}(van|via|uit) (een )?(andere|derde|openbare)",
            ),
        ),
        ("Waar komen uw gegevens vandaan als wij ze niet van u zelf krijgen.",),
        condition="alleen als gegevens niet van de betrokkene zelf komen (art. 14 AVG)",
        nothing_to_report=_FROM_SUBJECT,
        vague=_HEDGED_SELF,
    ),
    Element(
        "geautomatiseerde_besluiten",
        "Geautomatiseerde besluitvorming en profilering",
        (
            (
                "besluiten",
                r"geautomatiseerd\w*( \w+){0,3} (besluit|beslis)|automatisch\w*( \w+){0,3} (besluit|beslis)"
                r"|profilering|door een computer|(besluit|beslis)\w* .{0,40}computer",
            ),
        ),
        ("Neemt een computer automatisch besluiten over u, en wat zijn de gevolgen.",),
        condition="verplicht bij geautomatiseerde besluiten; vermeld anders dat die er niet zijn",
        nothing_to_report=r"\bgeen\b (\w+ ){0,3}(besluit|beslis)\w*[^.]{0,80}"
        r"(computer|automatisch|geautomatiseerd)"
        r"|\b(geen|niet)\b[^.]{0,60}"
        r"(geautomatiseerd|profilering|automatisch\w* (\w+ ){0,2}(besluit|beslis))"
        r"|(geautomatiseerd\w*|profilering)[^.]{0,60}\b(niet|geen)\b",
    ),
)
ELEMENT_KEYS: tuple[str, ...] = tuple(e.key for e in ELEMENTS)
COMPILED = {e.key: [(name, re.compile(p)) for name, p in e.groups] for e in ELEMENTS}
VAGUE = {e.key: re.compile(e.vague) for e in ELEMENTS if e.vague}
NOTHING = {e.key: re.compile(e.nothing_to_report) for e in ELEMENTS if e.nothing_to_report}
UNIT_CUES = {e.key: re.compile(e.unit_cue) for e in ELEMENTS if e.unit_cue}
#: Rights that only some legal bases give (art. 20, art. 21 AVG); the other four always apply.
BASIS_RIGHTS = {"overdraagbaarheid": ("a", "b"), "bezwaar": ("e", "f")}
#: Without a register, a conditional element the statement never touches is "niet van toepassing" when
#: nothing in the text points to it: no legal basis "gerechtvaardigd belang", no consent, no other
#: source, no transfer and no well-known service outside the EEA (``doorgifte``). (A statement that
#: says nothing about them gives no reason to expect them; the element is marked for a check in its
#: note.)
SILENT_HINTS: dict[str, str] = {
    "fg": r"ziekenhuis|zorginstell|zorggroep|jeugdzorg|gemeentelijk|burgemeester|overheidsorgaan"
    r"|overheidsinstelling|bestuursorgaan|publiekrechtelijk|grootschalig|strafrechtelijke (persoons)?gegevens"
    r"|functionaris|\bfg\b",
    # art. 13 lid 2 sub f: the information is owed where automated decisions exist; a statement that never
    # touches them gives no reason to expect them (both labellers of real statements: "uit de aard blijkt
    # dat er geen zijn")
    "geautomatiseerde_besluiten": r"profilering|geautomatiseerd"
    r"|automatisch\w* (\w+ ){0,2}(besluit|beslis|beoordeel)|algoritme|kredietwaardig|credit ?scor"
    r"|risicoprofiel"
    r"|scoring",
    "gerechtvaardigd_belang": r"gerechtvaardigd\w* belang",
    # art. 13 lid 1 sub f: owed where a transfer is intended. The labellers of real statements mark
    # silence "niet van toepassing" unless the text names a service that is known to sit outside the
    # EEA (Google, MailChimp, Stripe, GitHub…) or advertising cookies; an app store is no processor.
    "doorgifte": r"\bgoogle\b(?! play)|firebase|mailchimp|microsoft|office ?365|facebook|\bmeta\b|instagram"
    r"|whatsapp|\bzoom\b|dropbox|amazon|\baws\b|hubspot|stripe|github|mapbox|trustpilot|hotjar|tiktok"
    r"|youtube|linkedin|twitter|icloud|salesforce|zendesk|intercom|typeform|surveymonkey|calendly"
    r"|sendgrid|mailgun|cloudflare|shopify|vimeo|targeting|advertentiecookie|amerika|verenigde staten"
    # tracking or marketing cookies (whose parties are mostly American): labellers owe the reader the
    # transfer then (not "geen tracking- of marketingcookies": see :data:`NOT_USED`)
    r"|tracking ?cookies?|trackingcookies?|marketing ?cookies?|tracking ?pixel|facebook-?pixel"
    r"|\bvs\b|\busa?\b|buiten (de )?(eer|eu\b|europ)",
    "toestemming_intrekken": r"toestemming|nieuwsbrief",
    "categorieen": _OTHER_SOURCE + "|" + _HEDGED_SELF,
    "bron": _OTHER_SOURCE + "|" + _HEDGED_SELF,
}
SILENT = {k: re.compile(p) for k, p in SILENT_HINTS.items()}
#: What a statement says it does not use ("wij plaatsen geen tracking- of marketingcookies"): no hint that a
#: transfer takes place (folded text, up to the end of the clause).
NOT_USED = re.compile(r"\b(?:geen|niet|nooit)\b[^.;:]{0,80}")
BASIS_WORDS = {
    "overdraagbaarheid": r"toestemming|overeenkomst",
    "bezwaar": r"gerechtvaardigd\w* belang|algemeen belang|openbaar gezag",
}
#: A legal basis as a purpose's own line states it ("dat is verplicht volgens de Wet op het primair
#: onderwijs", "op basis van uw toestemming", "taak van algemeen belang", "art. 6 lid 1 sub b").
PURPOSE_BASIS = (
    NAMED_BASIS + r"|toestemming|verplicht (\w+ ){0,2}(volgens|op grond van|door|bij) (de )?(\w+)?wet"
    r"|op grond van (de |het )?\w*(wet|besluit|regeling)\b|\w+wet (verplicht|schrijft)|wettelijk verplicht"
    r"|publieke taak|openbaar gezag|(noodzakelijk|nodig) (\w+ ){0,3}(overeenkomst|contract)"
    r"|behandel(ings)?overeenkomst|\bsub [a-f]\b"
)
#: A line that introduces or heads a list of purposes ("Wij gebruiken deze gegevens om:", "Doelen").
PURPOSE_LEAD = (
    r"\bdoel(en|einden)?\b|waarvoor|waarom|\b(om|voor)\s*:\s*$|(gebruiken|verwerken) (\w+ ){0,4}(om|voor)"
)
#: A list item that names data rather than a purpose ("Voor- en achternaam", "E-mailadres").
DATA_ITEM = (
    r"^\W*((voor- en )?achternaam|naam|\w*adres\w*|telefoon\w*|geboorte\w*|bsn|iban"
    r"|\w*gegevens|\w*nummer)\W*$"
)
