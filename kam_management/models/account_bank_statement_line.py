from odoo import fields, models
from odoo.exceptions import UserError


class AccountBankStatementLine(models.Model):
    _inherit = "account.bank.statement.line"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # AC4: set when a signed reconciliation froze the line
    kam_reconciliation_id = fields.Many2one(
        "kam.joint.reconciliation", string="Signed Reconciliation", readonly=True, copy=False, index="btree_not_null"
    )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    def write(self, vals):
        if "kam_reconciliation_id" in vals and not self.env.su:
            raise UserError(self.env._("Only the sign-off of a reconciliation freezes a bank line."))
        # the sign-off (sudo) links lines not frozen yet; a frozen line changes no more, whoever asks (Odoo's own
        # synchronisation writes nothing when nothing changes)
        if vals:
            self._kam_check_not_frozen()
        return super().write(vals)

    def unlink(self):
        self._kam_check_not_frozen()
        return super().unlink()

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_undo_reconciliation(self):
        self._kam_check_not_frozen()
        return super().action_undo_reconciliation()

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _kam_check_not_frozen(self):
        frozen = self.filtered("kam_reconciliation_id")
        if frozen:
            raise UserError(
                self.env._(
                    "The bank line %(line)s belongs to the signed reconciliation %(reconciliation)s: it cannot be "
                    "changed, unmatched or deleted.",
                    line=frozen[0].display_name,
                    reconciliation=frozen[0].kam_reconciliation_id.display_name,
                )
            )

    def _kam_book_to_liability(self, liability, partner):
        """AC2: Dr bank / Cr entrusted-loan liability with the employer as partner: the suspense items of
        ``self`` move, in one write (server code only: the sign-off books its lines after freezing them)."""
        suspense = self.env["account.move.line"].browse(
            [item.id for line in self for item in line._seek_for_lines()[1]]
        )
        suspense.with_context(skip_readonly_check=True)._kam_write_booking(
            {"account_id": liability.id, "partner_id": partner.id}
        )
        return bool(suspense)
