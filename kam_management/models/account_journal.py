from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class AccountJournal(models.Model):
    _inherit = "account.journal"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # AC2: a joint (co-managed) account of a commissioned-housing contract
    kam_joint_contract_ids = fields.One2many("kam.housing.contract", "joint_journal_id", string="Joint Account Of")
    kam_is_joint = fields.Boolean(
        string="Joint Account", compute="_compute_kam_is_joint", store=True, index=True,
        help="Co-managed account of a commissioned-housing contract: its money is an entrusted loan, never income.",
    )
    kam_statement_format_id = fields.Many2one(
        "kam.bank.statement.format", string="Statement Format",
        help="Column names of this bank's statement files; the defaults read the common Chinese bank exports.",
    )
    # AC4: the joint account's own lock date: the end of its latest signed reconciliation. Its bank lines and
    # entries, and its contracts' receipts and balances, dated up to it stay as the signed figures read them
    kam_lock_date = fields.Date(
        string="Reconciled and Signed Up To", readonly=True, copy=False,
        help="End of the latest signed reconciliation: nothing of this joint account dated up to this day is "
        "added, changed or deleted any more.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("kam_joint_contract_ids")
    def _compute_kam_is_joint(self):
        for journal in self:
            journal.kam_is_joint = bool(journal.kam_joint_contract_ids)

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    def write(self, vals):
        if "kam_lock_date" in vals and not self.env.su:
            raise UserError(self.env._("Only the sign-off of a reconciliation moves a joint account's lock date."))
        return super().write(vals)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _kam_lock(self):
        """The one lock of a joint account's money (AC4, issue 18): the reconciliation's sign-off and every
        writer of a period's inputs (statement import, bank lines and entries, receipt registration, balance
        snapshot, booking) take it before they read or write, so they happen one after the other.

        An UPDATE, not a bare ``FOR UPDATE``: Odoo's transactions are REPEATABLE READ, so a transaction whose
        snapshot predates another's commit would not see what that one did (new bank lines, the sign-off's lock
        date). Updating the row makes it fail with a serialization error once it gets the lock; Odoo retries the
        request on a fresh snapshot, which sees the lines (the sign-off then finds its figures changed) or the
        lock date (the writer is then refused).
        """
        journals = self.sudo().filtered("kam_is_joint")
        if journals:
            self.env.cr.execute(
                "UPDATE account_journal SET write_date = write_date WHERE id IN %s", [tuple(journals.ids)]
            )

    def _kam_lock_for_import(self):
        """Serialize statement imports on one joint journal (the one lock of ``_kam_lock``)."""
        self._kam_lock()

    def _kam_check_open(self, dated, lock=True):
        """Refuse what ``dated`` (``[(journal, date, document name)]``) adds, changes or deletes on or before the
        lock date of its joint journal, after taking the journals' lock (``_kam_lock``): whoever asks."""
        dated = [(journal.sudo(), date, name) for journal, date, name in dated if journal.sudo().kam_is_joint]
        if not dated:
            return
        if lock:
            self.browse({journal.id for journal, _date, _name in dated})._kam_lock()
        for journal, date, name in dated:
            if journal.kam_lock_date and date and fields.Date.to_date(date) <= journal.kam_lock_date:
                raise UserError(
                    self.env._(
                        "%(document)s is dated %(date)s: the joint account %(journal)s is reconciled and signed up "
                        "to %(end)s, so nothing dated up to then is added, changed or deleted. Record it in a "
                        "later period.",
                        document=name,
                        date=format_date(self.env, date),
                        journal=journal.display_name,
                        end=format_date(self.env, journal.kam_lock_date),
                    )
                )

    @api.model
    def _kam_imported_ids(self, unique_import_ids):
        """Which of ``unique_import_ids`` exist as statement lines: those this transaction sees, and those
        committed after its snapshot, read on a new cursor (called under ``_kam_lock``, so nothing
        else is in flight)."""
        query = "SELECT unique_import_id FROM account_bank_statement_line WHERE unique_import_id = ANY(%s)"
        self.env["account.bank.statement.line"].flush_model(["unique_import_id"])
        self.env.cr.execute(query, [list(unique_import_ids)])
        known = {row[0] for row in self.env.cr.fetchall()}
        # a transaction that changed the table's structure (a module install loading demo statements) holds it
        # alone, and a new cursor would wait for it forever: its own view is then complete
        self.env.cr.execute(
            """SELECT 1 FROM pg_locks WHERE pid = pg_backend_pid() AND granted
                  AND relation = 'account_bank_statement_line'::regclass
                  AND mode IN ('ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock')"""
        )
        if not self.env.cr.rowcount:
            with self.env.registry.cursor() as fresh:
                fresh.execute(query, [list(unique_import_ids)])
                known.update(row[0] for row in fresh.fetchall())
        return known
