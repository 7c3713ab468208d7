from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgUnitsConfig(AppConfig):
    name = "nettonul.web.orgunits"
    label = "orgunits"
    verbose_name = _("Organisation units and footprints")
