"""Demo data of this app: the illustrative DK2020/CAPF example plan of ``examples/check/``
(Middelfart, published, with its illustrative monitoring data) so that the checklist, the
monitoring overview, the report button and the public dashboard have something to show.

Everything in those files that is not Middelfart's shipped inventory is assumed and marked
so; the plan is stored as illustrative and every page says it.
"""

from __future__ import annotations

from typing import Any

from nettonul import examples_dir
from nettonul.errors import NettonulError
from nettonul.web.organisations.models import Organisation
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans.models import Plan

EXAMPLES = examples_dir() / "check"
PLAN_FILE = "middelfart_plan.yaml"
MONITORING_FILE = "monitoring_2025.yaml"


def load_check_examples(orgs: dict[str, Organisation], result: Any) -> None:
    """Load the example once (idempotent); problems become notes on ``result``."""
    from nettonul.web.monitoring import services

    path = EXAMPLES / PLAN_FILE
    org = orgs.get("410")
    if org is None or not path.is_file():
        return
    if Plan.objects.filter(organisation=org, source__endswith=PLAN_FILE).exists():
        return
    try:
        plan = services.import_capf_plan_file(SYSTEM, path, org, publish=True)
        services.import_monitoring_file(SYSTEM, plan, EXAMPLES / MONITORING_FILE)
    except NettonulError as exc:
        result.notes.append(f"{PLAN_FILE}: not loaded: {str(exc).splitlines()[0]}")
        return
    result.plans_created += 1
