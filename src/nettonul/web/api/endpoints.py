"""The API's routes: CRUD for organisations, plans, targets, actions and inventories, the
computed pathway, action search and change history. Every write calls a service."""


from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from nettonul.engine import EngineError, NettonulError
from nettonul.web.api import schemas as s
from nettonul.web.audit import services as audit
from nettonul.web.audit.models import ChangeRecord
from nettonul.web.engine import inventories, plans, scenarios
from nettonul.web.engine import rollup as engine_rollup
from nettonul.web.errors import InvalidInputError
from nettonul.web.inventory import services as inventory_services
from nettonul.web.inventory import views as inventory_views
from nettonul.web.inventory.models import EmissionRecord, InventoryVersion
from nettonul.web.organisations import permissions
from nettonul.web.organisations import services as org_services
from nettonul.web.organisations.models import Membership, Organisation
from nettonul.web.plans import services as plan_services
from nettonul.web.plans.models import Action, Plan, Target
from nettonul.web.uploads import upload_bytes

router = Router()
#: Upper bound of Monte Carlo draws per request, so one request cannot hold a worker for long.
#: Seeds of the random generator (numpy accepts non-negative integers).
MAX_SEED = 2**32 - 1
MAX_DRAWS = 20_000


def _user(request: HttpRequest) -> Any:
    return request.user


def _visible(request: HttpRequest, model: type[Model], pk: int, related: tuple[str, ...] = ()) -> Any:
    """The object, or 404 when it does not exist or the user may not see it (its existence
    is not revealed)."""
    obj = get_object_or_404(model._default_manager.select_related(*related), pk=pk)
    if not permissions.can_view(_user(request), obj):
        raise Http404(f"{model._meta.verbose_name} {pk} not found")
    return obj


def _changes(payload: Schema) -> tuple[int, dict[str, Any]]:
    data = payload.dict(exclude_unset=True)
    return int(data.pop("version")), data


# ----------------------------------------------------------------------------- organisations
class OrganisationFilter(Schema):
    kind: str | None = None
    q: str | None = None


@router.get("/organisations", response=list[s.OrganisationOut], tags=["organisations"])
@paginate(LimitOffsetPagination)
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilter]) -> QuerySet[Organisation]:
    qs = Organisation.objects.all()
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.q:
        qs = qs.filter(name__icontains=filters.q)
    return qs


@router.get("/organisations/{org_id}", response=s.OrganisationOut, tags=["organisations"])
def get_organisation(request: HttpRequest, org_id: int) -> Organisation:
    return _visible(request, Organisation, org_id)


@router.post("/organisations", response={201: s.OrganisationOut}, tags=["organisations"])
def create_organisation(request: HttpRequest, payload: s.OrganisationIn) -> Status[Organisation]:
    data = payload.dict()
    parent_id = data.pop("parent_id")
    if parent_id is not None:
        data["parent"] = get_object_or_404(Organisation, pk=parent_id)
    if data["language"] is None:
        data.pop("language")
    return Status(201, org_services.create_organisation(_user(request), **data))


@router.patch("/organisations/{org_id}", response=s.OrganisationOut, tags=["organisations"])
def update_organisation(request: HttpRequest, org_id: int, payload: s.OrganisationPatch) -> Organisation:
    org = _visible(request, Organisation, org_id)
    version, changes = _changes(payload)
    return org_services.update_organisation(_user(request), org, version, **changes)


@router.delete("/organisations/{org_id}", response={204: None}, tags=["organisations"])
def delete_organisation(request: HttpRequest, org_id: int, version: int) -> Status[None]:
    org = _visible(request, Organisation, org_id)
    org_services.delete_organisation(_user(request), org, version)
    return Status(204, None)


@router.get("/organisations/{org_id}/members", response=list[s.MemberOut], tags=["organisations"])
def list_members(request: HttpRequest, org_id: int) -> list[Membership]:
    """The organisation's members and their roles (visible to its members)."""
    org = _visible(request, Organisation, org_id)
    if not permissions.can_view_history(_user(request), org):
        raise Http404("not found")
    return list(org.memberships.select_related("user").order_by("user__username"))


@router.put("/organisations/{org_id}/members/{username}", response=s.MemberOut, tags=["organisations"])
def set_member(request: HttpRequest, org_id: int, username: str, payload: s.MemberIn) -> Membership:
    """Give a user a role in the organisation (its administrators only)."""
    org = _visible(request, Organisation, org_id)
    permissions.require_administer(_user(request), org)
    user = get_object_or_404(get_user_model(), username=username)
    return org_services.set_role(_user(request), org, user, payload.role)


@router.delete("/organisations/{org_id}/members/{username}", response={204: None}, tags=["organisations"])
def remove_member(request: HttpRequest, org_id: int, username: str) -> Status[None]:
    org = _visible(request, Organisation, org_id)
    permissions.require_administer(_user(request), org)
    user = get_object_or_404(get_user_model(), username=username)
    org_services.remove_member(_user(request), org, user)
    return Status(204, None)


@router.get("/organisations/{org_id}/pathway", tags=["computed"])
def organisation_pathway(request: HttpRequest, org_id: int, lang: str = "en") -> dict[str, Any]:
    """History, BAU, target path and gap for the organisation's current inventory, with the
    targets of its current published (or, for members, any current) plan, else the Danish
    national targets."""
    org = _visible(request, Organisation, org_id)
    version = _current_inventory(request, org)
    plan = (plan_services.visible_plans(_user(request)).filter(organisation=org, is_current=True)
            .prefetch_related("targets").first())
    return _pathway(version, plan, lang)


@router.get("/organisations/{org_id}/plans", response=list[s.PlanOut], tags=["plans"])
@paginate(LimitOffsetPagination)
def list_plans(request: HttpRequest, org_id: int, all_versions: bool = False) -> QuerySet[Plan]:
    org = _visible(request, Organisation, org_id)
    qs = plan_services.visible_plans(_user(request)).filter(organisation=org)
    return qs if all_versions else qs.filter(is_current=True)


@router.post("/organisations/{org_id}/plans", response={201: s.PlanOut}, tags=["plans"])
def create_plan(request: HttpRequest, org_id: int, payload: s.PlanIn) -> Status[Plan]:
    org = _visible(request, Organisation, org_id)
    return Status(201, plan_services.create_plan(_user(request), org, **payload.dict()))


# ----------------------------------------------------------------------------- plans
@router.get("/plans/{plan_id}", response=s.PlanOut, tags=["plans"])
def get_plan(request: HttpRequest, plan_id: int) -> Plan:
    return _visible(request, Plan, plan_id)


@router.patch("/plans/{plan_id}", response=s.PlanOut, tags=["plans"])
def update_plan(request: HttpRequest, plan_id: int, payload: s.PlanPatch) -> Plan:
    plan = _visible(request, Plan, plan_id, ("organisation",))
    version, changes = _changes(payload)
    return plan_services.update_plan(_user(request), plan, version, **changes)


@router.delete("/plans/{plan_id}", response={204: None}, tags=["plans"])
def delete_plan(request: HttpRequest, plan_id: int, version: int) -> Status[None]:
    plan = _visible(request, Plan, plan_id, ("organisation",))
    plan_services.delete_plan(_user(request), plan, version)
    return Status(204, None)


@router.post("/plans/{plan_id}/revisions", response={201: s.PlanOut}, tags=["plans"])
def revise_plan(request: HttpRequest, plan_id: int, payload: s.RevisionIn) -> Status[Plan]:
    """A new version of the plan (copies of its targets and actions); the old one stays readable."""
    plan = _visible(request, Plan, plan_id, ("organisation",))
    return Status(201, plan_services.revise_plan(_user(request), plan, payload.version, payload.title))


@router.post("/plans/{plan_id}/retire", response=s.PlanOut, tags=["plans"])
def retire_plan_version(request: HttpRequest, plan_id: int, payload: s.RetireIn) -> Plan:
    """Unpublish (and with ``archive`` also archive) a superseded version of a plan; for
    administrators of its organisation. The current version is edited as usual instead."""
    plan = _visible(request, Plan, plan_id, ("organisation",))
    return plan_services.retire_version(_user(request), plan, payload.version, unpublish=True,
                                        archive=payload.archive)


@router.get("/plans/{plan_id}/versions", response=list[s.PlanOut], tags=["plans"])
def plan_versions(request: HttpRequest, plan_id: int) -> list[Plan]:
    plan = _visible(request, Plan, plan_id)
    user = _user(request)
    return [p for p in plan_services.plan_versions(plan) if permissions.can_view(user, p)]


@router.get("/plans/{plan_id}/pathway", tags=["computed"])
def plan_pathway(request: HttpRequest, plan_id: int, lang: str = "en") -> dict[str, Any]:
    """The pathway with this plan's targets and base year, on the organisation's inventory."""
    plan = _visible(request, Plan, plan_id, ("organisation",))
    version = _current_inventory(request, plan.organisation)
    return _pathway(version, plan, lang)


@router.get("/plans/{plan_id}/scenario", tags=["computed"])
def plan_scenario(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    """Business as usual, the plan's scenario, each action's wedge and the gap to each target."""
    plan = _visible(request, Plan, plan_id, ("organisation",))
    return plans.scenario(plan, plan.targets.all(), plan.actions.all())


@router.get("/plans/{plan_id}/simulation", tags=["computed"])
def plan_simulation(request: HttpRequest, plan_id: int, draws: int = 1000, seed: int = 0) -> dict[str, Any]:
    """Monte Carlo over the plan's uncertainties: percentile band and the probability of
    meeting each target (draws are rounded up to blocks of 250)."""
    plan = _visible(request, Plan, plan_id, ("organisation",))
    if not 1 <= draws <= MAX_DRAWS:
        raise InvalidInputError({"draws": f"between 1 and {MAX_DRAWS}"})
    if not 0 <= seed <= MAX_SEED:
        raise InvalidInputError({"seed": f"between 0 and {MAX_SEED}"})
    return plans.simulation(plan, plan.targets.all(), plan.actions.all(), draws=draws, seed=seed)


@router.get("/plans/{plan_id}/optimum", tags=["computed"])
def plan_optimum(request: HttpRequest, plan_id: int, year: int | None = None,
                 budget: float | None = None) -> dict[str, Any]:
    """The cheapest portfolio of the plan's costed actions (HiGHS): each action's level, cost,
    cut and cost per tonne, the exact emissions next to the optimiser's estimate, and why a
    target is missed; with ``budget`` the most reduction in ``year`` for that net present cost."""
    plan = _visible(request, Plan, plan_id, ("organisation",))
    if budget is not None and not budget >= 0:
        raise InvalidInputError({"budget": "a net present cost of at least 0"})
    spec = plans.engine_plan(plan, plan.targets.all(), plan.actions.all())
    return engine_rollup.plan_optimum(spec, year, budget)


@router.get("/rollup", tags=["computed"])
def national_rollup(request: HttpRequest, region: str | None = None, draws: int = engine_rollup.DRAWS,
                    seed: int = 0) -> dict[str, Any]:
    """Do the plans add up? The 98 municipalities (each's published plan, else its stated
    targets as a path, else business as usual, labelled) summed by region and nation against
    -70 % in 2030, with bands from national parameters shared by all and local ones."""
    if not 0 <= draws <= MAX_DRAWS:
        raise InvalidInputError({"draws": f"between 0 and {MAX_DRAWS}"})
    if not 0 <= seed <= MAX_SEED:
        raise InvalidInputError({"seed": f"between 0 and {MAX_SEED}"})
    specs, targets, problems = engine_rollup.sources(plan_services.published_current())
    data = engine_rollup.national(specs, targets, draws=draws, seed=seed, region=region)
    return {**data, "problems": problems}


@router.get("/rollup/optimum", tags=["computed"])
def national_optimum(request: HttpRequest, year: int = engine_rollup.YEAR,
                     budget: float | None = None) -> dict[str, Any]:
    """Which municipalities' published actions keep Denmark (without LULUCF) at -70 % in
    ``year`` most cheaply."""
    if budget is not None and not budget >= 0:
        raise InvalidInputError({"budget": "a net present cost of at least 0"})
    specs, targets, _problems = engine_rollup.sources(plan_services.published_current())
    return engine_rollup.national_optimum(specs, targets, year, budget)


def _current_inventory(request: HttpRequest, org: Organisation) -> InventoryVersion:
    version = next(iter(inventory_services.latest_visible(_user(request), org)), None)
    if version is None:
        raise Http404(f"{org.name} has no inventory you can see")
    return version


def _pathway(version: InventoryVersion, plan: Plan | None, lang: str) -> dict[str, Any]:
    results = scenarios.organisation_results(version, plan, None)
    if results["pathway"] is None:
        raise NettonulError(results["error"] or "no pathway")
    try:
        targets = plans.targets_of(plan.targets.all()) if plan is not None else None
    except EngineError:
        targets = None
    data = inventories.localised(results, lang, targets)["pathway"]
    data["plan_id"] = plan.pk if plan else None
    data["inventory_id"] = version.pk
    # the pathway of an earlier published version when it cannot be computed on the current one
    fallback = results.get("fallback")
    data["computed_on_inventory_id"] = fallback.pk if fallback is not None else version.pk
    data["current_inventory_problem"] = results["error"] if fallback is not None else None
    return data


# ----------------------------------------------------------------------------- targets
@router.get("/plans/{plan_id}/targets", response=list[s.TargetOut], tags=["targets"])
@paginate(LimitOffsetPagination)
def list_targets(request: HttpRequest, plan_id: int) -> QuerySet[Target]:
    plan = _visible(request, Plan, plan_id)
    return plan.targets.all()


@router.post("/plans/{plan_id}/targets", response={201: s.TargetOut}, tags=["targets"])
def create_target(request: HttpRequest, plan_id: int, payload: s.TargetIn) -> Status[Target]:
    plan = _visible(request, Plan, plan_id, ("organisation",))
    return Status(201, plan_services.add_target(_user(request), plan, **payload.dict()))


@router.get("/targets/{target_id}", response=s.TargetOut, tags=["targets"])
def get_target(request: HttpRequest, target_id: int) -> Target:
    return _visible(request, Target, target_id, ("plan",))


@router.patch("/targets/{target_id}", response=s.TargetOut, tags=["targets"])
def update_target(request: HttpRequest, target_id: int, payload: s.TargetPatch) -> Target:
    target = _visible(request, Target, target_id, ("plan", "plan__organisation"))
    version, changes = _changes(payload)
    return plan_services.update_target(_user(request), target, version, **changes)


@router.delete("/targets/{target_id}", response={204: None}, tags=["targets"])
def delete_target(request: HttpRequest, target_id: int, version: int) -> Status[None]:
    target = _visible(request, Target, target_id, ("plan", "plan__organisation"))
    plan_services.delete_target(_user(request), target, version)
    return Status(204, None)


# ----------------------------------------------------------------------------- actions
@router.get("/plans/{plan_id}/actions", response=list[s.ActionOut], tags=["actions"])
@paginate(LimitOffsetPagination)
def list_actions(request: HttpRequest, plan_id: int) -> QuerySet[Action]:
    plan = _visible(request, Plan, plan_id)
    return plan.actions.all()


@router.post("/plans/{plan_id}/actions", response={201: s.ActionOut}, tags=["actions"])
def create_action(request: HttpRequest, plan_id: int, payload: s.ActionIn) -> Status[Action]:
    plan = _visible(request, Plan, plan_id, ("organisation",))
    return Status(201, plan_services.add_action(_user(request), plan, **payload.dict()))


@router.get("/actions/search", response=list[s.ActionHitOut], tags=["actions"])
@paginate(LimitOffsetPagination)
def search_actions(request: HttpRequest, q: str, include_old_versions: bool = False) -> QuerySet[Action]:
    """Actions of every plan you may read containing all words of ``q`` (any language)."""
    return plan_services.search_actions(_user(request), q, include_old_versions=include_old_versions)


@router.get("/actions/{action_id}", response=s.ActionOut, tags=["actions"])
def get_action(request: HttpRequest, action_id: int) -> Action:
    return _visible(request, Action, action_id, ("plan",))


@router.patch("/actions/{action_id}", response=s.ActionOut, tags=["actions"])
def update_action(request: HttpRequest, action_id: int, payload: s.ActionPatch) -> Action:
    action = _visible(request, Action, action_id, ("plan", "plan__organisation"))
    version, changes = _changes(payload)
    return plan_services.update_action(_user(request), action, version, **changes)


@router.delete("/actions/{action_id}", response={204: None}, tags=["actions"])
def delete_action(request: HttpRequest, action_id: int, version: int) -> Status[None]:
    action = _visible(request, Action, action_id, ("plan", "plan__organisation"))
    plan_services.delete_action(_user(request), action, version)
    return Status(204, None)


# ----------------------------------------------------------------------------- inventories
@router.get("/organisations/{org_id}/inventories", response=list[s.InventoryOut], tags=["inventories"])
@paginate(LimitOffsetPagination)
def list_inventories(request: HttpRequest, org_id: int) -> QuerySet[InventoryVersion]:
    org = _visible(request, Organisation, org_id)
    return InventoryVersion.objects.filter(permissions.visible_filter(_user(request)), organisation=org)


@router.post("/organisations/{org_id}/inventories", response={201: s.InventoryOut}, tags=["inventories"])
def upload_inventory(request: HttpRequest, org_id: int, file: File[UploadedFile],
                     replace_all: Form[bool] = False,
                     mode: Form[Literal["add", "years", "all"] | None] = None) -> Status[InventoryVersion]:
    """Upload a CSV or Excel inventory (multipart field ``file``) as a draft version.
    ``mode``: ``add`` (the file's records replace the same sector, year and gas; default),
    ``years`` (the file's years are replaced) or ``all`` (the whole inventory; also
    ``replace_all``). All or nothing: any problem of the file, or of the inventory it would
    make merged with the current one (a sector stored with its own sub-sector), rejects it
    with every problem listed (file, row, column, reason). Publish the draft with
    ``POST /inventories/{id}/publish``."""
    org = _visible(request, Organisation, org_id)
    permissions.require_edit(_user(request), org)
    data, name = upload_bytes(file, "upload.csv")
    version = inventory_services.import_file(_user(request), org, data, filename=name, replace_all=replace_all,
                                             mode=mode)
    return Status(201, version)


@router.post("/inventories/{inventory_id}/publish", response=s.InventoryOut, tags=["inventories"])
def publish_inventory(request: HttpRequest, inventory_id: int, payload: s.VersionIn) -> InventoryVersion:
    """Publish a draft: it becomes the organisation's current inventory (whom the organisation's
    ``publishing`` rule allows; under ``four_eyes`` never the account that uploaded it: 403)."""
    version = _visible(request, InventoryVersion, inventory_id, ("organisation",))
    return inventory_services.publish_version(_user(request), version, payload.version)


@router.post("/inventories/{inventory_id}/restore", response={201: s.InventoryOut}, tags=["inventories"])
def restore_inventory(request: HttpRequest, inventory_id: int, payload: s.VersionIn) -> Status[InventoryVersion]:
    """Make an earlier published version current again, as a new published version."""
    version = _visible(request, InventoryVersion, inventory_id, ("organisation",))
    return Status(201, inventory_services.restore(_user(request), version, payload.version))


@router.get("/inventories/{inventory_id}", response=s.InventoryOut, tags=["inventories"])
def get_inventory(request: HttpRequest, inventory_id: int) -> InventoryVersion:
    return _visible(request, InventoryVersion, inventory_id)


@router.get("/inventories/{inventory_id}/file", tags=["inventories"])
def inventory_file(request: HttpRequest, inventory_id: int) -> HttpResponse:
    """The file the version was uploaded as, byte for byte (the organisation's members; 404
    for a version not stored from a file)."""
    version = _visible(request, InventoryVersion, inventory_id, ("organisation",))
    return inventory_views.original_response(_user(request), version)


@router.get("/inventories/{inventory_id}/export", tags=["inventories"])
def export_inventory(request: HttpRequest, inventory_id: int, format: Literal["csv", "xlsx"] = "csv",
                     language: Literal["en", "da"] = "en") -> HttpResponse:
    """The version's records normalised to the inventory template, as CSV (``language``'s
    conventions: Danish ``;`` and decimal commas) or Excel; they upload again unchanged."""
    version = _visible(request, InventoryVersion, inventory_id, ("organisation",))
    return inventory_views.records_response(version, language, format)


@router.get("/inventories/{inventory_id}/records", response=list[s.RecordOut], tags=["inventories"])
@paginate(LimitOffsetPagination)
def list_records(request: HttpRequest, inventory_id: int) -> QuerySet[EmissionRecord]:
    version = _visible(request, InventoryVersion, inventory_id)
    return version.records.order_by("year", "sector", "gas", "id")


@router.patch("/inventories/{inventory_id}", response=s.InventoryOut, tags=["inventories"])
def update_inventory(request: HttpRequest, inventory_id: int, payload: s.InventoryPatch) -> InventoryVersion:
    version = _visible(request, InventoryVersion, inventory_id, ("organisation",))
    expected, changes = _changes(payload)
    return inventory_services.update_inventory(_user(request), version, expected, **changes)


@router.delete("/inventories/{inventory_id}", response={204: None}, tags=["inventories"])
def delete_inventory(request: HttpRequest, inventory_id: int, version: int) -> Status[None]:
    inv = _visible(request, InventoryVersion, inventory_id, ("organisation",))
    inventory_services.delete_inventory(_user(request), inv, version)
    return Status(204, None)


# ----------------------------------------------------------------------------- history
HISTORY_MODELS: dict[str, type[Model]] = {
    "organisation": Organisation, "plan": Plan, "target": Target, "action": Action, "inventory": InventoryVersion,
}


@router.get("/history/{kind}/{object_id}", response=list[s.ChangeOut], tags=["history"])
@paginate(LimitOffsetPagination)
def history(request: HttpRequest, kind: str, object_id: int) -> QuerySet[ChangeRecord]:
    """Who changed the object, when and what (members of its organisation only)."""
    model = HISTORY_MODELS.get(kind)
    if model is None:
        raise Http404(f"no history for '{kind}'; use one of {', '.join(HISTORY_MODELS)}")
    obj = _visible(request, model, object_id)
    if not permissions.can_view_history(_user(request), obj):
        raise Http404("not found")
    return audit.history(obj)
