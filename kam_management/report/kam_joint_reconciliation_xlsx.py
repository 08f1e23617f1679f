from odoo import fields, models

# what the screens' amount formatting leaves in a text (format_amount's no-break spaces and the invisible marks
# around a minus sign) shows as stray characters in a spreadsheet
STRAY = str.maketrans({"\xa0": " ", "\u202f": " ", "\ufeff": None, "\u200b": None, "\u200e": None, "\u200f": None,
                       "\u2060": None})


class KamJointReconciliationXlsx(models.AbstractModel):
    """The three-way reconciliation of a period as XLSX (AC4), kept with the signed record.

    Sheets: summary (the three totals and the identity), allocations,
    discrepancies, receipts and bank lines of the period. Large periods are
    read with one search per sheet, never one query per row.
    """

    _name = "report.kam_management.joint_reconciliation_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Joint-Account Reconciliation XLSX"

    def create_xlsx_report(self, docids, data):
        """A signed period's report is its kept file, whichever way it is asked for (button, print menu, URL)."""
        reconciliations = self.env["kam.joint.reconciliation"].browse(docids)
        reconciliations.check_access("read")
        kept = reconciliations.sudo().report_attachment_id
        if len(reconciliations) == 1 and kept:
            return kept.raw, "xlsx"
        return super().create_xlsx_report(docids, data)

    def generate_xlsx_report(self, workbook, data, reconciliations):
        bold = workbook.add_format({"bold": True})
        header = workbook.add_format({"bold": True, "bg_color": "#D9D9D9", "border": 1})
        money = workbook.add_format({"num_format": "#,##0.00"})
        for reconciliation in reconciliations:
            reconciliation = reconciliation.sudo()
            self._write_summary(workbook, reconciliation, bold, money)
            self._write_table(
                workbook,
                self.env._("Allocations"),
                header,
                money,
                [self.env._("Transfer Date"), self.env._("Memo"), self.env._("Transfer Amount"), self.env._("Receipt Number"),
                 self.env._("Buyer"), self.env._("Allocated"), self.env._("Method")],
                [
                    (str(a.line_date), a.line_memo or "", a.line_amount, a.receipt_id.name, a.buyer_id.name, a.amount,
                     _label(a, "method"))
                    for a in reconciliation.allocation_ids
                ],
                money_columns=(2, 5),
            )
            self._write_table(
                workbook,
                self.env._("Discrepancies"),
                header,
                money,
                [self.env._("Type"), self.env._("Amount"), self.env._("Description"), self.env._("State"),
                 self.env._("Resolution"), self.env._("Resolved By")],
                [
                    (_label(d, "kind"), d.amount, d.description or "", _label(d, "state"), d.resolution_note or "",
                     d.resolved_by_id.name or "")
                    for d in reconciliation.discrepancy_ids
                ],
                money_columns=(1,),
            )
            receipts = self.env["kam.housing.receipt"].sudo().search(
                [("contract_id", "=", reconciliation.contract_id.id), ("state", "=", "registered"),
                 ("date", ">=", reconciliation.date_from), ("date", "<=", reconciliation.date_to)],
                order="date, id",
            )
            self._write_table(
                workbook,
                self.env._("Receipts"),
                header,
                money,
                [self.env._("Receipt Number"), self.env._("Date"), self.env._("Buyer"), self.env._("Kind"),
                 self.env._("Amount")],
                [(r.name, str(r.date), r.buyer_id.name, _label(r, "kind"), r.amount) for r in receipts],
                money_columns=(4,),
            )
            lines = self.env["account.bank.statement.line"].sudo().search(
                [("journal_id", "=", reconciliation.journal_id.id), ("date", ">=", reconciliation.date_from),
                 ("date", "<=", reconciliation.date_to)],
                order="date, id",
            )
            self._write_table(
                workbook,
                self.env._("Bank Lines"),
                header,
                money,
                [self.env._("Date"), self.env._("Memo"), self.env._("Counterparty"), self.env._("Counterparty Account"),
                 self.env._("Amount"), self.env._("Reconciled")],
                [(str(line.date), line.payment_ref or "", line.partner_name or line.partner_id.name or "",
                  line.account_number or "", line.amount, "✓" if line.is_reconciled else "") for line in lines],
                money_columns=(4,),
            )

    def _write_summary(self, workbook, reconciliation, bold, money):
        sheet = workbook.add_worksheet(self.env._("Summary")[:31])
        sheet.set_column(0, 0, 36)
        sheet.set_column(1, 1, 22)
        rows = [
            (self.env._("Reconciliation"), reconciliation.name),
            (self.env._("Contract"), reconciliation.contract_id.name),
            (self.env._("Employer"), reconciliation.employer_id.name),
            (self.env._("Joint Account"), reconciliation.journal_id.name),
            (self.env._("Reconciliation Period"), f"{reconciliation.date_from} – {reconciliation.date_to}"),
            (self.env._("Receipts Registered"), reconciliation.receipt_total),
            (self.env._("Transfers Received"), reconciliation.transfer_total),
            (self.env._("Employer Account Balance"), reconciliation.employer_balance),
            (self.env._("Transfers from the Employer Account"), reconciliation.employer_transfer_total),
            (self.env._("Receipts − Transfers from the Employer Account"), reconciliation.expected_employer_balance),
            (self.env._("Difference"), reconciliation.balance_difference),
            (self.env._("Receipts in Period"), reconciliation.period_receipt_total),
            (self.env._("Transfers in Period"), reconciliation.period_transfer_total),
            (self.env._("Prepared By"), reconciliation.prepared_by_id.name or ""),
            (self.env._("Signed Off By"), reconciliation.signed_by_id.name or ""),
            (self.env._("Signed Off On"), self._company_time(reconciliation, reconciliation.signed_date)),
        ]
        for index, (label, value) in enumerate(rows):
            sheet.write(index, 0, label, bold)
            if isinstance(value, float):
                sheet.write_number(index, 1, value, money)
            else:
                sheet.write(index, 1, _clean(value or ""))

    def _company_time(self, reconciliation, moment):
        """A time as the company's office reads it: in its time zone, named."""
        if not moment:
            return ""
        tz = reconciliation.company_id._kam_tz()
        local = fields.Datetime.context_timestamp(reconciliation.with_context(tz=tz), moment)
        return f"{local:%Y-%m-%d %H:%M:%S} ({tz})"

    def _write_table(self, workbook, name, header, money, titles, rows, money_columns=()):
        sheet = workbook.add_worksheet(name[:31])
        for column, title in enumerate(titles):
            sheet.write(0, column, title, header)
            sheet.set_column(column, column, 18)
        for row_index, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                if column in money_columns:
                    sheet.write_number(row_index, column, value or 0.0, money)
                else:
                    sheet.write(row_index, column, _clean(value if value is not None else ""))


def _clean(value):
    return value.translate(STRAY) if isinstance(value, str) else value


def _label(record, field_name):
    return dict(record._fields[field_name]._description_selection(record.env)).get(record[field_name], "")
