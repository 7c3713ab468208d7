from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    # The label is not "documents": that is the name of the pure package nettonul.documents.
    name = "nettonul.web.imports"
    label = "imports"
    verbose_name = _("Document import")
