"""Plan check and yearly report commands: ``nettonul check PLAN`` and ``nettonul report PLAN|ORG --year Y``.

``nettonul report`` builds the report from a plan file (a path that exists), renders an
issued snapshot file again, or issues the report of an organisation's plan from the database
(a kommunekode or name; :mod:`nettonul.cli.report_db`)."""

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
from nettonul.engine.core import i18n
from nettonul.engine.core.errors import SpecError
from nettonul.engine.core.i18n import N_
from nettonul.engine.plan.monitoring import load_monitoring
from nettonul.engine.plan.sections import load_capf_plan
from nettonul.reports.snapshot import Snapshot, SnapshotError

ORDER = 50

_COLOUR = {"pass": "green", "fail": "bold red", "warn": "yellow", "n.a.": "dim"}
_VERDICT = {"pass": N_("verdict.pass"), "pass_with_warnings": N_("verdict.pass_with_warnings"),
            "fail": N_("verdict.fail")}


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
                # a plan file's user edits its keys: name them (``*`` in an action path: the actions named)
                where = ", ".join(f.replace(".*.", f".{'|'.join(r.subjects)}.", 1)
                                  if r.subjects and f.startswith(("action_details.", "actions.")) else f
                                  for f in r.fields)
                fields = f" [dim]({escape(where)})[/]" if where else ""
                console.print(f"  [{_COLOUR[r.result]}]{r.id}[/] {escape(r.fix)}{fields}", highlight=False)
        colour = "red" if result.verdict == "fail" else "green"
        console.print(f"\n[bold {colour}]{i18n.text(_VERDICT[result.verdict], lang)}[/]")
    if result.verdict == "fail":
        raise typer.Exit(EXIT_FAILURE)


@handle_errors
def report(
    source: str = typer.Argument(..., metavar="SOURCE",
                                 help="Plan file, snapshot file, or organisation (kommunekode or name)."),
    year: int | None = typer.Option(None, "--year", help="The report year (needed unless SOURCE is a snapshot)."),
    out: Path | None = typer.Option(None, "--out", help="Write the PDF report here."),
    excel: Path | None = typer.Option(None, "--excel", help="Write the Excel workbook here."),
    snapshot: Path | None = typer.Option(None, "--snapshot", help="Write the frozen snapshot (JSON) here."),
    monitoring: Path | None = typer.Option(None, "--monitoring",
                                           help="Plan file only: indicators and progress updates (YAML)."),
    criteria: Path | None = typer.Option(None, "--criteria",
                                         help="Plan file only: a criteria set (YAML); default: DK2020/CAPF."),
    plan_id: int | None = typer.Option(None, "--plan",
                                       help="Organisation only: plan id; default: the current plan, published first."),
    issued: str | None = typer.Option(None, "--issued", help="Issue date (YYYY-MM-DD); default: today."),
    language: str | None = typer.Option(None, "--language", "-l",
                                        help="Language of the report: en or da (default: en for a file, da for an "
                                             "organisation)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Build the yearly status report: a frozen snapshot rendered as PDF and Excel.

    SOURCE is either

    \b
      a plan file (.yaml or .json, a path that exists): the report is built from the file,
        the shipped inventory and --monitoring; nothing is stored;
      a snapshot file written by --snapshot: that issued report is rendered again;
      an organisation (kommunekode such as 410, or a municipality name) in the database:
        its current plan's report is issued and stored like the web app's "Issue yearly
        report" button, from its latest stored inventory and monitoring data (--plan picks
        another plan).

    --out, --excel and --snapshot write the files. Exit 2 for a missing file or an unknown
    organisation."""
    try:
        issue_date = date.fromisoformat(issued) if issued else date.today()
    except ValueError:
        raise SpecError(f"--issued {issued}: use YYYY-MM-DD") from None
    path = Path(source)
    if not path.is_file():
        if _looks_like_file(source):
            raise SpecError(f"{source}: no such file")
        given = [name for name, v in (("--monitoring", monitoring), ("--criteria", criteria)) if v is not None]
        if given:
            raise SpecError(f"{' and '.join(given)}: only for a plan file; '{source}' is an organisation")
        if year is None:
            raise SpecError("--year is needed to issue an organisation's report")
        from nettonul.cli.report_db import print_issued, report_from_database

        lang = _language(language or "da")
        result = report_from_database(source, year, lang, out, excel, snapshot, plan_id,
                                      issue_date if issued else None)
        print_issued(result, as_json)
        return
    if plan_id is not None:
        raise SpecError("--plan applies to an organisation in the database, not to a plan file")
    _report_from_file(path, year, out, excel, snapshot, monitoring, criteria, issue_date, _language(language or "en"),
                      as_json)


def _looks_like_file(source: str) -> bool:
    """A path-like SOURCE (a suffix of a plan or snapshot, or a directory part): never an organisation."""
    return Path(source).suffix.lower() in (".yaml", ".yml", ".json") or "/" in source or "\\" in source


def _report_from_file(plan: Path, year: int | None, out: Path | None, excel: Path | None, snapshot: Path | None,
                      monitoring: Path | None, criteria: Path | None, issue_date: date, lang: str,
                      as_json: bool) -> None:
    from nettonul.reports.build import build_snapshot, inputs_from_plan
    from nettonul.reports.excel import render_excel
    from nettonul.reports.pdf import render_pdf

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
