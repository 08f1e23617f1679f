from odoo import api, fields, models

from .kam_display_name import join_name


class KamNegotiationMemoAck(models.Model):
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
