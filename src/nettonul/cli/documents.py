"""Document import command: ``nettonul import-doc FILE``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from nettonul.cli.output import JSON_OPTION, console, handle_errors, print_json, table
from nettonul.documents import DocumentError, ImportResult, Target, import_document

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
    as_json: bool = JSON_OPTION,
) -> None:
    """Import a plan or strategy document: sections, quantitative targets and commitments, each with its quote."""
    if language is not None and language not in ("da", "en"):
        raise typer.BadParameter("use 'da' or 'en'", param_hint="--language")
    result = import_document(file, language=language, owner=owner, date=year)
    if not result.text.strip():
        raise DocumentError(f"{file}: the document contains no text; nothing was imported")
    if as_json:
        print_json(result.to_json())
        return
    _show(result)


def register(app: typer.Typer) -> None:
    app.command("import-doc")(import_doc)
