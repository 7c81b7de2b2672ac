"""Import and export a register as YAML, CSV or XLSX (chosen by the file suffix).

* YAML holds the whole register in its Dutch-keyed shape (:meth:`Register.to_dict`).
* XLSX has a sheet ``Organisatie`` (field, value) and a sheet ``Verwerkingen`` (one row per
  activity).
* CSV is the ``Verwerkingen`` table only (``;``-separated, UTF-8 with BOM so Excel opens it);
  importing a CSV keeps the organisation details of the client's existing register.

In a table cell, list items are separated by ``;`` and the fields of an item (a recipient:
``naam | soort | land``) by ``|``; a literal ``;``, ``|`` or ``\\`` is escaped with ``\\``.
Every read error becomes a :class:`RegisterError` with a Dutch message.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import yaml

from assistant.features.privacy.errors import RegisterError
from assistant.features.privacy.model import Activity, Controller, Register, basis_label

SUFFIXES: tuple[str, ...] = (".yaml", ".yml", ".csv", ".xlsx")
COLUMNS: tuple[str, ...] = (
    *("naam", "doel", "grondslag", "gerechtvaardigd_belang", "gegevens", "bijzondere_gegevens"),
    *("uitzondering_art9", "betrokkenen", "ontvangers", "doorgiften", "bewaartermijn", "herkomst"),
    *("geautomatiseerde_besluitvorming", "verplichting", "beveiliging", "bronnen"),
    *("belangenafweging", "dpia", "grootschalig", "doorgifte_buiten_eer", "rol"),
)
#: Nested list columns → the fields of one item, in cell order.
ITEM_FIELDS: dict[str, tuple[str, ...]] = {
    "ontvangers": ("naam", "soort", "land"),
    "doorgiften": ("land", "ontvanger", "waarborg"),
    "bronnen": ("document", "pagina", "citaat", "kop", "document_id", "inhoud_hash"),
}
LIST_COLUMNS = ("gegevens", "bijzondere_gegevens", "betrokkenen", "beveiliging")
ORGANISATION_FIELDS: tuple[str, ...] = (
    *("klant", "naam", "adres", "email", "telefoon", "website", "kvk", "fg_naam", "fg_email"),
    *("fg_telefoon", "fg_beoordeling", "laatst_bijgewerkt"),
)
ORGANISATION_SHEET = "Organisatie"
ACTIVITIES_SHEET = "Verwerkingen"

_UNESCAPED = {";": re.compile(r"(?<!\\)((?:\\\\)*);"), "|": re.compile(r"(?<!\\)((?:\\\\)*)\|")}


def export_register(register: Register, path: Path) -> None:
    """Write ``register`` to ``path`` in the format its suffix names; a missing folder is created.

    A folder that cannot be created or a file that cannot be written is a Dutch RegisterError.
    """
    suffix = _suffix(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if suffix in (".yaml", ".yml"):
            path.write_text(dump_yaml(register), encoding="utf-8")
        elif suffix == ".csv":
            path.write_text(dump_csv(register), encoding="utf-8-sig", newline="")
        else:
            path.write_bytes(dump_xlsx(register))
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise RegisterError(f"Het register kan niet worden weggeschreven naar '{path}' ({reason}).") from exc


def import_register(path: Path, client: str | None = None, base: Register | None = None) -> Register:
    """Read a register from ``path``; a CSV needs ``base`` (or ``client``) for the organisation."""
    suffix = _suffix(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RegisterError(f"Het bestand '{path.name}' kan niet worden gelezen ({exc.strerror}).") from exc
    if suffix in (".yaml", ".yml"):
        return load_yaml(_decode(data, path), client)
    if suffix == ".csv":
        activities = load_csv(_decode(data, path))
        name = client or (base.client if base else "")
        if not name:
            raise RegisterError("Geef bij een CSV-bestand de klant op: het bevat alleen de verwerkingen.")
        controller = base.controller if base else Controller(name="")
        return Register(name, controller, activities)
    return load_xlsx(data, client)


def dump_yaml(register: Register) -> str:
    """The register as YAML (empty fields left out)."""
    return yaml.safe_dump(_compact(register.to_dict()), allow_unicode=True, sort_keys=False, width=100)


def load_yaml(text: str, client: str | None = None) -> Register:
    """A register from YAML text."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (regel {mark.line + 1})" if mark is not None else ""
        raise RegisterError(f"Het YAML-bestand is ongeldig{where}.") from exc
    return Register.from_dict(data, client)


def dump_csv(register: Register) -> str:
    """The activities as a ``;``-separated table."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for activity in register.activities:
        writer.writerow(activity_row(activity))
    return buffer.getvalue()


def load_csv(text: str) -> list[Activity]:
    """Activities from a CSV table (``;`` or ``,`` separated, detected from the header line)."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    return _activities(rows, "CSV-bestand")


def dump_xlsx(register: Register) -> bytes:
    """The register as an Excel workbook (bytes)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    organisation = workbook.active
    organisation.title = ORGANISATION_SHEET
    organisation.append(["veld", "waarde"])
    for key, value in _organisation_rows(register):
        organisation.append([key, value])
    activities = workbook.create_sheet(ACTIVITIES_SHEET)
    activities.append(list(COLUMNS))
    for activity in register.activities:
        activities.append(activity_row(activity))
    for sheet in (organisation, activities):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(12, width + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def load_xlsx(data: bytes, client: str | None = None) -> Register:
    """A register from Excel workbook bytes."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise RegisterError("Het Excel-bestand (.xlsx) is beschadigd of onleesbaar.") from exc
    try:
        missing = [s for s in (ORGANISATION_SHEET, ACTIVITIES_SHEET) if s not in workbook.sheetnames]
        if missing:
            raise RegisterError(
                f"Het Excel-bestand mist het tabblad {' en '.join(repr(m) for m in missing)}."
            )
        fields: dict[str, Any] = {}
        for row in workbook[ORGANISATION_SHEET].iter_rows(min_row=2, values_only=True):
            if row and row[0]:
                fields[_header(str(row[0]))] = "" if len(row) < 2 or row[1] is None else row[1]
        rows = [
            ["" if v is None else v for v in row]
            for row in workbook[ACTIVITIES_SHEET].iter_rows(values_only=True)
        ]
    finally:
        workbook.close()
    organisation = {
        "naam": fields.get("naam"),
        **{k: fields.get(k) for k in ("adres", "email", "telefoon", "website", "kvk")},
        "fg": {k: fields.get(f"fg_{k}") for k in ("naam", "email", "telefoon")},
        "fg_beoordeling": fields.get("fg_beoordeling"),
        "laatst_bijgewerkt": fields.get("laatst_bijgewerkt"),
    }
    name = client or str(fields.get("klant") or "")
    return Register(name, Controller.from_dict(organisation), _activities(rows, "Excel-bestand"))


def activity_row(activity: Activity) -> list[str]:
    """One table row (cells in :data:`COLUMNS` order)."""
    data = activity.to_dict()
    cells: list[str] = []
    for column in COLUMNS:
        value = data[column]
        if column == "grondslag" and value:
            cells.append(f"{value} ({basis_label(value)})")
        elif column in ITEM_FIELDS:
            cells.append(
                "; ".join(" | ".join(_escape(str(item[f])) for f in ITEM_FIELDS[column]) for item in value)
            )
        elif column in LIST_COLUMNS:
            cells.append("; ".join(_escape(v) for v in value))
        else:
            cells.append(str(value))
    return cells


def _activities(rows: list[list[Any]], what: str) -> list[Activity]:
    rows = [r for r in rows if any(str(c).strip() for c in r)]
    if not rows:
        raise RegisterError(f"Het {what} is leeg.")
    header = [_header(str(h)) for h in rows[0]]
    if "naam" not in header:
        raise RegisterError(f"Het {what} heeft geen kolom 'naam'. Verwachte kolommen: {', '.join(COLUMNS)}.")
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise RegisterError(f"Onbekende kolom(men) in het {what}: {', '.join(unknown)}.")
    activities: list[Activity] = []
    for line, row in enumerate(rows[1:], start=2):
        cells = {h: ("" if i >= len(row) else row[i]) for i, h in enumerate(header) if h}
        try:
            activities.append(Activity.from_dict(_cells_data(cells, f"Regel {line}, kolom")))
        except RegisterError as exc:
            raise RegisterError(f"Regel {line} van het {what}: {exc}") from exc
    return activities


def activity_from_cells(cells: dict[str, Any]) -> Activity:
    """One activity from cells in the table format (a form: column name → text)."""
    unknown = [c for c in cells if c not in COLUMNS]
    if unknown:
        raise RegisterError(f"Onbekend(e) veld(en): {', '.join(unknown)}.")
    return Activity.from_dict(_cells_data(cells, "Veld"))


def _cells_data(cells: dict[str, Any], where: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for column, value in cells.items():
        text = "" if value is None else str(value)
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if column in ITEM_FIELDS:
            data[column] = [_item(column, part, where) for part in _split(text, ";") if part.strip()]
        elif column in LIST_COLUMNS:
            data[column] = [_unescape(p).strip() for p in _split(text, ";") if p.strip()]
        else:
            data[column] = text
    return data


def _item(column: str, text: str, where: str) -> dict[str, str]:
    fields = ITEM_FIELDS[column]
    parts = [_unescape(p).strip() for p in _split(text, "|")]
    if len(parts) > len(fields):
        raise RegisterError(
            f"{where} '{column}': '{text}' heeft te veel delen (verwacht: {' | '.join(fields)})."
        )
    parts += [""] * (len(fields) - len(parts))
    return dict(zip(fields, parts, strict=True))


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace("|", "\\|")


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def _split(text: str, separator: str) -> list[str]:
    """Split on unescaped ``separator``; the parts keep their escapes (unescape at the last level)."""
    marker = "\x00"
    return _UNESCAPED[separator].sub(lambda m: m.group(1) + marker, text).split(marker)


def _organisation_rows(register: Register) -> list[tuple[str, str]]:
    c = register.controller
    values: tuple[str, ...] = (register.client, c.name, c.address, c.email, c.phone, c.website, c.kvk)
    values += (c.fg_name, c.fg_email, c.fg_phone, c.fg_assessment, c.register_updated)
    return list(zip(ORGANISATION_FIELDS, values, strict=True))


def _header(text: str) -> str:
    return "_".join(text.strip().lower().replace("-", " ").split())


def _suffix(path: Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise RegisterError(
            f"Bestandstype '{suffix or path.name}' wordt niet ondersteund voor het register; "
            "gebruik .yaml, .csv of .xlsx."
        )
    return suffix


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise RegisterError(f"Het bestand '{path.name}' is geen leesbare tekst.") from exc


def _compact(value: Any) -> Any:
    """Leave out empty strings, lists and mappings (they are the defaults when reading back)."""
    if isinstance(value, dict):
        kept = {k: _compact(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if k == "naam" or v not in ("", [], {}, None)}
    if isinstance(value, list):
        return [_compact(v) for v in value]
    return value
