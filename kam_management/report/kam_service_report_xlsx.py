from odoo import models


class KamMonthlyReportXlsx(models.AbstractModel):
    """Monthly key-account report (战略客户和大客户业务状况分析报告表) as XLSX (KA10).

    One row per account with the figures of ``ServiceFigures.monthly`` and a
    totals row; every figure comes from the grouped query, none from a loop
    over partners.
    """

    _name = "report.kam_management.monthly_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Key-Account Monthly Report XLSX"

    def _kam_columns(self):
        _ = self.env._
        return [
            ("name", _("Customer"), "text"),
            ("tier", _("Tier"), "text"),
            ("month", _("Revenue of the Month"), "money"),
            ("previous_month", _("Previous Month"), "money"),
            ("change_percent", _("Change vs Previous Month (%)"), "percent"),
            ("ytd", _("Revenue Year to Date"), "money"),
            ("last_year_ytd", _("Same Period Last Year"), "money"),
            ("receivable", _("Receivable"), "money"),
            ("overdue", _("Overdue"), "money"),
            ("credit_limit", _("Credit Limit"), "money"),
            ("credit_used_percent", _("Credit Used (%)"), "percent"),
            ("visits_done", _("Contacts Logged"), "number"),
            ("visits_expected", _("Contacts Due"), "number"),
            ("complaints_open", _("Open Complaints"), "number"),
            ("complaints_serious", _("Serious Complaints"), "number"),
            ("new_business", _("New Business"), "money"),
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
        for col, (_key, label, _kind) in enumerate(columns):
            sheet.write(3, col, label, formats["header"])
            sheet.set_column(col, col, 24 if col == 0 else 14)
        for offset, row in enumerate(rows):
            for col, (key, _label, kind) in enumerate(columns):
                value = row[key]
                if value is None:
                    sheet.write_blank(4 + offset, col, None, formats[kind])
                else:
                    sheet.write(4 + offset, col, value, formats[kind])
        if totals:
            total_row = 4 + len(rows)
            sheet.write(total_row, 0, self.env._("Total"), formats["header"])
            for col, (key, _label, kind) in enumerate(columns):
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
        _ = self.env._
        return [
            ("name", _("Customer"), "text"),
            ("tier", _("Tier"), "text"),
            ("grade", _("Credit Grade"), "text"),
            ("credit_limit", _("Credit Limit"), "money"),
            ("receivable", _("Receivable"), "money"),
            ("overdue", _("Overdue at Quarter End"), "money"),
            ("exception_count", _("Approved Exceptions"), "number"),
            ("exception_amount", _("Exception Amount"), "money"),
            ("late_invoices", _("Late Invoices (Downgrades)"), "number"),
        ]

    def generate_xlsx_report(self, workbook, data, reports):
        for report in reports:
            figures, partner_ids = report._kam_figures()
            quarter, rows = figures.credit(partner_ids)
            title = self.env._("Credit report %(quarter)s", quarter=quarter)
            self._kam_write_sheet(workbook, quarter, title, report, self._kam_credit_columns(), rows)
