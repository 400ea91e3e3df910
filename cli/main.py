"""``fund``: the entry point. Maps every refusal to one clear line and exit code 1.

A Python traceback is never what a user sees: FundErrors become their message in the
user's language; database trouble and anything unexpected become one line too (set
FUNDCORE_DEBUG=1 to get the traceback when diagnosing).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from typing import Any

import click
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from cli import context, help_zh
from cli.context import common_options
from fundcore.domain.errors import FundError
from fundcore.messages import render
from fundcore.store import auth

#: what SQLite says of a file whose pages are broken or that is not a database
_DAMAGED = ("malformed", "file is not a database", "disk image")


class FundGroup(click.Group):
    """A group whose commands' refusals exit 1 with one line per problem."""

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        """Put the help and click's own messages in the user's language before parsing:
        ``--lang`` wherever it is on the line, else FUNDCORE_LANG, else Chinese."""
        argv = list(sys.argv[1:] if args is None else args)
        help_zh.use(self, _language(argv))
        return super().main(argv, *rest, **kwargs)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["fund.argv"] = list(args)  # to name the argument a bad character came in
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except FundError as err:
            _log_identity_failure(err)
            _fail(err.code, err.params, err.more)
        except IntegrityError as err:
            _fail("db.conflict", {"detail": _first_line(err.orig)})
        except OperationalError as err:
            busy = getattr(err.orig, "sqlstate", None) in ("40P01", "40001")
            _fail(_damaged(err) or ("db.conflict" if busy else "db.unreachable"),
                  {"detail": _first_line(err.orig)})  # fmt: skip
        except SQLAlchemyError as err:
            _fail(_damaged(err) or "internal", {"detail": _first_line(getattr(err, "orig", err))})
        except OverflowError as err:  # a number too big for the database or a date
            _fail("input.too_large", {"detail": _first_line(err)})
        except UnicodeError as err:  # a lone surrogate: bytes that were not UTF-8
            _fail(*_bad_text(ctx, err))
        except Exception as err:  # noqa: BLE001 - the user never sees a traceback
            if os.environ.get("FUNDCORE_DEBUG"):
                raise
            _fail("internal", {"detail": f"{type(err).__name__}: {_first_line(err)}"})


def _language(argv: list[str]) -> str:
    """The language asked for on the command line (last wins), else by FUNDCORE_LANG."""
    chosen = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            chosen = argv[i + 1]
        elif arg.startswith("--lang="):
            chosen = arg.split("=", 1)[1]
    chosen = chosen or os.environ.get("FUNDCORE_LANG")
    return "en" if chosen == "en" else "zh"


def _damaged(err: SQLAlchemyError) -> str | None:
    """``db.damaged`` if SQLite found the file broken, else None."""
    text = str(getattr(err, "orig", err)).lower()
    return "db.damaged" if any(mark in text for mark in _DAMAGED) else None


def _bad_text(ctx: click.Context, err: UnicodeError) -> tuple[str, dict[str, object]]:
    """The argument that holds a character UTF-8 cannot carry, named with its code point."""
    argv = ctx.meta.get("fund.argv", [])
    for i, arg in enumerate(argv):
        bad = next((c for c in arg if 0xD800 <= ord(c) <= 0xDFFF), None)
        if bad is None:
            continue
        before = argv[i - 1] if i else ""
        if arg.startswith("--") and "=" in arg:
            option = arg.split("=", 1)[0]
        elif before.startswith("--"):
            option = before
        else:
            option = f"«{_shown(arg)}»"
        return "input.bad_text", {"option": option, "char": f"U+{ord(bad):04X}"}
    return "input.bad_text_somewhere", {"detail": _first_line(err)}


def _shown(arg: str) -> str:
    """An argument as it can be printed: undecodable characters as ``\udcff``."""
    return arg.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")


def _log_identity_failure(err: FundError) -> None:
    """A failed attempt to act as someone is recorded, although the command wrote nothing."""
    if err.code not in ("auth.failed", "operator.unknown"):
        return
    with contextlib.suppress(FundError, SQLAlchemyError):  # uninitialised: nowhere to record
        auth.log_failure(
            context.engine(),
            str(err.params.get("name", "")),
            str(err.params.get("reason", err.code)),
        )


def _token() -> str | None:
    """The operator's token: FUNDCORE_TOKEN, or asked for on a terminal."""
    token = os.environ.get("FUNDCORE_TOKEN")
    if token or not sys.stdin.isatty():
        return token
    return click.prompt("令牌 / token", hide_input=True, default="", show_default=False)


def _first_line(err: object) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def _fail(
    code: str, params: dict[str, object], more: list[tuple[str, dict[str, object]]] | None = None
) -> None:
    errors = []
    for c, p in [(code, params), *(more or [])]:
        message = render(c, p, context.lang())
        click.echo(message, err=True)
        errors.append({"code": c, "message": message})
    if context.want_json():
        click.echo(json.dumps({"ok": False, "errors": errors}, ensure_ascii=False))
    sys.exit(1)


@click.group(cls=FundGroup)
@common_options
@click.version_option(package_name="fundcore")
def fund() -> None:
    """fundcore: guarantees, interest-free loans and micro-grants for young entrepreneurs."""
    auth.token_source.set(_token)


def _register() -> None:
    """Add every command module of the package (cli/*_cmds.py), in name order."""
    import importlib
    import pkgutil

    import cli

    for info in sorted(pkgutil.iter_modules(cli.__path__), key=lambda m: m.name):
        if info.name.endswith("_cmds"):
            importlib.import_module(f"cli.{info.name}").register(fund)


_register()


def main() -> None:
    # a terminal that cannot show a character gets an escape, not a traceback
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    fund(prog_name="fund")
