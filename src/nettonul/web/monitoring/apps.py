from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "nettonul.web.monitoring"
    label = "monitoring"
    verbose_name = _("Plan check, monitoring and reports")

    def ready(self) -> None:
        # The change history page of these models (nettonul.web.audit.registry).
        from nettonul.web.audit import registry
        from nettonul.web.monitoring.models import Indicator, MonitoringSettings, PlanSections

        registry.register("capf-sections", PlanSections, ("plan", "plan__organisation"))
        registry.register("indicator", Indicator, ("plan", "plan__organisation"))
        registry.register("monitoring-settings", MonitoringSettings, ("organisation",))
