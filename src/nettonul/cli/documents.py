"""Document import command: ``nettonul import-doc FILE``."""

from __future__ import annotations

import json
from pathlib import Path

import typer
import yaml
from rich.markup import escape

from nettonul.cli.output import JSON_OPTION, console, handle_errors, print_json, table
from nettonul.documents import DocumentError, ImportResult, Target, import_document
from nettonul.documents.draft import draft_plan, evaluate_draft
from nettonul.engine.plan.spec import read_plan_document

ORDER = 60

_KIND_LABELS = {"reduction_pct": "reduction", "net_zero": "net zero", "absolute_level": "level",
                "absolute_reduction": "cut", "per_capita": "per capita", "energy": "energy", "share": "share",
                "area": "area", "count": "count", "finance": "finance", "ranking": "ranking", "other": "other"}


def _short(text: str | None, width: int = 90) -> str:
    if not text:
        return "-"
    return escape(text if len(text) <= width else text[: width - 1] + "…")


def _value(result_value: float | list[float] | None, unit: str | None) -> str:
    if result_value is None:
        return "-"
    shown = "–".join(f"{v:g}" for v in result_value) if isinstance(result_value, list) else f"{result_value:g}"
    return f"{shown} {unit}" if unit else shown


def _target_summary(t: Target) -> str:
    parts = [_KIND_LABELS.get(t.kind, t.kind) if t.variant in (None, "net_zero", "climate_neutral")
             else t.variant.replace("_", " ")]
    if t.value is not None:
        parts.append(_value(t.json_value(), t.unit))
    if t.base_year:
        parts.append(f"vs {t.base_year}")
    if t.target_year:
        parts.append(f"{'from' if t.kind == 'finance' else 'by'} {t.target_year}")
    if t.qualifier:
        parts.append(f"({t.qualifier})")
    return escape(" ".join(parts))


def _show(result: ImportResult) -> None:
    console.print(f"[bold]{escape(result.source)}[/] ({result.kind}, language {result.language}, "
                  f"{len(result.text):,} characters after cleaning)", highlight=False)
    console.print(table(
        f"Sections ({len(result.sections)})", ["Title", "From", "To"],
        [(_short(s.title, 70), s.start, s.end) for s in result.sections]))
    if not result.targets:
        console.print("No quantitative targets found.", highlight=False)
    else:
        _show_targets(result)
    if not result.commitments:
        console.print("No commitments found.", highlight=False)
    else:
        _show_commitments(result)
    for note in result.notes:
        console.print(f"[yellow]check:[/] {escape(note)}", highlight=False)
    console.print("Sector and SDG tags are suggestions from word lists; accept, edit or reject each candidate.",
                  style="dim", highlight=False)


def _show_targets(result: ImportResult) -> None:
    console.print(table(
        f"Targets ({len(result.targets)}): candidates for review", ["Id", "Target", "Who and quote"],
        [(t.id, _target_summary(t) + (" [yellow](context)[/]" if t.context else ""),
          f"[bold]{_short(t.owner or t.subject, 40)}[/]: “{_short(t.quote, 160)}”"
          + (f" [dim]({_short(t.section, 40)})[/]" if t.section else "")
          + (f" [dim]+{len(t.mentions) - 1} restatement(s)[/]" if len(t.mentions) > 1 else ""))
         for t in result.targets],
        numeric_from=3))


def _show_commitments(result: ImportResult) -> None:
    console.print(table(
        f"Commitments ({len(result.commitments)}): candidate actions for review",
        ["Id", "Section", "Sector", "SDGs", "Action"],
        [(c.id, _short(c.section, 30), c.sector or "-", ", ".join(map(str, c.sdgs)) or "-",
          _short(c.text, 120) + (" [red](check SDG)[/]" if c.flags else ""))
         for c in result.commitments],
        numeric_from=5))


@handle_errors
def import_doc(
    file: Path = typer.Argument(..., help="A plan or strategy: PDF (with a text layer), HTML, DOCX or text."),
    language: str | None = typer.Option(None, "--language", help="'da' or 'en'; detected when left out."),
    owner: str | None = typer.Option(None, "--owner", help="The plan owner, e.g. 'Samsø Kommune': targets of "
                                     "others are marked as context."),
    year: int | None = typer.Option(None, "--year", help="The document's year, for horizons such as 'within the "
                                    "next four years'.", min=1900, max=2200),
    draft_file: Path | None = typer.Option(None, "--draft-plan", help="Also write a draft plan (YAML or JSON) "
                                           "from the document's own targets and commitments, run its scenario and "
                                           "the plan check, and report what is missing."),
    organisation: str | None = typer.Option(None, "--organisation", help="With --draft-plan: the plan's "
                                            "organisation for the inventory (a kommunekode, e.g. 741)."),
    base: Path | None = typer.Option(None, "--base", help="With --draft-plan: a plan file whose inventory, "
                                     "baseline and activity split the draft keeps."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Import a plan or strategy document: sections, quantitative targets and commitments, each with its quote."""
    if language is not None and language not in ("da", "en"):
        raise typer.BadParameter("use 'da' or 'en'", param_hint="--language")
    if draft_file is not None and organisation is None and base is None:
        raise typer.BadParameter("a draft plan needs --organisation (a kommunekode) or --base PLAN",
                                 param_hint="--organisation")
    if draft_file is not None and draft_file.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise typer.BadParameter("write the draft plan to a .yaml or .json file", param_hint="--draft-plan")
    result = import_document(file, language=language, owner=owner, date=year)
    if not result.text.strip():
        raise DocumentError(f"{file}: the document contains no text; nothing was imported")
    if draft_file is not None:
        _draft(result, draft_file, organisation, base, year, as_json)
        return
    if as_json:
        print_json(result.to_json())
        return
    _show(result)


def _draft(result: ImportResult, out: Path, organisation: str | None, base: Path | None, year: int | None,
           as_json: bool) -> None:
    """Write the draft plan, evaluate and check it, and show what it lacks."""
    base_doc = None
    if base is not None:
        data, _ = read_plan_document(base)
        base_doc = dict(data)
    draft = draft_plan(result, organisation=organisation or str((base_doc or {}).get("organisation")),
                       base=base_doc, document_year=year)
    report = evaluate_draft(draft, result.language if result.language in ("da", "en") else "da", str(out))
    if out.suffix.lower() == ".json":
        out.write_text(json.dumps(draft.document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    else:
        out.write_text(yaml.safe_dump(draft.document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    report["draft_plan"] = str(out)
    if as_json:
        print_json(report)
        return
    console.print(f"[bold]Draft plan[/] written to {escape(str(out))}: {report['targets']} target(s), "
                  f"{report['actions']} action(s), {len(report['assumed'])} assumed field(s) to review.",
                  highlight=False)
    console.print(table(
        "Targets in the scenario", ["Target", "Year", "Plan t CO2e", "Gap t CO2e"],
        [(escape(t["target"]), t["year"], f"{t['plan_t_co2e']:,.0f}", f"{t['gap_t_co2e']:,.0f}")
         for t in report["scenario"]["targets"]], numeric_from=1))
    console.print(table(
        f"Plan check: {report['check']['verdict']}; what is missing", ["ID", "Result", "Fix"],
        [(m["id"], m["result"], escape(m["fix"])) for m in report["check"]["missing"]], numeric_from=9))
    for why in report["left_out"]:
        console.print(f"[dim]not in the draft:[/] {escape(why)}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("import-doc")(import_doc)
