"""Issue 22: the heavy reads people wait for run on a read-only cursor, so that Odoo serves them from its read
replica (``db_replica_host``): each is called here in a transaction set read-only, as a streaming standby runs
every transaction ("cannot execute ... in a read-only transaction" on any write), and gives the figures it gives
on the primary. ``bench/replica.sh`` calls the same methods over JSON-RPC against a real standby."""

import io
import json
from contextlib import contextmanager
from unittest.mock import patch
from urllib.parse import urlencode

import openpyxl
from psycopg2.errors import ReadOnlySqlTransaction

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..controllers.report import _read_only_report
from .desk_common import BUYERS, KamDeskCommon
from .service_common import KamServiceCommon

LEDGER_SPEC = {"buyer_id": {}, "due": {}, "received": {}, "outstanding": {}, "ageing": {}, "receipt_count": {}}
DESK_SPEC = {
    "line_count": {}, "desk_called_count": {}, "desk_ticket_count": {}, "desk_voucher_count": {},
    "desk_remaining_count": {}, "current_line_id": {}, "next_position": {},
}


@contextmanager
def read_only(env):
    """The rest of the block runs in a read-only transaction, then is rolled back as if it never ran."""
    env.flush_all()
    savepoint = env.cr.savepoint(flush=False)
    env.cr.execute("SET TRANSACTION READ ONLY")
    try:
        yield
    finally:
        savepoint.close(rollback=True)
        env.invalidate_all()


def routed_read_only(model, method):
    """Whether ``/web/dataset/call_kw`` gives ``model.method`` a read-only cursor, as Odoo decides it
    (web/controllers/dataset.py ``_call_kw_readonly``: the method's ``@api.readonly``)."""
    for cls in type(model).mro():
        found = getattr(cls, method, None)
        if found is not None and hasattr(found, "_readonly"):
            return found._readonly
    return False


class ReadOnlyAsserts:
    def test_the_read_only_block_refuses_writes(self):
        """The check the tests below stand on: a write inside ``read_only`` fails as on a standby."""
        with read_only(self.env), mute_logger("odoo.sql_db"), self.assertRaises(ReadOnlySqlTransaction):
            self.env.cr.execute("UPDATE res_company SET name = name")

    def assertSameOnReplica(self, call):
        """``call()`` gives the same result in a read-only transaction as in the read/write one."""
        on_primary = call()
        self.env.invalidate_all()
        with read_only(self.env):
            on_replica = call()
        self.assertEqual(on_replica, on_primary)
        return on_replica


@tagged("post_install", "-at_install")
class TestDeskReadsOnReplica(ReadOnlyAsserts, KamDeskCommon):
    """The receipt ledger and its pivot (finance), the sales control grid (sales) and the desk screen's figures
    (the clerk), with one ticket issued and one receipt registered."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        name, number = BUYERS[0]
        cls.ticket = cls.env["kam.room.ticket"].with_user(cls.clerk).create(
            {"contract_id": cls.contract.id, "buyer_name": name, "id_number": number, "unit_id": cls.units[0].id,
             "payment_ratio": 50.0, "deposit_amount": 20_000.0, "draw_line_id": cls._desk_line(0).id}
        )
        cls.ticket.action_issue()
        receipt = cls.env["kam.housing.receipt"].with_user(cls.kam_users["user"]).create(
            {"name": "RR-001", "contract_id": cls.contract.id, "buyer_id": cls.ticket.buyer_id.id,
             "amount": 30_000.0, "kind": "house"}
        )
        receipt.with_user(cls.finance).action_register()
        cls.draw = cls.env["kam.selection.draw"].search([("contract_id", "=", cls.contract.id), ("state", "=", "done")])

    def test_the_ledger_and_its_pivot_run_read_only(self):
        Ledger = self.env["kam.housing.receipt.ledger"].with_user(self.finance)
        domain = [("contract_id", "=", self.contract.id)]
        for method in ("web_search_read", "formatted_read_group", "formatted_read_grouping_sets"):
            self.assertTrue(routed_read_only(Ledger, method), method)
        page = self.assertSameOnReplica(lambda: Ledger.web_search_read(domain, LEDGER_SPEC))
        row = next(r for r in page["records"] if r["buyer_id"] == self.ticket.buyer_id.id)
        self.assertEqual(row["due"], self.ticket.amount_due)
        self.assertEqual((row["received"], row["receipt_count"]), (30_000.0, 1))
        self.assertEqual(row["outstanding"], self.ticket.amount_due - 30_000.0)
        # the pivot: still due by ageing, and by key-account manager × ageing
        groups = self.assertSameOnReplica(
            lambda: Ledger.formatted_read_group(domain, ["ageing"], ["due:sum", "received:sum", "outstanding:sum"])
        )
        self.assertEqual(sum(g["received:sum"] for g in groups), 30_000.0)
        self.assertEqual(sum(g["outstanding:sum"] for g in groups), self.ticket.amount_due - 30_000.0)
        self.assertSameOnReplica(
            lambda: Ledger.formatted_read_grouping_sets(domain, [["user_id", "ageing"], ["user_id"], []], ["due:sum"])
        )

    def test_the_sales_control_grid_runs_read_only(self):
        project = self.project.with_user(self.kam_users["sales"])
        self.assertTrue(routed_read_only(project, "get_sales_control_grid"))
        grid = self.assertSameOnReplica(project.get_sales_control_grid)
        cell = next(
            cell for building in grid["buildings"] for cells in building["floors"].values() for cell in cells
            if cell["id"] == self.units[0].id
        )
        self.assertEqual(cell["desk_state"], "ticketed")

    def test_the_desk_screens_figures_run_read_only(self):
        draw = self.draw.with_user(self.clerk)
        self.assertTrue(routed_read_only(draw, "web_read"))
        [figures] = self.assertSameOnReplica(lambda: draw.web_read(DESK_SPEC))
        # the buyers called up to buyer 0's number
        self.assertEqual(figures["desk_called_count"], len(self.draw.line_ids.filtered("called_date")))
        self.assertGreaterEqual(figures["desk_called_count"], 1)
        self.assertEqual(figures["desk_ticket_count"], 1)
        self.assertEqual(figures["desk_voucher_count"], 0)
        self.assertEqual(figures["desk_remaining_count"], figures["line_count"] - figures["desk_called_count"])
        # the desk list: every draw of the clerk's company with its figures
        Draw = self.env["kam.selection.draw"].with_user(self.clerk)
        self.assertSameOnReplica(lambda: Draw.web_search_read([], DESK_SPEC))


@tagged("post_install", "-at_install")
class TestReportReadsOnReplica(ReadOnlyAsserts, KamServiceCommon):
    """The monthly key-account report (KA10) and the tier review's proposal, as the director reads them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.kam_tier_scheme_id = False
        cls._invoices(
            [
                (cls.strategic, 100000.0, cls._d("2026-10-15"), cls._d("2026-11-14")),
                (cls.a_account, 8000.0, cls._d("2026-10-01"), cls._d("2026-10-01")),
                (cls.theirs, 3000.0, cls._d("2026-10-20"), cls._d("2026-11-20")),
            ]
        )
        cls.director = cls.kam_users["manager"]

    def _monthly_sheet(self, data):
        content, _kind = self.env["ir.actions.report"].with_user(self.director)._render_xlsx(
            "kam_management.monthly_xlsx", None, data=data
        )
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        return [[cell.value for cell in row] for row in sheet.iter_rows()]

    def test_the_monthly_report_prints_from_its_options_read_only(self):
        report = self.env["kam.service.report"].with_user(self.director).create({"month": "2026-10-01"})
        action = report.action_print_monthly()
        self.assertEqual(action["data"], {"kam_company_id": self.env.company.id, "kam_month": "2026-10-01"})
        rows = self.assertSameOnReplica(lambda: self._monthly_sheet(action["data"]))
        # the same sheet as the wizard's own print
        content, _kind = self.env["ir.actions.report"]._render("kam_management.monthly_xlsx", report.ids, {})
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        self.assertEqual(rows, [[cell.value for cell in row] for row in sheet.iter_rows()])
        header = rows[3]
        strategic = next(row for row in rows if row[0] == self.strategic.name)
        self.assertEqual(strategic[header.index("Revenue of the Month")], 100000.0)

    def test_another_companys_report_is_refused_from_its_options(self):
        other = self.env["res.company"].create({"name": "Other Developer"})
        with self.assertRaises(AccessError):
            self._monthly_sheet({"kam_company_id": other.id, "kam_month": "2026-10-01"})
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.kam_users["sales"])._render_xlsx(
                "kam_management.monthly_xlsx", None, data={"kam_company_id": self.env.company.id, "kam_month": "2026-10-01"}
            )

    def test_the_tier_reviews_proposal_figures_run_read_only(self):
        review = self.env["kam.tier.review"].with_user(self.director).create(
            {"scheme_id": self.scheme_abcd.id, "date_from": "2026-01-01", "date_to": "2026-12-31"}
        )
        self.assertTrue(routed_read_only(review, "get_proposal_figures"))
        self.assertFalse(routed_read_only(review, "action_compute"))  # it stores the proposal: the primary's
        proposal = self.assertSameOnReplica(review.get_proposal_figures)
        self.assertFalse(review.line_ids, "the read-only figures store nothing")
        review.action_compute()
        self.assertEqual(proposal["company_revenue"], review.company_revenue)
        stored = {
            line.partner_id.id: (line.proposed_tier_id.id, line.movement, line.revenue, line.score, line.rank)
            for line in review.line_ids
        }
        computed = {
            line["partner_id"]: (line["proposed_tier_id"], line["movement"], line["revenue"], line["score"], line["rank"])
            for line in proposal["lines"]
        }
        self.assertEqual(computed, stored)
        self.assertEqual(computed[self.strategic.id][2], 100000.0)


@tagged("post_install", "-at_install")
class TestReportDownloadOnReplica(KamServiceCommon, HttpCase):
    """The web client downloads the monthly report through /report/download: read-only for the report printed from
    its options, read/write (Odoo's) for every other download."""

    def _download(self, user, company):
        """Download the monthly report of ``company`` as ``user``; ``(response, data)``."""
        user.password = "kam-replica-password"
        options = json.dumps({"kam_company_id": company.id, "kam_month": "2026-10-01"})
        url = f"/report/xlsx/kam_management.monthly_xlsx?{urlencode({'options': options, 'context': '{}'})}"
        data = json.dumps([url, "xlsx"])
        self.authenticate(user.login, "kam-replica-password")
        return self.url_open(f"/report/download?{urlencode({'data': data})}"), data

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_model")
    def test_the_download_refuses_who_cannot_read_the_companys_reports(self):
        """The download reads the figures under sudo: who lacks the reports of that company gets a refusal (403),
        not report_xlsx's error page with a 200."""
        other_company = self.env["res.company"].create({"name": "Other Developer"})
        outsider = new_test_user(
            self.env, login="kam_test_replica_outsider", groups="kam_management.group_kam_manager",
            company_id=other_company.id, company_ids=[other_company.id],
        )
        for user in (outsider, self.kam_users["sales"]):
            response, _data = self._download(user, self.env.company)
            self.assertEqual(response.status_code, 403, user.login)
        response, _data = self._download(outsider, other_company)
        self.assertEqual(response.status_code, 200)

    def test_the_download_of_the_monthly_report_gets_a_read_only_cursor(self):
        monthly = type(self.env["report.kam_management.monthly_xlsx"])
        generate = monthly.generate_xlsx_report
        cursors = []

        def spy(report, workbook, data, objs):
            cursors.append(report.env.cr.readonly)
            return generate(report, workbook, data, objs)

        with patch.object(monthly, "generate_xlsx_report", spy):
            response, data = self._download(self.kam_users["manager"], self.env.company)
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        self.assertIn("2026-10", response.headers["Content-Disposition"])
        self.assertEqual(cursors, [True])
        # only these downloads: a print of saved records, or another report, keeps Odoo's read/write cursor
        self.assertEqual(_read_only_report(data)[0], "kam_management.monthly_xlsx")
        self.assertIsNone(_read_only_report(json.dumps(["/report/xlsx/kam_management.monthly_xlsx/7", "xlsx"])))
        self.assertIsNone(_read_only_report(data.replace("monthly", "sales_control")))
