from odoo import api, fields, models
from odoo.exceptions import AccessError

from .res_partner import KAM_READ_GROUPS

# Who serves a strategic account besides its managers (KA7): set by a key-account director only.
KAM_SERVICE_ROLE_FIELDS = {"kam_executive_user_id", "kam_technical_user_id", "kam_quality_user_id"}
# Kept by the cadence job and the visits, never typed in.
KAM_SERVICE_SYSTEM_FIELDS = {"kam_no_contact"}


class ResPartner(models.Model):
    """The key-account service side of the partner (KA7–KA8), in its own file so the profile stays readable."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    kam_executive_user_id = fields.Many2one(
        "res.users", string="Executive in Charge", copy=False, groups=KAM_READ_GROUPS,
        help="The executive who meets the customer's leadership (高层拜访).",
    )
    kam_technical_user_id = fields.Many2one(
        "res.users", string="Technical Contact", copy=False, groups=KAM_READ_GROUPS,
        help="Our engineer in charge of the account's products and technical exchanges (一对一专人).",
    )
    kam_quality_user_id = fields.Many2one(
        "res.users", string="Quality Contact", copy=False, groups=KAM_READ_GROUPS,
        help="Our quality engineer for the account's quality exchanges.",
    )
    kam_customer_technical_id = fields.Many2one(
        "res.partner", string="Customer's Technical Head", copy=False, groups=KAM_READ_GROUPS,
        domain="[('parent_id', '=', id)]",
    )
    kam_customer_quality_id = fields.Many2one(
        "res.partner", string="Customer's Quality Head", copy=False, groups=KAM_READ_GROUPS,
        domain="[('parent_id', '=', id)]",
    )
    kam_visit_ids = fields.One2many("kam.visit", "partner_id", string="Visits", groups=KAM_READ_GROUPS)
    kam_complaint_ids = fields.One2many("kam.complaint", "partner_id", string="Complaints", groups=KAM_READ_GROUPS)
    kam_cadence_status_ids = fields.One2many(
        "kam.cadence.status", "partner_id", string="Service Cadence", groups=KAM_READ_GROUPS
    )
    kam_last_contact_date = fields.Date(
        string="Last Contact", compute="_compute_kam_last_contact_date", store=True, groups=KAM_READ_GROUPS
    )
    kam_no_contact = fields.Boolean(
        string="No Recent Contact", copy=False, readonly=True, groups=KAM_READ_GROUPS,
        help="Set by the daily cadence job when nobody contacted the account for the company's number of days.",
    )
    kam_next_contact_date = fields.Date(
        string="Next Contact Due", compute="_compute_kam_next_contact_date", groups=KAM_READ_GROUPS
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("kam_visit_ids.date")
    def _compute_kam_last_contact_date(self):
        groups = self.env["kam.visit"].sudo()._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["date:max"]
        )
        last = {partner.id: date for partner, date in groups}
        for partner in self:
            partner.kam_last_contact_date = last.get(partner.id, False)

    def _compute_kam_next_contact_date(self):
        groups = self.env["kam.cadence.status"].sudo()._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["next_due_date:min"]
        )
        due = {partner.id: date for partner, date in groups}
        for partner in self:
            partner.kam_next_contact_date = due.get(partner.id, False)

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    def write(self, vals):
        self._check_kam_service_fields(vals)
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_kam_service_fields({name: value for name, value in vals.items() if value})
        return super().create(vals_list)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_kam_service_fields(self, vals):
        if self.env.su:
            return
        if KAM_SERVICE_SYSTEM_FIELDS & set(vals):
            raise AccessError(self.env._("The no-contact flag is set by the cadence job only."))
        if KAM_SERVICE_ROLE_FIELDS & set(vals) and not self.env.user.has_group("kam_management.group_kam_manager"):
            raise AccessError(
                self.env._("Only a key-account director may name an account's executive, technical or quality contact.")
            )

    def _kam_refresh_cadence_now(self):
        """Refresh the cadence of these accounts now (a contact was logged, moved or removed)."""
        partners = self.sudo().commercial_partner_id.filtered("kam_tier_id")
        if partners:
            self.env["kam.cadence.status"].sudo()._kam_refresh_cadence(partners)
