"""Formex XML legislation (the Publications Office's source format): articles and recitals.

Handles both an Official Journal act (``ACT``) and a consolidated text (``CONS.ACT``):
``ARTICLE`` with ``TI.ART``/``STI.ART``, ``PARAG`` with ``NO.PARAG`` and ``ALINEA``,
point lists ``LIST``/``ITEM``/``NP`` (``NO.P`` + ``TXT``), definition lists
``DLIST.ITEM`` (``PREFIX``, ``TERM``, ``DEFINITION``) and recitals ``CONSID``. Chapters
come from ``DIVISION``/``TITLE``. Footnotes (``NOTE``) are dropped, ``QUOT.START``/
``QUOT.END`` become „ and ”, processing instructions such as ``<?PAGE?>`` are ignored.

The XML is parsed with :mod:`defusedxml`: entity expansion ("billion laughs") and external
entities are refused with an :class:`~ingestion.errors.IngestionError`.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring

from ingestion.errors import IngestionError
from ingestion.law_names import chapter_label, detect_law_name, law_text_title, regulation_reference
from ingestion.model import Article, LawParagraph, LawText, Recital, Segment
from ingestion.text_cleaning import clean_text

#: Elements whose content is laid out as separate blocks (a space separates them).
_BLOCK_TAGS = frozenset(
    {"P", "ALINEA", "LIST", "ITEM", "NP", "NO.P", "TXT", "DLIST", "DLIST.ITEM", "ROW", "CELL"}
)
#: Subtrees never searched for articles: quoted provisions of other acts, footnotes.
_SKIP_SUBTREES = frozenset({"QUOT.S", "NOTE", "BIB.INSTANCE", "INFO.CONSLEG", "INFO.PROD"})
_QUOTES = {"QUOT.START": "\u201e", "QUOT.END": "\u201d"}
#: Numbers marked as such (<FT TYPE="NUMBER">) get digit groups from this length on.
_MIN_GROUPED_DIGITS = 5
_HEX_CODE = re.compile(r"[0-9A-Fa-f]{2,5}")
_DASH_LISTS = frozenset({"DASH", "NDASH", "BULLET"})
_FORMEX_ROOT = re.compile(rb"<(?:CONS\.ACT|ACT|CONS\.DOC|CONS\.ANNEX)[\s>]")
_ARTICLE_NUMBER = re.compile(r"(\d+\s?[a-z]?)\b")
_RECITAL_NUMBER = re.compile(r"^\(?(\d{1,4}[a-z]?)\)?$")
#: Stands in for a dropped footnote until the text is normalised.
_NOTE = "\u2063"
_NOTE_BETWEEN_WORDS = re.compile(rf"(?<=\w){_NOTE}+(?=\w)")
_NOTE_IN_PARENS = re.compile(rf"\s?\(\s*{_NOTE}+\s*\)")
_NOTE_BEFORE_PUNCTUATION = re.compile(rf"\s*{_NOTE}+(?=[,.;:!?)\]])")
_UNSAFE_REASONS: tuple[tuple[type[DefusedXmlException], str], ...] = (
    (EntitiesForbidden, "het bestand definieert XML-entiteiten (mogelijke entity-expansion- of XXE-aanval)"),
    (ExternalReferenceForbidden, "het bestand verwijst naar een externe bron"),
    (DTDForbidden, "het bestand bevat een DTD"),
)


def looks_like_formex(data: bytes) -> bool:
    """Whether bytes look like a Formex document (a Formex root element or articles with TI.ART)."""
    head = data[:8192]
    if _FORMEX_ROOT.search(head) or b"formex" in head.lower():
        return True
    return b"<ARTICLE" in data and b"<TI.ART" in data


def parse_formex(data: bytes, law: str = "") -> LawText:
    """Parse Formex XML into articles and recitals; ``law`` overrides the detected short name."""
    root = _parse_xml(data)
    articles: list[Article] = []
    _collect_articles(root, "", articles)
    recitals = [recital for consid in root.iter("CONSID") if (recital := _recital(consid))]
    if not articles and not recitals:
        raise IngestionError("Geen wetsartikelen gevonden in dit Formex-bestand.")
    doc_title = _document_title(root)
    celex = root.find(".//NO.CELEX")
    identity = f"{doc_title} {_text(celex)}"  # its own title first, then its own CELEX number
    name = law or detect_law_name(doc_title) or detect_law_name(identity) or doc_title
    reference = regulation_reference(doc_title) or regulation_reference(identity)
    chapters = list(dict.fromkeys(article.chapter for article in articles))
    first = articles[0].number if articles else ""
    title = law_text_title(name, reference, chapters, bool(recitals), first)
    return LawText(law=name, title=title, articles=articles, recitals=recitals)


def _parse_xml(data: bytes) -> Element:
    """Parse XML safely; unsafe or broken XML raises an IngestionError with a Dutch reason."""
    try:
        root: Element = fromstring(data)  # defusedxml is untyped
        return root
    except DefusedXmlException as exc:
        reason = next((text for kind, text in _UNSAFE_REASONS if isinstance(exc, kind)), type(exc).__name__)
        raise IngestionError(f"Onveilig XML-bestand geweigerd: {reason}.") from exc
    except ParseError as exc:
        raise IngestionError(f"Ongeldig XML-bestand: {exc}.") from exc


def _document_title(root: Element) -> str:
    """The act's own title ("Verordening (EU) 2016/679 van het Europees Parlement en de Raad ...")."""
    title = root.find(".//BIB.DATA/TITLE/TI")
    if title is None:
        title = root.find(".//TITLE/TI")
    return _text(title)


def _collect_articles(node: Element, chapter: str, articles: list[Article]) -> None:
    """Append the articles under ``node`` in document order, tracking the enclosing chapter."""
    for child in node:
        if child.tag in _SKIP_SUBTREES:
            continue
        if child.tag == "ARTICLE":
            articles.append(_article(child, chapter))
        elif child.tag == "DIVISION":
            _collect_articles(child, _division_chapter(child) or chapter, articles)
        else:
            _collect_articles(child, chapter, articles)


def _division_chapter(division: Element) -> str:
    """ "Hoofdstuk III Rechten van de betrokkene" for a chapter division, "" for a section."""
    heading = division.find("TITLE/TI")
    label = chapter_label(_text(heading)) if heading is not None else ""
    if not label:
        return ""
    subtitle = division.find("TITLE/STI")
    return f"{label} {_text(subtitle)}".strip() if subtitle is not None else label


def _article(element: Element, chapter: str) -> Article:
    """One ARTICLE with its leden; alinea's outside a PARAG form one unnumbered lid."""
    heading = _text(element.find("TI.ART"))
    match = _ARTICLE_NUMBER.search(heading)
    number = match.group(1).replace(" ", "") if match else heading
    article = Article(number=number, title=_text(element.find("STI.ART")), chapter=chapter)
    loose: LawParagraph | None = None
    for child in element:
        if child.tag in {"TI.ART", "STI.ART"}:
            continue
        if child.tag == "PARAG":
            paragraph = LawParagraph(number=_text(child.find("NO.PARAG")).rstrip("."))
            for part in child:
                if part.tag != "NO.PARAG":
                    _block(part, paragraph.segments)
            article.paragraphs.append(paragraph)
            loose = None
        else:
            if loose is None:
                loose = LawParagraph(number="")
                article.paragraphs.append(loose)
            _block(child, loose.segments)
    article.paragraphs = [p for p in article.paragraphs if p.segments or p.number]
    return article


def _block(element: Element, segments: list[Segment]) -> None:
    """Add the segments of an ALINEA-like element: its own text, paragraphs and lists."""
    buffer: list[str] = [element.text or ""]
    for child in element:
        if child.tag in {"P", "ALINEA"}:
            _flush(buffer, segments)
            _block(child, segments)
        elif child.tag == "LIST":
            _flush(buffer, segments)
            _list(child, segments)
        elif child.tag == "DLIST":
            _flush(buffer, segments)
            _dlist(child, segments)
        else:
            buffer.append(_inline(child))
        buffer.append(child.tail or "")
    _flush(buffer, segments)


def _flush(buffer: list[str], segments: list[Segment]) -> None:
    """Turn gathered inline text into a plain segment."""
    text = _clean("".join(buffer))
    buffer.clear()
    if text:
        segments.append(Segment(text))


def _list(element: Element, segments: list[Segment]) -> None:
    """Points of a LIST: "a) ..." items become point segments, dash items plain "— ..." segments."""
    dashed = (element.get("TYPE") or "").upper() in _DASH_LISTS
    for item in element.findall("ITEM"):
        np = item.find("NP")
        label_element = np.find("NO.P") if np is not None else None
        if np is None or label_element is None:
            text = _text(item)
            segments.append(Segment(f"— {text}" if dashed else text))
            continue
        label = _text(label_element)
        body = _clean("".join(_inline(part) + (part.tail or "") for part in np if part is not label_element))
        if label in {"—", "–", "-", "•"}:
            segments.append(Segment(f"— {body}"))
        else:
            segments.append(Segment(body, label.strip("()").rstrip(".)")))


def _dlist(element: Element, segments: list[Segment]) -> None:
    """Definitions of a DLIST: '„term”: definition' as a point labelled by its PREFIX."""
    separator = element.get("SEPARATOR", ":")
    for item in element.findall("DLIST.ITEM"):
        label = _text(item.find("PREFIX")).strip("()").rstrip(".)")
        term = _text(item.find("TERM"))
        definition = _text(item.find("DEFINITION"))
        text = f"{term}{separator} {definition}" if term else definition
        segments.append(Segment(text, label))


def _recital(consid: Element) -> Recital | None:
    """One CONSID: number from NO.P ("(39)" -> "39"), text from the rest."""
    np = consid.find("NP")
    label_element = np.find("NO.P") if np is not None else None
    if np is None or label_element is None:
        return None
    match = _RECITAL_NUMBER.match(_text(label_element))
    body = _clean("".join(_inline(part) + (part.tail or "") for part in np if part is not label_element))
    return Recital(number=match.group(1), text=body) if match and body else None


def _inline(element: Element) -> str:
    """Raw text of an element and its descendants (not its tail), with quotes and without notes."""
    if element.tag == "NOTE":
        return _NOTE
    if element.tag in _QUOTES:
        code = element.get("CODE") or ""
        return chr(int(code, 16)) if _HEX_CODE.fullmatch(code) else _QUOTES[element.tag]
    if element.tag == "FT" and element.get("TYPE") == "NUMBER" and (element.text or "").isdigit():
        return _group_digits(element.text or "")
    inner = (element.text or "") + "".join(_inline(child) + (child.tail or "") for child in element)
    return f" {inner} " if element.tag in _BLOCK_TAGS else inner


def _group_digits(number: str) -> str:
    """Write a large number as the Official Journal prints it: "20000000" -> "20 000 000"."""
    if len(number) < _MIN_GROUPED_DIGITS:
        return number
    head = len(number) % 3 or 3
    return " ".join([number[:head], *(number[i : i + 3] for i in range(head, len(number), 3))])


def _text(element: Element | None) -> str:
    """Clean text of an element ("" for None)."""
    return _clean(_inline(element)) if element is not None else ""


def _clean(text: str) -> str:
    """Collapse whitespace (&nbsp; included) and drop footnote placeholders without gluing words."""
    if _NOTE in text:
        text = _NOTE_IN_PARENS.sub("", text)
        text = _NOTE_BEFORE_PUNCTUATION.sub("", text)
        text = _NOTE_BETWEEN_WORDS.sub(" ", text).replace(_NOTE, "")
    return " ".join(clean_text(text).split())
