"""The ``ntm`` command: thin over the library.

    ntm data check PATH      validate a researcher's CSV/XLSX table
    ntm render ...           render the reports: provinces, the national pages, or the whole site

This module composes the layers: the render engine (``ntm_analysis.render``) renders whatever documents it is
given; the province report (``ntm_analysis.report.spec``) and the site's other pages (``notebooks/site.yml``, read
by ``ntm_analysis.render.site``) describe themselves to it.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ntm_analysis.data import geo


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ntm", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    data = sub.add_parser("data", help="inspect and validate data")
    data_sub = data.add_subparsers(dest="data_command", required=True)
    check = data_sub.add_parser("check", help="validate CSV/XLSX tables; exit 0 clean, 1 problems, 2 unreadable",
                                description="Check each table (and, with --data-dir, every table of DIR/user/, the "
                                            "tables ntm render reads): exit 0 all clean, 1 problems found, 2 a "
                                            "file unreadable (the worst of the tables).")
    check.add_argument("path", nargs="*", help="CSV/XLSX tables (the files of ntm render --with)")
    check.add_argument("--data-dir", default=None, metavar="DIR",
                       help="also check every readable table of DIR/user/ (the tables every report of DIR reads)")
    check.add_argument("--sheet", default=None, help="XLSX sheet name (default: the first)")
    check.add_argument("--vintage", type=int, default=2008, choices=geo.VINTAGES,
                       help="province geography of the table (2008: 63 provinces; 2025: 34)")
    check.set_defaults(func=_cmd_data_check)

    render = sub.add_parser("render", help="render HTML reports: provinces, national pages, the whole site",
                            description=RENDER_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    from ntm_analysis.render import cli as render_cli  # noqa: PLC0415
    from ntm_analysis.report import spec as report_spec  # noqa: PLC0415

    render.add_argument("--all", action="store_true",
                        help="the whole site: every province of the vintage and every page of notebooks/site.yml")
    render.add_argument("--document", action="append", metavar="NAME", choices=[d.name for d in _site()],
                        help="a page of notebooks/site.yml (" + ", ".join(d.name for d in _site()) + "); repeatable")
    report_spec.add_options(render)
    render_cli.add_engine_options(render)
    render.set_defaults(func=_cmd_render)
    return parser


#: The site's pages besides the province reports.
SITE_FILE = Path(__file__).resolve().parent.parent / "notebooks" / "site.yml"

RENDER_HELP = """Render reports into outputs/ (open outputs/index.html).

    ntm render --province "Lào Cai" --province dak-nong     two provinces, any spelling
    ntm render --province "Lâm Đồng" --vintage 2025 --lang vi
    ntm render --document national_overview                a page of notebooks/site.yml
    ntm render --all                                        the whole site: 63 provinces and the national pages
    ntm render --all --vintage 2025 --jobs 2 --force        34 provinces (2025 geography) and the national pages
    ntm render --all --executor dask --scheduler tcp://host:8786
    ntm render --province "Lào Cai" --with my_table.xlsx     the researcher's own table in the report

Every province is validated before any kernel starts (an unknown name fails at once, with the closest names).
User tables (--with, repeatable, and every readable table of <data dir>/user/) are checked first, as
`ntm data check` does: a table with problems stops the render before any kernel starts (exit code 2), with the
check report; each province report then shows its rows of them, marked as the user's (file, sheet, row, column).
The national pages are in English whatever --lang says. Exit code: 0 all rendered or up to date, 1 some report
failed or the manifest or index could not be written (listed on stderr), 2 invalid arguments or environment (a
corrupt manifest: --force rebuilds it), 130 interrupted (Ctrl-C), 143 terminated (SIGTERM); stopped either way, what
finished is recorded and no process of the run is left.
"""


def _site():
    from ntm_analysis.render import site  # noqa: PLC0415

    return site.load(SITE_FILE)


def _cmd_render(args: argparse.Namespace) -> int:
    from ntm_analysis.render import cli as render_cli  # noqa: PLC0415
    from ntm_analysis.report import spec as report_spec  # noqa: PLC0415

    if not (args.all or args.province or args.document):
        print("ntm render: say what to render: --province NAME, --document NAME or --all", file=sys.stderr)
        return 2
    if args.all and args.province:
        print("ntm render: --all already renders every province; drop --province", file=sys.stderr)
        return 2
    problem = _check_folders(args) or _check_user_tables(args)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    try:
        items = report_spec.requests_from_args(args, every_province=args.all, index_maps=True)
    except ValueError as exc:  # ParameterError: the parameter, its value, what was expected
        print(f"ntm render: {exc}", file=sys.stderr)
        return 2
    pages = [d for d in _site() if args.all or d.name in (args.document or [])]
    items += [(d.spec, d.params(data_dir=args.data_dir, show_code=args.show_code)) for d in pages]
    return render_cli.run(args, items)


#: A file every data folder has (the province registry): a folder without it is not a data folder.
_DATA_MARKER = Path("raw") / "provinces_63_master.csv"


def _check_folders(args: argparse.Namespace) -> str | None:
    """What is wrong with the data folder or the output folder, as a one-line message, or None.

    The data folder (``--data-dir``, else ``$NTM_DATA_DIR``, else the shipped ``data/``) must have the layout of the
    shipped ``data/``; ``--output`` must be a folder or not exist yet (it is created), never a file.
    """
    from ntm_analysis import paths  # noqa: PLC0415

    where = ("--data-dir" if args.data_dir is not None
             else "$NTM_DATA_DIR" if os.environ.get("NTM_DATA_DIR") else "the shipped data folder")
    folder = paths.data_dir(args.data_dir)
    if not folder.is_dir():
        return f"ntm render: data folder {folder} (from {where}) does not exist; nothing was rendered"
    if not (folder / _DATA_MARKER).is_file():
        return (f"ntm render: {folder} (from {where}) is not a data folder: {_DATA_MARKER} is missing; expected "
                "the layout of the shipped data/ (raw/, provenance.yml); nothing was rendered")
    from ntm_analysis.data import sources  # noqa: PLC0415

    problems, _ = sources.check_data_dir(folder)  # checksums in provenance.yml; every CSV parsed strictly
    if problems:
        return (f"ntm render: data folder {folder} (from {where}) cannot be used; nothing was rendered:\n"
                + "\n".join(f"  - {p}" for p in problems))
    output = getattr(args, "output", None)
    if output is not None and Path(output).exists() and not Path(output).is_dir():
        return f"ntm render: --output {output} is a file; expected a folder (or a path to create); nothing was rendered"
    return None


def _user_files(with_tables, data_dir) -> list[str]:
    """The ``--with`` tables, then every readable table of ``<data_dir>/user/``."""
    from ntm_analysis.analyses.user_resources import user_folder_files  # noqa: PLC0415

    return list(with_tables or []) + [str(p) for p in user_folder_files(data_dir)]


def _check_user_tables(args: argparse.Namespace) -> str | None:
    """The check report of the first user table that cannot be used (unreadable, or with problems), or None."""
    from ntm_analysis.analyses.user_resources import UserTableError, user_measure_rows  # noqa: PLC0415
    from ntm_analysis.intake import TableReadError, read_table  # noqa: PLC0415

    for path in _user_files(args.with_tables, args.data_dir):
        if not Path(path).is_file():
            return f"ntm render: --with {path}: no such file"
        try:
            table = read_table(path)
        except TableReadError as e:
            return f"ntm render: user table {e.path} cannot be read: {e.reason}; nothing was rendered"
        if not table.ok:
            return (f"ntm render: user table {path} has problems; nothing was rendered. Fix them (ntm data check "
                    f"{path}), then run again.\n" + table.report())
        try:
            user_measure_rows([table], data_dir=args.data_dir)
        except UserTableError as e:
            return f"ntm render: {e}; nothing was rendered"
    return None


def _cmd_data_check(args: argparse.Namespace) -> int:
    from ntm_analysis.intake import check_command  # noqa: PLC0415

    codes = []
    if args.data_dir is not None:
        codes.append(_check_data_folder(args.data_dir))
    paths = _user_files(args.path, args.data_dir)
    if not paths:
        if codes:
            return codes[0]
        print("ntm data check: name a table (PATH) or a data folder with a user/ folder of tables (--data-dir)",
              file=sys.stderr)
        return 2
    for i, path in enumerate(paths):
        if i:
            print()
        codes.append(check_command(path, sheet=args.sheet, vintage=args.vintage))
    return max(codes)


def _check_data_folder(data_dir: str) -> int:
    """``ntm data check --data-dir``: the folder's own files (checksums in its provenance.yml, every CSV of raw/ and
    seeds/ parsed strictly), one line per problem; 2 when a file changed or cannot be parsed, else 0."""
    from ntm_analysis.data import sources  # noqa: PLC0415

    if not Path(data_dir).is_dir():
        print(f"ntm data check: --data-dir {data_dir}: no such folder", file=sys.stderr)
        return 2
    problems, n = sources.check_data_dir(data_dir)
    for p in problems:
        print(f"ntm data check: {p}", file=sys.stderr)
    if n and not problems:
        print(f"{data_dir}: {n} data files checked (checksums recorded in provenance.yml, CSVs parsed strictly): "
              "no problems found")
    return 2 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
