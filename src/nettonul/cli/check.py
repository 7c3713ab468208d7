"""Plan check and yearly report commands: ``nettonul check PLAN`` and ``nettonul report PLAN --year Y``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
from rich.markup import escape

from nettonul.cli.output import (
    EXIT_FAILURE,
    JSON_OPTION,
    console,
    handle_errors,
    print_json,
    table,
)
from nettonul.engine.check import load_criteria, run_check
from nettonul.engine.errors import SpecError
from nettonul.engine.monitoring import load_monitoring
from nettonul.engine.plan_sections import load_capf_plan
from nettonul.reports.snapshot import Snapshot, SnapshotError

ORDER = 50

_COLOUR = {"pass": "green", "fail": "bold red", "warn": "yellow", "n.a.": "dim"}
_VERDICT = {
    "en": {"pass": "The plan passes.", "pass_with_warnings": "The plan passes with warnings.",
           "fail": "The plan FAILS essential criteria."},
    "da": {"pass": "Planen består.", "pass_with_warnings": "Planen består med advarsler.",
           "fail": "Planen opfylder IKKE de væsentlige krav."},
}


def _language(language: str) -> str:
    if language not in ("en", "da"):
        raise SpecError(f"--language {language}: use en or da")
    return language


@handle_errors
def check(
    plan: Path = typer.Argument(..., help="Plan file (.yaml or .json) with its CAPF sections."),
    criteria: Path | None = typer.Option(None, "--criteria", help="A criteria set (YAML); default: DK2020/CAPF."),
    language: str = typer.Option("en", "--language", "-l", help="Language of messages and fixes: en or da."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Check a plan against the DK2020/CAPF criteria: exit 0 when every essential criterion
    passes, 1 when one fails, 2 on bad input."""
    lang = _language(language)
    capf = load_capf_plan(plan)
    result = run_check(capf, load_criteria(criteria) if criteria else None, lang)
    if as_json:
        print_json(result.to_dict())
    else:
        rows = [(r.id, r.severity, f"[{_COLOUR[r.result]}]{r.result}[/]", escape(r.title), escape(r.message))
                for r in result.results]
        n = result.counts()
        console.print(table(
            f"Plan check: {escape(capf.plan.name)} ({result.criteria_set} {result.criteria_version})",
            ["ID", "Sev.", "Result", "Criterion", "Finding"], rows, numeric_from=99,
            caption=f"{n['pass']} pass, {n['fail']} fail, {n['warn']} warn, {n['n.a.']} n.a. "
                    "Severity: E essential, R recommended, I informational.",
        ))
        todo = [r for r in result.results if r.result in ("fail", "warn")]
        if todo:
            console.print("\n[bold]What to fix[/]" if lang == "en" else "\n[bold]Det skal rettes[/]")
            for r in todo:
                console.print(f"  [{_COLOUR[r.result]}]{r.id}[/] {escape(r.fix)}", highlight=False)
        colour = "red" if result.verdict == "fail" else "green"
        console.print(f"\n[bold {colour}]{_VERDICT[lang][result.verdict]}[/]")
    if result.verdict == "fail":
        raise typer.Exit(EXIT_FAILURE)


@handle_errors
def report(
    plan: Path = typer.Argument(..., help="Plan file (.yaml or .json), or a snapshot written by --snapshot "
                                          "to render an issued report again."),
    year: int | None = typer.Option(None, "--year", help="The report year (needed for a plan file)."),
    out: Path | None = typer.Option(None, "--out", help="Write the PDF report here."),
    excel: Path | None = typer.Option(None, "--excel", help="Write the Excel workbook here."),
    snapshot: Path | None = typer.Option(None, "--snapshot", help="Write the frozen snapshot (JSON) here."),
    monitoring: Path | None = typer.Option(None, "--monitoring", help="Indicators and progress updates (YAML)."),
    criteria: Path | None = typer.Option(None, "--criteria", help="A criteria set (YAML); default: DK2020/CAPF."),
    issued: str | None = typer.Option(None, "--issued", help="Issue date (YYYY-MM-DD); default: today."),
    language: str = typer.Option("en", "--language", "-l", help="Language of the report: en or da."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Build the yearly status report of a plan from files: a frozen snapshot rendered as PDF
    and Excel. Given a snapshot file instead of a plan, render that issued report again."""
    from nettonul.reports.build import build_snapshot, inputs_from_plan
    from nettonul.reports.excel import render_excel
    from nettonul.reports.pdf import render_pdf

    lang = _language(language)
    try:
        issue_date = date.fromisoformat(issued) if issued else date.today()
    except ValueError:
        raise SpecError(f"--issued {issued}: use YYYY-MM-DD") from None
    issued_before = _read_snapshot(plan)
    if issued_before is not None:
        snap = issued_before
    else:
        if year is None:
            raise SpecError("--year is needed to build a report from a plan file")
        capf = load_capf_plan(plan)
        ids = {a.id for a in capf.plan.actions} | set(capf.unquantified_ids())
        mon = load_monitoring(monitoring, ids) if monitoring else None
        snap = build_snapshot(inputs_from_plan(capf, year, mon, load_criteria(criteria) if criteria else None),
                              issue_date)
    written: dict[str, str] = {}
    if out is not None:
        out.write_bytes(render_pdf(snap, lang))
        written["pdf"] = str(out)
    if excel is not None:
        excel.write_bytes(render_excel(snap, lang))
        written["excel"] = str(excel)
    if snapshot is not None:
        snapshot.write_text(snap.to_json(), encoding="utf-8")
        written["snapshot"] = str(snapshot)
    if as_json:
        print_json({"digest": snap.digest, "written": written, "snapshot": snap.content})
        return
    c = snap.content
    k = c["key_figures"]
    console.print(f"[bold]{escape(c['organisation']['name'])}[/]: status report {c['year']}, issued "
                  f"{c['issued']}, digest {snap.short_digest}")
    states = ", ".join(f"{s}: {n}" for s, n in sorted(k["action_states"].items()))
    console.print(f"  actions: {states}; plan check: {k['check_verdict']}")
    if c["illustrative"]:
        console.print("  [yellow]illustrative data: the report is marked as an example[/]")
    for kind, path in written.items():
        console.print(f"  wrote {kind}: {path}")
    if not written:
        console.print("  nothing written: give --out, --excel or --snapshot")


def _read_snapshot(path: Path) -> Snapshot | None:
    """The snapshot in ``path`` if it is one (digest checked), else None (a plan file)."""
    if path.suffix != ".json":
        return None
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not (isinstance(data, dict) and "digest" in data and "snapshot" in data):
        return None
    try:
        return Snapshot.from_json(text)
    except SnapshotError as exc:
        raise SpecError(f"{path}: {exc}") from None


def register(app: typer.Typer) -> None:
    app.command("check")(check)
    app.command("report")(report)
