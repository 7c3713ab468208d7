"""Request and response shapes of the REST API (they make the OpenAPI document)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from nettonul.web.engine.vocabulary import DEFAULT_CURVE, SDG, FiniteFloat, Notes, Year
from nettonul.web.engine.vocabulary import Curve as Curve
from nettonul.web.engine.vocabulary import RecordedTargetKind as TargetKind

OrgKind = Literal["municipality", "region", "ministry", "agency", "org_unit", "city", "company", "network"]
PlanKind = Literal["climate_action_plan", "strategy"]
PlanStatus = Literal["draft", "adopted", "archived"]
ActionStatus = Literal["planned", "in_progress", "done", "cancelled"]


class ErrorOut(Schema):
    error: str
    problems: list[dict[str, Any]] = []
    current_version: int | None = None


class OrganisationOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    country: str
    parent_id: int | None
    population: int | None
    population_year: int | None
    language: str
    framework: str
    #: who may publish an inventory draft: editors, four_eyes (not the uploader) or admins
    publishing: str
    version: int


class OrganisationIn(Schema):
    code: str = Field(max_length=32)
    name: str = Field(max_length=200)
    kind: OrgKind = "municipality"
    country: str = Field("DK", min_length=2, max_length=2)
    parent_id: int | None = None
    population: int | None = Field(None, ge=0)
    population_year: int | None = None
    language: Literal["da", "en"] | None = None
    framework: str = "dk-municipal"


class OrganisationPatch(Schema):
    version: int = Field(description="The version you read; a stale version is refused with 409.")
    name: str | None = Field(None, max_length=200)
    kind: OrgKind | None = None
    population: int | None = Field(None, ge=0)
    population_year: int | None = None
    language: Literal["da", "en"] | None = None
    publishing: Literal["editors", "four_eyes", "admins"] | None = Field(
        None, description="Who may publish an inventory draft: any editor, four eyes (an editor or administrator "
                          "other than the uploader) or administrators only.")


class PlanOut(Schema):
    id: int
    organisation_id: int
    title: str
    kind: str
    lineage: str
    revision: int
    is_current: bool
    status: str
    published: bool
    base_year: int
    framework: str
    gwp_set: str
    description: str
    source: str
    illustrative: bool
    version: int

    @staticmethod
    def resolve_lineage(obj: Any) -> str:
        return str(obj.lineage)


class PlanIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    kind: PlanKind = "climate_action_plan"
    status: PlanStatus = "draft"
    published: bool = False
    base_year: Year = 1990
    framework: str = "dk-municipal"
    gwp_set: str = "AR5"
    description: str = ""
    source: str = ""
    illustrative: bool = False


class PlanPatch(Schema):
    version: int
    title: str | None = Field(None, min_length=1, max_length=300)
    kind: PlanKind | None = None
    status: PlanStatus | None = None
    published: bool | None = None
    base_year: Year | None = None
    description: str | None = None
    source: str | None = None
    illustrative: bool | None = None


class RevisionIn(Schema):
    version: int
    title: str | None = None


class RetireIn(Schema):
    version: int = Field(description="The version you read; a stale version is refused with 409.")
    archive: bool = Field(False, description="Also set the version's status to archived.")


class TargetOut(Schema):
    id: int
    plan_id: int
    kind: str
    year: int
    value: float | None
    against: int | None
    sector: str
    description: str
    version: int


class TargetIn(Schema):
    kind: TargetKind = "reduction"
    year: Year
    value: FiniteFloat | None = None
    against: Year | None = None
    sector: str = ""
    description: str = ""


class TargetPatch(Schema):
    version: int
    kind: TargetKind | None = None
    year: Year | None = None
    value: FiniteFloat | None = None
    against: Year | None = None
    sector: str | None = None
    description: str | None = None


class ActionOut(Schema):
    id: int
    plan_id: int
    key: str
    title: str
    description: str
    sector: str
    owner: str
    status: str
    start_year: int | None
    full_year: int | None
    curve: str
    effect: dict[str, Any]
    cost: dict[str, Any]
    uncertainty: dict[str, Any]
    sdgs: list[int]
    power: str
    funding_status: str
    kpis: list[str]
    co_benefits: list[str]
    sources: dict[str, str]
    assumptions: dict[str, str]
    unconfirmed: list[str] = Field([], description="Field paths a draft plan assumed, awaiting confirmation.")
    version: int


class ActionIn(Schema):
    key: str = Field("", max_length=80, pattern=r"^[-a-zA-Z0-9_]*$")
    title: str = Field(min_length=1, max_length=300)
    description: str = ""
    sector: str = ""
    owner: str = ""
    status: ActionStatus = "planned"
    start_year: Year | None = None
    full_year: Year | None = None
    curve: Curve = DEFAULT_CURVE
    effect: dict[str, Any] = {}
    cost: dict[str, Any] = {}
    uncertainty: dict[str, Any] = {}
    sdgs: list[SDG] = []
    power: str = Field("", max_length=12, description="own, regulate, facilitate or partner")
    funding_status: str = Field("", max_length=16, description="funded, partly_funded, applied_for or unfunded")
    kpis: list[Annotated[str, Field(min_length=1, max_length=300)]] = []
    co_benefits: list[Annotated[str, Field(min_length=1, max_length=300)]] = []
    sources: Notes = {}
    assumptions: Notes = {}


class ActionPatch(Schema):
    version: int
    key: str | None = Field(None, max_length=80, pattern=r"^[-a-zA-Z0-9_]*$")
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = None
    sector: str | None = None
    owner: str | None = None
    status: ActionStatus | None = None
    start_year: Year | None = None
    full_year: Year | None = None
    curve: Curve | None = None
    effect: dict[str, Any] | None = None
    cost: dict[str, Any] | None = None
    uncertainty: dict[str, Any] | None = None
    sdgs: list[SDG] | None = None
    power: str | None = Field(None, max_length=12)
    funding_status: str | None = Field(None, max_length=16)
    kpis: list[Annotated[str, Field(min_length=1, max_length=300)]] | None = None
    co_benefits: list[Annotated[str, Field(min_length=1, max_length=300)]] | None = None
    sources: Notes | None = None
    assumptions: Notes | None = None
    unconfirmed: list[Annotated[str, Field(min_length=1, max_length=200)]] | None = None


class ActionHitOut(ActionOut):
    plan_title: str
    organisation_code: str
    organisation_name: str

    @staticmethod
    def resolve_plan_title(obj: Any) -> str:
        return str(obj.plan.title)

    @staticmethod
    def resolve_organisation_code(obj: Any) -> str:
        return str(obj.plan.organisation.code)

    @staticmethod
    def resolve_organisation_name(obj: Any) -> str:
        return str(obj.plan.organisation.name)


class InventoryOut(Schema):
    id: int
    organisation_id: int
    number: int
    is_current: bool
    framework: str
    gwp_set: str
    title: str
    source: str
    vintage: str
    filename: str
    published: bool
    first_year: int | None
    last_year: int | None
    record_count: int
    created_at: dt.datetime
    mode: str
    read_as: dict[str, Any]
    restored_from_id: int | None
    published_at: dt.datetime | None
    version: int


class VersionIn(Schema):
    version: int


class InventoryPatch(Schema):
    version: int
    title: str | None = None
    notes: str | None = None
    vintage: str | None = None
    published: bool | None = None


class RecordOut(Schema):
    organisation_code: str
    year: int
    sector: str
    gas: str
    amount: float | None
    unit: str
    activity: str
    emission_factor: float | None
    ef_unit: str
    co2e_t: float | None
    source: str
    quality: str
    notation: str
    estimated: bool
    note: str


class ChangeOut(Schema):
    at: dt.datetime
    actor_name: str
    action: str
    object_repr: str
    object_version: int | None
    changes: dict[str, Any]


class MemberOut(Schema):
    username: str
    role: str
    version: int

    @staticmethod
    def resolve_username(obj: Any) -> str:
        return str(obj.user.get_username())


class MemberIn(Schema):
    role: Literal["viewer", "editor", "admin"]
