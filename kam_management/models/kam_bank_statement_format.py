from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..rules import bank_statement

# column of the parser -> field of the format holding its accepted header names
COLUMN_FIELDS = {
    "date": "date_columns",
    "credit": "credit_columns",
    "debit": "debit_columns",
    "amount": "amount_columns",
    "balance": "balance_columns",
    "counterparty_name": "counterparty_name_columns",
    "counterparty_account": "counterparty_account_columns",
    "memo": "memo_columns",
    "serial": "serial_columns",
}


def _names(default_key):
    return ", ".join(bank_statement.DEFAULT_COLUMNS[default_key])


class KamBankStatementFormat(models.Model):
    """The column names of one bank's statement export (AC3), read by ``rules/bank_statement``.

    Each field lists the header names accepted for a column, separated by
    commas; the defaults are the common Chinese bank exports.
    """

    _name = "kam.bank.statement.format"
    _description = "Bank Statement Format"
    _order = "name"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    date_columns = fields.Char(string="Date Column", required=True, default=_names("date"))
    credit_columns = fields.Char(string="Income (Credit) Column", default=_names("credit"))
    debit_columns = fields.Char(string="Expense (Debit) Column", default=_names("debit"))
    amount_columns = fields.Char(
        string="Signed Amount Column", default=_names("amount"),
        help="Used only when the file has neither an income nor an expense column.",
    )
    balance_columns = fields.Char(string="Balance Column", default=_names("balance"))
    counterparty_name_columns = fields.Char(string="Counterparty Name Column", default=_names("counterparty_name"))
    counterparty_account_columns = fields.Char(
        string="Counterparty Account Column", default=_names("counterparty_account")
    )
    memo_columns = fields.Char(string="Memo Column", default=_names("memo"))
    serial_columns = fields.Char(string="Serial Number Column", default=_names("serial"))
    account_labels = fields.Char(
        string="Account Number Labels", required=True, default=", ".join(bank_statement.ACCOUNT_LABELS),
        help="Labels of the cell that gives the statement's own account number above the table.",
    )
    date_formats = fields.Char(
        required=True, default=", ".join(bank_statement.DATE_FORMATS),
        help="Python date formats tried in order, e.g. %Y-%m-%d.",
    )

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("credit_columns", "debit_columns", "amount_columns")
    def _check_amount_columns(self):
        for statement_format in self:
            if not (statement_format.credit_columns or statement_format.debit_columns or statement_format.amount_columns):
                raise ValidationError(self.env._("A statement format needs an income, expense or amount column."))

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _kam_layout(self):
        """The parser's layout; without a format, the defaults."""
        if not self:
            return bank_statement.Layout()
        self.ensure_one()
        columns = {}
        for key, field_name in COLUMN_FIELDS.items():
            names = _split(self[field_name])
            if names:
                columns[key] = names
        return bank_statement.Layout(
            columns=columns,
            account_labels=_split(self.account_labels),
            date_formats=_split(self.date_formats),
        )


def _split(value):
    return tuple(part.strip() for part in (value or "").replace("，", ",").split(",") if part.strip())
