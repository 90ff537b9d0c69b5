"""The application services the adapters call: each takes a Session and flushes, never commits.

Use them inside `intake.database.unit_of_work(factory)`, one unit of work per update or
request.
"""

from intake.services.applicants import (
    ApplicantView,
    DeletionReport,
    delete_applicant_data,
    get_applicant,
    record_asked_question,
    record_audit,
    record_consent,
    register_applicant,
    set_language,
    set_reminders,
)
from intake.services.checks import (
    CheckState,
    finish_check,
    get_check,
    go_back_one,
    record_answer,
    restart_check,
    start_or_resume_check,
)
from intake.services.dossier import (
    AttachmentView,
    ChecklistView,
    FileRef,
    ItemView,
    attach_file,
    get_checklist,
    remove_attachment,
    update_checklist_item,
)
from intake.services.export import ExportFormat, export_summaries
from intake.services.summaries import (
    IntakeSummary,
    answer_label,
    build_summary,
    list_summaries,
    render_summary_text,
    verdict_label,
)

__all__ = [
    "ApplicantView",
    "AttachmentView",
    "CheckState",
    "ChecklistView",
    "DeletionReport",
    "ExportFormat",
    "FileRef",
    "IntakeSummary",
    "ItemView",
    "answer_label",
    "attach_file",
    "build_summary",
    "delete_applicant_data",
    "export_summaries",
    "finish_check",
    "get_applicant",
    "get_check",
    "get_checklist",
    "go_back_one",
    "list_summaries",
    "record_answer",
    "record_asked_question",
    "record_audit",
    "record_consent",
    "register_applicant",
    "remove_attachment",
    "render_summary_text",
    "restart_check",
    "set_language",
    "set_reminders",
    "start_or_resume_check",
    "update_checklist_item",
    "verdict_label",
]
