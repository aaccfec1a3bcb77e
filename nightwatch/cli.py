"""`python -m nightwatch <command>`: what operators script. Errors in plain words, non-zero exit."""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from nightwatch.access import Forbidden
from nightwatch.config import Settings
from nightwatch.i18n import language_from, t
from nightwatch.services import (
    accounts,
    attendance,
    deployment_check,
    heat_rollup,
    reminders,
    retention,
    setup,
)
from nightwatch.services.setup import SeedReport
from nightwatch.vocab import AccountRole


@dataclass(frozen=True)
class Command:
    """One operator command: its help text key, its extra arguments, and what it runs."""

    help_key: str
    run: Callable[[setup.Store | None, argparse.Namespace, str], int]
    configure: Callable[[argparse.ArgumentParser, str], None] = lambda parser, lang: None
    needs_store: bool = True  # False: the command opens its own databases (bench)


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


def _add_account(store: setup.Store, args: argparse.Namespace, lang: str) -> int:
    setup.upgrade_database(store)
    factory = store.session_factory
    try:
        districts = accounts.district_ids_named(session_factory=factory, names=args.district)
        person = accounts.person_with_phone(session_factory=factory, phone=args.person) if args.person else None
        shop = accounts.shop_named(session_factory=factory, name=args.shop) if args.shop else None
        password = os.environ.get("NIGHTWATCH_PASSWORD") or _prompt_password(lang)
        account_id = accounts.create_account(
            session_factory=factory, actor=accounts.OPERATOR, login=args.login, password=password,
            role=AccountRole(args.role), display_name=args.name, district_ids=districts, person_id=person,
            shop_id=shop,
        )
    except (accounts.AccountRefused, Forbidden) as refused:
        print(t(refused.key, lang, **getattr(refused, "values", {})), file=sys.stderr)
        return 1
    print(t("cli.add_account.done", lang, login=args.login.strip().lower(), id=account_id))
    return 0


def _prompt_password(lang: str) -> str:
    """Ask for a password twice on the terminal; the clear text never reaches the shell history."""
    try:
        first = getpass.getpass(t("cli.add_account.password", lang))
        again = getpass.getpass(t("cli.add_account.again", lang))
    except EOFError:
        raise ValueError(t("cli.add_account.no_password", lang)) from None
    if again != first:
        raise ValueError(t("cli.add_account.mismatch", lang))
    return first


def _configure_add_account(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("--login", required=True, help=t("cli.add_account.login", lang))
    parser.add_argument("--role", required=True, choices=[role.value for role in AccountRole])
    parser.add_argument("--district", action="append", default=[], help=t("cli.add_account.district", lang))
    parser.add_argument("--person", help=t("cli.add_account.person", lang))
    parser.add_argument("--shop", help=t("cli.add_account.shop", lang))
    parser.add_argument("--name", help=t("cli.add_account.name", lang))


def _check_config(store: setup.Store, _args: argparse.Namespace, lang: str) -> int:
    setup.upgrade_database(store)
    problems = deployment_check.deployment_problems(store)
    for key, values in problems:
        print(t(key, lang, **values), file=sys.stderr)
    print(t("cli.check.failed", lang, count=len(problems)) if problems else t("cli.check.ok", lang))
    return 1 if problems else 0


def _sweep(store: setup.Store, _args: argparse.Namespace, lang: str) -> int:
    now = datetime.now(timezone.utc)
    totals = [0, 0, 0]
    for district_id in setup.district_ids(store):
        report = attendance.sweep(session_factory=store.session_factory, district_id=district_id, now=now)
        totals = [totals[0] + report.no_shows, totals[1] + report.closed, totals[2] + report.points_entries]
    print(t("cli.sweep.done", lang, no_shows=totals[0], closed=totals[1], entries=totals[2]))
    sent = reminders.send_reminders(session_factory=store.session_factory, settings=Settings.from_env(), now=now)
    if sent:
        print(t("cli.sweep.reminders", lang, count=sent))
    return 0


def _recount(store: setup.Store, _args: argparse.Namespace, lang: str) -> int:
    setup.upgrade_database(store)
    heat_rollup.rebuild_all(store.session_factory)
    print(t("cli.recount.done", lang, districts=len(setup.district_ids(store))))
    return 0


def _purge(store: setup.Store, args: argparse.Namespace, lang: str) -> int:
    settings = Settings.from_env()
    days = args.days or settings.retention_days
    counts = retention.purge(session_factory=store.session_factory, actor=accounts.OPERATOR,
                             now=datetime.now(timezone.utc), days=days, upload_dir=settings.upload_dir,
                             dry_run=args.dry_run)
    print(t("cli.purge.would" if args.dry_run else "cli.purge.done", lang, days=days, **counts.as_dict()))
    return 0


def _days(text: str) -> int:
    """A whole number of days, at least one (argparse type)."""
    try:
        days = int(text)
    except ValueError:
        days = 0
    if days < 1:
        raise argparse.ArgumentTypeError(t("cli.purge.bad_days", language_from(Settings.from_env().language)))
    return days


def _configure_purge(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("--days", type=_days, default=None, help=t("cli.purge.days", lang))
    parser.add_argument("--dry-run", action="store_true", help=t("cli.purge.dry_run", lang))


def _configure_seed(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("--if-empty", action="store_true", help=t("cli.seed.if_empty", lang))


def _bench(_store: None, args: argparse.Namespace, lang: str) -> int:
    try:
        from benchmarks.suite import bench
    except ModuleNotFoundError as missing:
        print(t("cli.bench.unavailable", lang, reason=missing), file=sys.stderr)
        return 1
    return bench(args.scale, runs=args.runs, only=args.only, sqlite_only=args.sqlite_only, pg_url=args.pg_url,
                 out=args.out)


def _scenario_numbers(text: str) -> str:
    """Scenario numbers separated by commas, each one of the suite's (argparse type)."""
    from benchmarks.suite import SCENARIOS, choose

    try:
        choose(text)
    except ValueError:
        lang = language_from(Settings.from_env().language)
        raise argparse.ArgumentTypeError(t("cli.bench.bad_only", lang, count=len(SCENARIOS))) from None
    return text


def _runs(text: str) -> int:
    """Timed runs per figure, at least one (argparse type)."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(t("cli.bench.bad_runs", language_from(Settings.from_env().language)))
    return int(text)


def _configure_bench(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("--scale", required=True, choices=["tiny", "small", "city"], help=t("cli.bench.scale", lang))
    parser.add_argument("--runs", type=_runs, default=None, help=t("cli.bench.runs", lang))
    parser.add_argument("--only", type=_scenario_numbers, default=None, help=t("cli.bench.only", lang))
    parser.add_argument("--sqlite-only", action="store_true", help=t("cli.bench.sqlite_only", lang))
    parser.add_argument("--pg-url", default=None, help=t("cli.bench.pg_url", lang))
    parser.add_argument("--out", type=Path, default=Path("docs/benchmarks.md"), help=t("cli.bench.out", lang))


COMMANDS: dict[str, Command] = {
    "upgrade": Command("cli.upgrade.help", _upgrade),
    "seed": Command("cli.seed.help", _seed, _configure_seed),
    "prepare": Command("cli.prepare.help", _prepare),
    "add-account": Command("cli.add_account.help", _add_account, _configure_add_account),
    "check-config": Command("cli.check.help", _check_config),
    "sweep": Command("cli.sweep.help", _sweep),
    "recount": Command("cli.recount.help", _recount),
    "purge": Command("cli.purge.help", _purge, _configure_purge),
    "bench": Command("cli.bench.help", _bench, _configure_bench, needs_store=False),
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
    command = COMMANDS[args.command]
    if not command.needs_store:
        try:
            return command.run(None, args, lang)
        except (SQLAlchemyError, OSError, ValueError, RuntimeError) as error:
            print(t("cli.error.failed", lang, reason=_first_line(error)), file=sys.stderr)
            return 1
    try:
        store = setup.open_store()
    except ArgumentError as error:
        print(t("cli.error.url", lang, reason=_first_line(error)), file=sys.stderr)
        return 2
    try:
        return command.run(store, args, lang)
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
