from odoo import api, fields, models
from odoo.exceptions import UserError

# the cursor cache's key of the joint journals whose lock the running creation of bank lines holds
LOCKS_HELD = "kam_joint_locks_held"


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

    @api.model_create_multi
    def create(self, vals_list):
        # AC4: no new bank line in a signed period of a joint account, whoever creates it (the import too): named
        # before its entry is made
        statements = self.env["account.bank.statement"].sudo().browse(
            {vals["statement_id"] for vals in vals_list if vals.get("statement_id")}
        )
        journal_of = {statement.id: statement.journal_id for statement in statements}
        Journal = self.env["account.journal"].sudo()
        dated = [
            (
                Journal.browse(vals.get("journal_id") or self.env.context.get("default_journal_id"))
                or journal_of.get(vals.get("statement_id"), Journal),
                vals.get("date"),
                self.env._("The bank line %(memo)s", memo=vals.get("payment_ref") or ""),
            )
            for vals in vals_list
        ]
        self.env["account.journal"]._kam_check_open(dated)
        # Odoo writes each new entry once more while creating the lines: their checks need not take the lock this
        # transaction now holds (one UPDATE of the journal a line); the mark lasts for this call only
        held = self.env.cr.cache.get(LOCKS_HELD, frozenset())
        self.env.cr.cache[LOCKS_HELD] = held | {journal.id for journal, _date, _name in dated if journal.kam_is_joint}
        try:
            lines = super().create(vals_list)
        finally:
            self.env.cr.cache[LOCKS_HELD] = held
        lines._kam_check_period_open(lock=False)
        return lines

    def write(self, vals):
        if "kam_reconciliation_id" in vals and not self.env.su:
            raise UserError(self.env._("Only the sign-off of a reconciliation freezes a bank line."))
        # the sign-off (sudo) links lines not frozen yet; a frozen line changes no more, whoever asks (Odoo's own
        # synchronisation writes nothing when nothing changes)
        if vals and not (self.env.su and set(vals) == {"kam_reconciliation_id"}):
            self._kam_check_not_frozen()
            self._kam_check_period_open()
            result = super().write(vals)
            if "date" in vals:
                self._kam_check_period_open(lock=False)
            return result
        return super().write(vals)

    def unlink(self):
        self._kam_check_not_frozen()
        self._kam_check_period_open()
        return super().unlink()

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_undo_reconciliation(self):
        self._kam_check_not_frozen()
        self._kam_check_period_open()
        return super().action_undo_reconciliation()

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _kam_check_period_open(self, lock=True):
        """AC4: the lines of ``self`` are not in a signed period of their joint journal (under its lock)."""
        lines = self.sudo()
        self.env["account.journal"]._kam_check_open(
            [(line.journal_id, line.date, line.display_name) for line in lines],
            lock=lock and not self._kam_lock_held(lines.journal_id),
        )

    @api.model
    def _kam_lock_held(self, journals):
        """Whether the creation of bank lines running in this transaction took the lock of every joint journal of
        ``journals`` (the cursor's mark, which nothing a client sends can set)."""
        held = self.env.cr.cache.get(LOCKS_HELD)
        joint = held and set(journals.sudo().filtered("kam_is_joint").ids)
        return bool(joint) and joint <= held

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
        ``self`` move, in one write (server code only: the sign-off books its lines after freezing them; a
        booking by hand of a line not frozen takes the joint account's lock and keeps out of signed periods)."""
        unfrozen = self.filtered(lambda line: not line.kam_reconciliation_id)
        if unfrozen:
            unfrozen._kam_check_period_open()
        suspense = self.env["account.move.line"].browse(
            [item.id for line in self for item in line._seek_for_lines()[1]]
        )
        suspense.with_context(skip_readonly_check=True)._kam_write_booking(
            {"account_id": liability.id, "partner_id": partner.id}
        )
        return bool(suspense)
