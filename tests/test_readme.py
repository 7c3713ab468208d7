"""Every ``nettonul`` command in the README's walkthrough runs as written."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nettonul.cli.main import app

ROOT = Path(__file__).resolve().parents[1]
#: Commands that need a file the reader brings, a loaded database, or that start a server
#: (the database ones are covered by tests/web and tests/cli/test_backup.py).
NEEDS_USER_INPUT = ("import-doc plan.pdf", "import-doc strategy.txt", "serve", "demo", "report 410", "backup ",
                    "restore ")
#: Commands that exist to show a failure, with the exit code they must give.
EXPECTED_EXIT = {"inventory validate": 2, "check examples/check/defective_plan.yaml": 1}


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands: list[str] = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith("nettonul ") and not any(s in line for s in NEEDS_USER_INPUT):
                commands.append(line)
    return commands


def test_the_walkthrough_has_commands() -> None:
    assert len(_readme_commands()) >= 12


@pytest.mark.parametrize("command", _readme_commands())
def test_readme_command_runs(command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # charts and reports the walkthrough writes land here
    args = [a.replace("examples/", f"{ROOT / 'examples'}/") for a in shlex.split(command)[1:]]
    result = CliRunner().invoke(app, args)
    expected = next((code for prefix, code in EXPECTED_EXIT.items() if command.startswith("nettonul " + prefix)), 0)
    assert result.exit_code == expected, result.output
