from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "nettonul.web.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        # The change history page of these models (nettonul.web.audit.registry).
        from nettonul.web.audit import registry
        from nettonul.web.organisations.models import Organisation

        registry.register("organisation", Organisation)
