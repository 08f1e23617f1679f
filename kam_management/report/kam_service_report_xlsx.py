from collections import namedtuple

from odoo import models

# one column of the sheet: the figure's key, its cell format and its translated header
Column = namedtuple("Column", "key kind label")


class KamMonthlyReportXlsx(models.AbstractModel):
    """Monthly key-account report (战略客户和大客户业务状况分析报告表) as XLSX (KA10).

    One row per account with the figures of ``ServiceFigures.monthly`` and a
    totals row; every figure comes from the grouped query, none from a loop
    over partners.
    """

    _name = "report.kam_management.monthly_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Key-Account Monthly Report XLSX"

    def _get_objs_for_report(self, docids, data):
        # printed from the form, the download names the company and the month (kam.service.report._kam_print_action)
        if not docids and data and data.get("kam_company_id"):
            return self.env["kam.service.report"]._kam_from_options(data)
        return super()._get_objs_for_report(docids, data)

    def _kam_columns(self):
        return [
            Column("name", "text", self.env._("Customer")),
            Column("tier", "text", self.env._("Tier")),
            Column("month", "money", self.env._("Revenue of the Month")),
            Column("previous_month", "money", self.env._("Previous Month")),
            Column("change_percent", "percent", self.env._("Change vs Previous Month (%)")),
            Column("ytd", "money", self.env._("Revenue Year to Date")),
            Column("last_year_ytd", "money", self.env._("Same Period Last Year")),
            Column("receivable", "money", self.env._("Receivable")),
            Column("overdue", "money", self.env._("Overdue")),
            Column("credit_limit", "money", self.env._("Credit Limit")),
            Column("credit_used_percent", "percent", self.env._("Credit Used (%)")),
            Column("visits_done", "number", self.env._("Contacts Logged")),
            Column("visits_expected", "number", self.env._("Contacts Due")),
            Column("complaints_open", "number", self.env._("Open Complaints")),
            Column("complaints_serious", "number", self.env._("Serious Complaints")),
            Column("new_business", "money", self.env._("New Business")),
        ]

    def generate_xlsx_report(self, workbook, data, reports):
        for report in reports:
            figures, partner_ids = report._kam_figures()
            rows = figures.monthly(partner_ids)
            title = self.env._("Key-account report %(month)s", month=report.month.strftime("%Y-%m"))
            self._kam_write_sheet(workbook, report.month.strftime("%Y-%m"), title, report, self._kam_columns(), rows)

    def _kam_write_sheet(self, workbook, sheet_name, title, report, columns, rows, totals=True):
        sheet = workbook.add_worksheet(sheet_name[:31])
        formats = {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "header": workbook.add_format({"bold": True, "bg_color": "#D9D9D9", "border": 1, "text_wrap": True}),
            "text": workbook.add_format({"border": 1}),
            "money": workbook.add_format({"border": 1, "num_format": "#,##0.00"}),
            "percent": workbook.add_format({"border": 1, "num_format": "0.00"}),
            "number": workbook.add_format({"border": 1, "num_format": "0.##"}),
            "total": workbook.add_format({"bold": True, "border": 1, "num_format": "#,##0.00"}),
        }
        sheet.write(0, 0, title, formats["title"])
        sheet.write(1, 0, f"{report.company_id.name} · {report.company_id.currency_id.name}")
        for col, (_key, _kind, label) in enumerate(columns):
            sheet.write(3, col, label, formats["header"])
            sheet.set_column(col, col, 24 if col == 0 else 14)
        for offset, row in enumerate(rows):
            for col, (key, kind, _label) in enumerate(columns):
                value = row[key]
                if value is None:
                    sheet.write_blank(4 + offset, col, None, formats[kind])
                else:
                    sheet.write(4 + offset, col, value, formats[kind])
        if totals:
            total_row = 4 + len(rows)
            sheet.write(total_row, 0, self.env._("Total"), formats["header"])
            for col, (key, kind, _label) in enumerate(columns):
                if kind in ("money", "number") and col > 1:
                    sheet.write(total_row, col, sum(row[key] for row in rows), formats["total"])
        sheet.freeze_panes(4, 1)
        return sheet


class KamCreditReportXlsx(models.AbstractModel):
    """Quarterly credit report: grades, limits, receivables, exceptions and late payers (KA10)."""

    _name = "report.kam_management.credit_xlsx"
    _inherit = "report.kam_management.monthly_xlsx"
    _description = "Key-Account Quarterly Credit Report XLSX"

    def _kam_credit_columns(self):
        return [
            Column("name", "text", self.env._("Customer")),
            Column("tier", "text", self.env._("Tier")),
            Column("grade", "text", self.env._("Credit Grade")),
            Column("credit_limit", "money", self.env._("Credit Limit")),
            Column("receivable", "money", self.env._("Receivable")),
            Column("overdue", "money", self.env._("Overdue at Quarter End")),
            Column("exception_count", "number", self.env._("Approved Exceptions")),
            Column("exception_amount", "money", self.env._("Exception Amount")),
            Column("late_invoices", "number", self.env._("Late Invoices (Downgrades)")),
        ]

    def generate_xlsx_report(self, workbook, data, reports):
        for report in reports:
            figures, partner_ids = report._kam_figures()
            quarter, rows = figures.credit(partner_ids)
            title = self.env._("Credit report %(quarter)s", quarter=quarter)
            self._kam_write_sheet(workbook, quarter, title, report, self._kam_credit_columns(), rows)
