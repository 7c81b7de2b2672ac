"""The gradio web UI: a page of tabs, each built by its own module.

Convention for a tab: a module exposes ``build_tab(app: App) -> None`` that creates its
components and events inside the ``with gr.Tab(label):`` block this module opens. The
tabs appear in the order of :data:`TABS`. Only the UI modules (``web.py``, ``ui_*.py``)
import gradio; they call use cases and show domain errors as Dutch messages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import gradio as gr

from assistant import ui_chat
from assistant.app import App, build_app
from assistant.first_start import law_missing_hint, prepare_knowledge
from assistant.settings import Settings

logger = logging.getLogger(__name__)

TabBuilder = Callable[[App], None]
TABS: list[tuple[str, TabBuilder]] = [
    ("Vragen", ui_chat.build_tab),
]
CONCURRENCY = 4
QUEUE_SIZE = 64
MAX_FILE_SIZE = "50mb"

CSS = """
.bronnenlijst { list-style: none; padding: 0; margin: 0; }
.bron { border: 1px solid var(--border-color-primary); border-radius: var(--radius-lg);
        padding: 10px 12px; margin: 0 0 10px; background: var(--background-fill-secondary); }
.bron-kop { font-weight: 600; }
.bron-nummer { color: var(--color-accent); margin-right: 2px; }
.bron-document { font-size: var(--text-sm); color: var(--body-text-color-subdued); margin: 2px 0 6px; }
.bron-passage { margin: 0; padding: 0 0 0 10px; border-left: 3px solid var(--color-accent-soft);
                font-size: var(--text-sm); line-height: 1.55; }
.bron-passage mark { background: #fde68a; color: #1f2937; padding: 0 2px; border-radius: 2px; }
.bronnen-leeg { color: var(--body-text-color-subdued); font-size: var(--text-sm); }
.meldingen { border-left: 4px solid #d4a017; background: #fff8e1; color: #3f3a2a;
             padding: 8px 12px; border-radius: 6px; }
.meldingen.fout { border-left-color: #c0392b; background: #fdecea; color: #5a1d17; }
.melding { margin: 0; font-size: var(--text-sm); }
.melding + .melding { margin-top: 4px; }
#meldingen:not(:has(.meldingen)) { display: none; }
#eerste-start { border-left: 4px solid #d4a017; padding-left: 10px; }
"""


def theme() -> gr.themes.Base:
    """A calm, professional look in the system's own fonts (nothing is loaded from the internet)."""
    font = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"]
    return gr.themes.Default(primary_hue="blue", secondary_hue="slate", neutral_hue="slate", font=font)


def build_ui(app: App) -> gr.Blocks:
    """The page: a header, the first-start hint when the law is missing, and the tabs."""
    with gr.Blocks(title="AVG-assistent") as ui:
        gr.Markdown("# AVG-assistent\nVragen over de AVG en uw eigen documenten, beantwoord met bronnen.")
        hint = law_missing_hint(app.kb)
        if hint:
            gr.Markdown(f"**{hint}**", elem_id="eerste-start")
        with gr.Tabs():
            for label, build_tab in TABS:
                with gr.Tab(label):
                    build_tab(app)
    return ui


def serve(settings: Settings, host: str, port: int) -> None:
    """Build the app and serve the UI until interrupted."""
    app = build_app(settings)
    try:
        prepare_knowledge(app, lambda message: logger.warning("%s", message))
        ui = build_ui(app)
        ui.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
        ui.launch(
            server_name=host,
            server_port=port,
            show_error=False,
            footer_links=[],
            max_file_size=MAX_FILE_SIZE,
            theme=theme(),
            css=CSS,
        )
    finally:
        app.close()
