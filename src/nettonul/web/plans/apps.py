from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "nettonul.web.plans"
    label = "plans"
    verbose_name = _("Plans")

    def ready(self) -> None:
        # The change history page of these models (nettonul.web.audit.registry).
        from nettonul.web.audit import registry
        from nettonul.web.plans.models import Action, Plan, Target

        registry.register("plan", Plan, ("organisation",))
        registry.register("target", Target, ("plan", "plan__organisation"))
        registry.register("action", Action, ("plan", "plan__organisation"))
