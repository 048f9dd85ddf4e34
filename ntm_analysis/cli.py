"""The ``ntm`` command: thin over the library.

    ntm data check PATH      validate a researcher's CSV/XLSX table
    ntm render ...           render the reports: provinces, the national pages, or the whole site

This module composes the layers: the render engine (``ntm_analysis.render``) renders whatever documents it is
given; the province report (``ntm_analysis.report.spec``) and the site's other pages (``notebooks/site.yml``, read
by ``ntm_analysis.render.site``) describe themselves to it.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ntm_analysis.data import geo


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ntm", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    data = sub.add_parser("data", help="inspect and validate data")
    data_sub = data.add_subparsers(dest="data_command", required=True)
    check = data_sub.add_parser("check", help="validate a CSV/XLSX table; exit 0 clean, 1 problems, 2 unreadable")
    check.add_argument("path")
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

Every province is validated before any kernel starts (an unknown name fails at once, with the closest names).
The national pages are in English whatever --lang says. Exit code: 0 all rendered or up to date, 1 some report
failed (listed on stderr), 2 invalid arguments, 130 interrupted.
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
    try:
        items = report_spec.requests_from_args(args, every_province=args.all)
    except ValueError as exc:  # ParameterError: the parameter, its value, what was expected
        print(f"ntm render: {exc}", file=sys.stderr)
        return 2
    pages = [d for d in _site() if args.all or d.name in (args.document or [])]
    items += [(d.spec, d.params(data_dir=args.data_dir, show_code=args.show_code)) for d in pages]
    return render_cli.run(args, items)


def _cmd_data_check(args: argparse.Namespace) -> int:
    from ntm_analysis.intake import check_command  # noqa: PLC0415

    return check_command(args.path, sheet=args.sheet, vintage=args.vintage)


def main(argv: list[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
