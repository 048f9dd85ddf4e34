"""The ``ntm`` command: thin over the library.

    ntm data check PATH      validate a researcher's CSV/XLSX table
    ntm render ...           render per-province reports
"""
from __future__ import annotations

import argparse
import sys


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ntm", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    data = sub.add_parser("data", help="inspect and validate data")
    data_sub = data.add_subparsers(dest="data_command", required=True)
    check = data_sub.add_parser("check", help="validate a CSV/XLSX table; exit 0 clean, 1 problems, 2 unreadable")
    check.add_argument("path")
    check.add_argument("--sheet", default=None, help="XLSX sheet name (default: the first)")
    check.add_argument("--vintage", type=int, default=2008, choices=(2008, 2025),
                       help="province geography of the table (2008: 63 provinces; 2025: 34)")
    check.set_defaults(func=_cmd_data_check)

    try:
        from ntm_analysis.render import cli as render_cli  # noqa: PLC0415 (optional until the renderer lands)
    except ImportError:
        render_cli = None
    if render_cli is not None:
        render_cli.add_parser(sub)
    return parser


def _cmd_data_check(args: argparse.Namespace) -> int:
    from ntm_analysis.intake import check_command  # noqa: PLC0415

    return check_command(args.path, sheet=args.sheet, vintage=args.vintage)


def main(argv: list[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
