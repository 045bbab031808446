"""click, in the editor's language: `--lang` on every command, and help texts
translated when they are shown (the texts are made when the module is
imported, possibly before `--lang` was read).

click's own words ("Usage:", "Error: Missing argument …") come through
gettext's global functions; `commands/entry.py` points those at our catalog
for the program's process. They are listed here so that the extraction
keeps them in the catalog.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from bulletin_press.i18n import LANGUAGES, N_, _, ngettext, set_language

CLICK_WORDS = (
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Show this message and exit."),
    N_("Show the version and exit."), N_("Error: {message}"), N_("Missing argument"),
    N_("Missing argument {name}."), N_("Missing option {name}."),
    N_("Missing command."), N_("No such command {name!r}."),
    N_("No such option {name!r}."),
    N_("Try '{command} {option}' for help."), N_("Invalid value for {param_hint}: {message}"),
    N_("{value!r} is not a valid {number_type}."), N_("Option {name!r} requires an argument."),
    N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is a file."), N_("directory"), N_("file"), N_("path"),
    N_("default: {default}"), N_("Aborted!"), N_("%(prog)s, version %(version)s"),
)
# click asks for these with ngettext, which finds only an entry with its plural; never
# called, only extracted.
CLICK_PLURALS = (
    lambda n: ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", n),
    lambda n: ngettext("Got unexpected extra argument ({args})",
                       "Got unexpected extra arguments ({args})", n),
)


def _choose(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        set_language(value)


def language_option() -> click.Option:
    return click.Option(["--lang"], type=click.Choice(LANGUAGES), expose_value=False,
                        is_eager=True, callback=_choose,
                        help=N_("language of the messages: zh (中文) or en; default: "
                                "from the locale (LANG)"))


@contextmanager
def _in_language(command: click.Command) -> Iterator[None]:
    """The command's and its options' help in the current language, for a moment."""
    saved: list[tuple[Any, str | None]] = [(command, command.help)]
    saved += [(p, p.help) for p in command.params if isinstance(p, click.Option)]
    try:
        for owner, text in saved:
            owner.help = _(text) if text else text
        yield
    finally:
        for owner, text in saved:
            owner.help = text


class _Translated(click.Command):
    """`--lang` and help in the asked language: what a command and the group share."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.append(language_option())

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.MissingParameter as exc:
            # click words it "Missing argument 'X'." with its own '.', after the
            # translated words too (缺少参数 'X'.): the whole sentence translated.
            if exc.message or exc.param is None or exc.param.param_type_name not in (
                    "argument", "option"):
                raise
            name = exc.param.get_error_hint(ctx)
            words = _("Missing argument {name}.") if exc.param.param_type_name == "argument" \
                else _("Missing option {name}.")
            raise click.UsageError(words.format(name=name), ctx) from None

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _in_language(self):
            super().format_help(ctx, formatter)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # click writes "Usage:" and a space; after a full-width colon (用法：) no space
        # goes (GB/T 15834: the colon takes its own room).
        label = _("Usage:")
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                              prefix=label if label.endswith("：") else f"{label} ")


class Command(_Translated):
    """A command with `--lang` and translated help."""

    def get_short_help_str(self, limit: int = 45) -> str:
        with _in_language(self):
            return super().get_short_help_str(limit)


class Group(_Translated, click.Group):
    """The program's group: its commands are `Command`s."""

    command_class = Command
