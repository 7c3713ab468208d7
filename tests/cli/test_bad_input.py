"""Every CLI command answers bad input with exit 2 and a message, never a traceback, and
quickly: each command that reads a file is run with a missing file, a directory, an empty
file, binary junk, UTF-16 junk, a truncated workbook, a zip bomb, XML with an external entity
and (for YAML readers) YAML nested 5,000 deep; the unit-tree reader also with a tree 5,000
levels deep; and commands with bad option values."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hostile_files import MB, blank_sheet_bomb, deep_tree_csv, deep_yaml, truncated_xlsx, xxe_xlsx
from nettonul.cli.main import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2] / "examples"
UNITS = str(ROOT / "ministry" / "units.yaml")
ACTIVITIES = str(ROOT / "ministry" / "illustrative_activities.csv")
FACTORS = str(ROOT / "ministry" / "illustrative_factors.csv")
PEERS = str(ROOT / "ministry" / "illustrative_peers.csv")
PLAN = str(ROOT / "plans" / "samsoe.yaml")
CHECK_PLAN = str(ROOT / "check" / "middelfart_plan.yaml")
#: Seconds of CPU a refusal may take (processor time, so a busy machine does not fail the test;
#: the slowest, the 5,000-level unit tree in YAML, takes about 2.5 s).
SECONDS = 5.0

_BOMB: list[bytes] = []


def _bomb() -> bytes:
    if not _BOMB:
        _BOMB.append(blank_sheet_bomb(30 * MB))
    return _BOMB[0]


#: Bad files: name -> what to write (None: leave the path missing; "dir": make a directory).
BAD_FILES: dict[str, Callable[[], bytes] | str | None] = {
    "missing": None,
    "directory": "dir",
    "empty": lambda: b"",
    "junk": lambda: bytes(range(256)) * 40,
    "utf16-junk": lambda: b"\xff\xfe" + b"\x00\xd8" * 500,  # a UTF-16 mark, then lone surrogates
    "truncated-xlsx": truncated_xlsx,
    "zip-bomb": _bomb,
    "xxe-xlsx": xxe_xlsx,
}
YAML_FILES: dict[str, Callable[[], bytes] | str | None] = {
    "deep-yaml": lambda: deep_yaml(5_000).encode(),
    "yaml-alias-bomb": lambda: b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n",
    "huge-integer": lambda: b"year: " + b"9" * 10_000 + b"\n",
}

#: Commands that read a file: the arguments with {} for the bad file, and its suffixes.
FILE_COMMANDS: dict[str, tuple[list[str], tuple[str, ...]]] = {
    "inventory-validate": (["inventory", "validate", "{}"], (".csv", ".xlsx", ".yaml")),
    "inventory-show": (["inventory", "show", "eksempelby", "--file", "{}"], (".csv", ".xlsx")),
    "check": (["check", "{}"], (".yaml",)),
    "check-criteria": (["check", CHECK_PLAN, "--criteria", "{}"], (".yaml",)),
    "report": (["report", "{}", "--year", "2024"], (".yaml",)),
    "scenario": (["scenario", "{}"], (".yaml",)),
    "simulate": (["simulate", "{}", "--draws", "10"], (".yaml",)),
    "optimise": (["optimise", "{}"], (".yaml",)),
    "import-doc": (["import-doc", "{}"], (".pdf", ".docx", ".txt")),
    "footprint-units": (["footprint", "report", "{}", "-a", ACTIVITIES, "-f", FACTORS], (".csv", ".xlsx", ".yaml")),
    "footprint-activities": (["footprint", "report", UNITS, "-a", "{}", "-f", FACTORS], (".csv", ".xlsx")),
    "footprint-factors": (["footprint", "report", UNITS, "-a", ACTIVITIES, "-f", "{}"], (".csv", ".xlsx")),
    "footprint-peers": (["footprint", "peers", "{}"], (".csv", ".xlsx")),
    "rollup-targets": (["rollup", "--targets", "{}"], (".csv", ".xlsx")),
    "restore": (["restore", "{}"], (".tar",)),
}


def _cases() -> list[tuple[str, str, str]]:
    cases = []
    for command, (_, suffixes) in FILE_COMMANDS.items():
        for suffix in suffixes:
            files = dict(BAD_FILES)
            if suffix == ".yaml":
                files.update(YAML_FILES)
            for bad in files:
                if bad in ("truncated-xlsx", "zip-bomb", "xxe-xlsx") and suffix not in (".xlsx", ".docx"):
                    continue
                cases.append((command, suffix, bad))
    cases.append(("footprint-units", ".csv", "deep-unit-tree"))
    cases.append(("footprint-units", ".yaml", "deep-unit-tree"))
    return cases


def _assert_clean_refusal(args: list[str]) -> None:
    start = time.process_time()
    result = runner.invoke(app, args)
    elapsed = time.process_time() - start
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert result.exit_code == 2, f"{args}: exit {result.exit_code}\n{output}\n{result.exception!r}"
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in output
    assert output.strip(), "a refusal says why"
    assert elapsed < SECONDS, f"{args} took {elapsed:.1f} s of processor time"


@pytest.mark.parametrize(("command", "suffix", "bad"), _cases())
def test_a_bad_file_is_refused_with_exit_2_and_a_message(tmp_path: Path, command: str, suffix: str,
                                                         bad: str) -> None:
    template, _ = FILE_COMMANDS[command]
    path = tmp_path / f"{bad}{suffix}"
    if bad == "deep-unit-tree":
        if suffix == ".csv":
            path.write_bytes(deep_tree_csv(5_000))
        else:
            lines = ["units:", "  - {id: u0, name: Root, kind: ministry, country: DK}"]
            lines += [f"  - {{id: u{i}, name: U{i}, kind: department, country: DK, parent: u{i - 1}}}"
                      for i in range(1, 5_000)]
            path.write_text("\n".join(lines) + "\n")
    else:
        content = {**BAD_FILES, **YAML_FILES}[bad]
        if content == "dir":
            path.mkdir()
        elif callable(content):
            path.write_bytes(content())
    _assert_clean_refusal([a.replace("{}", str(path)) for a in template])


BAD_OPTIONS: list[list[str]] = [
    ["inventory", "validate", str(ROOT / "inventories" / "eksempelby.csv"), "--first-year", "abc"],
    ["inventory", "validate", str(ROOT / "inventories" / "eksempelby.csv"), "--framework", "nonsense"],
    ["inventory", "validate", str(ROOT / "inventories" / "eksempelby.csv"), "--gwp", "AR99"],
    ["inventory", "validate", str(ROOT / "inventories" / "eksempelby.xlsx"), "--sheet", "7"],
    ["inventory", "show", "101", "--by", "colour"],
    ["inventory", "show", "101", "--level", "deepest"],
    ["inventory", "show", "101", "--fill-gaps", "guess"],
    ["inventory", "show", "Atlantis"],
    ["inventory", "show", "101", "--year", "99999999999999999999999"],
    ["check", CHECK_PLAN, "--language", "xx"],
    ["report", PLAN],
    ["report", PLAN, "--year", "2024", "--issued", "yesterday"],
    ["report", PLAN, "--year", "2024", "--language", "klingon"],
    ["scenario", PLAN, "--macc-year", "-5"],
    ["simulate", PLAN, "--draws", "0"],
    ["simulate", PLAN, "--seed", "-1"],
    ["optimise", PLAN, "--budget", "nan"],
    ["optimise", PLAN, "--target", "1066"],
    ["import-doc", str(ROOT / "plans" / "samsoe.yaml"), "--language", "fr"],
    ["import-doc", str(ROOT / "plans" / "samsoe.yaml"), "--year", "3000"],
    ["footprint", "report", UNITS, "-a", ACTIVITIES, "-f", FACTORS, "--by", "colour"],
    ["footprint", "report", UNITS, "-a", ACTIVITIES, "-f", FACTORS, "--gwp", "AR99"],
    ["footprint", "report", UNITS, "-a", ACTIVITIES, "-f", FACTORS, "--unit", "nowhere", "--by", "scope"],
    ["footprint", "report", UNITS, "-a", ACTIVITIES, "-f", FACTORS, "--rf-multiplier", "-3"],
    ["footprint", "report", UNITS, "-a", ACTIVITIES, "-f", FACTORS, "--year", "1800"],
    ["footprint", "peers", PEERS, "--basis", "sideways"],
    ["footprint", "peers", PEERS, "--year", "1700"],
    ["footprint", "template", "spaceships"],
    ["pathway", "Atlantis"],
    ["pathway", "101", "--target", "2030:abc"],
    ["pathway", "101", "--target", "nonsense"],
    ["pathway", "101", "--trend", "transport"],
    ["pathway", "101", "--shape", "zigzag"],
    ["pathway", "101", "--baseline", "magic"],
    ["pathway", "101", "--budget", "infinite"],
    ["pathway", "101", "--base-year", "2040", "--end-year", "2030"],
    ["rollup", "--region", "Narnia"],
    ["rollup", "--top", "0"],
    ["rollup", "--seed", "-1"],
    ["rollup", "--draws", "-5"],
    ["rollup", "--draws", "10", "--sd", "activity=nan"],
    ["rollup", "--draws", "10", "--scope", "activity"],
    ["rollup", "--plans", "/nonexistent/plans"],
    ["rollup", "--synthetic", "5", "--draws", "1"],
    ["optimise", "all"],
    ["optimise", "all", "--plans", "/nonexistent/plans"],
    ["optimise", "Atlantis", "--plans", str(ROOT / "plans")],
]


@pytest.mark.parametrize("args", BAD_OPTIONS, ids=lambda a: " ".join(a[:1] + a[2:] if len(a) > 2 else a)[-60:])
def test_a_bad_option_value_is_refused_with_exit_2_and_a_message(args: list[str]) -> None:
    _assert_clean_refusal(args)


@pytest.mark.parametrize(("command", "suffix", "bad"), [("inventory-validate", ".csv", "junk")])
def test_the_json_form_of_a_refusal_is_json(tmp_path: Path, command: str, suffix: str, bad: str) -> None:
    import json

    path = tmp_path / f"{bad}{suffix}"
    path.write_bytes(bytes(range(256)) * 40)
    result = runner.invoke(app, ["inventory", "validate", str(path), "--json"])
    assert result.exit_code == 2
    body = json.loads(result.stdout)
    assert body["ok"] is False
    assert "not a text CSV file" in body["problems"][0]["reason"]
