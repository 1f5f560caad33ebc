from django.utils.translation import gettext_lazy as _

from omni_plugin import wiring

from . import conf  # noqa: F401  (registers the app's settings)


class PersonalizationConfig(wiring.OmniAppConfig):
    name = "omni_plugin.personalization"
    label = "omni_personalization"
    verbose_name = _("Personalisation")

    def wire(self):
        from omni_plugin.core.snapshot import register_fold

        from . import receivers  # noqa: F401
        from .evidence import fold_event

        register_fold(fold_event)
