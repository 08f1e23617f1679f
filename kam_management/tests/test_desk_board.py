import json
import threading
import time
from unittest.mock import patch
from urllib.parse import quote

from lxml import etree

from odoo import api
from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import KamJsonRpcMixin
from .desk_common import BUYERS
from .test_selection_desk_screen import KamDeskScreenCommon


def _mistyped(number):
    """``number`` with another check digit: what a clerk types with one key wrong."""
    return number[:-1] + ("0" if number[-1] != "0" else "1")


@tagged("post_install", "-at_install")
class TestDeskQuote(KamDeskScreenCommon):
    """Issue 19: the desk sees the price before it issues; the picker shows area, layout and price; a mistyped ID
    says so; the row dialog keeps the ID masked; the ticket and voucher forms print."""

    def _checked_line(self, buyer=0):
        line = self.draw.line_ids.sorted("position")[buyer]
        self.draw.with_user(self.clerk).action_call_next()
        return line

    def test_the_ticket_shows_the_price_once_the_unit_is_picked(self):
        line = self._checked_line()
        wizard = self.env["kam.desk.id.check"].with_user(self.clerk).create(
            {"line_id": line.id, "name": BUYERS[0][0], "id_number": BUYERS[0][1]}
        )
        context = wizard.action_check()["context"]
        with Form(self.Ticket.with_user(self.clerk).with_context(context)) as form:
            self.assertEqual((form.quote_area, form.quote_amount_total), (0.0, 0.0), "no unit, no price yet")
            form.unit_id = self.units[0]  # B1-101: 100 m² on floor 1 at 6,000/m², 50 % due
            self.assertEqual(
                (form.quote_area, form.quote_price_per_m2, form.quote_amount_total, form.quote_amount_due),
                (100.0, 6000.0, 600_000.0, 300_000.0),
            )
            form.payment_ratio = 100.0
            form.full_payment_discount = True  # the contract's 2 %
            self.assertEqual((form.quote_amount_total, form.quote_amount_due), (588_000.0, 588_000.0))
            form.unit_id = self.units[3]  # B1-104: 80 m²
            self.assertEqual((form.quote_area, form.quote_amount_total), (80.0, 470_400.0))
        ticket = form.record
        self.assertFalse(ticket.amount_due, "nothing is stored before the issue")
        ticket.action_issue()
        self.assertEqual((ticket.amount_total, ticket.amount_due), (470_400.0, 470_400.0))
        self.assertEqual(
            (ticket.quote_area, ticket.quote_amount_total, ticket.quote_amount_due), (80.0, 470_400.0, 470_400.0),
            "once issued the ticket shows its snapshot",
        )

    def test_the_unit_picker_shows_area_layout_and_price_to_the_desk_only(self):
        def picker(user):
            Unit = self.env["kam.housing.unit"].with_user(user).with_context(kam_desk_contract_id=self.contract.id)
            found = Unit.web_name_search("B1-10", {"display_name": {}}, domain=[("id", "=", self.units[0].id)])
            return found[0]["__formatted_display_name"]

        symbol = self.env.company.currency_id.symbol
        self.assertEqual(
            picker(self.clerk), f"B1-101\t--100.00 m² · A · {symbol}\u00a06,000.00/m² · {symbol}\u00a0600,000.00--"
        )
        # retail sales do not read the contract: the picker tells them no key-account price (SEC1)
        self.assertEqual(picker(self.kam_users["sales"]), "B1-101")
        self.assertEqual(self.units[0].with_user(self.clerk).display_name, "B1-101", "plain elsewhere")

    def test_a_mistyped_id_says_its_check_digit_is_wrong(self):
        line = self._checked_line()
        wizard = self.env["kam.desk.id.check"].with_user(self.clerk).create(
            {"line_id": line.id, "name": BUYERS[0][0], "id_number": _mistyped(BUYERS[0][1])}
        )
        with self.assertRaisesRegex(UserError, "has a wrong check digit: a digit was probably mistyped"):
            wizard.action_check()
        # another buyer's (valid) number is a mismatch with the list
        wizard.id_number = BUYERS[1][1]
        with self.assertRaisesRegex(UserError, "does not match the verified list"):
            wizard.action_check()
        # typed with spaces and a Chinese input method's full-width digits, it is the buyer's number
        wizard.id_number = " ".join([BUYERS[0][1][:6], BUYERS[0][1][6:14], BUYERS[0][1][14:]]).translate(
            str.maketrans("0123456789", "０１２３４５６７８９")
        )
        self.assertEqual(wizard.action_check()["res_model"], "kam.room.ticket")
        self.assertEqual(line.id_check_result, "match")

    def test_the_order_row_dialog_keeps_the_id_masked(self):
        for view in ("kam_selection_draw_view_form_desk", "kam_selection_draw_view_form"):
            with self.subTest(view=view):
                arch = self.env["kam.selection.draw"].with_user(self.clerk).get_views(
                    [(self.env.ref(f"kam_management.{view}").id, "form")]
                )["views"]["form"]["arch"]
                dialog = etree.fromstring(arch).xpath("//field[@name='line_ids']/form")
                self.assertTrue(dialog, "the row opens the desk's own dialog, not a generated form")
                names = dialog[0].xpath(".//field/@name")
                self.assertIn("id_number_masked", names)
                self.assertNotIn("id_number", names)

    def test_ticket_and_voucher_forms_print(self):
        for model, report in (
            ("kam.room.ticket", "action_report_kam_room_ticket"),
            ("kam.room.voucher", "action_report_kam_room_voucher"),
        ):
            with self.subTest(model=model):
                arch = self.env[model].with_user(self.clerk).get_views([(False, "form")])["views"]["form"]["arch"]
                action = self.env.ref(f"kam_management.{report}")
                buttons = etree.fromstring(arch).xpath(f"//header/button[@type='action'][@name='{action.id}']")
                self.assertEqual([b.get("string") for b in buttons], ["Print"])


@tagged("post_install", "-at_install")
class TestDeskQuoteRpc(KamJsonRpcMixin, KamDeskScreenCommon, HttpCase):
    def test_a_client_writes_no_price_on_a_ticket(self):
        line = self._desk_line()
        self.authenticate(self.clerk.login, self.clerk.login)
        cheap = {"quote_amount_total": 1.0, "quote_amount_due": 1.0, "quote_price_per_m2": 1.0, "quote_area": 1.0}
        ticket_id = self._result(self._call("kam.room.ticket", "create", [{
            "contract_id": self.contract.id, "draw_line_id": line.id, "buyer_name": BUYERS[0][0],
            "id_number": BUYERS[0][1], "unit_id": self.units[0].id, "payment_ratio": 50.0,
            "deposit_amount": 20_000.0, **cheap,
        }]))
        self._call("kam.room.ticket", "write", [[ticket_id], cheap])
        self._assert_refused(
            self._call("kam.room.ticket", "write", [[ticket_id], {"amount_due": 1.0, "amount_total": 1.0}]),
            "change only through the document's buttons",
        )
        ticket = self.Ticket.browse(ticket_id)
        self.assertEqual((ticket.quote_amount_total, ticket.quote_amount_due), (600_000.0, 300_000.0))
        self._result(self._call("kam.room.ticket", "action_issue", [[ticket_id]]))
        ticket.invalidate_recordset()
        self.assertEqual((ticket.amount_total, ticket.amount_due), (600_000.0, 300_000.0))

    def _desk_line(self):
        line = self.draw.line_ids.sorted("position")[0]
        self.draw.with_user(self.clerk).action_call_next()
        line.with_user(self.clerk).action_check_id(*BUYERS[0])
        return line


@tagged("post_install", "-at_install")
class TestSalesControlLiveBoard(KamDeskScreenCommon):
    """Issue 19: the sales control grid is the live board of the selection: units chosen, ticketed and vouchered,
    the list price in the tooltip, the ticket's price only to key-account price readers, a bus message per
    change on the project's channel, granted only to who may read the project."""

    def _cell(self, user, unit):
        grid = self.project.with_user(user).get_sales_control_grid()
        building = next(b for b in grid["buildings"] if b["name"] == unit.building_id.name)
        cell = next(c for c in building["floors"][unit.floor] if c["id"] == unit.id)
        counts = {total["state"]: total["count"] for total in grid["desk_summary"]}
        return cell, counts

    def test_the_grid_follows_the_desk_and_tells_the_bus(self):
        sales = self.kam_users["sales"]
        unit = self.units[0]
        cell, counts = self._cell(sales, unit)
        self.assertEqual((cell["desk_state"], counts), (False, {"chosen": 0, "ticketed": 0, "vouchered": 0}))
        symbol = self.env.company.currency_id.symbol
        self.assertEqual(cell["price_display"], f"{symbol}\u00a01,000,000.00", "the public list price")
        sent = []
        with patch.object(type(self.env["bus.bus"]), "_sendone", lambda bus, *args: sent.append(args)):
            line = self.draw.line_ids.sorted("position")[0]
            self.draw.with_user(self.clerk).action_call_next()
            line.with_user(self.clerk).action_check_id(*BUYERS[0])
            ticket = self._ticket(unit=unit, draw_line_id=line.id)
            self.assertEqual(self._cell(sales, unit)[0]["desk_state"], "chosen")
            ticket.action_issue()
            ticket.signed_copy = b"c2lnbmVk"
            cell, counts = self._cell(sales, unit)
            self.assertEqual((cell["desk_state"], counts["ticketed"]), ("ticketed", 1))
            self.assertEqual(cell["ticket_total_display"], "", "no key-account price for retail sales (SEC1)")
            self.assertEqual(self._cell(self.finance, unit)[0]["ticket_total_display"], f"{symbol}\u00a0600,000.00")
            ticket.with_user(self.finance).action_review()
            self._register_receipt("WJB-0001", 300_000.0, line)
        self.assertEqual(ticket.state, "vouchered")
        cell, counts = self._cell(sales, unit)
        self.assertEqual((cell["desk_state"], counts["vouchered"], counts["ticketed"]), ("vouchered", 1, 0))
        self.assertEqual(unit.desk_state, "vouchered")
        channel = (self.project, "kam_sales_control")
        messages = [(target, kind, payload) for target, kind, payload in sent if target == channel]
        self.assertGreaterEqual(len(messages), 3, "chosen, issued, vouchered: each is told")
        self.assertEqual(
            {(kind, payload["project_id"], tuple(payload["unit_ids"])) for _target, kind, payload in messages},
            {("kam_management/sales_control", self.project.id, (unit.id,))},
        )

    def test_the_grid_channel_is_granted_to_who_reads_the_project(self):
        outsider_company = self.env["res.company"].create({"name": "Other Developer"})
        outsider = new_test_user(
            self.env, login="kam_test_sales_outsider", groups="kam_management.group_kam_sales",
            company_id=outsider_company.id, company_ids=[outsider_company.id],
        )
        asked = [f"kam_sales_control:{self.project.id}", "kam_sales_control:x", "kam_sales_control:999999999"]
        Websocket = self.env["ir.websocket"]
        self.assertEqual(
            Websocket.with_user(self.kam_users["sales"])._kam_sales_control_channels(asked),
            [(self.project, "kam_sales_control")],
        )
        self.assertEqual(Websocket.with_user(outsider)._kam_sales_control_channels(asked), [])


# the department's own demo users on the Chinese demo database (its desk, contract and buyers)
@tagged("post_install", "-at_install", "kam_demo_db")
class TestDeskJourneysTour(HttpCase):
    """Issue 19: the clerk's and sales' days in the browser, as the demo's kam_clerk and kam_sales."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        project = cls.env.ref("kam_management.demo_project_binhu")
        cls.draw = cls.env["kam.selection.draw"].search(
            [("contract_id.project_id", "=", project.id), ("state", "=", "done")], limit=1
        )
        cls.contract = cls.draw.contract_id
        cls.clerk = cls.env.ref("kam_management.user_kam_ticket_clerk")
        cls.finance = cls.env.ref("kam_management.user_kam_finance")
        cls.staff = cls.env.ref("kam_management.user_kam_user")
        cls.sales = cls.env.ref("kam_management.user_kam_sales")

    def _free_unit(self):
        return self.env["kam.housing.unit"].search(
            [("contract_id", "=", self.contract.id), ("current_holding_id.ticket_id", "=", False)], order="name", limit=1
        )

    def _amount(self, amount):
        return f"{amount:,.2f}"

    def _cookie(self, values):
        return {"kam_tour": quote(json.dumps(values, ensure_ascii=False))}

    def _spy(self, model, method, calls):
        """Record the calls of ``model.method`` (who, which records), and let them through."""
        cls = type(self.env[model])
        original = getattr(cls, method)

        def spy(records, *args, **kwargs):
            calls.append((records.env.uid, records, args))
            return original(records, *args, **kwargs)

        return patch.object(cls, method, spy)

    def test_the_clerk_calls_checks_sees_the_price_issues_and_prints(self):
        buyer = self.draw.next_line_id.sudo().buyer_id
        unit = self._free_unit()
        price = self.contract.approved_pricing_id._unit_price_per_m2(unit)
        total = unit.currency_id.round(price * unit.area)
        due = unit.currency_id.round(total * self.contract.payment_ratio / 100)
        card = {
            "buyer": buyer.name, "id_number": buyer.id_number, "unit": unit.name, "area": f"{unit.area:.2f}",
            "price": self._amount(price), "total": self._amount(total), "due": self._amount(due),
        }
        printed = []
        with self._spy("ir.actions.report", "_render_qweb_pdf", printed):
            self.start_tour("/odoo", "kam_desk_clerk_journey", login="kam_clerk", cookies=self._cookie(card))
        ticket = self.env["kam.room.ticket"].search([("buyer_id", "=", buyer.id), ("state", "=", "issued")])
        self.assertEqual((ticket.issued_by_id, ticket.unit_id), (self.clerk, unit))
        self.assertEqual((ticket.amount_total, ticket.amount_due), (total, due))
        self.assertEqual(
            [(uid, records._name, args[0]) for uid, records, args in printed],
            [(self.clerk.id, "ir.actions.report", "kam_management.report_kam_room_ticket")],
        )
        self.assertEqual(printed[0][2][1], ticket.ids)

    def test_sales_watch_the_desk_voucher_repaint_the_grid_and_export_it(self):
        # the desk has ticketed the next buyer, finance reviewed it: the voucher waits for the employer's receipt
        line = self.draw.next_line_id
        buyer = line.sudo().buyer_id
        unit = self._free_unit()
        self.draw.with_user(self.clerk).action_call_next()
        line.with_user(self.clerk).action_check_id(buyer.name, buyer.id_number)
        ticket = self.env["kam.room.ticket"].with_user(self.clerk).create({
            "contract_id": self.contract.id, "draw_line_id": line.id, "buyer_name": buyer.name,
            "id_number": buyer.id_number, "unit_id": unit.id, "payment_ratio": self.contract.payment_ratio,
            "deposit_amount": 20_000.0, "signed_copy": "c2lnbmVk",
        })
        ticket.action_issue()
        ticket.with_user(self.finance).action_review()
        project = unit.project_id
        vouchered = sum(c["desk_state"] == "vouchered" for b in project.get_sales_control_grid()["buildings"]
                        for cells in b["floors"].values() for c in cells)
        watch = {
            "building": unit.building_id.name, "number": unit.number,
            "list_price": self._amount(unit.list_price), "vouchered": "已开凭证", "vouchered_count": vouchered + 1,
        }
        # finance registers the employer's receipt while the grid is open: the voucher is issued on the server
        grid_read, registered, errors = threading.Event(), threading.Event(), []
        grids = []

        def register_the_receipt():
            try:
                if not grid_read.wait(30):
                    raise AssertionError("the grid was never read")
                time.sleep(1)  # the grid's bus channel is being subscribed
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, self.staff.id, {})
                    receipt = env["kam.housing.receipt"].create({
                        "name": "WJB-TOUR", "contract_id": self.contract.id, "buyer_id": buyer.id,
                        "amount": ticket.amount_due, "kind": "house",
                    })
                    receipt.with_user(self.finance).action_register()  # staff prepare, finance registers
                registered.set()
            except Exception as error:  # reported by the test after the tour
                errors.append(error)

        def grid_spy(records, *args, **kwargs):
            result = original_grid(records, *args, **kwargs)
            grids.append(records.env.uid)
            if records.env.uid == self.sales.id:
                grid_read.set()
            return result

        Project = type(self.env["kam.housing.project"])
        original_grid = Project.get_sales_control_grid
        xlsx = []
        worker = threading.Thread(target=register_the_receipt, daemon=True)
        with patch.object(Project, "get_sales_control_grid", grid_spy), \
                self._spy("report.kam_management.sales_control_xlsx", "generate_xlsx_report", xlsx):
            worker.start()
            self.start_tour("/odoo", "kam_sales_live_board", login="kam_sales", cookies=self._cookie(watch))
            worker.join(30)
        self.assertFalse(errors, errors)
        self.assertTrue(registered.is_set())
        ticket.invalidate_recordset()
        self.assertEqual(ticket.state, "vouchered")
        self.assertGreaterEqual(grids.count(self.sales.id), 2, "the grid read itself again after the bus message")
        self.assertEqual([(uid, args[2]) for uid, _records, args in xlsx], [(self.sales.id, project)])
