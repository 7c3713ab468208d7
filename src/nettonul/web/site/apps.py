from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "nettonul.web.site"
    label = "site"
    verbose_name = _("Overview and dashboards")
