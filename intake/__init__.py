"""Eligibility rules, dossier checklist, persistence and summaries. Never imports an adapter."""
