"""``python -m checker`` runs the ``check`` command."""

from checker.cli import main

main()
