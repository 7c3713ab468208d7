from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "nettonul.web.inventory"
    label = "inventory"
    verbose_name = _("Inventories")

    def ready(self) -> None:
        # The change history page of these models (nettonul.web.audit.registry).
        from nettonul.web.audit import registry
        from nettonul.web.inventory.models import InventoryVersion

        registry.register("inventory", InventoryVersion, ("organisation",))
