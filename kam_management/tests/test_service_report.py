import io
from unittest.mock import patch

import openpyxl
from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from ..models.kam_service_figures import ServiceFigures
from .service_common import KamServiceCommon


@tagged("post_install", "-at_install")
class TestServiceReport(KamServiceCommon):
    """KA10: the monthly report's figures from known invoices, the XLSX, and the job that mails it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.kam_tier_scheme_id = False  # every tier: strategic and A/B/C/D accounts together
        d = cls._d
        cls._invoices(
            [
                (cls.strategic, 100000.0, d("2026-10-15"), d("2026-11-14")),  # October: the month
                (cls.strategic, 40000.0, d("2026-09-10"), d("2026-12-31")),  # previous month, not due
                (cls.strategic, 25000.0, d("2025-05-20"), d("2025-06-20")),  # last year, same period
                (cls.strategic, 7000.0, d("2025-11-20"), d("2025-12-20")),  # last year, after the period
                (cls.a_account, 8000.0, d("2026-10-01"), d("2026-10-01")),
            ]
        )
        refund = cls.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": cls.strategic.id,
                "invoice_date": d("2026-10-20"),
                "date": d("2026-10-20"),
                "invoice_line_ids": [(0, 0, {"name": "折让", "quantity": 1, "price_unit": 10000.0, "tax_ids": False})],
            }
        )
        refund.action_post()
        cls._visit(cls.strategic, "2026-10-05")
        cls._visit(cls.strategic, "2026-10-25", kind=cls.kind_quality)
        cls._complaint(cls.strategic, "2026-10-10 02:00:00", severity="serious")
        cls.report = cls.env["kam.service.report"].create({"month": "2026-10-01"})

    def _row(self, rows, partner):
        return next(row for row in rows if row["partner_id"] == partner.id)

    def test_figures_of_known_invoices(self):
        figures, partner_ids = self.report._kam_figures()
        self.assertIn(self.strategic.id, partner_ids)
        row = self._row(figures.monthly(partner_ids), self.strategic)
        self.assertAlmostEqual(row["month"], 90000.0)  # 100,000 less the 10,000 credit note
        self.assertAlmostEqual(row["previous_month"], 40000.0)
        self.assertAlmostEqual(row["change_percent"], 125.0)
        self.assertAlmostEqual(row["ytd"], 130000.0)
        self.assertAlmostEqual(row["last_year_ytd"], 25000.0)
        # open: 100,000 + 40,000 + 25,000 + 7,000 − 10,000; due by 31 October: last year's two (the credit
        # note falls due on the strategic tier's 90-day term)
        self.assertAlmostEqual(row["receivable"], 162000.0)
        self.assertAlmostEqual(row["overdue"], 32000.0)
        self.assertAlmostEqual(row["credit_limit"], self.tier_strategic.credit_limit)
        self.assertAlmostEqual(row["credit_used_percent"], round(162000.0 / self.tier_strategic.credit_limit * 100, 2))
        self.assertEqual(row["visits_done"], 2)
        # monthly manager visit + half-yearly executive and technical + quarterly quality
        self.assertAlmostEqual(row["visits_expected"], 1 + 1 / 6 + 1 / 6 + 1 / 3)
        self.assertEqual((row["complaints_open"], row["complaints_serious"]), (1, 1))
        a_row = self._row(figures.monthly(partner_ids), self.a_account)
        self.assertAlmostEqual(a_row["month"], 8000.0)

    def test_the_query_count_does_not_grow_with_the_accounts(self):
        figures, partner_ids = self.report._kam_figures()

        def queries(ids):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            figures.monthly(ids)
            return self.env.cr.sql_log_count - before

        queries(partner_ids)
        self.assertEqual(queries(partner_ids[:1]), queries(partner_ids))

    def test_the_xlsx_shows_the_figures_and_totals(self):
        content, kind = self.env["ir.actions.report"]._render("kam_management.monthly_xlsx", self.report.ids, {})
        self.assertEqual(kind, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        self.assertEqual(sheet.title, "2026-10")
        header = [cell.value for cell in sheet[4]]
        names = [sheet.cell(row=r, column=1).value for r in range(5, sheet.max_row + 1)]
        row = names.index(self.strategic.name) + 5
        self.assertEqual(sheet.cell(row=row, column=header.index("Revenue of the Month") + 1).value, 90000.0)
        self.assertEqual(sheet.cell(row=row, column=header.index("Same Period Last Year") + 1).value, 25000.0)
        self.assertEqual(names[-1], "Total")
        month_col = header.index("Revenue of the Month") + 1
        self.assertAlmostEqual(
            sheet.cell(row=sheet.max_row, column=month_col).value,
            sum(sheet.cell(row=r, column=month_col).value for r in range(5, sheet.max_row)),
        )
        credit, _kind = self.env["ir.actions.report"]._render("kam_management.credit_xlsx", self.report.ids, {})
        credit_sheet = openpyxl.load_workbook(io.BytesIO(credit)).active
        self.assertEqual(credit_sheet.title, "2026-Q4")

    @patch("odoo.addons.base.models.ir_cron.IrCron._commit_progress")
    def test_the_job_mails_the_report_on_its_day_once(self, _progress):
        self.env.company.kam_general_manager_id = self.kam_users["executive"]
        Mail = self.env["mail.mail"]
        before = Mail.search([])
        with freeze_time("2026-11-05"):
            self.env["kam.service.report"]._cron_send_reports()
        self.assertFalse(Mail.search([]) - before, "not before the 6th")
        with freeze_time("2026-11-06"):
            self.env["kam.service.report"]._cron_send_reports()
            self.env["kam.service.report"]._cron_send_reports()
        sent = Mail.search([("subject", "like", "2026-10"), ("subject", "like", self.env.company.name)]) - before
        self.assertEqual(len(sent), 1)
        self.assertEqual(len(sent.attachment_ids), 1)
        self.assertIn(self.kam_users["executive"].partner_id, sent.recipient_ids)
        self.assertIn(self.ka_manager.partner_id, sent.recipient_ids)
        self.assertNotIn(self.ka_user.partner_id, sent.recipient_ids)
        self.env.company.kam_report_day = 8
        with freeze_time("2027-01-08"):
            self.env["kam.service.report"]._cron_send_reports()
        december = Mail.search([("subject", "like", "2026-12"), ("subject", "like", self.env.company.name)])
        self.assertEqual(len(december.attachment_ids), 2, "with the quarterly credit report")


# kam_demo_db: the figures are checked against a year of the demo's invoices
@tagged("post_install", "-at_install", "kam_demo_db")
class TestServiceReportDemo(TransactionCase):
    def test_figures_equal_a_direct_sql_sum_on_the_demo_data(self):
        demo = self.env.ref("kam_management.partner_ka_huaxing")
        company = demo.sudo().invoice_ids[:1].company_id or self.env.company
        month = max(demo.sudo().invoice_ids.filtered(lambda m: m.state == "posted" and m.invoice_date).mapped("invoice_date"))
        figures = ServiceFigures(self.env, company, month)
        partners = self.env["res.partner"].sudo().search([("kam_tier_id", "!=", False)])
        rows = {row["partner_id"]: row for row in figures.monthly(partners.ids)}
        self.env.cr.execute(
            """
            SELECT commercial_partner_id, SUM(amount_untaxed_signed)
              FROM account_move
             WHERE company_id = %s AND state = 'posted' AND move_type IN ('out_invoice', 'out_refund')
               AND invoice_date BETWEEN %s AND %s AND commercial_partner_id = ANY(%s)
             GROUP BY commercial_partner_id
            """,
            [company.id, figures.periods.ytd[0], figures.periods.ytd[1], partners.ids],
        )
        expected = dict(self.env.cr.fetchall())
        self.assertTrue(expected)
        for partner_id, ytd in expected.items():
            self.assertAlmostEqual(rows[partner_id]["ytd"], float(ytd), places=2)
