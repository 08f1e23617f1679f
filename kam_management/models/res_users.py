from odoo import models

# UX7: the screen each department lands on when it opens the Key Accounts app, first match
# wins (a ticket clerk is also key-account staff; a finance director also finance staff).
DEPARTMENT_HOMES = (
    ("kam_management.group_kam_ticket_clerk", "kam_management.action_kam_selection_desk"),
    ("kam_management.group_kam_finance_manager", "kam_management.action_kam_joint_reconciliation"),
    ("kam_management.group_kam_finance", "kam_management.action_kam_housing_receipt"),
    ("kam_management.group_kam_executive", "kam_management.action_kam_home_approvals"),
    ("kam_management.group_kam_audit", "kam_management.action_kam_home_audit"),
    ("kam_management.group_kam_cost", "kam_management.action_kam_housing_pricing"),
    ("kam_management.group_kam_sales", "kam_management.action_kam_sales_control_grid"),
    ("kam_management.group_kam_user", "kam_management.action_kam_home_accounts"),
)


class ResUsers(models.Model):
    _inherit = "res.users"

    def _kam_home_xmlid(self):
        """The app's entry for this user: the home action set on the user when it is one of
        this app's screens (e.g. the lawyer's sign-offs for legal), else its department's."""
        self.ensure_one()
        home = self.sudo().action_id
        # the xml id is recorded under the action's own model (ir.actions.act_window, ...)
        own = self.env[home.type].sudo().browse(home.id).get_external_id().get(home.id, "") if home else ""
        if own.startswith("kam_management."):
            return own
        return next(
            (home for group, home in DEPARTMENT_HOMES if self.has_group(group)),
            "kam_management.action_kam_home_accounts",
        )

    def _kam_home_action(self):
        """The action the Key Accounts app menu opens (views/kam_menus.xml)."""
        return self.env["ir.actions.actions"]._for_xml_id(self._kam_home_xmlid())
