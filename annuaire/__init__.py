"""annuaire: printed thematic directories of local public services.

A pipeline of small stages (load → validate → merge → group → layout/render),
each a module that takes and returns plain data (annuaire.model).  The
command line (annuaire.cli) is a thin shell over this library.
"""

__version__ = "0.1.0"
