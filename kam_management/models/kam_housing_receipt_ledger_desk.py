from odoo import models

from .kam_housing_receipt_desk import LIVE_TICKET_STATES


class KamHousingReceiptLedger(models.Model):
    """The ledger's "due" and "ticket returned" come from the room-selection tickets (AC1)."""

    _inherit = "kam.housing.receipt.ledger"

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _kam_due_by_buyer(self):
        due = super()._kam_due_by_buyer()
        for buyer, amount in self.env["kam.room.ticket"].sudo()._read_group(
            [("buyer_id", "in", self.buyer_id.ids), ("state", "in", LIVE_TICKET_STATES)], ["buyer_id"], ["amount_due:sum"]
        ):
            due[buyer.id] = amount
        return due

    def _kam_returned_buyer_ids(self):
        returned = super()._kam_returned_buyer_ids()
        buyers = self.env["kam.room.ticket"].sudo().search(
            [("buyer_id", "in", self.buyer_id.ids), ("state", "=", "vouchered")]
        ).buyer_id
        return returned | set(buyers.ids)
