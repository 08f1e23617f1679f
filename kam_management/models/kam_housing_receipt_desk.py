from odoo import models
from odoo.exceptions import UserError

LIVE_TICKET_STATES = ("issued", "reviewed", "vouchered")


class KamHousingReceipt(models.Model):
    """The selection desk's side of the employer receipts (AC1, HS12): a registered receipt may complete
    what a buyer owes, and then the voucher is issued; a receipt a voucher stands on is not voided."""

    _inherit = "kam.housing.receipt"

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _kam_payer_tickets_domain(self):
        """The tickets these receipts pay: their buyers' or their relationship requests' (HS16)."""
        return [
            "|", ("buyer_id", "in", self.buyer_id.ids),
            "&", ("basis", "=", "relation"), ("relation_request_id", "in", self.relation_request_id.ids),
        ]

    def _kam_on_registered(self):
        super()._kam_on_registered()
        tickets = self.env["kam.room.ticket"].sudo().search([*self._kam_payer_tickets_domain(), ("state", "=", "reviewed")])
        tickets._kam_try_auto_voucher()

    def _kam_check_voidable(self):
        super()._kam_check_voidable()
        vouchered = self.env["kam.room.ticket"].sudo().search(
            [*self._kam_payer_tickets_domain(), ("state", "=", "vouchered")], limit=1
        )
        if vouchered:
            raise UserError(
                self.env._(
                    "The voucher of %(buyer)s stands on these receipts: reverse the voucher before voiding a receipt.",
                    buyer=vouchered.buyer_name,
                )
            )
