"""The ``check`` group: assembles the command modules; ``check AUDIT...`` needs no verb."""

from __future__ import annotations

import sys

import click
from click.shell_completion import CompletionItem

from checker import __version__
from checker.cli.catalogue import (
    docs_command,
    lint_command,
    list_command,
    schema_command,
    show_command,
)
from checker.cli.completion import complete_audits
from checker.cli.export import export_command
from checker.cli.history import history_command
from checker.cli.import_cmd import import_command
from checker.cli.keys import keys_command
from checker.cli.progress import progress_command
from checker.cli.register import register_command
from checker.cli.run import run_command
from checker.cli.template import template_command
from checker.cli.verify import verify_command

__all__ = ["cli", "main"]


class DefaultGroup(click.Group):
    """`check AUDIT...` means `check run AUDIT...`: the common case needs no verb."""

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        """The commands, and (as for `check run`) the audit files."""
        items = super().shell_complete(ctx, incomplete)
        if not incomplete.startswith("-"):
            items += complete_audits(ctx, None, incomplete)
        return items

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["run", *args]
        elif not args:
            args = ["--help"]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tongcheck")
def cli() -> None:
    """Check child-friendly facility audits (儿童友好) against their standards.

    \b
    Examples:
      check examples/schools/exemplary.json        summary of one audit
      check --format json audits/*.json            JSON Lines, one result per audit
      check list                                   the standards available
      check template yuzhong-school > audit.json   a blank audit to fill in
      check template yuzhong-park --xlsx park.xlsx an Excel checklist (--xlsform for ODK/Kobo)
      check park.xlsx                              check a filled Excel checklist
      check import export.csv -o audits/           ODK/Kobo exports to audit JSON
      check show yuzhong-school --lang en          the checklist, readable
      check audit.json --pdf reports/              certificate or gap report (PDF)
      check audits/                                a district: every audit, then a summary
      check progress audits/                       progress against the plan's 2026 targets
      check keys new keys/district.pem             the district's signing key (and .pub)
      check verify certificate.pdf --pub district.pem.pub    is it genuine and valid?

    Exit status: 0 all certified, 1 some not certified or incomplete,
    2 invalid input (other audits are still checked), 3 internal error
    (add --debug, or set TONGCHECK_DEBUG=1, for the traceback), 130 interrupted.
    """


for _command in (
    run_command,
    list_command,
    show_command,
    lint_command,
    template_command,
    schema_command,
    docs_command,
    progress_command,
    history_command,
    export_command,
    keys_command,
    verify_command,
    register_command,
    import_command,
):
    cli.add_command(_command)


def main() -> None:
    """The ``check`` script: the exit statuses and crash handling of :mod:`checker.cli.exits`."""
    from checker.cli.exits import run_cli

    sys.exit(run_cli(cli, sys.argv[1:]))


if __name__ == "__main__":
    main()
