"""EUR-Lex HTML legislation: articles with leden and points, and recitals.

Three markups are recognised, plus a text-pattern fallback:

* the 2016 Official Journal classes: ``p.ti-art`` ("Artikel 6"), ``p.sti-art`` (title),
  ``p.normal`` paragraphs, ``ti-section-1``/``ti-section-2`` chapter headings and
  two-cell tables for points ("a)" | text) and recitals ("(1)" | text);
* today's Official Journal classes, the same with an ``oj-`` prefix;
* the consolidated text: ``p.title-article-norm``, ``p.stitle-article-norm`` or
  ``div.eli-title``, ``div.norm``/``p.norm`` with ``span.no-parag`` ("1.") and point grids
  ``div.grid-container.grid-list`` (``grid-list-column-1`` label, ``-column-2`` text),
  ``title-division-1``/``-2`` chapter headings;
* fallback for unknown classes: a block whose whole text is "Artikel N" starts an article,
  the next short block is its title, "N." starts a lid and "a)" a point.

The page is first flattened into events in document order (article heading, title,
heading, text block, list item, end); :class:`_LawBuilder` then assembles the events into
:class:`~ingestion.model.LawText`. Both a whole-regulation page and per-chapter pages work.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString, PageElement, PreformattedString

from ingestion.errors import IngestionError
from ingestion.law_names import chapter_label, detect_law_name, law_text_title, regulation_reference
from ingestion.model import Article, LawParagraph, LawText, Recital, Segment
from ingestion.text_cleaning import clean_text

_ARTICLE_CLASSES = frozenset({"ti-art", "oj-ti-art", "title-article-norm"})
_TITLE_CLASSES = frozenset({"sti-art", "oj-sti-art", "stitle-article-norm"})
_HEADING1_CLASSES = frozenset({"ti-section-1", "oj-ti-section-1", "title-division-1"})
_HEADING2_CLASSES = frozenset({"ti-section-2", "oj-ti-section-2", "title-division-2"})
#: The closing formula, signatures and annexes end the enacting terms.
_END_CLASSES = frozenset(
    {"final", "oj-final", "signatory", "oj-signatory", "doc-ti", "oj-doc-ti", "title-annex-1"}
)
#: Footnote texts, amendment markers ("►M1", "▼B") and other editorial additions.
_SKIP_CLASSES = frozenset({"note", "oj-note", "modref", "arrow", "hd-modifiers", "disclaimer"})
_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "head", "nav", "footer", "svg", "iframe", "object", "button"}
)
_BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog", "div"),
        *("dl", "dt", "fieldset", "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6"),
        *("header", "hr", "html", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody"),
        *("td", "tfoot", "th", "thead", "tr", "ul"),
    }
)
_DOC_TITLE_CLASSES = ["doc-ti", "oj-doc-ti", "title-doc-first", "title-doc-last"]
_FOOTNOTE_CLASSES = frozenset({"super", "oj-super", "superscript"})

#: Stands in for a dropped footnote marker until the text is normalised.
_NOTE = "\u2063"
_NOTE_BETWEEN_WORDS = re.compile(rf"(?<=\w){_NOTE}+(?=\w)")
#: Amendment markers of consolidated texts: "►M1", "▼B", "◄".
_AMENDMENT_MARK = re.compile(r"[►▼](?:[A-Z]\d+|B\b)?|◄")
_NOTE_IN_PARENS = re.compile(rf"\s?\(\s*{_NOTE}+\s*\)")
_NOTE_BEFORE_PUNCTUATION = re.compile(rf"\s*{_NOTE}+(?=[,.;:!?)\]])")
_FOOTNOTE_HREF = re.compile(r"#(ntr|E\d|footnote|src\.E)", re.IGNORECASE)
_FOOTNOTE_TEXT = re.compile(r"^\(?\s*(\d{1,3}|\*{1,3})\s*\)?$")
_FOOTNOTE_MARK = re.compile(r"^(\(\s*\d{1,3}\s*\)|\*{1,3})$")

_ARTICLE_LINE = re.compile(r"^(?:Artikel|Article|Art\.)\s+(\d+[a-z]?)$", re.IGNORECASE)
_ARTICLE_NUMBER = re.compile(r"(\d+\s?[a-z]?)\b")
_SECTION_LINE = re.compile(r"^(afdeling|section)\s+\d+[a-z]?$", re.IGNORECASE)
_LID = re.compile(r"^(\d{1,3}[a-z]?)\.(?:\s+(.*))?$", re.DOTALL)
_POINT_IN_TEXT = re.compile(r"^(\(?(?:[a-z]|\d{1,3}|[ivx]{1,6})\))\s+(.+)$", re.DOTALL)
_RECITAL_LABEL = re.compile(r"^\((\d{1,4}[a-z]?)\)$")
_RECITAL_IN_TEXT = re.compile(r"^\((\d{1,4}[a-z]?)\)\s+(.+)$", re.DOTALL)
_ITEM_LABEL = re.compile(r"^(\(?(?:[a-z]{1,2}|\d{1,3}[a-z]?|[ivxl]{1,6})[).]|\(\d{1,4}[a-z]?\)|[—–\-•·])$")
_DASHES = frozenset("—–-•·")
_ROMAN = re.compile(r"^[ivx]+$")
_FINAL_FORMULA = re.compile(
    r"^(Deze verordening is verbindend in al haar onderdelen|Gedaan te |This Regulation shall be binding)"
)
_EURLEX_CLASS = re.compile(
    r"class\s*=\s*[\"'][^\"']*(?<![\w-])(?:oj-ti-art|ti-art|title-article-norm|oj-sti-art|sti-art|"
    r"stitle-article-norm)(?![\w-])"
)
#: A recital label cell of the Official Journal ("<p class="normal">(12)</p>") or an ELI recital anchor.
_RECITAL_HTML = re.compile(
    r"class\s*=\s*[\"'](?:oj-)?normal[\"']\s*>\s*\(\d{1,4}\)\s*<|\bid\s*=\s*[\"']rct_\d"
)
_MIN_RECITAL_MARKS = 3
_ARTICLE_HEADING_HTML = re.compile(r">\s*(?:Artikel|Article)(?:\s|&nbsp;|&#160;|&#xa0;)+\d+[a-z]?\s*<", re.I)
#: A block this short without closing punctuation, right after "Artikel N", is the title.
_MAX_TITLE_CHARS = 160


@dataclass(frozen=True)
class _Event:
    """One step of the flattened page: kind plus its text (and label for list items)."""

    kind: str  # "article", "title", "heading1", "heading2", "text", "item", "end"
    text: str = ""
    label: str = ""


def looks_like_eurlex(html: str) -> bool:
    """Whether a page is EUR-Lex legislation.

    True for EUR-Lex article classes, Official Journal recital cells ("(1)", at least three) or
    at least two "Artikel N" headings; an ordinary page that merely cites articles is False.
    """
    if _EURLEX_CLASS.search(html):
        return True
    if len(_RECITAL_HTML.findall(html)) >= _MIN_RECITAL_MARKS:
        return True
    return len(_ARTICLE_HEADING_HTML.findall(html)) >= 2


def parse_eurlex_html(html: str, law: str = "") -> LawText:
    """Parse EUR-Lex HTML into articles and recitals; ``law`` overrides the detected short name."""
    soup = _soup(html)
    page_title = _clean(soup.title.get_text(" ")) if soup.title else ""
    for tag in soup.find_all(_SKIP_TAGS):
        if not tag.decomposed and tag.name != "head":
            tag.decompose()
    _mark_footnotes(soup)
    events: list[_Event] = []
    _walk(soup.body or soup, events)
    builder = _LawBuilder()
    for event in events:
        builder.feed(event)
    if not builder.articles and not builder.recitals:
        raise IngestionError("Geen wetsartikelen gevonden in dit HTML-bestand.")
    own_title = " ".join([page_title, *_document_titles(soup)])
    identity = " ".join([own_title, *(e.text for e in events[:40]), html[:4000]])
    name = law or detect_law_name(own_title) or detect_law_name(identity) or page_title or _first_text(events)
    reference = regulation_reference(own_title) or regulation_reference(identity)
    chapters = list(dict.fromkeys(article.chapter for article in builder.articles))
    first = builder.articles[0].number if builder.articles else ""
    title = law_text_title(name, reference, chapters, bool(builder.recitals), first)
    return LawText(law=name, title=title, articles=builder.articles, recitals=builder.recitals)


def _soup(html: str) -> BeautifulSoup:
    """Parse HTML leniently, silencing bs4's XHTML warnings."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return BeautifulSoup(html, "lxml")


def _document_titles(soup: BeautifulSoup) -> list[str]:
    """The act's own title lines (EUR-Lex document title classes, else the first h1)."""
    tags = soup.find_all(class_=_DOC_TITLE_CLASSES, limit=4) or soup.find_all("h1", limit=1)
    return [_clean(_text_of(tag)) for tag in tags]


def _first_text(events: list[_Event]) -> str:
    """Text of the first heading or text event, used as a last-resort law name."""
    return next((e.text for e in events if e.kind in {"heading1", "text"} and e.text), "")


def _classes(tag: Tag) -> set[str]:
    """The class names of an element."""
    value: str | list[str] = tag.get("class") or []
    return set(value.split() if isinstance(value, str) else value)


def _mark_footnotes(soup: BeautifulSoup) -> None:
    """Replace footnote references by a placeholder character; other superscripts stay text.

    A reference is a link to a footnote ("#ntr1-...", "#E0001") whose text is a number, or a
    superscript left holding only such a link, "(1)" or "*".
    """
    for anchor in soup.find_all("a", href=_FOOTNOTE_HREF):
        if not anchor.decomposed and _FOOTNOTE_TEXT.match(anchor.get_text(strip=True) or "1"):
            anchor.replace_with(NavigableString(_NOTE))
    for tag in soup.find_all(["sup", "span"]):
        if tag.decomposed or (tag.name == "span" and not _classes(tag) & _FOOTNOTE_CLASSES):
            continue
        text = tag.get_text(strip=True).replace(_NOTE, "")
        if not text or _FOOTNOTE_MARK.match(text):
            tag.replace_with(NavigableString(_NOTE))


def _clean(text: str) -> str:
    """Collapse whitespace (&nbsp; included) and drop footnote placeholders without gluing words."""
    text = _AMENDMENT_MARK.sub(" ", text)
    if _NOTE in text:
        text = _NOTE_IN_PARENS.sub("", text)
        text = _NOTE_BEFORE_PUNCTUATION.sub("", text)
        text = _NOTE_BETWEEN_WORDS.sub(" ", text).replace(_NOTE, "")
    return " ".join(clean_text(text).split())


def _text_of(node: PageElement) -> str:
    """Raw text of a node with a space at every block boundary (nested lists stay inline)."""
    if isinstance(node, NavigableString):
        return "" if isinstance(node, PreformattedString) else str(node)
    if not isinstance(node, Tag):
        return ""
    if node.name in _SKIP_TAGS or _classes(node) & _SKIP_CLASSES:
        return ""
    if node.name == "br":
        return " "
    inner = "".join(_text_of(child) for child in node.children)
    return f" {inner} " if node.name in _BLOCK_TAGS else inner


def _is_inline(tag: Tag) -> bool:
    """Whether an element is inline content without block descendants."""
    return tag.name not in _BLOCK_TAGS and tag.find(_BLOCK_TAGS) is None


def _walk(node: Tag, events: list[_Event]) -> None:
    """Append the events of a block element's children, gathering inline runs into text events."""
    buffer: list[str] = []
    for child in node.children:
        if isinstance(child, NavigableString):
            if not isinstance(child, PreformattedString):
                buffer.append(str(child))
        elif isinstance(child, Tag):
            if _is_inline(child):
                buffer.append(_text_of(child))
                continue
            _flush(buffer, events)
            _block(child, events)
    _flush(buffer, events)


def _flush(buffer: list[str], events: list[_Event]) -> None:
    """Turn gathered inline text into one text event."""
    text = _clean("".join(buffer))
    buffer.clear()
    if text:
        events.append(_Event("text", text))


def _block(tag: Tag, events: list[_Event]) -> None:
    """Append the events of one block element."""
    classes = _classes(tag)
    if tag.name in _SKIP_TAGS or classes & _SKIP_CLASSES:
        return
    if classes & _END_CLASSES:
        events.append(_Event("end"))
    elif classes & _ARTICLE_CLASSES:
        events.append(_Event("article", _clean(_text_of(tag))))
    elif classes & _TITLE_CLASSES or (tag.name == "div" and "eli-title" in classes and not _has_classed(tag)):
        events.append(_Event("title", _clean(_text_of(tag))))
    elif classes & _HEADING1_CLASSES:
        events.append(_Event("heading1", _clean(_text_of(tag))))
    elif classes & _HEADING2_CLASSES:
        events.append(_Event("heading2", _clean(_text_of(tag))))
    elif tag.name == "table":
        _table(tag, events)
    elif tag.name == "div" and "grid-container" in classes and (cells := _grid_cells(tag)):
        events.append(_Event("item", _clean(_text_of(cells[1])), _clean(_text_of(cells[0]))))
    else:
        _walk(tag, events)


def _has_classed(tag: Tag) -> bool:
    """Whether a wrapper holds an element with a known title or heading class (ELI ``div.eli-title``)."""
    wanted = _TITLE_CLASSES | _HEADING1_CLASSES | _HEADING2_CLASSES
    return tag.find(lambda t: bool(_classes(t) & wanted)) is not None


def _grid_cells(tag: Tag) -> tuple[Tag, Tag] | None:
    """(label, body) columns of a consolidated-text point grid."""
    label = tag.find("div", class_="grid-list-column-1", recursive=False)
    body = tag.find("div", class_="grid-list-column-2", recursive=False)
    return (label, body) if label is not None and body is not None else None


def _table(table: Tag, events: list[_Event]) -> None:
    """A two-cell "label | text" table gives list items; any other table gives one text per row."""
    for row in _rows(table):
        cells = row.find_all(["td", "th"], recursive=False)
        texts = [_clean(_text_of(cell)) for cell in cells]
        if len(cells) == 2 and _ITEM_LABEL.match(texts[0]):
            events.append(_Event("item", texts[1], texts[0]))
        elif any(texts):
            events.append(_Event("text", " | ".join(t for t in texts if t)))


def _rows(table: Tag) -> list[Tag]:
    """Rows of a table, not of tables nested in its cells."""
    sections = [table, *table.find_all(["thead", "tbody", "tfoot"], recursive=False)]
    return [row for section in sections for row in section.find_all("tr", recursive=False)]


@dataclass
class _LawBuilder:
    """Assembles articles and recitals from page events."""

    articles: list[Article] = field(default_factory=list)
    recitals: list[Recital] = field(default_factory=list)
    article: Article | None = None
    chapter: str = ""
    chapter_label: str = ""
    expect: str = ""  # "article_title", "chapter_title", "section_title" or ""
    sub_label: str = ""  # label of the last sub-point joined into its parent point

    def feed(self, event: _Event) -> None:
        """Process one event."""
        if event.kind == "article":
            self._start_article(event.text)
        elif event.kind == "title":
            self._set_title(event.text)
        elif event.kind == "heading1":
            self._heading(event.text)
        elif event.kind == "heading2":
            self._heading_title(event.text)
        elif event.kind == "item":
            self._item(event.label, event.text)
        elif event.kind == "text":
            self._text(event.text)
        elif event.kind == "end":
            self.article, self.expect = None, ""

    def _start_article(self, heading: str) -> None:
        """Open a new article from its heading ("Artikel 6")."""
        match = _ARTICLE_NUMBER.search(heading)
        number = match.group(1).replace(" ", "") if match else heading
        self.article = Article(number=number, title="", chapter=self.chapter)
        self.articles.append(self.article)
        self.expect = "article_title"

    def _set_title(self, text: str) -> None:
        """Use a title element as the title of the article just opened."""
        if self.article is not None and not self.article.title and not self.article.paragraphs:
            self.article.title = text
        self.expect = ""

    def _heading(self, text: str) -> None:
        """A chapter ("HOOFDSTUK III") or section ("Afdeling 1") heading."""
        label = chapter_label(text)
        if label:
            self.chapter_label = label
            self.chapter = label
            self.expect = "chapter_title"
        else:
            self.expect = "section_title"
        self.article = None

    def _heading_title(self, text: str) -> None:
        """The title line under a chapter heading ("Rechten van de betrokkene")."""
        if self.expect == "chapter_title":
            self.chapter = f"{self.chapter_label} {text}"
        self.expect = ""

    def _text(self, text: str) -> None:
        """A text block: article heading, lid, point, recital or a plain alinea."""
        if _ARTICLE_LINE.match(text):
            self._start_article(text)
        elif chapter_label(text) or _SECTION_LINE.match(text):
            self._heading(text)
        elif self.expect in {"chapter_title", "section_title"}:
            self._heading_title(text)
        elif _FINAL_FORMULA.match(text):
            self.article, self.expect = None, ""
        elif self.article is None:
            recital = _RECITAL_IN_TEXT.match(text)
            if recital and not self.articles:
                self.recitals.append(Recital(number=recital.group(1), text=recital.group(2)))
        elif self.expect == "article_title" and _looks_like_title(text):
            self._set_title(text)
        else:
            self.expect = ""
            self._article_text(text)

    def _article_text(self, text: str) -> None:
        """Add an article's text block as a new lid, a point or a plain segment."""
        lid = _LID.match(text)
        if lid and self._is_next_lid(lid.group(1)):
            paragraph = LawParagraph(number=lid.group(1))
            self._current.paragraphs.append(paragraph)
            if lid.group(2):
                paragraph.segments.append(Segment(lid.group(2)))
            return
        point = _POINT_IN_TEXT.match(text)
        if point:
            self._point(point.group(1), point.group(2))
        else:
            self._paragraph().segments.append(Segment(text))

    def _is_next_lid(self, number: str) -> bool:
        """Whether "N." continues the article's lid numbering (guards against stray "2018. ...")."""
        numbers = [p.number for p in self._current.paragraphs if p.number]
        last = _leading_int(numbers[-1]) if numbers else 0
        value = _leading_int(number)
        return value == last + 1 or (value == last and not number.isdigit())

    def _paragraph(self) -> LawParagraph:
        """The lid text is added to, opening an unnumbered one when the article has none yet."""
        if not self._current.paragraphs:
            self._current.paragraphs.append(LawParagraph(number=""))
        return self._current.paragraphs[-1]

    @property
    def _current(self) -> Article:
        """The open article (text only reaches the article methods while one is open)."""
        if self.article is None:
            raise AssertionError("no open article")
        return self.article

    def _item(self, label: str, text: str) -> None:
        """A list item from a table or grid: a recital before the first article, else a point."""
        self.expect = "" if self.expect == "article_title" else self.expect
        if self.article is None:
            recital = _RECITAL_LABEL.match(label)
            if recital and text and not self.articles:
                self.recitals.append(Recital(number=recital.group(1), text=text))
            return
        self._point(label, text)

    def _point(self, label: str, text: str) -> None:
        """Add a point; a sub-point (other numbering) or a dash item joins the point before it."""
        paragraph = self._paragraph()
        last = paragraph.segments[-1] if paragraph.segments else None
        if label in _DASHES:
            if last is not None and last.point:
                paragraph.segments[-1] = Segment(f"{last.text} — {text}", last.point)
            else:
                paragraph.segments.append(Segment(f"— {text}"))
            return
        key = label.strip("()").rstrip(".)")
        run = _point_run(paragraph.segments)
        if last is not None and run and self._is_sub_point(key, run):
            paragraph.segments[-1] = Segment(f"{last.text} {label} {text}".strip(), last.point)
            self.sub_label = key
        else:
            paragraph.segments.append(Segment(text, key))
            self.sub_label = ""

    def _is_sub_point(self, key: str, run: list[Segment]) -> bool:
        """Whether a point label belongs to a list nested under the last point of ``run``."""
        if _follows(run[-1].point, key):
            return False
        if self.sub_label and _follows(self.sub_label, key):
            return True
        return _kind(key) != _kind(run[0].point)


def _point_run(segments: list[Segment]) -> list[Segment]:
    """The trailing run of point segments (the list currently being built)."""
    run: list[Segment] = []
    for segment in reversed(segments):
        if not segment.point:
            break
        run.insert(0, segment)
    return run


def _kind(label: str) -> str:
    """Numbering kind of a point label: "num", "roman" (i, ii, iv, ...) or "alpha"."""
    if label[:1].isdigit():
        return "num"
    return "roman" if _ROMAN.match(label) else "alpha"


def _follows(previous: str, label: str) -> bool:
    """Whether ``label`` comes right after ``previous`` ("b" after "a", "iv" after "iii", "4a" after "4")."""
    if previous[:1].isdigit() and label[:1].isdigit():
        prev_number, number = _leading_int(previous), _leading_int(label)
        return number == prev_number + 1 or (number == prev_number and label != previous)
    if len(previous) == 1 and len(label) == 1 and previous.isalpha() and ord(label) == ord(previous) + 1:
        return True
    return bool(_ROMAN.match(previous) and _ROMAN.match(label)) and _roman(label) == _roman(previous) + 1


def _leading_int(label: str) -> int:
    """The number a label starts with ("4" for "4a")."""
    digits = re.match(r"\d*", label)
    return int(digits.group()) if digits and digits.group() else 0


def _roman(numeral: str) -> int:
    """Value of a small lower-case Roman numeral."""
    values = {"i": 1, "v": 5, "x": 10}
    total = 0
    for index, char in enumerate(numeral):
        value = values[char]
        following = values[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total


def _looks_like_title(text: str) -> bool:
    """Whether a block right after "Artikel N" reads as its title rather than its first alinea."""
    return (
        len(text) <= _MAX_TITLE_CHARS
        and not text.endswith((".", ";", ":", ","))
        and not _LID.match(text)
        and not _POINT_IN_TEXT.match(text)
    )
