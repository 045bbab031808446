"""The program's entry point: Ctrl-C anywhere, even while starting up, ends with a
short message and exit code 130 (the output writer never leaves a partial file)."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def run() -> None:
    started = False
    try:
        choose_language(sys.argv[1:])
        started = start_typesetting(sys.argv[1:])
        with importing():
            from bulletin_press.commands.cli import main

        main(prog_name="bulletin-press")
        code = 0
    except KeyboardInterrupt:
        from bulletin_press.i18n import _

        sys.stderr.write(_("interrupted; the previous output is unchanged.") + "\n")
        code = 130
    except SystemExit as exc:
        code = exit_code(exc)
    if started:  # a command that failed before its build ended the workers (build_runs)
        from bulletin_press.runs.worker import end_workers

        end_workers()
    # Everything is written (outputs are renamed into place before a command
    # returns), so the interpreter's teardown is skipped: freeing a typeset
    # issue's objects one by one took ~0.1 s after the work was done.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 1  # like Python's own exit when the output was closed
    os._exit(code)


@contextmanager
def importing() -> Iterator[None]:
    """No garbage collections while modules load: what an import makes lives as long as
    the process, so the collections its allocations trigger free nothing (~5 % of the
    start of a build, where the first page run waits for this process). Then it is
    frozen: later collections skip it (~65,000 objects after a build's imports; each
    full collection walked them, ~30 ms, and `prepare` triggers one: ~30 % of its CPU).
    What is frozen is never freed: the import's own garbage, ~700 objects."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def choose_language(args: list[str]) -> None:
    """`--lang` is read before anything is imported: help texts and the messages of
    the first stages are made in the chosen language (click reads it again)."""
    from bulletin_press.i18n import LANGUAGES, set_language, use_for_gettext_globals

    for index, arg in enumerate(args):
        value = arg.removeprefix("--lang=") if arg.startswith("--lang=") else (
            args[index + 1] if arg == "--lang" and index + 1 < len(args) else None)
        if value in LANGUAGES:
            set_language(value)
    use_for_gettext_globals()


def exit_code(exc: SystemExit) -> int:
    """The status Python itself would exit with (and print a message, as it does)."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    sys.stderr.write(f"{exc.code}\n")
    return 1


def start_typesetting(args: list[str]) -> bool:
    """When the command will typeset an issue's page runs in parallel (`build` or
    `check` of one issue, not all from the run store), start the worker server now,
    forked from this process before it imports click, the CLI and the build's
    stages, so that its import of WeasyPrint (~0.25 s of CPU, what the first page
    run waited for) runs beside those imports and preparing the issue. Whether it
    started; the command starts it itself when this did not (its arguments read
    otherwise here)."""
    asked = typesetting_command(args)
    if asked is None:
        return False
    issue_dir, reuse = asked
    if reuse:
        with importing():
            try:
                if runs_stored(issue_dir):
                    return False
            except Exception:  # the command asks again, and reports what is wrong
                return False
    # Python's resource tracker, which the pool needs, forked first (before the
    # server, which keeps its pipe open as Python's own server does; and while
    # this process is small: each page both go on sharing is copied on a write),
    # not started as a new interpreter beside this process and the server
    # (~15 ms of CPU in the window where the first page run waits for both).
    with importing():
        from bulletin_press.runs.fork_server import fork_tracker
    fork_tracker()
    with importing():
        from bulletin_press.runs.worker import start_workers
    start_workers(fork=True)  # as many as the command's own call starts (cli.py)
    return True


# The options of `build` and `check` (commands/cli.py): flags, and those taking a value.
_FLAGS = {"build": {"--marks", "--pdf-x", "--no-cache", "--strict"},
          "check": {"--typography", "--strict"}}
_VALUED = {"build": {"-o", "--output", "-j", "--jobs"},
           "check": {"-o", "--output", "--format"}}


def typesetting_command(args: list[str]) -> tuple[Path, bool] | None:
    """(issue folder, whether stored runs are reused) when `args` are a
    `build` or `check` of one issue folder that typesets in more than one process;
    None for anything else, or anything this simple reading is unsure of (help,
    `--tagged`, an option it does not know, several issues, `-j 1`): the command
    then decides as before."""
    command: str | None = None
    values: dict[str, str] = {}
    flags: set[str] = set()
    positional: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if arg == "--lang" or (command is not None and arg in _VALUED[command]):
            if index >= len(args):
                return None
            values[arg] = args[index]
            index += 1
        elif arg.startswith("--lang="):
            continue
        elif command is None:
            if arg not in _FLAGS:
                return None  # another command, or an option of the group (--help)
            command = arg
        elif arg == "--":
            positional += args[index:]
            break
        elif arg.startswith("--"):
            name, equals, value = arg.partition("=")
            if equals and name in _VALUED[command]:
                values[name] = value
            elif not equals and name in _FLAGS[command]:
                flags.add(name)
            else:
                return None
        elif arg.startswith("-") and len(arg) > 2 and arg[:2] in _VALUED[command]:
            values[arg[:2]] = arg[2:]  # -j2
        elif arg.startswith("-") and arg != "-":
            return None
        else:
            positional.append(arg)
    if command is None or len(positional) != 1 or not Path(positional[0]).is_dir():
        return None
    try:
        jobs = int(values.get("-j", values.get("--jobs", "0")))
    except ValueError:
        return None
    if (jobs or os.cpu_count() or 1) <= 1 or jobs < 0:
        return None
    return Path(positional[0]), "--no-cache" not in flags


def runs_stored(issue_dir: Path) -> bool:
    """Will every page run come from the store (nothing the last build read changed)?
    Then no typesetting process is started ahead (see RunStore.unchanged)."""
    from bulletin_press.manifest.project import find_project
    from bulletin_press.runs.store import RunStore

    folder = find_project(issue_dir).output_dir / ".cache" / "runs"
    return RunStore(folder).unchanged(issue_dir)
