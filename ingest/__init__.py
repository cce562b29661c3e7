"""Ingest: load, clean, chunk and describe the source reports."""
