from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .kam_approval_mixin import KAM_APPROVAL_STATE


class KamComplaintConcession(models.Model):
    """A price concession offered to settle a complaint: it needs approval, with its reason (KA8)."""

    _name = "kam.complaint.concession"
    _description = "Complaint Price Concession"
    _inherit = ["kam.approval.mixin"]
    _order = "id desc"
    _check_company_auto = True

    _state_from = ["draft"]
    _state_to = ["approved"]
    _cancel_state = "cancel"
    _kam_transitions = {
        "action_approve": (("draft",), "approved", ()),
        "action_cancel": (("draft",), "cancel", ("kam_management.group_kam_user",)),
        "cancel_approved": (("approved",), "cancel", ("kam_management.group_kam_manager",)),
    }

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    complaint_id = fields.Many2one(
        "kam.complaint", required=True, ondelete="restrict", index=True, check_company=True
    )
    name = fields.Char(related="complaint_id.name")
    partner_id = fields.Many2one(related="complaint_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(required=True, tracking=True)
    reason = fields.Text(required=True)
    state = fields.Selection(KAM_APPROVAL_STATE, default="draft", required=True, tracking=True, copy=False)

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("amount")
    def _check_amount(self):
        for concession in self:
            if concession.currency_id.compare_amounts(concession.amount, 0.0) <= 0:
                raise ValidationError(self.env._("A price concession must be a positive amount."))

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        concessions = super().create(vals_list)
        for concession in concessions:
            if concession.complaint_id.state not in ("handling", "follow_up"):
                raise UserError(
                    self.env._("A price concession is offered while the complaint is handled or followed up.")
                )
        return concessions

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_approve(self):
        self._kam_move("action_approve")
        return True

    def action_cancel(self):
        return self._kam_move_any("action_cancel", "cancel_approved")
