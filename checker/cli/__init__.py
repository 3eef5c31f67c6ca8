"""The ``check`` command line: the only package that imports click.

One module per command group; ``main`` assembles them. ``python -m checker``
and the ``check`` script both call :func:`main`.
"""

from checker.cli.main import cli, main

__all__ = ["cli", "main"]
