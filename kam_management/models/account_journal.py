import zlib

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

# the first key of the joint accounts' advisory locks (the second is the journal id), see ``_kam_lock``
LOCK_KEY = zlib.crc32(b"account.journal._kam_lock") & 0x7FFFFFFF


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
        snapshot, booking by hand) take it before they decide, so they happen one after the other.

        ``pg_advisory_xact_lock`` on (``LOCK_KEY``, journal id), the journals of one call in id order (two
        batches over the same journals do not deadlock): whoever comes second waits until the first commits or
        rolls back, and nothing fails with a serialization error to be replayed. Waiting alone is not enough: Odoo's
        transactions are REPEATABLE READ, so the one that waited may hold a snapshot from before the first
        one's commit. Whatever decides is therefore read as committed now, on a new cursor, once the lock is
        held (PostgreSQL releases it only after the holder's commit is visible to new snapshots):

        - the lock date (``_kam_committed_lock_dates``, kept for the transaction: only a sign-off moves it and
          a sign-off holds this lock): a writer that waited for a sign-off is refused in the signed period;
        - the lines already imported (``_kam_imported_ids``): an import that waited for another skips its lines;
        - the sign-off's figures (``kam.joint.reconciliation._kam_check_matching_committed``): a sign-off that
          waited for a writer sees the new line or receipt and refuses to sign figures that changed.

        What the waiting transaction then writes does not touch a row the first one changed (new statement
        lines and entries; Odoo names the entries through the unique index, which sees committed names
        whatever the snapshot, see ``sequence.mixin._locked_increment``), so the first try goes through. Two
        transactions changing one same row still conflict as anywhere in Odoo (two users editing one bank line;
        two sign-offs of different periods of one joint account, which both write its lock date): the second is
        replayed once, on a snapshot that sees the first.
        """
        journals = self.sudo().filtered("kam_is_joint")
        if not journals:
            return
        cr = self.env.cr
        cr.execute(
            """SELECT objid::int FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
                  AND classid::bigint = %s AND objsubid = 2 AND objid::bigint = ANY(%s)""",
            [LOCK_KEY, journals.ids],
        )
        todo = sorted(set(journals.ids) - {row[0] for row in cr.fetchall()})
        if not todo:
            return
        for journal_id in todo:
            cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_KEY, journal_id])
        # held from now on: what a sign-off committed before is final until this transaction ends (a savepoint
        # rolled back may release the lock: it is then read again when taken again)
        cr.cache.setdefault("kam_lock_dates", {}).update(self.browse(todo)._kam_committed_lock_dates())

    def _kam_lock_for_import(self):
        """Serialize statement imports on one joint journal (the one lock of ``_kam_lock``)."""
        self._kam_lock()

    def _kam_check_open(self, dated, lock=True):
        """Refuse what ``dated`` (``[(journal, date, document name)]``) adds, changes or deletes on or before the
        lock date of its joint journal, after taking the journals' lock (``_kam_lock``): whoever asks. The lock
        date is the later of this transaction's and the committed one (a sign-off that committed while this
        transaction waited for the lock)."""
        dated = [(journal.sudo(), date, name) for journal, date, name in dated if journal.sudo().kam_is_joint]
        if not dated:
            return
        journals = self.browse({journal.id for journal, _date, _name in dated})
        if lock:
            journals._kam_lock()
        committed = self.env.cr.cache.get("kam_lock_dates", {})
        if not set(journals.ids) <= committed.keys():  # a cursor that did not take the lock itself (tests)
            committed = journals._kam_committed_lock_dates()
        for journal, date, name in dated:
            end = max(filter(None, (journal.kam_lock_date, committed.get(journal.id))), default=None)
            if end and date and fields.Date.to_date(date) <= end:
                raise UserError(
                    self.env._(
                        "%(document)s is dated %(date)s: the joint account %(journal)s is reconciled and signed up "
                        "to %(end)s, so nothing dated up to then is added, changed or deleted. Record it in a "
                        "later period.",
                        document=name,
                        date=format_date(self.env, date),
                        journal=journal.display_name,
                        end=format_date(self.env, end),
                    )
                )

    def _kam_committed_lock_dates(self):
        """``{journal id: lock date}`` of ``self`` as committed now (read on a new cursor, see ``_kam_lock``)."""
        query = "SELECT id, kam_lock_date FROM account_journal WHERE id IN %s"
        with self._kam_committed_cursor(["account_journal"]) as cr:
            cr.execute(query, [tuple(self.ids)])
            return dict(cr.fetchall())

    @api.model
    def _kam_imported_ids(self, unique_import_ids):
        """Which of ``unique_import_ids`` exist as statement lines: those this transaction sees, and those
        committed after its snapshot, read on a new cursor (called under ``_kam_lock``, so nothing
        else is in flight)."""
        query = "SELECT unique_import_id FROM account_bank_statement_line WHERE unique_import_id = ANY(%s)"
        self.env["account.bank.statement.line"].flush_model(["unique_import_id"])
        self.env.cr.execute(query, [list(unique_import_ids)])
        known = {row[0] for row in self.env.cr.fetchall()}
        with self._kam_committed_cursor(["account_bank_statement_line"]) as cr:
            cr.execute(query, [list(unique_import_ids)])
            known.update(row[0] for row in cr.fetchall())
        return known
