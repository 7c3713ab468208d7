"""Inventory pages: upload (saved as a draft, or the validation report), one inventory
version with how its file was read and the comparison with the current version, publishing
and discarding a draft, and restoring an earlier version."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, F, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nettonul.web import charts, pages
from nettonul.web.engine import inventories, problems
from nettonul.web.errors import InvalidInputError, NotAllowedError, StaleEditError
from nettonul.web.inventory import services
from nettonul.web.inventory.forms import UploadForm
from nettonul.web.inventory.models import InventoryVersion
from nettonul.web.organisations import permissions
from nettonul.web.organisations.models import Organisation
from nettonul.web.uploads import upload_bytes


def read_as_lines(read_as: dict[str, Any]) -> list[str]:
    """How a file was read, in the user's language: format with separator and encoding or
    sheet, and the number convention."""
    if not read_as:
        return []
    kind = read_as.get("kind")
    if kind == "csv":
        separator = {";": _("semicolon (;)"), ",": _("comma (,)"), "\t": _("tab")}.get(
            read_as.get("separator") or "", repr(read_as.get("separator")))
        lines = [_("CSV file, separated by %(sep)s, encoding %(enc)s")
                 % {"sep": separator, "enc": read_as.get("encoding") or "?"}]
    elif kind == "excel":
        lines = [_("Excel workbook, sheet “%(sheet)s”") % {"sheet": read_as.get("sheet") or ""}]
    else:
        lines = [_("YAML file")]
    convention = read_as.get("convention")
    if convention == "da":
        lines.append(_("Numbers read in the Danish convention: 1.234,5 = one thousand two hundred and "
                       "thirty-four point five; 15.100 = 15100"))
    elif convention == "en":
        lines.append(_("Numbers read in the English convention: 1,234.5 = one thousand two hundred and "
                       "thirty-four point five; 15.100 = 15.1"))
    return lines


@login_required
def upload(request: HttpRequest, org_id: int) -> HttpResponse:
    org = pages.get_visible(request, Organisation, org_id)
    pages.use_organisation_language(request, org)
    if not permissions.can_edit(request.user, org):
        raise PermissionDenied(_("You may not change this organisation's data."))
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                data, name = upload_bytes(form.cleaned_data["file"], "upload.csv")
                seen = services.preview(request.user, org, data, filename=name, mode=form.cleaned_data["mode"])
                if seen.ok:
                    version = services.save_draft(request.user, org, seen)
            except InvalidInputError as exc:
                report = {"summary": _("The file was rejected; nothing was imported."),
                          "messages": list(exc.problems.values())}
            else:
                if not seen.ok:
                    report = {"summary": _("%(n)s problem(s) found; nothing was imported. Correct the file and "
                                           "upload it again.") % {"n": len(seen.problems)},
                              "problems": problems.problems(seen.problems), "read_as": read_as_lines(seen.read_as)}
                else:
                    messages.success(request, _(
                        "Saved as draft version %(v)s (%(n)s records). Check the figures below and publish it; "
                        "until then nothing else uses it.") % {"n": version.record_count, "v": version.number})
                    return redirect("inventory:detail", version.pk)
    return render(request, "inventory/upload.html", {"org": org, "form": form, "report": report,
                                                     "current": services.current(org),
                                                     "drafts": services.drafts(request.user, org)}, status=status)


def detail(request: HttpRequest, inventory_id: int) -> HttpResponse:
    version = pages.get_visible(request, InventoryVersion, inventory_id,
                                ("organisation", "created_by", "published_by", "restored_from"))
    org = version.organisation
    pages.use_organisation_language(request, org)
    lang = pages.language(request)
    table = inventories.inventory_table(services.engine_inventory(version), lang)
    versions = list(InventoryVersion.objects.filter(permissions.visible_filter(request.user), organisation=org)
                    .annotate(has_file=ExpressionWrapper(Q(original__isnull=False), output_field=BooleanField()),
                              last_total=Sum("records__co2e_t", filter=Q(records__year=F("last_year"))))
                    .select_related("created_by", "published_by").order_by("-number"))
    current = services.current(org)
    comparison = None
    if version.is_draft:
        comparison = inventories.version_comparison(current, version, lang)
    can_edit = permissions.can_edit(request.user, org)
    return render(request, "inventory/detail.html", {
        "can_publish": permissions.can_publish(request.user, version, version.created_by_id),
        "can_restore": permissions.can_publish(request.user, org),
        "inventory": version, "org": org, "table": table, "versions": versions, "current": current,
        "comparison": comparison, "read_as": read_as_lines(version.read_as),
        "has_file": any(v.has_file for v in versions if v.pk == version.pk),
        "large_change": round(inventories.LARGE_CHANGE * 100),
        "can_view_history": permissions.can_view_history(request.user, version),
        "can_edit": can_edit,
        "stale": version.is_draft and current is not None and version.base_id != current.pk,
    })


def _editable(request: HttpRequest, inventory_id: int) -> InventoryVersion:
    version = pages.get_visible(request, InventoryVersion, inventory_id, ("organisation",))
    if not permissions.can_edit(request.user, version.organisation):
        raise PermissionDenied(_("You may not change this organisation's data."))
    return version


@login_required
@require_POST
def publish(request: HttpRequest, inventory_id: int) -> HttpResponse:
    """Publish a draft (the organisation's editors and administrators): it becomes current."""
    version = _editable(request, inventory_id)
    try:
        services.publish_version(request.user, version, int(request.POST.get("version", 0)))
    except (StaleEditError, NotAllowedError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Published: version %(n)s is now the current inventory.") % {"n": version.number})
    return redirect("inventory:detail", version.pk)


@login_required
@require_POST
def discard(request: HttpRequest, inventory_id: int) -> HttpResponse:
    """Discard a draft."""
    version = _editable(request, inventory_id)
    org = version.organisation
    try:
        services.discard(request.user, version, int(request.POST.get("version", 0)))
    except (StaleEditError, NotAllowedError) as exc:
        messages.error(request, str(exc))
        return redirect("inventory:detail", version.pk)
    messages.success(request, _("Draft version %(n)s was discarded.") % {"n": version.number})
    current = services.current(org)
    return redirect("inventory:detail", current.pk) if current else redirect("inventory:upload", org.pk)


@login_required
def restore(request: HttpRequest, inventory_id: int) -> HttpResponse:
    """Restore an earlier version: a confirmation page, then a new current version with its records."""
    version = _editable(request, inventory_id)
    org = version.organisation
    pages.use_organisation_language(request, org)
    current = services.current(org)
    if request.method == "POST":
        try:
            copy = services.restore(request.user, version, int(request.POST.get("version", 0)))
        except (StaleEditError, NotAllowedError) as exc:
            messages.error(request, str(exc))
            return redirect("inventory:detail", version.pk)
        messages.success(request, _("Version %(old)s was restored as version %(new)s, now the current inventory.")
                         % {"old": version.number, "new": copy.number})
        return redirect("inventory:detail", copy.pk)
    comparison = None
    if current:  # only what restoring changes: the rows that differ
        comparison = [r for r in inventories.version_comparison(current, version, pages.language(request))
                      if r["old"] != r["new"]]
    return render(request, "inventory/restore.html", {"inventory": version, "org": org, "current": current,
                                                      "comparison": comparison,
                                                      "large_change": round(inventories.LARGE_CHANGE * 100)})


# ----------------------------------------------------------------------------- downloads
def original_file(request: HttpRequest, inventory_id: int) -> HttpResponse:
    """The file a version was uploaded as, byte for byte, under its name (the organisation's
    members only: it may hold more than the published records)."""
    version = pages.get_visible(request, InventoryVersion, inventory_id, ("organisation",))
    return original_response(request.user, version)


def original_response(user: Any, version: InventoryVersion) -> HttpResponse:
    """The uploaded file of ``version`` for ``user`` (404 for a non-member or without a file);
    the page and the API answer with it."""
    if not permissions.can_view_history(user, version):
        raise Http404
    data = InventoryVersion.objects.filter(pk=version.pk).values_list("original", flat=True).first()
    if not data:
        raise Http404(_("This version was not stored from an uploaded file."))
    name = version.filename or f"inventory-{version.number}.csv"
    kind = {".xlsx": charts.XLSX, ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12"}.get(
        name[name.rfind("."):].lower(), "text/csv")
    return charts.download(bytes(data), name, kind)


def records_download(request: HttpRequest, inventory_id: int, kind: str) -> HttpResponse:
    """A version's records normalised to the inventory template (CSV in the page's
    conventions, or Excel), the columns named in the page's language; uploadable again."""
    version = pages.get_visible(request, InventoryVersion, inventory_id, ("organisation",))
    pages.use_organisation_language(request, version.organisation)
    return records_response(version, pages.language(request), kind)


def records_response(version: InventoryVersion, lang: str, kind: str) -> HttpResponse:
    """``version``'s records normalised to the template as ``kind`` (csv or xlsx) in ``lang``."""
    rows = inventories.version_rows(version, lang, text_numbers=kind == "csv")
    name = f"{version.organisation.code}-{version.organisation.name}-inventory-v{version.number}"
    return charts.table_download(rows, name, kind, lang, sheet=_("Inventory"))


def template(request: HttpRequest, org_id: int, kind: str) -> HttpResponse:
    """The inventory template for an organisation (CSV or Excel), its columns named in the
    page's language (Danish: kommunekode, år, sektor, gas, udledning, enhed, kilde)."""
    org = pages.get_visible(request, Organisation, org_id)
    pages.use_organisation_language(request, org)
    lang = pages.language(request)
    rows = inventories.template_rows(lang, org.code)
    return charts.table_download(rows, _("inventory-template") + f"-{org.code}", kind, lang, sheet=_("Inventory"))
