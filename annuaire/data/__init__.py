"""Bundled reference data (read with importlib.resources); see README.md here."""
