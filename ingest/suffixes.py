"""Which file suffixes the ingest reads, by reader (``ingest.formats`` reads all but the text ones)."""
from __future__ import annotations

TEXT_SUFFIXES = (".txt", ".md")
DOCX_SUFFIXES = (".docx",)
PDF_SUFFIXES = (".pdf",)
HTML_SUFFIXES = (".html", ".htm")
SHEET_SUFFIXES = (".xlsx", ".xls", ".ods")
CSV_SUFFIXES = (".csv",)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")
OFFICE_SUFFIXES = (".doc", ".wps")  # converted to .docx by LibreOffice
OFD_SUFFIXES = (".ofd",)
SUPPORTED_SUFFIXES = (TEXT_SUFFIXES + DOCX_SUFFIXES + OFFICE_SUFFIXES + PDF_SUFFIXES + OFD_SUFFIXES
                      + HTML_SUFFIXES + SHEET_SUFFIXES + CSV_SUFFIXES + IMAGE_SUFFIXES)
SUPPORTED_LABEL = "、".join(SUPPORTED_SUFFIXES)
