from odoo import api, fields, models
from odoo.exceptions import UserError

from .kam_display_name import join_name


class KamNegotiationMemoAck(models.Model):
    """A team member's acknowledgement of a negotiation memo (HS5): listed by the memo for its team, dated by the
    system when that member presses Acknowledge (``action_acknowledge``), by nobody else (issue 18)."""

    _name = "kam.negotiation.memo.ack"
    _description = "Negotiation Memo Acknowledgement"
    _order = "memo_id, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    memo_id = fields.Many2one("kam.negotiation.memo", string="Negotiation Memo", required=True, ondelete="cascade", index=True)
    # SEC7: confined to the memo's company by the record rule on this column
    company_id = fields.Many2one(related="memo_id.company_id", store=True, index=True)
    user_id = fields.Many2one("res.users", string="Team Member", required=True)
    date = fields.Datetime(string="Acknowledged On", readonly=True)

    _memo_user_uniq = models.Constraint("unique(memo_id, user_id)", "A member acknowledges a memo once.")

    @api.depends("memo_id.subject", "user_id.name")
    def _compute_display_name(self):
        for record in self:
            record.display_name = join_name(record.memo_id.subject, record.user_id.name)

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self.check_access("create")
            raise UserError(
                self.env._("A memo lists its negotiation team's acknowledgements itself; each member acknowledges "
                           "with their own Acknowledge button.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self.check_access("write")
            raise UserError(
                self.env._("An acknowledgement is recorded only by the team member's own Acknowledge button, dated "
                           "by the system.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_acknowledged(self):
        if not self.env.su and any(ack.date for ack in self):
            raise UserError(self.env._("A memo's acknowledgement is evidence: it cannot be deleted."))
