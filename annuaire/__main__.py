"""`python -m annuaire` runs the command line."""

from annuaire.cli import main

main()
