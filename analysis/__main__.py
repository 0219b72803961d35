"""Command line: ``python -m analysis <command>``; ``python -m analysis --help`` lists them.

Every failure ends in one message saying what happened and what to do; ``--debug`` shows the
traceback instead.
"""

from __future__ import annotations

import argparse
import errno
import re
import sys


def _catalog(args: argparse.Namespace) -> int:
    from analysis import CATALOG

    print(CATALOG.summary())
    return 0


def _ingest(args: argparse.Namespace) -> int:
    from analysis import paths
    from analysis.data import ingest

    print(ingest(paths.DATA_RAW, paths.DATA_PROCESSED, rebuild=args.rebuild).summary())  # self-assessments too
    return 0


def _template(args: argparse.Namespace) -> int:
    from pathlib import Path

    from analysis import CATALOG
    from analysis.data.arguments import check_region

    args.region = check_region(args.region)
    from analysis.data import Vocabulary, load_observations, write_entry_workbook
    from analysis.paths import DATA_PROCESSED

    observations = None
    if args.prefill:
        observations = load_observations()
        observations = observations.loc[~observations["synthetic"] & observations["region"].isin(
            [args.region, *Vocabulary.default().regions.query("parent == @args.region")["region"]])]
    out = Path(args.out) if args.out else DATA_PROCESSED / "templates" / f"{args.region}_监测数据填报表.xlsx"
    write_entry_workbook(out, CATALOG, Vocabulary.default(), args.region, observations)
    print(f"wrote {out}")
    return 0


def _backtest(args: argparse.Namespace) -> int:
    from analysis.evaluation.backtest import write_backtest

    print(write_backtest())
    return 0


def _run(args: argparse.Namespace) -> int:
    from contextlib import nullcontext

    from analysis import paths
    from analysis.run.runner import cluster_executor, run, run_regions

    from analysis.data import ingest, load_observations
    from analysis.data.arguments import check_region, check_year, normalise

    several = args.region.strip().lower() == "all" or any(sep in args.region for sep in ",，、;；")
    names = [] if args.region.strip().lower() == "all" else [n for n in re.split(r"[,，、;；]", args.region) if normalise(n)]
    names = [check_region(name) for name in names]  # known to the catalog: before anything is written
    ingest(paths.DATA_RAW, paths.DATA_PROCESSED)
    every = load_observations(paths.DATA_PROCESSED)
    names = [check_region(name, every) for name in names]  # with data in the database
    if several:
        args.region = "all" if not names else ",".join(names)
        for name in names or ["all"]:
            check_year(args.year, name, every)
    else:
        args.region = names[0]
        check_year(args.year, args.region, every)
    domains = args.domains.split(",") if args.domains else None
    where = dict(raw_dir=paths.DATA_RAW, processed_dir=paths.DATA_PROCESSED, reports_dir=paths.REPORTS,
                 notebooks_dir=paths.NOTEBOOKS, formats=tuple(f.strip().lower() for f in args.formats.split(",") if f.strip()),
                 indicator_figures=args.indicator_figures, force=args.force)  # fmt: skip
    with cluster_executor(args.scheduler) if args.scheduler else nullcontext() as executor:
        if args.region.strip().lower() == "all" or any(sep in args.region for sep in ",，、;；"):
            written, summaries = run_regions(args.year, args.region, jobs=args.jobs, lang=args.lang,
                                             notebooks=not args.compare_only, domains=domains, executor=executor,
                                             **where)  # fmt: skip
            print(f"regions compared → {written[0].parent}")
        else:
            summaries = [run(year=args.year, region=args.region, jobs=args.jobs, lang=args.lang, domains=domains,
                             executor=executor, **where)]  # fmt: skip
    for summary in summaries:
        print(summary.summary())
    return 0 if all(s.ok for s in summaries) else 1


def _document(args: argparse.Namespace) -> int:
    from analysis import paths
    from analysis.data.region import observations, report_year
    from analysis.data.arguments import check_mode, check_region, check_year
    from analysis.report.document import build_document

    args.region = check_region(args.region)
    every = observations(paths.DATA_PROCESSED)
    args.region = check_region(args.region, every)
    year = check_year(args.year, args.region, every) or report_year(every, args.region)
    check_mode(args.mode, year)
    for lang in args.lang.split(","):
        docx, html = build_document(year, args.region, args.mode, lang, paths.REPORTS, paths.DATA_PROCESSED,
                                    unit=args.unit)  # fmt: skip
        print(f"wrote {docx}\nwrote {html}")
    return 0


def _figure(args: argparse.Namespace) -> int:
    from analysis.data.arguments import check_region, check_year
    from analysis.report.figure_kit import export, figure_ids

    args.region = check_region(args.region)
    if args.year is not None:
        from analysis import paths
        from analysis.data.region import observations

        check_year(args.year, args.region, observations(paths.DATA_PROCESSED))

    if args.list or not args.id:
        print("\n".join(figure_ids(args.domain, args.year, args.region)))
        return 0
    for path in export(args.id, args.width, args.font_size, args.format.split(","), args.out, args.year,
                       args.region, args.lang):  # fmt: skip
        print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="金口河妇女发展纲要监测评估 — monitoring the Jinkouhe Women's Development Outline",
    )
    parser.add_argument("--debug", action="store_true", help="show the traceback of a failure")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("catalog", help="one-line summary of the indicator catalog").set_defaults(
        func=_catalog
    )
    ingest = commands.add_parser("ingest", help="check every file in data/raw and load it into the database")
    ingest.add_argument("--rebuild", action="store_true", help="build the database anew from data/raw")
    ingest.set_defaults(func=_ingest)
    template = commands.add_parser("template", help="write the data-entry workbook for member units")
    template.add_argument("--region", default="金口河区")
    template.add_argument("--out", help="where to write it (default data/processed/templates/)")
    template.add_argument("--prefill", action="store_true", help="fill in the real figures already loaded")
    template.set_defaults(func=_template)
    run = commands.add_parser("run", help="ingest, then run every notebook for a year into reports/<year>/<region>/")
    run.add_argument("--year", type=int, help="report year (default: the latest year with data)")
    run.add_argument("--region", default="金口河区",
                     help="a region, several (金口河区,永和镇), or all regions in the database: assessed in one pass "
                          "and compared in reports/<year>/regions/")  # fmt: skip
    run.add_argument("--scheduler", help="run the notebooks on the Dask cluster at this address (tcp://host:8786); "
                     "needs pip install -e '.[cluster]' and workers that see this folder")  # fmt: skip
    run.add_argument("--compare-only", action="store_true",
                     help="with several regions: the assessment and the comparison only, no notebooks")
    run.add_argument("--domains", help="comma-separated, e.g. health,education (default: all eight)")
    run.add_argument("--jobs", type=int, default=2, help="notebooks run at once (default 2)")
    run.add_argument("--lang", default="zh", choices=["zh", "en"])
    run.add_argument("--formats", default="png",
                     help="figure formats, comma-separated: png (300 dpi, the default), pdf, svg (fonts embedded)")
    run.add_argument("--indicator-figures", action="store_true",
                     help="also one fan chart file per indicator (the small multiples show them all; "
                          "python -m analysis figure ID draws any one at a journal's width)")  # fmt: skip
    run.add_argument("--force", action="store_true",
                     help="run every notebook, also those whose outputs are unchanged (same data, code, parameters)")
    run.set_defaults(func=_run)
    document = commands.add_parser("document", help="the report for the district government (Word and HTML) from a run")
    document.add_argument("--year", type=int, help="the run's year (default: the latest year with data)")
    document.add_argument("--region", default="金口河区")
    document.add_argument("--mode", default="annual", choices=["annual", "midterm", "final"],
                          help="annual monitoring, mid-term (2025) or final (2030) evaluation")  # fmt: skip
    document.add_argument("--lang", default="zh", help="zh, en, or zh,en for both")
    document.add_argument("--unit", help="a member unit's own extract, e.g. 区卫生健康局 (aliases such as 区卫健局 work)")
    document.set_defaults(func=_document)
    figure = commands.add_parser("figure", help="export one report figure at a journal's width, font size and format")
    figure.add_argument("id", nargs="?", help="figure id, e.g. HE-02-1, HE-02-1_gap_township, health_small_multiples")
    figure.add_argument("--width", default="single", help="single (85 mm), double (174 mm), or millimetres")
    figure.add_argument("--font-size", type=float, default=7.0, help="base font size in points (default 7)")
    figure.add_argument("--format", default="pdf", help="comma-separated: pdf, png, svg (default pdf)")
    figure.add_argument("--lang", default="zh", choices=["zh", "en"])
    figure.add_argument("--year", type=int, help="report year (default: the latest year with data)")
    figure.add_argument("--region", default="金口河区")
    figure.add_argument("--out", help="folder to write to (default reports/figures/)")
    figure.add_argument("--list", action="store_true", help="list the figure ids (of --domain, or the overview)")
    figure.add_argument("--domain", help="with --list: the domain whose figures to list")
    figure.set_defaults(func=_figure)
    commands.add_parser("backtest", help="rolling-origin backtest on real series, and the 2011–2020 replay"
                        ).set_defaults(func=_backtest)  # fmt: skip
    return parser


# What an operating-system error means for the person at the keyboard.
OS_FIXES = {
    errno.EROFS: "the folder is on a read-only disk: run from a writable copy of the project",
    errno.EACCES: "you may not write there: make the folder writable for your user",
    errno.EPERM: "you may not write there: make the folder writable for your user",
    errno.ENOSPC: "the disk is full: free some space and run the command again",
    errno.EDQUOT: "your disk quota is used up: free some space and run the command again",
    errno.ENOTDIR: "a file stands where a folder should be: move that file away",
    errno.EEXIST: "a file stands where a folder should be: move that file away",
}


def failure_message(command: str, error: BaseException) -> tuple[str, int]:
    """One message for a failure, and the exit code: 2 refused input, 3 the machine, 130 Ctrl-C, 1 else."""
    from analysis.data import IngestError
    from analysis.lock import Busy

    unchanged = {"ingest": "the database and its exports are unchanged",
                 "run": "the previous reports are unchanged",
                 "document": "the previous documents are unchanged"}.get(command, "nothing was changed")  # fmt: skip
    if isinstance(error, KeyboardInterrupt):
        return f"{command}: interrupted (Ctrl-C); {unchanged}.", 130
    if isinstance(error, IngestError):
        return str(error), 2
    if isinstance(error, Busy):
        return f"{command}: {error}; {unchanged}.", 3
    if isinstance(error, FileNotFoundError) and not error.filename:
        return f"{command}: {error}", 2  # our own message: what is missing and which command makes it
    if isinstance(error, FileNotFoundError):
        return (f"{command}: {error.filename} does not exist → run `python -m analysis ingest` (and `run` before "
                f"`document`) first; {unchanged}.", 2)  # fmt: skip
    if isinstance(error, OSError):
        where = error.filename or "a file"
        fix = OS_FIXES.get(error.errno, "check that the disk is writable and not full, then run the command again")
        return f"{command}: cannot write {where} ({error.strerror or error}) → {fix}; {unchanged}.", 3
    name = error.__class__.__name__
    if name == "BadArgument":
        return f"{command}: {error}", 2
    if name in ("UnknownDomain", "UnknownRegion", "UnknownFormat", "UnknownUnit", "NoCluster"):
        return f"{command}: {error}", 2
    if name in ("RunMismatch", "NoRun"):
        return f"{command}: {error} → run `python -m analysis run` first, then the document.", 2
    return (f"{command}: unexpected error ({name}: {error}); {unchanged}. Run the command again with --debug "
            "(python -m analysis --debug …) and report the traceback."), 1


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (KeyboardInterrupt, Exception) as error:
        if args.debug:
            raise
        message, code = failure_message(args.command, error)
        print(message, file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
