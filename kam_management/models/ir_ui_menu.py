from odoo import models

# the folders of the app a ticket clerk does not work in: the desk is its whole day (HS11)
CLERK_HIDDEN_FOLDERS = (
    "kam_management.menu_kam_accounts",
    "kam_management.menu_kam_service",
    "kam_management.menu_kam_housing",
)
# departments whose work is in those folders: a clerk who also belongs to one keeps them
OTHER_DEPARTMENTS = (
    "kam_management.group_kam_manager",
    "kam_management.group_kam_sales",
    "kam_management.group_kam_finance",
    "kam_management.group_kam_audit",
    "kam_management.group_kam_cost",
    "kam_management.group_kam_executive",
)


class IrUiMenu(models.Model):
    _inherit = "ir.ui.menu"

    def _load_menus_blacklist(self):
        """The ticket clerk is key-account staff by its rights (group_kam_ticket_clerk implies
        group_kam_user) but sees only the selection desk's folder of the app."""
        res = super()._load_menus_blacklist()
        user = self.env.user
        if user.has_group("kam_management.group_kam_ticket_clerk") and not any(
            user.has_group(group) for group in OTHER_DEPARTMENTS
        ):
            res += [
                menu.id for xmlid in CLERK_HIDDEN_FOLDERS if (menu := self.env.ref(xmlid, raise_if_not_found=False))
            ]
        return res
