import base64
import hashlib

from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount

from odoo.addons.base.models.res_bank import sanitize_account_number

from ..rules import bank_statement

# a file with more lines is imported by the job (``kam.joint.import.log._cron_import_statements``), not in the click
SYNC_LIMIT = 2000


class AccountStatementImport(models.TransientModel):
    """The OCA statement import, strict for joint accounts (AC3).

    Started from a joint journal (``journal_id`` in the context), the file
    is read by ``rules/bank_statement`` with the journal's format; its
    account number must be the journal's; one bad row refuses it whole.
    Imports on one journal wait for each other on the joint account's lock
    (``account.journal._kam_lock``) and read the lines already imported as
    committed, so two users importing overlapping files create each line
    once, neither replayed. Every
    import is logged, including one that creates nothing. A file of more
    than ``SYNC_LIMIT`` lines, or any file while an import of the journal
    is queued, is checked whole in the click, then queued: the import job
    creates its lines in committed batches under the same lock.
    """

    _inherit = "account.statement.import"

    # the finance menu's import names the joint account here; the contract's button fills it in
    kam_journal_id = fields.Many2one(
        "account.journal", string="Joint Account", domain="[('kam_is_joint', '=', True)]",
        default=lambda self: self._kam_context_journal(),
    )

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def import_file_button(self):
        """OCA's button; a joint account's import without a new statement (queued, or all known) opens its log."""
        journal = self._kam_joint_journal()
        if not journal:
            return super().import_file_button()
        result = self._import_file()
        if result["statement_ids"]:
            action = self.env["ir.actions.actions"]._for_xml_id("account.action_bank_statement_tree")
            action["domain"] = [("id", "in", result["statement_ids"])]
        else:
            action = self.env["ir.actions.actions"]._for_xml_id("kam_management.action_kam_joint_import_log")
            action["domain"] = [("journal_id", "=", journal.id)]
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": "info", "sticky": True, "message": "\n\n".join(result["notifications"]), "next": action},
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _kam_context_journal(self):
        journal = self.env["account.journal"].browse(self.env.context.get("journal_id")).exists()
        return journal if journal.kam_is_joint else self.env["account.journal"]

    def _kam_joint_journal(self):
        """The joint account imported into: the one chosen on the wizard (a journal of the user's companies),
        else the one of the context (the contract's button, the import job)."""
        journal = self[:1].kam_journal_id
        if not journal:
            return self._kam_context_journal()
        if not journal.kam_is_joint or (not self.env.su and journal.company_id not in self.env.companies):
            raise UserError(self.env._("Choose a joint account of your company."))
        return journal

    def _import_file(self):
        journal = self._kam_joint_journal()
        if not journal:
            return super()._import_file()
        self.ensure_one()
        if not self.env.user.has_group("kam_management.group_kam_finance"):
            raise AccessError(self.env._("Only finance imports the statements of a joint account."))
        file_data = base64.b64decode(self.statement_file)
        result = {"statement_ids": [], "notifications": [], "kam_statements": []}
        # finance imports without Odoo's bookkeeper rights: the checks above and in the parser are the gate
        importer = self.sudo().with_context(journal_id=journal.id)
        importer.import_single_file(file_data, result)  # parses and checks the whole file, or raises
        (st_vals,) = result.pop("kam_statements")  # the parser makes one statement of a file, with lines
        transactions = st_vals.pop("transactions")
        for sequence, vals in enumerate(transactions, start=1):
            vals["sequence"] = sequence
            vals["date"] = fields.Date.to_string(vals["date"])
        st_vals["date"] = fields.Date.to_string(st_vals["date"])
        Log = self.env["kam.joint.import.log"].sudo()
        # behind an import the job is still creating, a file waits its turn: the click does not contend with
        # the job for the journal's lock (and idempotence never depends on this: the job skips known lines)
        queued = len(transactions) > SYNC_LIMIT or bool(
            Log.search_count([("journal_id", "=", journal.id), ("state", "=", "queued")], limit=1)
        )
        if not queued:
            journal._kam_lock_for_import()
        log = Log.create(
            {
                "journal_id": journal.id,
                "file_name": self.statement_filename,
                "file_sha256": hashlib.sha256(file_data).hexdigest(),
                "state": "queued" if queued else "done",
                "line_count": len(transactions),
                "statement_vals": st_vals,
                "user_id": self.env.uid,
                "date": self.env.cr.now(),
            }
        )
        log.attachment_id = self.env["ir.attachment"].sudo().create(
            {
                "name": self.statement_filename or "statement",
                "datas": self.statement_file,
                "res_model": log._name,
                "res_id": log.id,
                "company_id": journal.company_id.id,
            }
        )
        if queued:
            log._kam_stage_lines(transactions)
            self.env.ref("kam_management.ir_cron_kam_joint_import").sudo()._trigger()
            result["notifications"] = [
                self.env._(
                    "The file's %(lines)s lines are checked and queued: they are created in the background, "
                    "Statement Imports shows the progress.",
                    lines=len(transactions),
                )
            ]
            return result
        log._kam_create_lines(transactions)
        result["statement_ids"] = log.statement_id.ids
        result["notifications"] = [
            self.env._(
                "%(created)s lines created, %(skipped)s already imported and skipped.",
                created=log.created_count,
                skipped=log.skipped_count,
            )
        ]
        return result

    def _parse_file(self, data_file):
        journal = self._kam_joint_journal()
        if not journal:
            return super()._parse_file(data_file)
        currency = journal.currency_id or journal.company_id.currency_id
        try:
            statement = bank_statement.parse_statement(
                data_file, self.statement_filename or "", journal.kam_statement_format_id._kam_layout()
            )
        except bank_statement.StatementError as error:
            raise UserError(
                error.translated(self.env, money=lambda amount: format_amount(self.env, float(amount), currency))
            ) from None
        own = sanitize_account_number(journal.bank_account_id.acc_number or "")
        if not own or sanitize_account_number(statement.account_number) != own:
            raise UserError(
                self.env._(
                    "The file is the statement of account %(file_account)s, not of %(journal)s (%(account)s).",
                    file_account=statement.account_number,
                    journal=journal.display_name,
                    account=journal.bank_account_id.acc_number or "-",
                )
            )
        transactions = [
            {
                "date": line.date,
                "amount": float(line.amount),
                "payment_ref": line.memo or line.counterparty_name or "/",
                "ref": line.serial or False,
                "partner_name": line.counterparty_name or False,
                "account_number": line.counterparty_account or False,
                "unique_import_id": line.unique_import_id,
                "raw_data": f"row {line.row}",
            }
            for line in statement.lines
        ]
        values = {
            "name": self.statement_filename or statement.lines[-1].date.isoformat(),
            "date": statement.lines[-1].date,
            "transactions": transactions,
        }
        if statement.balance_start is not None:
            values["balance_start"] = float(statement.balance_start)
            values["balance_end_real"] = float(statement.balance_end)
        return currency.name, statement.account_number, [values]

    def _create_bank_statements(self, stmts_vals, result):
        """For a joint account, keep the checked statement for ``_import_file``, which logs it and creates its
        lines (``kam.joint.import.log._kam_create_lines``) in the click or, for a big file, in the import job."""
        if "kam_statements" not in result:
            return super()._create_bank_statements(stmts_vals, result)
        result["kam_statements"].extend(stmts_vals)
        return True
