import io

import openpyxl
import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import KamTwoConnectionsMixin
from .housing_common import KamHousingCommon


@tagged("post_install", "-at_install")
class TestSalesControlTable(KamHousingCommon):
    def test_a_unit_has_one_active_holder(self):
        unit = self.units[0]
        holding = self.env["kam.unit.holding"]._reserve_retail(unit, "Li Na")
        self.assertEqual(unit.state, "retail")
        with self.assertRaisesRegex(ValidationError, "Unit B1-101 is already held .*it cannot be sold twice"):
            self.env["kam.unit.holding"]._reserve_retail(unit, "Zhao Lei")
        holding.action_release()
        self.assertEqual(unit.state, "available")
        second = self.env["kam.unit.holding"]._reserve_retail(unit, "Zhao Lei")
        self.assertEqual(unit.current_holding_id, second)
        self.assertEqual(len(unit.holding_ids), 2, "a release keeps the history")
        with self.assertRaisesRegex(ValidationError, "release them, do not delete them"):
            holding.sudo().unlink()
        with self.assertRaisesRegex(UserError, "keeps the building, floor, number, layout and area"):
            unit.area = 120.0
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            unit.unlink()
        unit.list_price = 1_100_000.0  # the retail list price may change

    def test_the_database_refuses_a_second_active_holder(self):
        unit = self.units[1]
        self.env["kam.unit.holding"]._reserve_retail(unit, "Retail")
        self.env.flush_all()
        # straight to SQL, past every check of the ORM: the partial unique index refuses it
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.UniqueViolation), self.env.cr.savepoint():
            self.env.cr.execute(
                """INSERT INTO kam_unit_holding (unit_id, channel, state, date_start)
                   VALUES (%s, 'retail', 'active', now())""",
                (unit.id,),
            )

    def test_grid_data_of_a_project(self):
        self.env["kam.unit.holding"]._reserve_retail(self.units[0], "Retail")
        grid = self.project.get_sales_control_grid()
        self.assertEqual([b["name"] for b in grid["buildings"]], ["B1", "B2"])
        floors = grid["buildings"][0]["floors"]
        self.assertEqual(sorted(floors), [1, 2, 3, 4])
        self.assertEqual([cell["number"] for cell in floors[1]], ["101", "102", "103", "104", "105"])
        self.assertEqual(floors[1][0]["state"], "retail")
        self.assertEqual(floors[1][1]["state"], "available")
        # retail sales read the table
        self.project.with_user(self.kam_users["sales"]).get_sales_control_grid()

    def test_grid_of_another_companys_project_is_refused(self):
        other_company = self.env["res.company"].create({"name": "Other Developer"})
        outsider = new_test_user(
            self.env,
            login="kam_test_sales_other_company",
            groups="kam_management.group_kam_sales",
            company_id=other_company.id,
            company_ids=[other_company.id],
        )
        # the grid reads units by SQL: the project's company rule must still apply
        with self.assertRaises(AccessError):
            self.project.with_user(outsider).get_sales_control_grid()

    def test_the_project_opens_its_grid(self):
        action = self.project.action_open_sales_control()
        self.assertEqual(action["tag"], "kam_sales_control_grid")
        self.assertEqual(action["context"], {"default_project_id": self.project.id})
        self.assertEqual(self.project.available_unit_count, 40)
        self.env["kam.unit.holding"]._reserve_retail(self.units[0], "Retail")
        self.project.invalidate_recordset(["available_unit_count"])
        self.assertEqual(self.project.available_unit_count, 39)

    def test_sales_read_the_table_but_not_costs(self):
        sales_unit = self.units[0].with_user(self.kam_users["sales"])
        self.assertEqual(sales_unit.state, "available")
        with self.assertRaises(AccessError):
            sales_unit.read(["cost_price"])
        with self.assertRaises(AccessError):
            sales_unit.write({"list_price": 1.0})
        self.assertEqual(self.units[0].with_user(self.kam_users["cost"]).read(["cost_price"])[0]["cost_price"], 500_000.0)

    def test_xlsx_export_of_the_sales_control_table(self):
        self.env["kam.unit.holding"]._reserve_retail(self.units[0], "Retail")
        report = self.env.ref("kam_management.action_report_kam_sales_control_xlsx")
        content, report_type = self.env["ir.actions.report"]._render(report.report_name, self.project.ids, {})
        self.assertEqual(report_type, "xlsx")
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(book.sheetnames, ["LG-B1", "LG-B2"])
        sheet = book["LG-B1"]
        self.assertEqual(sheet["A4"].value, 4)  # top floor first
        self.assertEqual(sheet["A7"].value, 1)
        self.assertTrue(sheet["B7"].value.startswith("101\nA 100.00m²\nRetail"))
        self.assertTrue(sheet["C7"].value.endswith("Available"))


@tagged("post_install", "-at_install")
class TestSalesControlConcurrency(KamTwoConnectionsMixin, TransactionCase):
    """Two transactions taking the same unit: one succeeds, the other is refused (SEC4)."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            project = env["kam.housing.project"].create({"name": "Concurrency Test Project"})
            building = env["kam.housing.building"].create({"name": "C1", "project_id": project.id})
            unit = env["kam.housing.unit"].create({"building_id": building.id, "floor": 1, "number": "101", "area": 90})
            cr.commit()
        self.ids = {"project": project.id, "building": building.id, "unit": unit.id}
        self._open_two_connections()

    def _delete_committed(self, cr):
        # holdings are history the ORM refuses to delete; this is test data
        cr.execute("DELETE FROM kam_unit_holding WHERE unit_id = %s", (self.ids["unit"],))
        cr.execute("DELETE FROM kam_housing_unit WHERE id = %s", (self.ids["unit"],))
        cr.execute("DELETE FROM kam_housing_building WHERE id = %s", (self.ids["building"],))
        cr.execute("DELETE FROM kam_housing_project WHERE id = %s", (self.ids["project"],))

    def test_second_cursor_is_refused_while_the_first_transaction_is_open(self):
        env1 = api.Environment(self.cr1, SUPERUSER_ID, {})
        env2 = api.Environment(self.cr2, SUPERUSER_ID, {})
        vals = {"unit_id": self.ids["unit"], "channel": "retail"}
        env1["kam.unit.holding"].create(dict(vals, holder_name="first"))  # open, not committed
        with self.assertRaisesRegex(ValidationError, "Another user is taking one of these units right now"):
            env2["kam.unit.holding"].create(dict(vals, holder_name="second"))
        self.cr2.rollback()
        self.cr1.commit()
        env2.invalidate_all()
        # after the first commits, the second is refused by name
        with self.assertRaisesRegex(ValidationError, "already held"):
            env2["kam.unit.holding"].create(dict(vals, holder_name="second"))
        self.cr2.rollback()
        self.cr2.execute(
            "SELECT holder_name FROM kam_unit_holding WHERE unit_id = %s AND state = 'active'", (self.ids["unit"],)
        )
        self.assertEqual(self.cr2.fetchall(), [("first",)])


# kam_demo_db: the tours walk the demo project's grid as the demo users
@tagged("post_install", "-at_install", "kam_demo_db")
class TestSalesControlGridTour(HttpCase):
    def test_grid_of_the_demo_project_in_the_browser(self):
        self.start_tour("/odoo/action-kam_management.action_kam_sales_control_grid", "kam_sales_control_grid", login="admin")

    def test_retail_sales_reserve_and_release_from_the_grid(self):
        self.start_tour(
            "/odoo/action-kam_management.action_kam_sales_control_grid", "kam_sales_control_reserve", login="kam_sales"
        )
        unit = self.env["kam.housing.unit"].search(
            [("project_id", "=", self.env.ref("kam_management.demo_project_binhu").id), ("number", "=", "1605"),
             ("building_id.name", "=", "2号楼")]
        )
        self.assertEqual(unit.state, "available")
        self.assertEqual(unit.holding_ids[:1].holder_name, "李娜")


# kam_demo_db: it checks the housing demo itself
@tagged("post_install", "-at_install", "kam_demo_db")
class TestHousingDemoData(TransactionCase):
    def test_demo_matches_the_spec(self):
        # Odoo only logs a warning when demo data fails to load: this test makes it a failure
        project = self.env.ref("kam_management.demo_project_binhu", raise_if_not_found=False)
        self.assertTrue(project, "the housing demo data did not load")
        self.assertEqual(len(project.building_ids), 2)
        self.assertEqual(len(project.unit_ids), 200)
        contracts = self.env["kam.housing.contract"].search([("project_id", "=", project.id)])
        # the power company's contract is in selection; the hospital's is in negotiation, its buyers await the audit
        self.assertEqual(len(contracts), 2)
        waiting = contracts.filtered(lambda c: c.partner_id == self.env.ref("kam_management.demo_partner_hospital"))
        self.assertEqual((waiting.state, len(waiting.buyer_ids), waiting.buyer_audit_date), ("negotiation", 3, False))
        contract = contracts - waiting
        self.assertEqual(contract.state, "selection")
        self.assertEqual(contract.approved_pricing_id.validation_status, "validated")
        self.assertEqual(len(contract.buyer_ids), 150)
        self.assertTrue(contract.buyers_verified)
        self.assertEqual(contract.unit_count, 100)
        self.assertEqual(set(project.unit_ids.mapped("state")), {"ka", "retail", "available"})
