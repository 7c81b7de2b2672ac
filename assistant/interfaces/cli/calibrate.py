"""The ``calibrate`` command of ``avg-assistent``: thresholds for the configured embedder.

:func:`add_parsers` adds it to the CLI's sub-commands; :func:`handlers` maps it to its handler,
given the CLI's way of opening the app. The work is in :mod:`assistant.ops.calibration`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.app import App

Handler = Callable[[Settings, argparse.Namespace], int]


def add_parsers(commands: Any) -> None:
    """Add ``calibrate`` to the CLI's sub-command parsers."""
    calibrate = commands.add_parser(
        "calibrate",
        help="kalibreer de drempels voor de ingestelde embedder op vragensets (JSONL)",
        description=(
            "Meet de ingestelde embedder op vragen binnen en buiten de scope en op de antwoordkaarten, "
            "en schrijf de drempels naar calibration.toml in de datamap."
        ),
    )
    calibrate.add_argument(
        "--queries", type=Path, required=True, metavar="BESTAND", help="vragen met artikelen (eval-formaat)"
    )
    calibrate.add_argument("--recitals", type=Path, metavar="BESTAND", help="overwegingen als vragen")
    calibrate.add_argument("--answers", type=Path, metavar="BESTAND", help="antwoordsleutel (eval --answers)")
    calibrate.add_argument("--dry-run", action="store_true", help="toon alleen wat er gekozen wordt")


def handlers(open_app: Callable[[Settings], App]) -> dict[str, Handler]:
    """The ``calibrate`` handler, opening the app the CLI's way (starter pack and cards loaded)."""

    def run(settings: Settings, args: argparse.Namespace) -> int:
        from assistant.features.documents.progress import TqdmCounter
        from assistant.ops.calibration import calibrate, format_calibration, load_calibration_questions
        from assistant.tuning import write_profile

        questions = load_calibration_questions(args.queries, args.recitals, args.answers)
        app = open_app(settings)
        try:
            with TqdmCounter("Kalibreren", "vraag") as progress:
                result = calibrate(app, questions, progress=progress)
        finally:
            app.close()
        written = None
        if not args.dry_run:
            note = f"avg-assistent calibrate op {len(result.samples)} vragen"
            written = write_profile(
                settings.data_dir, result.embedder_id, result.embedder_id, note, result.after
            )
        print("\n".join(format_calibration(result, written)))
        return 0

    return {"calibrate": run}
