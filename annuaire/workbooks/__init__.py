"""Workbooks written for contributors: the blank template, the annotated copy of their file, the export of entries."""
