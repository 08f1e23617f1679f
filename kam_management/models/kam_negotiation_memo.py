from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .kam_housing_contract import PRICED_STATES


class KamNegotiationMemo(models.Model):
    """Memo of a negotiation meeting (谈判备忘录, HS5).

    Written by the key-account department after each meeting and
    acknowledged by every member of the contract's negotiation team. A memo
    may record a price committed to the employer only once the contract's
    average price is approved (section 七: no price promised before that).
    """

    _name = "kam.negotiation.memo"
    _description = "Negotiation Memo"
    _rec_name = "subject"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    contract_id = fields.Many2one(
        "kam.housing.contract", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    subject = fields.Char(required=True, tracking=True)
    body = fields.Html(string="Minutes")
    committed_price = fields.Monetary(
        string="Price Committed (per m²)", tracking=True,
        help="Average price promised to the employer; only after the pricing approval.",
    )
    ack_ids = fields.One2many("kam.negotiation.memo.ack", "memo_id", string="Acknowledgements")
    ack_state = fields.Selection(
        [("pending", "Awaiting Acknowledgement"), ("done", "Acknowledged by All")],
        compute="_compute_ack_state", store=True, string="Acknowledgement",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("ack_ids.date")
    def _compute_ack_state(self):
        for memo in self:
            memo.ack_state = "done" if memo.ack_ids and all(memo.ack_ids.mapped("date")) else "pending"

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("committed_price", "contract_id")
    def _check_price_commitment(self):
        for memo in self:
            if memo.committed_price and memo.contract_id.state not in PRICED_STATES:
                raise ValidationError(
                    self.env._(
                        "No price may be committed to the employer before the average price of "
                        "contract %(contract)s is approved.",
                        contract=memo.contract_id.display_name,
                    )
                )
            approved = memo.contract_id.approved_pricing_id
            if (
                memo.committed_price
                and approved
                and memo.currency_id.compare_amounts(memo.committed_price, approved.average_price) != 0
            ):
                raise ValidationError(
                    self.env._(
                        "The committed price must be the approved average price %(price)s.",
                        price=approved.average_price,
                    )
                )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        memos = super().create(vals_list)
        for memo in memos:
            team = memo.contract_id.team_leader_id | memo.contract_id.team_member_ids
            if not team:
                raise UserError(self.env._("Set up the negotiation team before writing a memo."))
            # the team's acknowledgements are the memo's own list (issue 18): nobody writes them by hand
            memo.sudo().ack_ids = [Command.create({"user_id": user.id}) for user in team]
        return memos

    def write(self, vals):
        content = {"subject", "body", "date", "committed_price", "contract_id"}
        if content & set(vals) and any(memo.ack_ids.filtered("date") for memo in self):
            raise UserError(self.env._("A memo acknowledged by a team member cannot be changed; write a new one."))
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_acknowledge(self):
        # team members come from several departments (finance, executives, legal):
        # being on the memo's list is what allows them to sign it
        for memo in self.sudo():
            ack = memo.ack_ids.filtered(lambda a: a.user_id == self.env.user)
            if not ack:
                raise UserError(self.env._("Only members of the negotiation team acknowledge its memos."))
            if ack.date:
                raise UserError(self.env._("You have already acknowledged this memo."))
            ack.date = fields.Datetime.now()
            memo.message_post(
                body=self.env._("Acknowledged by %(user)s.", user=self.env.user.name),
                author_id=self.env.user.partner_id.id,
            )
        return True
