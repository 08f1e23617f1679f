import json

from odoo import api, fields, models

from .kam_display_name import join_name

# statement lines per create call, and per committed step of the import job: bounds the memory and the
# transaction of one step (each line is a posted journal entry)
LINE_BATCH = 1000
# after a batch of at least this many new journal entries, the planner's statistics of them are refreshed
ANALYZE_AFTER = 200


class KamJointImportLog(models.Model):
    """One statement file imported on a joint account (AC3): what it created and skipped, and who imported it.

    A file too big for one click is ``queued``: its parsed lines wait in ``kam.joint.import.line`` and the
    import job creates them in batches, committing the counts after each (``done`` when none is left).
    """

    _name = "kam.joint.import.log"
    _description = "Joint-Account Statement Import"
    _order = "id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    journal_id = fields.Many2one("account.journal", required=True, readonly=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="journal_id.company_id", store=True, index=True)
    file_name = fields.Char(readonly=True)
    file_sha256 = fields.Char(string="File SHA-256", readonly=True, index=True)
    state = fields.Selection(
        [("queued", "Queued"), ("done", "Done")], required=True, readonly=True, default="done", index=True
    )
    line_count = fields.Integer(string="Lines in File", readonly=True)
    created_count = fields.Integer(string="Lines Created", readonly=True)
    skipped_count = fields.Integer(string="Already Imported", readonly=True)
    pending_count = fields.Integer(string="Lines Waiting", compute="_compute_pending_count")
    statement_id = fields.Many2one("account.bank.statement", readonly=True)
    # what the statement is created with (name, date, balances), once the first line is new
    statement_vals = fields.Json(string="Statement Values", readonly=True, groups="base.group_system")
    attachment_id = fields.Many2one("ir.attachment", string="File", readonly=True)
    user_id = fields.Many2one("res.users", string="Imported By", required=True, readonly=True)
    date = fields.Datetime(string="Imported On", required=True, readonly=True)

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("line_count", "created_count", "skipped_count")
    def _compute_pending_count(self):
        for log in self:
            log.pending_count = log.line_count - log.created_count - log.skipped_count

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _kam_create_lines(self, transactions):
        """Create the statement lines of ``transactions`` not imported yet; the caller holds the journal lock.

        The lines already imported are found in one query (not one search per line, and on a fresh snapshot) and, as in OCA, a known
        line adds its amount to the statement's opening balance. The new ones are created in batches of
        ``LINE_BATCH`` on the import's statement (created with the first new line), without mail tracking.
        """
        self.ensure_one()
        Line = self.env["account.bank.statement.line"].sudo().with_context(tracking_disable=True)
        known = self.env["account.journal"]._kam_imported_ids(
            [vals["unique_import_id"] for vals in transactions if vals.get("unique_import_id")]
        )
        new = [vals for vals in transactions if not vals.get("unique_import_id") or vals["unique_import_id"] not in known]
        known_amount = sum(vals["amount"] for vals in transactions if vals.get("unique_import_id") in known)
        statement = self.statement_id
        statement_vals = dict(self.sudo().statement_vals or {})
        with_balances = "balance_start" in statement_vals
        if new and not statement:
            context = statement_vals.pop("creation_context", None) or {}
            if with_balances:
                statement_vals["balance_start"] += known_amount
            statement = (
                self.env["account.bank.statement"].sudo().with_context(tracking_disable=True, **context)
                .create(statement_vals)
            )
            if self.attachment_id:
                statement.attachment_ids = [(4, self.attachment_id.id)]
            self.statement_id = statement
        elif statement and with_balances and known_amount:
            statement.balance_start += known_amount
        for vals in new:
            vals["statement_id"] = statement.id
        for start in range(0, len(new), LINE_BATCH):
            batch = new[start : start + LINE_BATCH]
            Line.create(batch)
            if len(batch) >= ANALYZE_AFTER:
                # Odoo names each entry from the journal's last one: with the planner's statistics from before
                # these entries, that lookup scans all of them (EXPLAIN: 5 ms and growing, 0.07 ms after)
                self.env.cr.execute("ANALYZE account_move")
        self.write(
            {
                "created_count": self.created_count + len(new),
                "skipped_count": self.skipped_count + len(transactions) - len(new),
            }
        )

    def _kam_stage_lines(self, transactions):
        """Keep the parsed lines of a queued import for the job: one set-based INSERT, not one create per line."""
        self.ensure_one()
        self.env.cr.execute(
            """
            INSERT INTO kam_joint_import_line (log_id, sequence, unique_import_id, vals,
                                               create_uid, write_uid, create_date, write_date)
            SELECT %s, line.sequence, line.unique_import_id, line.vals, %s, %s, now() AT TIME ZONE 'UTC',
                   now() AT TIME ZONE 'UTC'
              FROM unnest(%s::int[], %s::varchar[], %s::jsonb[]) AS line(sequence, unique_import_id, vals)
            """,
            [
                self.id,
                self.env.uid,
                self.env.uid,
                [vals["sequence"] for vals in transactions],
                [vals.get("unique_import_id") or None for vals in transactions],
                [json.dumps(vals) for vals in transactions],
            ],
        )

    def _kam_import_next_batch(self):
        """One step of the job: create the next ``LINE_BATCH`` waiting lines of this queued import."""
        self.ensure_one()
        self.journal_id._kam_lock_for_import()
        Staged = self.env["kam.joint.import.line"].sudo()
        batch = Staged.search([("log_id", "=", self.id)], order="sequence", limit=LINE_BATCH)
        if batch:
            self._kam_create_lines([dict(line.vals) for line in batch])
            batch.unlink()
        if not Staged.search_count([("log_id", "=", self.id)], limit=1):
            self.state = "done"
        return len(batch)

    @api.model
    def _cron_import_statements(self):
        """The background job: create the lines of the queued imports, oldest first, committing after each batch."""
        queued = self.sudo().search([("state", "=", "queued")], order="id")
        self.env["ir.cron"]._commit_progress(remaining=sum(queued.mapped("pending_count")))
        for log in queued:
            while log.state == "queued":
                created = log._kam_import_next_batch()
                if not self.env["ir.cron"]._commit_progress(created):
                    return


    @api.depends("journal_id.name", "file_name", "date")
    def _compute_display_name(self):
        for record in self:
            record.display_name = join_name(record.journal_id.name, record.file_name, record.date)


class KamJointImportLine(models.Model):
    """A parsed line of a queued statement import, waiting for the import job (the values OCA creates it with)."""

    _name = "kam.joint.import.line"
    _description = "Joint-Account Statement Line Waiting for Import"
    _order = "log_id, sequence"

    log_id = fields.Many2one("kam.joint.import.log", string="Statement Import", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(required=True)
    unique_import_id = fields.Char(string="Unique Import ID")
    vals = fields.Json(string="Line Values", required=True)

    @api.depends("log_id.display_name", "sequence")
    def _compute_display_name(self):
        for record in self:
            record.display_name = join_name(record.log_id.display_name, f"#{record.sequence}")
