"""Command line: each verb composes pipeline stages and alone decides what to
print and which exit code to return (0 ok, 1 problems in the input, 3 internal error)."""

from __future__ import annotations

import functools
import io
import json
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from bulletin_press import __version__
from bulletin_press.commands.entry import importing
from bulletin_press.commands.translated_click import Group
from bulletin_press.diagnostics import (
    BuildError,
    Diagnostic,
    Location,
    Severity,
    display_path,
    error,
    warning,
)
from bulletin_press.i18n import _, ngettext

if TYPE_CHECKING:
    from bulletin_press.build.pipeline import Assembled, Built

EXIT_OK, EXIT_PROBLEMS, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 3, 130

F = TypeVar("F", bound=Callable[..., Any])
# pdf.archive.VARIANTS, written out: that module imports pikepdf, which --help need not wait for.
ARCHIVE_VARIANTS = ("pdf/a-2a", "pdf/a-2b", "pdf/a-2u", "pdf/a-3a", "pdf/a-3b", "pdf/a-3u")


def report(diagnostics: list[Diagnostic]) -> None:
    for d in diagnostics:
        colour = "red" if d.severity is Severity.ERROR else "yellow"
        first, _, rest = d.format().partition("\n")
        click.echo(click.style(first, fg=colour) + (f"\n{rest}" if rest else ""), err=True)


def guarded(func: F) -> F:
    """Turn the ways a command can fail into one message and a stable exit code."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BuildError as exc:
            report(exc.diagnostics)
            errors = sum(d.severity is Severity.ERROR for d in exc.diagnostics)
            click.echo(ngettext("{n} error; nothing was written.",
                                "{n} errors; nothing was written.", errors).format(n=errors),
                       err=True)
            sys.exit(EXIT_PROBLEMS)
        except KeyboardInterrupt:
            click.echo(_("interrupted; the previous output is unchanged."), err=True)
            sys.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except BrokenPipeError:
            # `… | head`: the reader has what it wanted; not an internal error. Output
            # to the closed pipe goes nowhere from here on (Python would report it).
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_OK)
        except Exception as exc:
            if _interrupt_within(exc):
                click.echo(_("interrupted; the previous output is unchanged."), err=True)
                sys.exit(EXIT_INTERRUPTED)
            path = _save_traceback()
            click.echo(_("internal error: {error}\n  the details are in {path}; please "
                         "attach that file to a bug report").format(
                             error=f"{type(exc).__name__}: {exc}", path=path), err=True)
            sys.exit(EXIT_INTERNAL)
    return wrapper  # type: ignore[return-value]


def _interrupt_within(exc: BaseException) -> bool:
    """Was `exc` caused by Ctrl-C? A library can turn the KeyboardInterrupt raised in
    its callback into its own error: Python chains it (cause or context), while
    pydantic-core, building the manifest's validator, keeps only its name in the
    SchemaError's message."""
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        if isinstance(link, KeyboardInterrupt):
            return True
        seen.add(id(link))
        link = link.__cause__ or link.__context__
    return type(exc).__name__ == "SchemaError" and "KeyboardInterrupt" in str(exc)


def read_pdf_file(path: Path) -> bytes:
    """The bytes of a PDF given on the command line, or a clear error naming the file:
    a Word document or photo given by mistake, a PDF cut short or protected."""
    import pikepdf

    data = path.read_bytes()
    where = Location(path)
    if b"%PDF-" not in data[:1024]:
        raise BuildError([error("pdf.not-pdf", _("the file is not a PDF"), where,
                                _("give the PDF that build wrote, e.g. output/2023-01.pdf"))])
    try:
        with pikepdf.open(io.BytesIO(data)):
            pass
    except pikepdf.PasswordError:
        raise BuildError([error("pdf.encrypted", _("the PDF is protected by a password"),
                                where, _("give the PDF that build wrote"))]) from None
    except pikepdf.PdfError:
        raise BuildError([error("pdf.damaged", _("the PDF is damaged or cut short"), where,
                                _("build the issue again, or copy the file again"))]) from None
    return data


def needs_pikepdf(func: F) -> F:
    """A command that will use pikepdf imports it first, with Ctrl-C deferred: its native
    module aborts the process (exit -6, no message) when interrupted while it loads."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from bulletin_press.pdf.native import load_pikepdf

        load_pikepdf()
        return func(*args, **kwargs)
    return wrapper  # type: ignore[return-value]


def _save_traceback() -> str:
    fd, name = tempfile.mkstemp(prefix="bulletin-press-crash-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"bulletin_press {__version__}\n{' '.join(sys.argv)}\n\n")
        handle.write(traceback.format_exc())
    return name


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]},
             help=_("bulletin_press: print-ready Chinese newsletters from a YAML manifest."))
@click.version_option(__version__, prog_name="bulletin-press")
def main() -> None:
    pass


def _default_output(issue_dir: Path) -> Path:
    from bulletin_press.manifest.project import find_project
    return find_project(issue_dir).output_dir / f"{issue_dir.resolve().name}.pdf"


@main.command(help=_(
    "Build the print PDF of the issue in ISSUE_DIR; several issues are built in parallel, "
    "each reported on its own line (one failing does not stop the others).\n\nThe issue "
    "is typeset in page runs (an article that starts a new page starts one), in parallel, "
    "and runs unchanged since the last build are reused."))
@click.argument("issue_dirs", nargs=-1, required=True,
                type=click.Path(path_type=Path, file_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help=_("where to write the PDF (default: output/<issue>.pdf; one issue only)"))
@click.option("--marks", is_flag=True,
              help=_("add crop marks outside the 3 mm bleed (the page grows to hold them)"))
@click.option("--pdf-x", is_flag=True,
              help=_("write PDF/X-4 for the print condition named in the layout, checked "
                     "rule by rule"))
@click.option("-j", "--jobs", type=int, default=0,
              help=_("processes at once: page runs of one issue, or issues of several "
                     "(default: one per CPU core)"))
@click.option("--no-cache", is_flag=True,
              help=_("typeset every page run again instead of reusing unchanged ones "
                     "from output/.cache (the results are still stored)"))
@click.option("--tagged", is_flag=True,
              help=_("a tagged PDF (structure tree: headlines, paragraphs, photos with "
                     "their text, for screen readers and copying); typeset as one "
                     "document, not in page runs"))
@click.option("--strict", is_flag=True,
              help=_("fail (exit 1) on preflight warnings too, not only on errors"))
@guarded
def build(issue_dirs: tuple[Path, ...], output: Path | None, marks: bool, pdf_x: bool,
          jobs: int, no_cache: bool, tagged: bool, strict: bool) -> None:
    if len(issue_dirs) == 1:
        jobs = jobs or os.cpu_count() or 1
        with importing():
            if jobs > 1 and not (not no_cache and _runs_stored(issue_dirs[0])):
                from bulletin_press.runs.worker import start_workers

                start_workers()  # they import the typesetter while this process prepares
            import bulletin_press.build.pipeline  # noqa: F401  (for _build_one, loaded here)
        _summary, failing = _build_one(issue_dirs[0], output, marks, pdf_x, jobs,
                                       not no_cache, tagged, strict)
        sys.exit(EXIT_PROBLEMS if failing else EXIT_OK)
    if output is not None:
        raise click.UsageError(_("-o names one file; with several issues each goes to "
                                 "output/<issue>.pdf"))
    from concurrent.futures import ProcessPoolExecutor

    from bulletin_press.runs.worker import end_with

    workers = jobs or os.cpu_count() or 1
    started = time.perf_counter()
    failed = 0
    with ProcessPoolExecutor(max_workers=min(workers, len(issue_dirs)),
                             initializer=end_with, initargs=(os.getpid(),)) as pool:
        results = pool.map(_build_in_worker, issue_dirs, [marks] * len(issue_dirs),
                           [pdf_x] * len(issue_dirs), [not no_cache] * len(issue_dirs),
                           [tagged] * len(issue_dirs), [strict] * len(issue_dirs))
        for issue_dir, (ok, text) in zip(issue_dirs, results, strict=True):
            failed += not ok
            status = _("ok") + " " if ok else _("FAILED")
            click.echo(f"{status} {display_path(issue_dir)}: {text}", err=not ok)
    click.echo(ngettext("{built} of {total} issue built in {seconds:.2f} s with {workers}",
                          "{built} of {total} issues built in {seconds:.2f} s with {workers}",
                          len(issue_dirs)).format(
        built=len(issue_dirs) - failed, total=len(issue_dirs),
        seconds=time.perf_counter() - started,
        workers=ngettext("{n} worker", "{n} workers", workers).format(n=workers)))
    sys.exit(EXIT_PROBLEMS if failed else EXIT_OK)


def _runs_stored(issue_dir: Path) -> bool:
    from bulletin_press.commands.entry import runs_stored

    return runs_stored(issue_dir)


SHOWN_IN_FULL = 5  # preflight findings a build prints in full; `check` shows them all


def preflight_summary(built: Built | Assembled, label: str, strict: bool
                      ) -> tuple[str, bool, list[Diagnostic]]:
    """The preflight's findings of a build, before its PDF is written, so that a
    blurry photo or a missed page plan is never silent: (the counts line, whether
    the command fails, the errors and warnings to print)."""
    from bulletin_press.checks.preflight import preflight
    from bulletin_press.checks.report import counts, ordered, tally_text

    found = ordered([*built.diagnostics, *preflight(built)])
    serious = [d for d in found if d.severity is not Severity.INFO]
    tally = counts(found)
    failing = bool(tally["error"] or (strict and tally["warning"]))
    line = _("preflight: {tally}").format(tally=tally_text(tally))
    if len(serious) > SHOWN_IN_FULL or tally["info"]:
        line += _(" (all of them, and the typography: bulletin-press check {issue})").format(
            issue=label)
    return line, failing, serious


def _proof_path(target: Path) -> Path:
    """Where a build the preflight fails writes its pages: beside the last good PDF,
    which stays as it was (a failed build never replaces it)."""
    stem = target.name[:-4] if target.name.lower().endswith(".pdf") else target.name
    return target.with_name(stem + ".proof.pdf")


def print_findings(line: str, failing: bool, serious: list[Diagnostic], target: Path,
                   written: Path) -> None:
    report(serious[:SHOWN_IN_FULL])
    click.echo(line, err=True)
    if failing:
        click.echo(_("{target} was not replaced (the last good PDF stays); the pages are in "
                     "{proof} to proof; fix these before it goes to print").format(
            target=display_path(target), proof=display_path(written)), err=True)


def _build_one(issue_dir: Path, output: Path | None, marks: bool, pdf_x: bool,
               jobs: int = 1, store: bool = True, tagged: bool = False,
               strict: bool = False) -> tuple[str, bool]:
    from bulletin_press.build.pipeline import build_runs, print_pdf
    from bulletin_press.commands.atomic_files import write_atomic
    from bulletin_press.pdf.native import load_pikepdf

    started = time.perf_counter()
    built = build_runs(issue_dir, jobs=jobs, reuse=store, tagged=tagged)
    # pikepdf (for the preflight and marks) is loaded as late as this, Ctrl-C deferred:
    # a cold build loads it while its workers typeset (runs/plan.py), not before.
    load_pikepdf()
    data = print_pdf(built, marks=marks, pdf_x=pdf_x) if marks or pdf_x else built.pdf
    target = output or _default_output(issue_dir)
    line, failing, serious = preflight_summary(built, display_path(issue_dir), strict)
    written = _proof_path(target) if failing else target
    write_atomic(written, data)
    seconds = time.perf_counter() - started
    what = ngettext("{pages} page", "{pages} pages", built.page_count).format(
        pages=built.page_count)
    if tagged:
        what = _("tagged") + ", " + what
    if pdf_x:
        what = "PDF/X-4, " + what
    summary = _("wrote {path}: {what}, {kib:.0f} KiB in {seconds:.2f} s ({runs}, "
                "{typeset} typeset)").format(
        path=display_path(written), what=what, kib=len(data) / 1024, seconds=seconds,
        runs=ngettext("{n} page run", "{n} page runs", built.run_count).format(
            n=built.run_count), typeset=built.typeset_runs)
    click.echo(summary)
    print_findings(line, failing, serious, target, written)
    return f"{summary}; {line}", failing


def _build_in_worker(issue_dir: Path, marks: bool, pdf_x: bool, store: bool,
                     tagged: bool = False, strict: bool = False) -> tuple[bool, str]:
    """One issue of a batch, in its own process: (ok, one line to show)."""
    import contextlib
    import io

    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            summary, failing = _build_one(issue_dir, None, marks, pdf_x, 1, store, tagged,
                                          strict)
        return not failing, summary
    except BuildError as exc:
        first = exc.diagnostics[0].format().splitlines()[0] if exc.diagnostics else _("failed")
        more = len(exc.diagnostics) - 1
        return False, first + (_(" (+{n} more)").format(n=more) if more > 0 else "")
    except Exception as exc:  # one broken issue must not stop the batch
        return False, _("internal error: {error}").format(error=f"{type(exc).__name__}: {exc}")


@main.command("import", help=_(
    "Add articles to an issue from Word documents (.docx), back-issue text files or PDFs: "
    "bodies under articles/, pictures under images/, entries at the end of issue.yaml (its "
    "comments and layout kept). Prints a note for every decision to check, then validates "
    "the issue."))
@click.argument("sources", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--into", "issue_dir", required=True,
              type=click.Path(path_type=Path, file_okay=False, exists=True),
              help=_("the issue folder whose issue.yaml gains the articles"))
@guarded
def import_command(sources: tuple[Path, ...], issue_dir: Path) -> None:
    from bulletin_press.intake.importer import import_sources
    from bulletin_press.layout.prepare import prepare

    result = import_sources(list(sources), issue_dir)
    for article in result.articles:
        click.echo(_("added {id}: {title} ({paragraphs}, {photos}) from {source} → {body}")
                   .format(id=article.id, title=article.title,
                           paragraphs=ngettext("{n} paragraph", "{n} paragraphs",
                                               article.paragraphs).format(n=article.paragraphs),
                           photos=ngettext("{n} photo", "{n} photos",
                                           article.photos).format(n=article.photos),
                           source=display_path(article.source), body=article.body_file))
    notes = sorted(result.notes, key=lambda d: (str(d.location.path), d.location.page or 0,
                                                d.location.line or 0, d.location.column or 0))
    report(notes)
    checks = sum(d.severity is Severity.WARNING for d in notes)
    click.echo(_("{notes}, {checks} to check; now validating the issue").format(
        notes=ngettext("{n} note", "{n} notes", len(notes)).format(n=len(notes)),
        checks=checks))
    try:
        prepared = prepare(issue_dir)
    except BuildError as exc:  # the articles are in; the issue has something to fix
        report(exc.diagnostics)
        errors = sum(d.severity is Severity.ERROR for d in exc.diagnostics)
        click.echo(ngettext("the articles were added; the issue has {n} error to fix, "
                            "then: bulletin-press validate {issue}",
                            "the articles were added; the issue has {n} errors to fix, "
                            "then: bulletin-press validate {issue}", errors).format(
                                n=errors, issue=display_path(issue_dir)), err=True)
        sys.exit(EXIT_PROBLEMS)
    report(prepared.diagnostics)
    count = len(prepared.issue.manifest.articles)
    click.echo(ngettext("{path}: ok ({n} article)", "{path}: ok ({n} articles)", count).format(
        path=display_path(prepared.issue.manifest_path), n=count))


@main.command(help=_("Print the JSON Schema of issue.yaml (for editor plugins)."))
def schema() -> None:
    from bulletin_press.manifest.model import json_schema
    click.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


@main.command(help=_("Check the manifest and the files it names, without typesetting."))
@click.argument("issue_dir", type=click.Path(path_type=Path, file_okay=False))
@guarded
def validate(issue_dir: Path) -> None:
    from bulletin_press.layout.prepare import prepare
    prepared = prepare(issue_dir)
    report(prepared.diagnostics)
    count = len(prepared.issue.manifest.articles)
    click.echo(ngettext("{path}: ok ({n} article)", "{path}: ok ({n} articles)", count).format(
        path=display_path(prepared.issue.manifest_path), n=count))


@main.command(help=_(
    "Preflight the issue in ISSUE_DIR: build it in memory and report every finding: photos, "
    "fonts, pages, copyfit and typography, each with where it is and a hint."))
@click.argument("issue_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--typography/--no-typography", default=True, show_default=True,
              help=_("check the typeset pages: justification, line breaks, grid, "
                     "orphans/widows, headings, fonts"))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text",
              show_default=True, help=_("html: a report page with the pages as pictures "
                                        "and each problem marked on them"))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help=_("write the report here instead of standard output"))
@click.option("--strict", is_flag=True, help=_("count warnings as errors"))
@guarded
@needs_pikepdf
def check(issue_dir: Path, typography: bool, fmt: str, output: Path | None,
          strict: bool) -> None:
    from bulletin_press.build.pipeline import build_runs
    from bulletin_press.checks.preflight import name_articles, preflight
    from bulletin_press.checks.report import (
        counts,
        html_report,
        json_report,
        ordered,
        summary_line,
    )
    from bulletin_press.checks.typesetting import check_typography

    # The issue as `build` makes it: its page runs from the store where unchanged
    # (a check after a build or the preview typesets nothing), the rest in parallel.
    jobs = os.cpu_count() or 1
    if jobs > 1 and not _runs_stored(issue_dir):
        from bulletin_press.runs.worker import start_workers

        start_workers()
    built = build_runs(issue_dir, jobs=jobs)
    findings = [*built.diagnostics, *preflight(built)]
    if typography:
        layout = built.prepared.layout
        findings += name_articles(check_typography(
            built.pdf, layout.geometry, layout.font_families(),
            autospace_em=layout.spec.type.autospace_em), built)
    findings = ordered(findings)
    tally = counts(findings)
    if fmt == "text":
        report(findings)
        text = summary_line(display_path(issue_dir), built.page_count, findings)
    elif fmt == "json":
        text = json_report(display_path(issue_dir), built, findings)
    else:
        text = html_report(display_path(issue_dir), built, findings)
    if output:
        from bulletin_press.commands.atomic_files import write_atomic
        write_atomic(output, text.encode("utf-8"))
        click.echo(_("wrote {path}").format(path=display_path(output)))
    else:
        click.echo(text)
    failing = tally["error"] + (tally["warning"] if strict else 0)
    sys.exit(EXIT_PROBLEMS if failing else EXIT_OK)


@main.command(help=_("Archive the issue in ISSUE_DIR as PDF/A, checked rule by rule before "
                     "it is written."))
@click.argument("issue_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--variant", type=click.Choice(list(ARCHIVE_VARIANTS)),
              help=_("PDF/A part and level (default pdf/a-2a, tagged; pdf/a-3a with "
                     "--embed-sources)"))
@click.option("--embed-sources", is_flag=True,
              help=_("carry the manifest, texts, photos and layout inside the PDF/A-3 "
                     "file, so 'unpack' + 'build' can rebuild the issue from it alone"))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help=_("where to write (default: output/<issue>.pdfa.pdf)"))
@click.option("--strict", is_flag=True,
              help=_("fail (exit 1) on preflight warnings too, not only on errors"))
@guarded
@needs_pikepdf
def archive(issue_dir: Path, variant: str | None, embed_sources: bool,
            output: Path | None, strict: bool) -> None:
    from bulletin_press.build.pipeline import archive as run_archive
    from bulletin_press.commands.atomic_files import write_atomic
    from bulletin_press.pdf.pdfa_rules import check_pdfa

    started = time.perf_counter()
    from bulletin_press.pdf.archive import DEFAULT_VARIANT, DEFAULT_WITH_SOURCES

    chosen = variant or (DEFAULT_WITH_SOURCES if embed_sources else DEFAULT_VARIANT)
    built = run_archive(issue_dir, chosen, embed_sources=embed_sources)
    result = check_pdfa(built.pdf)
    if not result.ok:
        raise BuildError(result.diagnostics())
    target = output or _default_output(issue_dir).with_suffix(".pdfa.pdf")
    line, failing, serious = preflight_summary(built, display_path(issue_dir), strict)
    written = _proof_path(target) if failing else target
    write_atomic(written, built.pdf)
    click.echo(_("wrote {path}: {variant}, {pages}, {kib:.0f} KiB, {rules} PDF/A rules "
                 "passed, in {seconds:.2f} s").format(
        path=display_path(written), variant=chosen.upper(),
        pages=ngettext("{pages} page", "{pages} pages", built.typeset.page_count).format(
            pages=built.typeset.page_count), kib=len(built.pdf) / 1024,
        rules=len(result.checked), seconds=time.perf_counter() - started))
    print_findings(line, failing, serious, target, written)
    sys.exit(EXIT_PROBLEMS if failing else EXIT_OK)


@main.command("check-pdfa", help=_("Check PDF_FILE against the PDF/A-2/3 rules; list each "
                                    "rule that fails."))
@click.argument("pdf_file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--variant", type=click.Choice(list(ARCHIVE_VARIANTS)),
              help=_("check against this variant (default: what the file claims)"))
@guarded
@needs_pikepdf
def check_pdfa_command(pdf_file: Path, variant: str | None) -> None:
    from bulletin_press.pdf.archive import variant_part
    from bulletin_press.pdf.pdfa_rules import check_pdfa, claims_pdfa

    data = read_pdf_file(pdf_file)
    if variant is None and not claims_pdfa(data):
        # A print PDF given by mistake: one sentence, not every rule it was never
        # meant to meet.
        raise BuildError([error("pdfa.not-claimed", _(
            "the PDF does not say it is PDF/A: it is not an archive copy (the print PDF?)"),
            Location(pdf_file), _("make the archive copy with: bulletin-press archive "
                                  "ISSUE_DIR; or check against a variant with --variant"))])
    part, level = variant_part(variant) if variant else (None, None)
    result = check_pdfa(data, part, level)
    for failure in result.failures:
        fail, text = _("FAIL"), _(failure.rule.text)
        click.echo(f"{display_path(pdf_file)}: {fail} §{failure.rule.clause} "
                   f"[{failure.rule.id}] {text}: {failure.detail}")
    status = _("conforms") if result.ok else ngettext(
        "fails {n} rule", "fails {n} rules", len(result.failed_ids())).format(
            n=len(result.failed_ids()))
    click.echo(ngettext("{path}: PDF/A-{part}{level} {status} ({n} rule checked)",
                        "{path}: PDF/A-{part}{level} {status} ({n} rules checked)",
                        len(result.checked)).format(
        path=display_path(pdf_file), part=result.part, level=result.level.lower(),
        status=status, n=len(result.checked)))
    sys.exit(EXIT_OK if result.ok else EXIT_PROBLEMS)


@main.command(help=_("Extract the sources carried by an archive PDF into FOLDER (then: "
                     "build FOLDER)."))
@click.argument("pdf_file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@guarded
@needs_pikepdf
def unpack(pdf_file: Path, folder: Path) -> None:
    from bulletin_press.pdf.archive import unpack as run_unpack

    written = run_unpack(read_pdf_file(pdf_file), folder)
    click.echo(ngettext("unpacked {n} file into {folder}; rebuild with: bulletin-press build "
                 "{folder}", "unpacked {n} files into {folder}; rebuild with: bulletin-press build "
                 "{folder}", len(written)).format(n=len(written), folder=display_path(folder)))


@main.command(help=_("Impose a built PDF for saddle stitching: 2-up sheets in folding "
                     "order."))
@click.argument("pdf_file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help=_("where to write (default: beside the PDF, <name>.imposed.pdf)"))
@guarded
@needs_pikepdf
def impose(pdf_file: Path, output: Path | None) -> None:
    from bulletin_press.commands.atomic_files import write_atomic
    from bulletin_press.layout.booklet import blank_pages_needed
    from bulletin_press.pdf.impose import impose as run_impose

    data = run_impose(read_pdf_file(pdf_file))
    target = output or pdf_file.with_name(pdf_file.name.removesuffix(".pdf") + ".imposed.pdf")
    write_atomic(target, data)
    from pypdf import PdfReader
    pages = len(PdfReader(pdf_file).pages)
    blanks = blank_pages_needed(pages)
    click.echo(_("wrote {path}: {pages} + {blanks} blank on {sides} sheet sides").format(
        path=display_path(target),
        pages=ngettext("{pages} page", "{pages} pages", pages).format(pages=pages),
        blanks=blanks, sides=(pages + blanks) // 2))
    if pdf_file.name.lower().endswith(".proof.pdf"):
        # What a build with errors writes instead of the print PDF (see _proof_path).
        report([warning("impose.proof", _("this is the proof of a build that had errors: "
                                          "not for print"), Location(pdf_file),
                        _("fix the errors build named, build again and impose the PDF it "
                          "writes"))])


@main.command(help=_("Show the issue's pages in the browser, rebuilt whenever a source file "
                     "is saved."))
@click.argument("issue_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--port", type=int, default=0, show_default=_("a free port"),
              help=_("the port on 127.0.0.1 to listen on"))
@click.option("--open/--no-open", "open_browser", default=True,
              help=_("open the preview in the browser"))
@needs_pikepdf
def preview(issue_dir: Path, port: int, open_browser: bool) -> None:
    import webbrowser

    from bulletin_press.preview.server import serve

    def ready(url: str) -> None:
        click.echo(_("preview of {issue} at {url}  (Ctrl-C to stop)").format(
            issue=display_path(issue_dir), url=url), err=False)
        sys.stdout.flush()
        if open_browser:
            webbrowser.open(url)

    def log(message: str) -> None:
        click.echo(f"[{time.strftime('%H:%M:%S')}] {message}", err=True)

    if not (issue_dir / "issue.yaml").is_file():
        click.echo(_("error: no issue.yaml in {folder}").format(
            folder=display_path(issue_dir)), err=True)
        sys.exit(EXIT_PROBLEMS)
    try:
        serve(issue_dir, port, log, ready)
    except KeyboardInterrupt:
        click.echo(_("preview stopped."), err=True)
    except OSError as exc:
        click.echo(_("error: cannot listen on 127.0.0.1:{port}: {reason}").format(
            port=port, reason=exc.strerror), err=True)
        sys.exit(EXIT_PROBLEMS)


@main.command("new", help=_(
    "Make a new issue in ISSUE_DIR after the previous one (--from, or the newest issue beside "
    "ISSUE_DIR): the next number and running number, the same day of the next month, the "
    "colophon and layout, one example article and a placeholder photo. It builds as it is."))
@click.argument("issue_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--from", "previous", type=click.Path(path_type=Path, file_okay=False,
                                                    exists=True),
              help=_("the previous issue's folder (default: the newest issue beside ISSUE_DIR)"))
@guarded
def new_issue(issue_dir: Path, previous: Path | None) -> None:
    import datetime as dt

    from bulletin_press.manifest.load import load_issue
    from bulletin_press.manifest.next_issue import PHOTO, folder_date, newest_issue, next_issue

    if issue_dir.exists() and any(issue_dir.iterdir()):
        raise click.UsageError(_("{folder} already exists and is not empty; name a new "
                                 "folder").format(folder=display_path(issue_dir)))
    source = previous or newest_issue(issue_dir.resolve().parent)
    manifest = load_issue(source).manifest if source else None
    named = folder_date(issue_dir.resolve().name)
    made = next_issue(manifest, display_path(source) if source else None, dt.date.today(),
                      named)
    (issue_dir / "images").mkdir(parents=True, exist_ok=True)
    (issue_dir / "issue.yaml").write_text(made.manifest, encoding="utf-8")
    _placeholder_photo(issue_dir / PHOTO)
    folder = display_path(issue_dir)
    click.echo(_("made {folder}: issue {number}, {date}{source}").format(
        folder=folder, number=made.number, date=made.date.isoformat(),
        source=_(", after {issue}").format(issue=display_path(source)) if source else ""))
    if named is not None and not named[1] and source is None:  # its day is a guess
        click.echo(_("  the month is from the folder's name; write the day the issue comes "
                     "out in issue.yaml (date: {date})").format(date=made.date.isoformat()))
    click.echo(_("next:\n  1. in {folder}/issue.yaml, write the articles (the first one is "
                 "an example)\n  2. put the photos in {folder}/images/ ({photo} is a "
                 "placeholder)\n  3. bulletin-press preview {folder}   (or: bulletin-press "
                 "build {folder})").format(folder=folder, photo=PHOTO))


def _placeholder_photo(path: Path) -> None:
    """A grey print-size picture with a cross, which no one takes for a real photo."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (2400, 1600), (176, 190, 197))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 2399, 1599], outline=(120, 134, 141), width=12)
    draw.line([0, 0, 2400, 1600], fill=(140, 154, 161), width=8)
    draw.line([0, 1600, 2400, 0], fill=(140, 154, 161), width=8)
    image.save(path, "JPEG", quality=80, dpi=(300, 300))
