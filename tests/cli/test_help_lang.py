"""Issue 17 item 4: help in the user's language, Chinese by default.

Every ``--help`` and click's own usage errors follow ``--lang`` / FUNDCORE_LANG; every
command and option has its Chinese, and every command (not a group) has examples.
Golden: stdout, stderr and exit code, in both languages.
"""

from __future__ import annotations

import shlex

import click
import pytest
from click.testing import CliRunner

from cli import help_zh
from cli.main import fund


def _run(*args: str, env: dict[str, str] | None = None):  # noqa: ANN202
    return CliRunner().invoke(fund, list(args), env=env or {"FUNDCORE_LANG": ""})


def test_every_command_and_option_has_its_chinese_and_every_command_examples() -> None:
    help_zh.use(fund, "en")  # the English texts in place, as written
    missing = []
    for path, command in help_zh.commands(fund):
        if path not in help_zh.COMMANDS:
            missing.append(f"command {path!r}")
        if not isinstance(command, click.Group) and path not in help_zh.EXAMPLES:
            missing.append(f"examples of {path!r}")
        for param in command.params:
            if isinstance(param, click.Option) and param.help and param.help not in help_zh.OPTIONS:
                missing.append(f"{path} {param.opts[0]}: {param.help!r}")
    assert missing == []


@pytest.mark.parametrize("path", [p for p, _ in help_zh.commands(fund)])
def test_every_help_is_chinese_by_default_and_english_with_lang_en(path: str) -> None:
    args = [*path.split(), "--help"] if path else ["--help"]
    zh = _run(*args)
    assert zh.exit_code == 0, zh.output
    assert zh.stdout.startswith("用法： fund")
    assert help_zh.COMMANDS[path] in zh.stdout
    assert "Show this message and exit." not in zh.stdout
    assert "显示此帮助并退出。" in zh.stdout
    en = _run("--lang", "en", *args)
    assert en.exit_code == 0 and en.stdout.startswith("Usage: fund")
    assert "Show this message and exit." in en.stdout
    assert help_zh.COMMANDS[path] not in en.stdout
    for example in help_zh.EXAMPLES.get(path, ()):
        assert example in zh.stdout and example in en.stdout


def test_fundcore_lang_chooses_the_help_language() -> None:
    r = _run("capacity", "--help", env={"FUNDCORE_LANG": "en"})
    assert r.stdout.startswith("Usage: fund capacity")
    r = _run("--lang", "zh", "capacity", "--help", env={"FUNDCORE_LANG": "en"})
    assert r.stdout.startswith("用法： fund capacity")


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            ["capacity"],
            "用法： fund capacity [OPTIONS]\n运行“fund capacity --help”查看帮助。\n\n"
            "错误：缺少选项 '--date'.\n",
        ),
        (
            ["--lang", "en", "capacity"],
            "Usage: fund capacity [OPTIONS]\nTry 'fund capacity --help' for help.\n\n"
            "Error: Missing option '--date'.\n",
        ),
        (
            ["capacity", "--date", "2019-06-01", "extra"],
            "用法： fund capacity [OPTIONS]\n运行“fund capacity --help”查看帮助。\n\n"
            "错误：多余的参数（extra）\n",
        ),
        (
            ["nosuch"],
            "用法： fund [OPTIONS] COMMAND [ARGS]...\n运行“fund --help”查看帮助。\n\n"
            "错误：没有命令 'nosuch'。\n",
        ),
    ],
)
def test_clicks_own_usage_errors_follow_the_language(args: list[str], stderr: str) -> None:
    r = _run(*args)
    assert (r.exit_code, r.stdout, r.stderr) == (2, "", stderr)


@pytest.mark.parametrize("path", sorted(help_zh.EXAMPLES))
def test_every_example_names_only_options_its_command_has(path: str) -> None:
    """Parsed as typed (``--help`` added stops before running it): an example with an
    option the command does not have, or too many arguments, is a usage error."""
    for example in help_zh.EXAMPLES[path]:
        args = shlex.split(example)
        assert args[0] == "fund" and " ".join(args[1 : 1 + len(path.split())]) == path
        r = _run("--lang", "en", *args[1:], "--help")
        assert r.exit_code == 0, (example, r.stderr)
