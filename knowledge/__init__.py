"""Ingest, index, retrieve and answer from the call texts. Never imports an adapter."""
