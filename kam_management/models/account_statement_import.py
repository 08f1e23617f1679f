import base64
import hashlib

from odoo import models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount

from odoo.addons.base.models.res_bank import sanitize_account_number

from ..rules import bank_statement

# statement lines per create call: bounds the memory of one batch (each line is a posted journal entry)
LINE_BATCH = 1000


class AccountStatementImport(models.TransientModel):
    """The OCA statement import, strict for joint accounts (AC3).

    Started from a joint journal (``journal_id`` in the context), the file
    is read by ``rules/bank_statement`` with the journal's format; its
    account number must be the journal's; one bad row refuses it whole.
    Imports on one journal are serialized by a row lock on the journal, so
    two users importing overlapping files create each line once. Every
    import is logged, including one that creates nothing.
    """

    _inherit = "account.statement.import"

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _kam_joint_journal(self):
        journal = self.env["account.journal"].browse(self.env.context.get("journal_id")).exists()
        return journal if journal.kam_is_joint else self.env["account.journal"]

    def _import_file(self):
        journal = self._kam_joint_journal()
        if not journal:
            return super()._import_file()
        self.ensure_one()
        if not self.env.user.has_group("kam_management.group_kam_finance"):
            raise AccessError(self.env._("Only finance imports the statements of a joint account."))
        file_data = base64.b64decode(self.statement_file)
        journal._kam_lock_for_import()
        result = {"statement_ids": [], "notifications": [], "kam_lines": 0, "kam_created": 0}
        # finance imports without Odoo's bookkeeper rights: the checks above and in the parser are the gate
        importer = self.sudo().with_context(journal_id=journal.id)
        importer.import_single_file(file_data, result)
        statement = self.env["account.bank.statement"].sudo().browse(result["statement_ids"][:1])
        skipped = result["kam_lines"] - result["kam_created"]
        self.env["kam.joint.import.log"].sudo().create(
            {
                "journal_id": journal.id,
                "file_name": self.statement_filename,
                "file_sha256": hashlib.sha256(file_data).hexdigest(),
                "line_count": result["kam_lines"],
                "created_count": result["kam_created"],
                "skipped_count": skipped,
                "statement_id": statement.id,
                "user_id": self.env.uid,
                "date": self.env.cr.now(),
            }
        )
        if statement:
            attachment = self.env["ir.attachment"].sudo().create(importer._prepare_create_attachment(result))
            statement.write({"attachment_ids": [(4, attachment.id)]})
        result["notifications"] = [
            self.env._(
                "%(created)s lines created, %(skipped)s already imported and skipped.",
                created=result["kam_created"],
                skipped=skipped,
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
        """OCA's creation, set-based for the big files of a joint account.

        The lines already imported are found in one query (not one search per line), and the new
        ones are created in batches of ``LINE_BATCH`` on their statement, without mail tracking of
        each journal entry. As in OCA, a line already imported is skipped and adds its amount to
        the statement's starting balance.
        """
        if "kam_lines" not in result:
            return super()._create_bank_statements(stmts_vals, result)
        Statement = self.env["account.bank.statement"].with_context(tracking_disable=True)
        Line = self.env["account.bank.statement.line"].with_context(tracking_disable=True)
        Line.flush_model(["unique_import_id"])  # the query below must see lines not yet written
        for st_vals in stmts_vals:
            transactions = st_vals.pop("transactions")
            st_vals.pop("creation_context", None)
            result["kam_lines"] += len(transactions)
            self.env.cr.execute(
                "SELECT unique_import_id FROM account_bank_statement_line WHERE unique_import_id = ANY(%s)",
                [[vals["unique_import_id"] for vals in transactions if vals.get("unique_import_id")]],
            )
            known = {row[0] for row in self.env.cr.fetchall()}
            new = [vals for vals in transactions if not vals.get("unique_import_id") or vals["unique_import_id"] not in known]
            if "balance_start" in st_vals:
                st_vals["balance_start"] += sum(vals["amount"] for vals in transactions if vals.get("unique_import_id") in known)
            if not new:
                continue
            statement = Statement.create(st_vals)
            for sequence, vals in enumerate(new, start=1):
                vals.setdefault("sequence", sequence)
                vals["statement_id"] = statement.id
            for start in range(0, len(new), LINE_BATCH):
                Line.create(new[start : start + LINE_BATCH])
            result["statement_ids"].append(statement.id)
            result["kam_created"] += len(new)
        return True
