"""Inventory pages: upload with the engine's validation report, and one inventory version."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nettonul.engine import ValidationError as EngineValidationError
from nettonul.web import pages
from nettonul.web.engine import inventories
from nettonul.web.errors import InvalidInputError, StaleEditError
from nettonul.web.inventory import services
from nettonul.web.inventory.forms import UploadForm
from nettonul.web.inventory.models import InventoryVersion
from nettonul.web.organisations import permissions
from nettonul.web.organisations.models import Organisation
from nettonul.web.uploads import upload_bytes


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
                version = services.import_file(request.user, org, data, filename=name,
                                               replace_all=form.cleaned_data["replace_all"])
            except EngineValidationError as exc:
                report = {"summary": str(exc).splitlines()[0], "problems": exc.problems}
            except InvalidInputError as exc:
                report = {"summary": _("The file was rejected; nothing was imported."),
                          "messages": list(exc.problems.values())}
            else:
                messages.success(request, _("Imported %(n)s records as inventory version %(v)s.")
                                 % {"n": version.record_count, "v": version.number})
                return redirect("inventory:detail", version.pk)
    return render(request, "inventory/upload.html", {"org": org, "form": form, "report": report,
                                                     "current": services.current(org)}, status=status)


def detail(request: HttpRequest, inventory_id: int) -> HttpResponse:
    version = pages.get_visible(request, InventoryVersion, inventory_id, ("organisation", "created_by"))
    org = version.organisation
    pages.use_organisation_language(request, org)
    table = inventories.inventory_table(services.engine_inventory(version), pages.language(request))
    versions = InventoryVersion.objects.filter(permissions.visible_filter(request.user), organisation=org)
    return render(request, "inventory/detail.html", {
        "inventory": version, "org": org, "table": table, "versions": versions,
        "can_view_history": permissions.can_view_history(request.user, version),
        "can_publish": permissions.can_administer(request.user, org),
    })


@login_required
@require_POST
def publish(request: HttpRequest, inventory_id: int) -> HttpResponse:
    """Publish or withdraw an inventory version (the organisation's administrators)."""
    version = pages.get_visible(request, InventoryVersion, inventory_id, ("organisation",))
    wanted = request.POST.get("published") == "1"
    try:
        services.update_inventory(request.user, version, int(request.POST.get("version", 0)), published=wanted)
    except StaleEditError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Published.") if wanted else _("No longer published."))
    return redirect("inventory:detail", version.pk)
