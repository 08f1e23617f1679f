from odoo import api, fields, models


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
        """Serialize statement imports on one joint journal: the second waits for the first to commit.

        An UPDATE, not a bare ``FOR UPDATE``: Odoo's transactions are REPEATABLE READ, so an import whose
        snapshot predates the first one's commit would not see its lines. Updating the row makes that
        import fail with a serialization error once it gets the lock; Odoo retries the request on a fresh
        snapshot, where the first import's lines are found as already imported.
        """
        self.env.cr.execute("UPDATE account_journal SET write_date = write_date WHERE id IN %s", [tuple(self.ids)])
