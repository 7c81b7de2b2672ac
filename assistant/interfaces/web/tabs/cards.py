"""The Kennisbank tab's answer cards and the queue "Vragen zonder goed antwoord".

Two accordions laid out inside the Kennisbank tab by :func:`build_section`, shown on page
load only to users with ``antwoordkaarten_beheren`` (kennisbeheerder, beheerder); every
handler checks again through the services (:class:`CardService`, :class:`UnansweredService`).
The handlers take the user first (``handler`` in :mod:`assistant.interfaces.web.auth` passes
the account of the request), so they are tested without a browser.
"""

from __future__ import annotations

import html
from typing import Any

import gradio as gr

from assistant.app import App
from assistant.features.accounts.access import Permission, may
from assistant.features.accounts.users import User
from assistant.features.cards.model import STATUSES, VALIDATED, AnswerCard
from assistant.features.cards.service import CardForm
from assistant.features.chat.unanswered import QueueItem
from assistant.interfaces.web.auth import handler, skip
from assistant.interfaces.web.safe_components import inform, safe_markdown
from ingestion.dutch_dates import dutch_moment
from ingestion.errors import AvgError

ALL = "alle"
CARD_COLUMNS = ["Id", "Vraag", "Status", "Eigenaar", "Datum"]
QUEUE_COLUMNS = ["Nr", "Datum", "Reden", "Vraag", "Toelichting", "Kennisbank", "Status"]
NEW_CARD = "Nieuwe kaart (nog niet opgeslagen)"
# question, variants, short answer, steps, articles, owner, date, card id, from item, state line
FORM_FIELDS = 10


def card_rows(cards: list[AnswerCard]) -> list[list[Any]]:
    """The card table."""
    return [[c.id, c.question, c.status_label, c.owner, c.date] for c in cards]


def queue_rows(items: list[QueueItem]) -> list[list[Any]]:
    """The queue table."""
    return [[i.id, _when(i.created_at), i.reason, i.question, i.comment, i.scope, i.status] for i in items]


def item_markdown(item: QueueItem) -> str:
    """One queue item: the question, the answer given, the comment and where it comes from."""
    answer = html.escape(item.answer[:1200]).replace("\n", "  \n")
    lines = [
        f"**Vraag:** {html.escape(item.question)}",
        f"- Reden: {item.reason}; datum: {_when(item.created_at)}; kennisbank: {html.escape(item.scope)}",
        f"- Herkomst: {item.link}",
        f"- Status: {item.status}"
        + (f" (door {html.escape(item.handled_by)}, kaart {item.card_id})" if item.card_id else ""),
    ]
    if item.comment:
        lines.append(f"- Toelichting: {html.escape(item.comment)}")
    lines += ["", "**Gegeven antwoord:**", "", answer]
    return "\n".join(lines)


def state_line(card: AnswerCard | None) -> str:
    """What the form holds now."""
    if card is None:
        return NEW_CARD
    return f"Kaart {card.id} — {card.status_label}"


class CardsTab:
    """Handlers of the two accordions; each takes the user of the request first."""

    def __init__(self, app: App) -> None:
        self.app = app

    def load(
        self, user: User, search: str, status: str, include_handled: bool
    ) -> tuple[Any, Any, list[list[Any]], Any, list[list[Any]], Any]:
        """Accordion visibility, the card list and the queue for this user."""
        if not may(user, Permission.MANAGE_CARDS):
            hidden = gr.update(visible=False)
            return hidden, hidden, [], gr.update(choices=[]), [], gr.update(choices=[])
        cards = self.app.card_service.list(user, search, "" if status in (ALL, "", None) else status)
        items = self.app.unanswered.items(user, bool(include_handled))
        return (
            gr.update(visible=True),
            gr.update(visible=True),
            card_rows(cards),
            gr.update(choices=[(f"{c.id} · {c.question}", c.id) for c in cards]),
            queue_rows(items),
            gr.update(choices=[(f"{i.id} · {i.question[:90]}", i.id) for i in items]),
        )

    def open_card(self, user: User, card_id: int | None) -> tuple[Any, ...]:
        """The form filled with a stored card."""
        if not card_id:
            return tuple(skip(FORM_FIELDS))
        card = self.app.card_service.get(user, int(card_id))
        return _form(CardForm.of(card), card.id, None, state_line(card))

    def new_card(self, user: User) -> tuple[Any, ...]:
        """An empty form."""
        return _form(CardForm("", "", owner=user.username), 0, None, NEW_CARD)

    def from_item(self, user: User, item_id: int | None) -> tuple[Any, ...]:
        """A new card's form with the queue item's question filled in."""
        if not item_id:
            raise AvgError("Kies eerst een vraag uit de wachtrij.")
        item = self.app.unanswered.item(user, int(item_id))
        line = f"{NEW_CARD} — voor vraag {item.id} uit de wachtrij"
        return _form(CardForm(item.question, "", owner=user.username), 0, item.id, line)

    def open_item(self, user: User, item_id: int | None) -> str:
        """Details of a queue item."""
        if not item_id:
            return ""
        return item_markdown(self.app.unanswered.item(user, int(item_id)))

    def save(
        self,
        user: User,
        question: str,
        variants: str,
        short_answer: str,
        steps: str,
        provisions: str,
        owner: str,
        date: str,
        card_id: int | None,
        item_id: int | None,
        status: str | None = None,
    ) -> tuple[Any, ...]:
        """Save the form (``status`` None keeps the card's status; a new card is concept)."""
        form = CardForm(question, short_answer, variants, steps, provisions, owner, date)
        card = self.app.card_service.save(
            user, form, int(card_id or 0), status, int(item_id) if item_id else None
        )
        inform(f"Antwoordkaart {card.id} is opgeslagen ({card.status_label}).")
        return _form(CardForm.of(card), card.id, None, state_line(card))

    def retire(self, user: User, card_id: int | None) -> tuple[Any, ...]:
        """Retire the stored card in the form."""
        if not card_id:
            raise AvgError("Sla de kaart eerst op; een nieuwe kaart kan niet worden ingetrokken.")
        card = self.app.card_service.retire(user, int(card_id))
        inform(f"Antwoordkaart {card.id} is ingetrokken en beantwoordt geen vragen meer.")
        return _form(CardForm.of(card), card.id, None, state_line(card))

    def dismiss(self, user: User, item_id: int | None) -> str:
        """Mark a queue item handled without a card."""
        if not item_id:
            raise AvgError("Kies eerst een vraag uit de wachtrij.")
        item = self.app.unanswered.dismiss(user, int(item_id))
        inform(f"Vraag {item.id} is afgehandeld.")
        return item_markdown(item)


def _form(form: CardForm, card_id: int, item_id: int | None, line: str) -> tuple[Any, ...]:
    return (
        form.question,
        form.variants,
        form.short_answer,
        form.steps,
        form.provisions,
        form.owner,
        form.date,
        card_id,
        item_id,
        line,
    )


def _when(stamp: str) -> str:
    return dutch_moment(stamp)


def build_section(app: App) -> None:
    """Lay out the two accordions inside the Kennisbank tab (hidden until the page load shows them)."""
    tab = CardsTab(app)
    private: dict[str, Any] = {"api_visibility": "private"}

    with gr.Accordion("Antwoordkaarten", open=False, visible=False, elem_id="antwoordkaarten") as cards_box:
        safe_markdown(
            "Een antwoordkaart geeft het korte antwoord op een vraag die medewerkers stellen. Een vraag die "
            "sterk lijkt op de vraag (of een variant) van een kaart krijgt het antwoord van de kaart eerst."
        )
        with gr.Row():
            search = gr.Textbox(label="Zoeken in vraag en antwoord", elem_id="kaart-zoeken")
            status_filter = gr.Dropdown([ALL, *STATUSES], value=ALL, label="Status")
        table = gr.Dataframe(value=[], headers=CARD_COLUMNS, interactive=False, wrap=True, max_height=320)
        with gr.Row():
            choice = gr.Dropdown([], value=None, label="Kaart bewerken", elem_id="kaart-kiezen", scale=4)
            new = gr.Button("Nieuwe kaart", elem_id="kaart-nieuw", scale=1)
        state = gr.Textbox(NEW_CARD, label="Kaart", interactive=False, elem_id="kaart-status")
        question = gr.Textbox(label="Vraag", elem_id="kaart-vraag")
        variants = gr.Textbox(
            label="Andere formuleringen (één per regel)", lines=2, elem_id="kaart-varianten"
        )
        short = gr.Textbox(label="Kort antwoord (één tot drie zinnen)", lines=3, elem_id="kaart-antwoord")
        steps = gr.Textbox(label="Stappen (één per regel)", lines=3, elem_id="kaart-stappen")
        with gr.Row():
            provisions = gr.Textbox(
                label="Artikelen", placeholder="33(1), 34 of art. 33 lid 1", elem_id="kaart-artikelen"
            )
            owner = gr.Textbox(label="Eigenaar", elem_id="kaart-eigenaar")
            date = gr.Textbox(label="Datum", placeholder="JJJJ-MM-DD (leeg = vandaag)", elem_id="kaart-datum")
        card_id = gr.State(0)
        item_id = gr.State(None)
        with gr.Row():
            save = gr.Button("Opslaan", elem_id="kaart-opslaan")
            validate = gr.Button("Opslaan en valideren", variant="primary", elem_id="kaart-valideren")
            retire = gr.Button("Intrekken", variant="stop", elem_id="kaart-intrekken")

    with gr.Accordion(
        "Vragen zonder goed antwoord", open=True, visible=False, elem_id="wachtrij"
    ) as queue_box:
        safe_markdown(
            "Antwoorden met een duim omlaag (met de toelichting) en geweigerde vragen. Schrijf er een "
            "antwoordkaart voor, of markeer de vraag als afgehandeld. Vragen kunnen persoonsgegevens "
            "bevatten: neem die niet over in een kaart. Ze verdwijnen met het gesprek (bewaartermijn, "
            "wissen van een klant)."
        )
        handled = gr.Checkbox(value=False, label="Ook afgehandelde vragen", elem_id="wachtrij-alles")
        queue_table = gr.Dataframe(
            value=[],
            headers=QUEUE_COLUMNS,
            interactive=False,
            wrap=True,
            max_height=320,
            elem_id="wachtrij-tabel",
        )
        item = gr.Dropdown([], value=None, label="Vraag openen", elem_id="wachtrij-kiezen")
        details = safe_markdown(elem_id="wachtrij-details")
        with gr.Row():
            write = gr.Button("Kaart schrijven", variant="primary", elem_id="wachtrij-kaart")
            dismiss = gr.Button("Afgehandeld", elem_id="wachtrij-afgehandeld")

    form = [question, variants, short, steps, provisions, owner, date, card_id, item_id, state]
    lists = [cards_box, queue_box, table, choice, queue_table, item]
    filters = [search, status_filter, handled]

    reload: dict[str, Any] = {
        "fn": handler(app, "antwoordkaarten tonen", 6, tab.load),
        "inputs": filters,
        "outputs": lists,
    }
    gr.on(None, reload["fn"], filters, lists, **private)
    for trigger in (search.submit, status_filter.change, handled.change):
        trigger(**reload, **private)
    choice.input(handler(app, "antwoordkaart openen", FORM_FIELDS, tab.open_card), choice, form, **private)
    new.click(handler(app, "nieuwe antwoordkaart", FORM_FIELDS, tab.new_card), None, form, **private)
    inputs = [question, variants, short, steps, provisions, owner, date, card_id, item_id]
    save.click(
        handler(app, "antwoordkaart opslaan", FORM_FIELDS, _with_status(tab, None)), inputs, form, **private
    ).then(**reload, **private)
    validate.click(
        handler(app, "antwoordkaart valideren", FORM_FIELDS, _with_status(tab, VALIDATED)),
        inputs,
        form,
        **private,
    ).then(**reload, **private).then(lambda: "", None, details, **private)
    retire.click(
        handler(app, "antwoordkaart intrekken", FORM_FIELDS, tab.retire), card_id, form, **private
    ).then(**reload, **private)
    item.input(handler(app, "vraag uit wachtrij openen", 1, tab.open_item), item, details, **private)
    write.click(handler(app, "kaart schrijven", FORM_FIELDS, tab.from_item), item, form, **private).then(
        lambda: gr.update(open=True), None, cards_box, **private
    )
    dismiss.click(handler(app, "vraag afhandelen", 1, tab.dismiss), item, details, **private).then(
        **reload, **private
    )


def _with_status(tab: CardsTab, status: str | None) -> Any:
    """``tab.save`` with a fixed status, as a body for :func:`handler`."""

    def body(
        user: User,
        question: str,
        variants: str,
        short_answer: str,
        steps: str,
        provisions: str,
        owner: str,
        date: str,
        card_id: int | None,
        item_id: int | None,
    ) -> tuple[Any, ...]:
        return tab.save(
            user, question, variants, short_answer, steps, provisions, owner, date, card_id, item_id, status
        )

    body.__name__ = f"save_{status or 'kaart'}"
    return body
