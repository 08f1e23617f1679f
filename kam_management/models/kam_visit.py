from odoo import api, fields, models


class KamVisit(models.Model):
    """A contact with a key account: a visit, a meeting, a call (KA7, "拜访机制").

    Logging one refreshes the account's cadence at once: the reminder it
    satisfies is marked done and the next due date moves.
    """

    _name = "kam.visit"
    _description = "Key-Account Visit"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(string="Subject", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True,
        domain=[("is_company", "=", True), ("kam_tier_id", "!=", False)],
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True, tracking=True)
    kind_id = fields.Many2one("kam.contact.kind", string="Kind", required=True, tracking=True)
    user_id = fields.Many2one(
        "res.users", string="Led By", required=True, default=lambda self: self.env.user, tracking=True
    )
    our_participant_ids = fields.Many2many(
        "res.users", "kam_visit_user_rel", "visit_id", "user_id", string="Our Participants"
    )
    customer_participant_ids = fields.Many2many(
        "res.partner", "kam_visit_contact_rel", "visit_id", "partner_id", string="Customer Participants",
        domain="[('parent_id', '=', partner_id)]",
    )
    topics = fields.Text()
    personnel_changes = fields.Text(string="Personnel Changes", help="人事变动: changes of people at the customer.")
    problems = fields.Text(help="Problems met in the cooperation (quality, delivery, service).")
    demand = fields.Text(string="Product Demand")
    competitor_activity = fields.Text(string="Competitor Activity")
    attachment_ids = fields.Many2many("ir.attachment", string="Attachments")
    tier_id = fields.Many2one(related="partner_id.kam_tier_id", string="Tier")

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        visits = super().create(vals_list)
        visits._kam_refresh_accounts()
        return visits

    def write(self, vals):
        partners = self.partner_id
        result = super().write(vals)
        if "partner_id" in vals and not self.env.su:
            self.check_access("write")  # moved to another account: the user must still be allowed on it
        if {"partner_id", "date", "kind_id"} & set(vals):
            (partners | self.partner_id)._kam_refresh_cadence_now()
        return result

    def unlink(self):
        partners = self.partner_id
        result = super().unlink()
        partners._kam_refresh_cadence_now()
        return result

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _kam_refresh_accounts(self):
        self.partner_id._kam_refresh_cadence_now()
