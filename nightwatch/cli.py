"""`python -m nightwatch <command>`: what operators script. Errors in plain words, non-zero exit."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from nightwatch.config import Settings
from nightwatch.i18n import language_from, t
from nightwatch.services import setup
from nightwatch.services.setup import SeedReport


@dataclass(frozen=True)
class Command:
    """One operator command: its help text key, its extra arguments, and what it runs."""

    help_key: str
    run: Callable[[setup.Store, argparse.Namespace, str], int]
    configure: Callable[[argparse.ArgumentParser, str], None] = lambda parser, lang: None


def _upgrade(store: setup.Store, _args: argparse.Namespace, lang: str) -> int:
    revision = setup.upgrade_database(store)
    print(t("cli.upgrade.done", lang, revision=revision, url=store.safe_url))
    return 0


def _seed(store: setup.Store, args: argparse.Namespace, lang: str) -> int:
    setup.upgrade_database(store)
    report = setup.seed_demo_data(store, if_empty=args.if_empty)
    print(t("cli.seed.skipped", lang) if report is None else _summary(report, lang))
    return 0


def _prepare(store: setup.Store, _args: argparse.Namespace, lang: str) -> int:
    report = setup.prepare(store)
    if report is not None:
        print(_summary(report, lang))
    print(t("cli.prepare.done", lang, url=store.safe_url))
    return 0


def _summary(report: SeedReport, lang: str) -> str:
    """What a seed run added, table by table, in words."""
    counts = [t("cli.seed.count", lang, table=t(f"table.{table}", lang), count=count)
              for table, count in report.as_dict().items() if count]
    return t("cli.seed.done", lang, rows=report.rows_added, detail=t("list.separator", lang).join(counts))


def _configure_seed(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("--if-empty", action="store_true", help=t("cli.seed.if_empty", lang))


COMMANDS: dict[str, Command] = {
    "upgrade": Command("cli.upgrade.help", _upgrade),
    "seed": Command("cli.seed.help", _seed, _configure_seed),
    "prepare": Command("cli.prepare.help", _prepare),
}


def build_parser(lang: str) -> argparse.ArgumentParser:
    """The argument parser with one sub-command per entry of COMMANDS."""
    parser = argparse.ArgumentParser(prog="python -m nightwatch", description=t("cli.description", lang))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, command in COMMANDS.items():
        sub = commands.add_parser(name, help=t(command.help_key, lang), description=t(command.help_key, lang))
        command.configure(sub, lang)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; print what went wrong in plain words and return non-zero on failure."""
    lang = language_from(Settings.from_env().language)
    args = build_parser(lang).parse_args(argv)
    try:
        store = setup.open_store()
    except ArgumentError as error:
        print(t("cli.error.url", lang, reason=_first_line(error)), file=sys.stderr)
        return 2
    try:
        return COMMANDS[args.command].run(store, args, lang)
    except OperationalError as error:
        reason = _first_line(error.orig or error)
        print(t("cli.error.unreachable", lang, url=store.safe_url, reason=reason), file=sys.stderr)
        return 1
    except (SQLAlchemyError, OSError, ValueError) as error:
        print(t("cli.error.failed", lang, reason=_first_line(error)), file=sys.stderr)
        return 1
    finally:
        store.engine.dispose()


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
