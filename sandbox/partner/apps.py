import oscar.apps.partner.apps as apps


class PartnerConfig(apps.PartnerConfig):
    """Oscar's partner app, forked so that the shop's strategy knows about its stores."""

    name = "sandbox.partner"
