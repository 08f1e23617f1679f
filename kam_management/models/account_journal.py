from odoo import api, fields, models

# first key of the advisory lock of a joint journal's statement imports (the second is the journal's id)
IMPORT_LOCK = 0x4B414D49  # "KAMI"


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

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("kam_joint_contract_ids")
    def _compute_kam_is_joint(self):
        for journal in self:
            journal.kam_is_joint = bool(journal.kam_joint_contract_ids)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _kam_lock_for_import(self):
        """Serialize statement imports on one joint journal: the second waits for the first to end.

        A transaction-level advisory lock, released at commit or rollback. It updates no row: under Odoo's
        REPEATABLE READ an import whose snapshot predates the first one's commit gets the lock without a
        serialization failure (an updated or ``FOR UPDATE``-locked row would fail it and make Odoo replay
        the request). Such an import does not see the first one's lines in its snapshot: the lines already
        imported are read on a fresh snapshot (``_kam_imported_ids``), which the lock makes complete.
        """
        for journal_id in sorted(self.ids):
            self.env.cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", [IMPORT_LOCK, journal_id])

    @api.model
    def _kam_imported_ids(self, unique_import_ids):
        """Which of ``unique_import_ids`` exist as statement lines: those this transaction sees, and those
        committed after its snapshot, read on a new cursor (called under ``_kam_lock_for_import``, so
        nothing else is in flight)."""
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
