"""Export the intake summaries for staff as CSV or XLSX, and log the export."""

from __future__ import annotations

import csv
import io
import logging
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy.orm import Session

from intake.catalog import EditionCatalog, packaged_catalog
from intake.services.applicants import record_audit
from intake.services.summaries import IntakeSummary, list_summaries

logger = logging.getLogger(__name__)

LEADING_COLUMNS = ["session_id", "applicant_id", "channel", "external_id", "language", "edition", "status"]
TRAILING_COLUMNS = [
    "verdict", "reasons", "missing", "checklist_completion", "next_item", "created_at", "updated_at", "finished_at",
]
# A cell starting with one of these is run as a formula by spreadsheet programs; the
# applicant typed some of these texts, so they are neutralised.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class ExportFormat(StrEnum):
    """The file formats of the staff export."""

    CSV = "csv"
    XLSX = "xlsx"


def export_summaries(
    session: Session, output: Path, export_format: ExportFormat | str, *,
    edition: int | None = None, actor: str = "cli", catalog: EditionCatalog | None = None,
    now: datetime,
) -> int:
    """Write one row per intake session to `output` and log the export in the audit log.

    Args:
        session: the unit of work's session.
        output: the file to write.
        export_format: "csv" or "xlsx".
        edition: only this edition, or every edition.
        actor: who exports, for the audit log.
        catalog: the editions (default: the packaged ones).
        now: the current time (default: the clock).

    Returns:
        The number of rows written.
    """
    fmt = ExportFormat(export_format)
    editions = catalog or packaged_catalog()
    summaries = list_summaries(session, edition=edition, catalog=editions)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(export_bytes(summaries, fmt, export_columns(editions, edition)))
    record_audit(
        session, actor=actor, action="export", target=fmt.value,
        details={"rows": len(summaries), "edition": edition, "file": output.name}, now=now,
    )
    logger.info("exported %s intake summaries to %s", len(summaries), output)
    return len(summaries)


def export_bytes(summaries: list[IntakeSummary], export_format: ExportFormat, columns: list[str]) -> bytes:
    """Return summaries as a CSV or XLSX file's bytes (the workspace sends them without a file on disk)."""
    rows = [summary_row(summary, columns) for summary in summaries]
    return _csv_bytes(columns, rows) if export_format == ExportFormat.CSV else _xlsx_bytes(columns, rows)


def table_bytes(columns: list[str], rows: list[list[Any]], export_format: ExportFormat, sheet: str) -> bytes:
    """Return any table (the question log, for one) as CSV or XLSX bytes, its cells made safe the same way."""
    cells = [[_cell(value) for value in row] for row in rows]
    return _csv_bytes(columns, cells) if export_format == ExportFormat.CSV else _xlsx_bytes(columns, cells, sheet)


def export_columns(catalog: EditionCatalog, edition: int | None) -> list[str]:
    """Return the column names: ids, one column per question id, then verdict and dates."""
    years = [edition] if edition is not None else list(reversed(catalog.years()))
    question_ids: list[str] = []
    for year in years:
        question_ids += [q.id for q in catalog.get(year).questions if q.id not in question_ids]
    return LEADING_COLUMNS + question_ids + TRAILING_COLUMNS


def summary_row(summary: IntakeSummary, columns: list[str]) -> list[Any]:
    """Return the cells of one summary, in column order."""
    values: dict[str, Any] = {
        **summary.answers,
        **{name: getattr(summary, name) for name in LEADING_COLUMNS + TRAILING_COLUMNS if hasattr(summary, name)},
        "reasons": "; ".join(f"{r['rule']} ({r['outcome']})" for r in summary.reasons),
        "missing": ", ".join(summary.missing),
    }
    return [_cell(values.get(name)) for name in columns]


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, StrEnum):
        return value.value
    if not isinstance(value, str):
        return value
    # Applicants type these texts: control characters (which openpyxl refuses, failing the
    # whole export) are dropped, and what then starts like a formula is kept as text.
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv_bytes(columns: list[str], rows: list[list[Any]]) -> bytes:
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(columns)
    writer.writerows([[_csv_text(cell) for cell in row] for row in rows])
    return text.getvalue().encode("utf-8-sig")  # with a BOM, spreadsheet programs read Arabic and accents right


def _csv_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return str(cell)


def _xlsx_bytes(columns: list[str], rows: list[list[Any]], title: str = "intake") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = title
    sheet.append(columns)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
