"""Eligibility rules, dossier checklist, persistence and summaries. Never imports an adapter."""

from intake import review_models as review_models  # registers the review tables with the metadata
