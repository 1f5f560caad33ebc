from omni_plugin.wiring import import_admin_hooks

import_admin_hooks(__package__)
