"""Command line: ``python -m analysis <command>``; ``python -m analysis --help`` lists them."""

from __future__ import annotations

import argparse
import sys


def _catalog(args: argparse.Namespace) -> int:
    from analysis import CATALOG

    print(CATALOG.summary())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="金口河妇女发展纲要监测评估 — monitoring the Jinkouhe Women's Development Outline",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("catalog", help="one-line summary of the indicator catalog").set_defaults(
        func=_catalog
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
