import base64
import csv
import datetime
import io
from unittest.mock import patch

import psycopg2
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..rules import selection_draw
from .common import KamJsonRpcMixin, sudo_force_state_for_fixture, sudo_set_terms_for_fixture
from .desk_common import BUYERS, RECOVERED, SIGNED, KamDeskCommon
from .housing_common import make_resident_id

OUTSIDER_ID = make_resident_id("110105", datetime.date(1990, 1, 1), 55)
CHILD_ID = make_resident_id("110105", datetime.date(2001, 6, 1), 66)


@tagged("post_install", "-at_install")
class TestSelectionDraw(KamDeskCommon):
    def _draw(self, **values):
        return self.env["kam.selection.draw"].with_user(self.clerk).create({"contract_id": self.contract.id, **values})

    def _seed(self, draw, seed):
        """Audit enters the public seed (issue 18: not the desk)."""
        draw.with_user(self.kam_users["audit"]).action_enter_seed(seed)

    def test_draw_commits_first_then_orders_by_sha256_of_commitment_seed_and_id(self):
        draw = self._draw()
        with self.assertRaisesRegex(UserError, "seed is entered once the list is frozen"):
            self._seed(draw, "8 3 1 4")
        draw.action_freeze()
        ids = [number for _name, number in BUYERS]
        self.assertEqual(draw.commitment, selection_draw.list_commitment(ids))
        with self.assertRaisesRegex(UserError, "Enter the public seed"):
            draw.action_draw()
        self._seed(draw, "8 3 1 4")
        draw.action_draw()
        self.assertEqual(draw.state, "done")
        expected = selection_draw.draw_order(draw.commitment, "8 3 1 4", ids)
        self.assertEqual(draw.line_ids.sorted("position").buyer_id.mapped("id_number"), expected)
        # read-only once done: neither the seed nor the order changes
        with self.assertRaises(UserError):
            draw.seed = "9"
        with self.assertRaises(UserError):
            draw.line_ids[0].position = 9
        with self.assertRaises(UserError):
            draw.unlink()

    def test_the_order_is_named_in_each_readers_language(self):
        draw = self._draw()
        self.env["res.lang"]._activate_lang("zh_CN")
        contract = self.contract.name
        self.assertEqual(draw.with_context(lang="en_US").display_name, f"Selection order of {contract}")
        self.assertEqual(draw.with_context(lang="zh_CN").display_name, f"{contract} 的选房顺序")
        found = self.env["kam.selection.draw"].with_user(self.clerk).name_search(contract)
        self.assertIn(draw.id, [draw_id for draw_id, _name in found])

    def test_exported_draw_is_rechecked_by_the_standalone_script(self):
        import pathlib
        import subprocess
        import sys

        draw = self._draw()
        draw.action_freeze()
        self._seed(draw, "lottery 2026-12-01 379")
        draw.action_draw()
        text = draw._export_text()
        script = pathlib.Path(__file__).resolve().parents[2] / "tools" / "verify_draw.py"
        path = pathlib.Path(self.env["ir.attachment"]._full_path("kam_draw_test.csv"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        try:
            result = subprocess.run([sys.executable, script, path], capture_output=True, text=True, check=False)
        finally:
            path.unlink()
        self.assertEqual(result.returncode, 0, result.stdout)
        self.assertTrue(result.stdout.strip().endswith("OK"))
        action = draw.action_export_for_verification()
        self.assertIn("/web/content/", action["url"])

    def test_a_redraw_needs_a_reason_and_supersedes_the_old_draw(self):
        draw = self._draw()
        draw.action_freeze()
        self._seed(draw, "1")
        draw.action_draw()
        with self.assertRaisesRegex(ValidationError, "re-draw needs its reason"):
            self._draw()
        redraw = self._draw(redraw_reason="The notary was absent at the first draw.")
        redraw.action_freeze()
        self._seed(redraw, "2")
        redraw.action_draw()
        self.assertEqual(draw.state, "superseded")
        self.assertEqual(redraw.previous_draw_id, draw)
        self.assertEqual(len(draw.line_ids), 4, "the old order is kept")

    def test_notary_file_with_a_duplicate_number_is_refused_whole(self):
        def notary(rows):
            buffer = io.StringIO()
            csv.writer(buffer).writerows([("position", "id_number"), *rows])
            return self._draw(
                method="notary", notary_reference="(2026) Jiang Notary No. 118",
                notary_file=base64.b64encode(buffer.getvalue().encode()), notary_filename="order.csv",
            )

        ids = [number for _name, number in BUYERS]
        bad = notary([(1, ids[0]), (2, ids[1]), (2, ids[2]), (4, "110105199001011234")])
        with self.assertRaises(UserError) as caught:
            bad.action_import_notary_order()
        message = str(caught.exception)
        self.assertIn("row 3: Number 2 is given twice.", message)
        self.assertIn("row 4: 110105199001011234 is not on the verified buyer list.", message)
        self.assertIn("Number 3 is missing.", message)
        self.assertIn(f"Verified buyer {ids[3]} has no number.", message)
        self.assertEqual(bad.state, "draft")
        self.assertFalse(bad.line_ids)
        bad.unlink()
        good = notary([(1, ids[2]), (2, ids[0]), (3, ids[3]), (4, ids[1])])
        good.action_import_notary_order()
        self.assertEqual(good.line_ids.sorted("position").buyer_id.mapped("id_number"), [ids[2], ids[0], ids[3], ids[1]])

    def test_desk_calls_in_order_and_checks_the_id(self):
        draw = self._draw()
        draw.action_freeze()
        self._seed(draw, "42")
        draw.action_draw()
        first = draw.line_ids.sorted("position")[0]
        action = draw.action_call_next()
        self.assertEqual(action["res_model"], "kam.desk.id.check")
        self.assertTrue(first.called_date)
        self.assertEqual(draw.next_line_id, draw.line_ids.sorted("position")[1])
        wrong = self.env["kam.desk.id.check"].with_user(self.clerk).create(
            {"line_id": first.id, "name": first.buyer_name, "id_number": BUYERS[0][1] if first.buyer_name != BUYERS[0][0] else BUYERS[1][1]}
        )
        with self.assertRaisesRegex(UserError, "does not match"):
            wrong.action_check()
        check = self.env["kam.desk.id.check"].with_user(self.clerk).create(
            {"line_id": first.id, "name": first.buyer_name, "id_number": first.sudo().buyer_id.id_number}
        )
        ticket_action = check.action_check()
        self.assertEqual(first.id_check_result, "match")
        self.assertEqual(ticket_action["context"]["default_draw_line_id"], first.id)
        # a finance user neither draws nor calls
        with self.assertRaises(AccessError):
            draw.with_user(self.finance).action_call_next()


@tagged("post_install", "-at_install")
class TestRoomTicket(KamDeskCommon):
    def test_issue_snapshots_the_approved_price_and_takes_the_unit(self):
        unit = self.units[0]  # B1-101, 100 m², floor 1: 6,000/m²
        ticket = self._ticket(unit=unit)
        ticket.action_issue()
        self.assertEqual(ticket.state, "issued")
        self.assertEqual(ticket.price_per_m2, 6000.0)
        self.assertEqual(ticket.amount_total, 600_000.0)
        self.assertEqual(ticket.amount_due, 300_000.0)
        self.assertEqual(ticket.amount_total_words, "陆拾万元整")
        self.assertEqual(ticket.buyer_id.name, "Zhang Wei")
        self.assertEqual(unit.current_holding_id.ticket_id, ticket)
        self.assertEqual(unit.contract_id, self.contract)
        self.assertTrue(ticket.name.startswith("XP"))
        # the snapshot is kept even when the approved price would move
        with self.assertRaisesRegex(UserError, "change only through the document's buttons"):
            ticket.write({"amount_total": 1.0})
        with self.assertRaisesRegex(UserError, "is locked"):
            ticket.write({"payment_ratio": 80.0})

    def test_a_unit_is_never_sold_twice(self):
        self._issued(unit=self.units[0])
        second = self._ticket(buyer=1, unit=self.units[0])
        with self.assertRaisesRegex(ValidationError, "cannot be sold twice"):
            second.action_issue()
        self.assertEqual(second.state, "draft")
        self.assertEqual(self.units[0].current_holding_id.ticket_id.buyer_name, "Zhang Wei")
        # nor outside the contract's units
        outside = self._ticket(buyer=1, unit=self.outside_unit)
        with self.assertRaisesRegex(UserError, "not allocated to this contract"):
            outside.action_issue()

    def test_the_database_keeps_one_live_ticket_per_unit(self):
        ticket = self._issued(unit=self.units[0])
        other = self._ticket(buyer=1, unit=self.units[1])
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.UniqueViolation), self.env.cr.savepoint():
            other.sudo().write({"state": "issued", "unit_id": ticket.unit_id.id})
            other.flush_recordset()

    def test_name_and_id_must_match_the_verified_list(self):
        wrong_name = self._ticket(buyer_name="Zhang Wei-Wei")
        with self.assertRaisesRegex(UserError, "do not match a buyer of the verified list"):
            wrong_name.action_issue()
        wrong_id = self._ticket(id_number=BUYERS[1][1])
        with self.assertRaisesRegex(UserError, "do not match"):
            wrong_id.action_issue()
        self._issued()
        again = self._ticket(unit=self.units[1])
        with self.assertRaisesRegex(UserError, "already holds a ticket"):
            again.action_issue()

    def test_terms_ratio_discount_and_deposit(self):
        with self.assertRaisesRegex(UserError, "between 50.0 % and 100 %"):
            self._ticket(ratio=40.0).action_issue()
        with self.assertRaisesRegex(UserError, "enter the reservation deposit"):
            self._ticket(deposit=0.0).action_issue()
        with self.assertRaisesRegex(UserError, "takes no reservation deposit"):
            self._ticket(ratio=100.0, deposit=5000.0).action_issue()
        with self.assertRaisesRegex(UserError, "only at 100 % payment"):
            self._ticket(ratio=80.0, full_payment_discount=True).action_issue()
        full = self._ticket(ratio=100.0, deposit=0.0, full_payment_discount=True)
        full.action_issue()
        self.assertEqual((full.amount_gross, full.discount_amount, full.amount_total, full.amount_due),
                         (600_000.0, 12_000.0, 588_000.0, 588_000.0))

    def test_only_ticket_clerks_issue_and_review_is_four_eyes_with_the_signed_copy(self):
        draft = self.Ticket.with_user(self.clerk).create(
            {"contract_id": self.contract.id, "buyer_name": BUYERS[0][0], "id_number": BUYERS[0][1],
             "unit_id": self.units[0].id, "payment_ratio": 50.0, "deposit_amount": 20_000.0,
             "draw_line_id": self._desk_line(0).id}
        )
        with self.assertRaises(AccessError):
            draft.with_user(self.kam_users["user"]).action_issue()
        with self.assertRaises(AccessError):
            self.Ticket.with_user(self.kam_users["user"]).create({"contract_id": self.contract.id, "buyer_name": "X", "unit_id": self.units[1].id})
        draft.action_issue()
        with self.assertRaisesRegex(UserError, "Attach the copy the buyer signed"):
            draft.with_user(self.finance).action_review()
        draft.signed_copy = SIGNED
        with self.assertRaises(AccessError):
            draft.action_review()  # the clerk is no finance reviewer
        # a finance user who also issued it is refused: another person must review
        self.clerk.group_ids += self.env.ref("kam_management.group_kam_finance")
        with self.assertRaisesRegex(UserError, "another person must do this step"):
            draft.action_review()
        draft.with_user(self.finance).action_review()
        self.assertEqual((draft.state, draft.reviewed_by_id), ("reviewed", self.finance))

    def test_cancel_with_reason_gives_the_unit_back_to_the_contract(self):
        ticket = self._issued()
        with self.assertRaisesRegex(UserError, "Give the reason"):
            ticket.action_cancel()
        wizard = self.env["kam.room.ticket.change"].with_user(self.clerk).create(
            {"ticket_id": ticket.id, "mode": "cancel", "reason": "The buyer chose to wait for the next round."}
        )
        wizard.action_apply()
        self.assertEqual(ticket.state, "cancel")
        holding = self.units[0].current_holding_id
        self.assertEqual((holding.contract_id, holding.ticket_id.id), (self.contract, False))
        with self.assertRaises(UserError):
            ticket.unlink()
        # the unit can be chosen again
        self._issued(buyer=1)

    def test_relationship_ticket_needs_an_approved_request_and_its_buyer(self):
        department = self.env["kam.department"].create({"name": "Design Institute"})
        request = self.env["kam.relation.request"].create(
            {"department_id": department.id, "project_id": self.project.id, "unit_ids": [(4, self.units[15].id)],
             "buyer_name": "Zhao Lei", "buyer_id_number": BUYERS[0][1], "average_price": 7000.0,
             "payment_ratio": 60.0, "payment_deadline": datetime.date(2026, 12, 31)}
        )
        vals = {"basis": "relation", "relation_request_id": request.id, "buyer_name": "Zhao Lei",
                "id_number": BUYERS[0][1], "unit_id": self.units[15].id, "payment_ratio": 60.0, "deposit_amount": 1000.0}
        ticket = self.Ticket.with_user(self.clerk).create(vals)
        with self.assertRaisesRegex(UserError, "needs an approved request"):
            ticket.action_issue()
        # fixture (sudo back door): the approval itself is tested in TestRelationRequest
        sudo_force_state_for_fixture(request, "approved")
        request._hold_units()
        ticket.action_issue()
        self.assertEqual(ticket.amount_total, 7000.0 * self.units[15].area)
        self.assertEqual(self.units[15].current_holding_id.ticket_id, ticket)


@tagged("post_install", "-at_install")
class TestRoomVoucher(KamDeskCommon):
    def test_voucher_only_when_receipts_equal_the_due_to_the_fen(self):
        ticket = self._issued()
        ticket_as_finance = ticket.with_user(self.finance)
        with self._receipts(299_999.99):
            ticket_as_finance.action_review()
        self.assertFalse(ticket.voucher_ids)
        with self._receipts(300_000.01):
            self.assertFalse(ticket._kam_try_auto_voucher())
        expected_next = self._next_voucher_number()
        with self._receipts(200_000.00 + 100_000.00):
            voucher = ticket._kam_try_auto_voucher()
        self.assertEqual(len(voucher), 1)
        self.assertEqual(self._number(voucher), expected_next)
        self.assertEqual((voucher.state, voucher.amount, voucher.automatic), ("issued", 300_000.0, True))
        self.assertEqual(voucher.amount_words, "叁拾万元整")
        self.assertEqual(ticket.state, "vouchered")
        self.assertTrue(ticket.ticket_returned)
        with self.assertRaisesRegex(UserError, "kept as a record"):
            voucher.with_user(self.clerk).unlink()
        with self.assertRaisesRegex(UserError, "never deleted"):
            voucher.sudo().unlink()

    def test_a_failed_issue_leaves_no_gap(self):
        first = self._reviewed()
        second = self._reviewed(buyer=1, unit=self.units[1])
        third = self._reviewed(buyer=2, unit=self.units[2])
        with self._receipts(300_000.0):
            v1 = first._kam_try_auto_voucher()
        # the second issue fails after the number is taken: the savepoint gives the number back
        original = type(self.Voucher)._kam_take_number

        def take_then_fail(voucher):
            original(voucher)
            raise UserError("printer jammed")

        with self._receipts(300_000.0), patch.object(type(self.Voucher), "_kam_take_number", take_then_fail):
            with self.assertRaisesRegex(UserError, "printer jammed"), self.env.cr.savepoint():
                second._kam_try_auto_voucher()
        self.assertEqual(second.state, "reviewed")
        # a check failing before the number takes nothing either
        with self.assertRaisesRegex(UserError, "another person"):
            manual = self.Voucher.with_user(self.clerk).create({"ticket_id": third.id})
            self.clerk.group_ids += self.env.ref("kam_management.group_kam_finance")
            manual.action_issue()
        with self._receipts(300_000.0):
            v2 = second._kam_try_auto_voucher()
        self.assertEqual(self._number(v2), self._number(v1) + 1)

    def test_manual_path_rechecks_and_needs_a_second_person(self):
        ticket = self._reviewed()
        voucher = self.Voucher.with_user(self.clerk).create({"ticket_id": ticket.id})
        self.assertEqual((voucher.name, voucher.prepared_by_id), ("/", self.clerk))
        with self.assertRaises(AccessError):
            voucher.action_issue()
        with self.assertRaisesRegex(UserError, "change only through the document's buttons"):
            self.Voucher.with_user(self.clerk).create({"ticket_id": ticket.id, "amount": 1.0, "name": "XF-1"})
        voucher.with_user(self.finance_2).action_issue()
        self.assertEqual((voucher.state, voucher.reviewed_by_id, voucher.amount), ("issued", self.finance_2, 300_000.0))
        self.assertNotEqual(voucher.name, "/")

    def test_top_up_reverses_red_and_issues_the_new_voucher_with_consecutive_numbers(self):
        ticket = self._reviewed()
        with self._receipts(300_000.0):
            original = ticket._kam_try_auto_voucher()
        with self.assertRaisesRegex(UserError, "recovered copies"):
            ticket.action_top_up(100.0)
        with self._receipts(600_000.0):
            ticket.action_top_up(100.0, RECOVERED, "copies.pdf")
        red = original.reversal_id
        self.assertTrue(red.is_red)
        self.assertEqual((red.amount, red.reversed_voucher_id, red.reversal_reason), (-300_000.0, original, "top_up"))
        self.assertEqual(original.state, "reversed")
        self.assertTrue(red.recovered_copy)
        new = ticket.voucher_id
        self.assertEqual(new.amount, 600_000.0)
        self.assertEqual(self._number(red), self._number(original) + 1)
        self.assertEqual(self._number(new), self._number(red) + 1)
        self.assertEqual(len(ticket.voucher_ids), 3, "nothing is deleted")
        self.assertTrue(red.amount_words.endswith("叁拾万元整"))

    def test_swap_inside_the_contract_and_refused_outside(self):
        ticket = self._reviewed()
        with self._receipts(300_000.0):
            voucher = ticket._kam_try_auto_voucher()
        with self.assertRaisesRegex(UserError, "swap outside the contract is refused"):
            ticket.action_swap(self.outside_unit, RECOVERED)
        self.assertEqual(voucher.state, "issued")
        new_ticket = ticket.action_swap(self.swap_unit, RECOVERED, "copies.pdf")
        self.assertEqual((voucher.state, voucher.reversal_id.amount), ("reversed", -300_000.0))
        self.assertEqual((ticket.state, ticket.replaced_by_id), ("replaced", new_ticket))
        self.assertEqual(new_ticket.state, "issued")
        self.assertEqual((new_ticket.price_per_m2, new_ticket.amount_total), (6100.0, 597_800.0))
        self.assertEqual(self.swap_unit.current_holding_id.ticket_id, new_ticket)
        old_holding = self.units[0].current_holding_id
        self.assertEqual((old_holding.contract_id, old_holding.ticket_id.id), (self.contract, False))
        new_ticket.signed_copy = SIGNED
        with self._receipts(298_900.0):
            new_ticket.with_user(self.finance).action_review()
        self.assertEqual(new_ticket.voucher_id.amount, 298_900.0)


@tagged("post_install", "-at_install")
class TestDeskPrints(KamDeskCommon):
    def test_ticket_and_voucher_prints_carry_their_copies_and_capitals(self):
        ticket = self._reviewed()
        with self._receipts(300_000.0):
            voucher = ticket._kam_try_auto_voucher()
        Report = self.env["ir.actions.report"]
        html = Report._render_qweb_html("kam_management.action_report_kam_room_ticket", ticket.ids)[0].decode()
        for label in ("Stub Copy", "Customer Copy", "Key-Account Department Copy", "Finance Department Copy"):
            self.assertIn(label, html)
        self.assertIn("陆拾万元整", html)
        html = Report._render_qweb_html("kam_management.action_report_kam_room_voucher", voucher.ids)[0].decode()
        self.assertEqual(html.count('class="kam_copy_label"'), 3)
        self.assertNotIn("Key-Account Department Copy", html)
        self.assertIn("叁拾万元整", html)
        ticket.action_top_up(100.0, RECOVERED)
        red = voucher.reversal_id
        self.assertTrue(red)
        html = Report._render_qweb_html("kam_management.action_report_kam_room_voucher", red.ids)[0].decode()
        self.assertIn("Red Reversal", html)
        self.assertIn(voucher.name, html)
        self.assertEqual(self.env.ref("kam_management.action_report_kam_room_voucher").paperformat_id.format, "A5")


@tagged("post_install", "-at_install")
class TestVoucherFromReceipts(KamDeskCommon):
    """The seed's numbers through the employers' receipts themselves (AC1 → HS12)."""

    def _register(self, ticket, number, amount, kind="house"):
        receipt = self.env["kam.housing.receipt"].with_user(self.kam_users["user"]).create(
            {"name": number, "contract_id": self.contract.id, "buyer_id": ticket.buyer_id.id, "amount": amount, "kind": kind}
        )
        receipt = receipt.with_user(self.finance)  # staff prepare, finance registers (and voids)
        receipt.action_register()
        return receipt

    def test_registered_receipts_equal_to_the_due_issue_the_voucher(self):
        ticket = self._reviewed()
        expected_next = self._next_voucher_number()
        self._register(ticket, "R-001", 200_000.00)
        self.assertEqual(ticket.state, "reviewed")
        self.assertFalse(ticket.voucher_ids)
        receipt = self._register(ticket, "R-002", 100_000.00)
        self.assertEqual(ticket.state, "vouchered")
        self.assertEqual((ticket.voucher_id.amount, self._number(ticket.voucher_id)), (300_000.0, expected_next))
        row = self.env["kam.housing.receipt.ledger"].search([("buyer_id", "=", ticket.buyer_id.id)])
        self.assertEqual((row.due, row.received, row.outstanding, row.ticket_returned), (300_000.0, 300_000.0, 0.0, True))
        receipt.void_reason = "Typed on the wrong buyer"
        with self.assertRaisesRegex(UserError, "reverse the voucher before voiding"):
            receipt.action_void()

    def test_the_ledger_ages_what_is_still_due_against_the_payment_deadline(self):
        late = self._reviewed()  # buyer 0, 100 m² at 6,000, 50 %: 300,000.00 due by 31 Jan 2027
        paid = self._reviewed(buyer=1, unit=self.units[1])
        self._register(late, "R-201", 200_000.00)
        self._register(paid, "R-202", 300_000.00)
        Ledger = self.env["kam.housing.receipt.ledger"]
        buyers = self.env["kam.housing.buyer"].search([("contract_id", "=", self.contract.id)], order="id")

        def figures():
            Ledger.invalidate_model()  # a new request: the figures are as of the (frozen) day
            rows = {row.buyer_id: row for row in Ledger.search([("contract_id", "=", self.contract.id)])}
            return {
                buyer.name: (rows[buyer].outstanding, rows[buyer].arrears, rows[buyer].days_overdue, rows[buyer].ageing)
                for buyer in buyers
            }

        with freeze_time("2027-01-31 10:00:00"):
            self.assertEqual(figures()["Zhang Wei"], (100_000.0, 0.0, 0, "not_due"))
        with freeze_time("2027-03-17 10:00:00"):  # 45 days after the deadline
            self.assertEqual(
                figures(),
                {
                    "Zhang Wei": (100_000.0, 100_000.0, 45, "31_60"),
                    "Li Na": (0.0, 0.0, 0, "paid"),
                    "Wang Fang": (0.0, 0.0, 0, "no_ticket"),
                    "Liu Yang": (0.0, 0.0, 0, "no_ticket"),
                },
            )
            # the dashboard's pivot: arrears by ageing, one grouped query
            groups = dict(Ledger._read_group([("contract_id", "=", self.contract.id)], ["ageing"], ["arrears:sum"]))
            self.assertEqual(self.currency.compare_amounts(groups["31_60"], 100_000.0), 0)
            self.assertEqual(self.currency.compare_amounts(groups["paid"], 0.0), 0)
            self.assertEqual(
                Ledger.search([("contract_id", "=", self.contract.id), ("arrears", ">", 0)]).buyer_id.name, "Zhang Wei"
            )
        self.assertTrue(Ledger.search([("buyer_id", "=", paid.buyer_id.id)]).ticket_returned)

    def test_short_or_over_payment_issues_no_voucher(self):
        short = self._reviewed()
        over = self._reviewed(buyer=1, unit=self.units[1])
        self._register(short, "R-101", 280_000.00)
        self._register(short, "R-102", 19_999.99, kind="deposit")
        self._register(over, "R-103", 300_000.01)
        self.assertEqual((short.state, over.state), ("reviewed", "reviewed"))
        self.assertFalse((short | over).voucher_ids)
        row = self.env["kam.housing.receipt.ledger"].search([("buyer_id", "=", short.buyer_id.id)])
        self.assertEqual((row.due, row.outstanding, row.ticket_returned), (300_000.0, 0.01, False))
        # receipts registered before the review: the review issues the voucher
        early = self._issued(buyer=2, unit=self.units[2])
        self._register(early, "R-104", 300_000.00)
        self.assertEqual(early.state, "issued")
        early.with_user(self.finance).action_review()
        self.assertEqual(early.state, "vouchered")


    @freeze_time("2026-11-16")  # receipts of today, before the request's deadline: no late-payment re-pricing
    def test_receipts_of_an_approved_relationship_request_issue_its_voucher(self):
        staff = self.kam_users["user"]
        department = self.env["kam.department"].create({"name": "Design Institute", "member_ids": [(4, staff.id)]})
        request = self.env["kam.relation.request"].create(
            {"department_id": department.id, "project_id": self.project.id,
             "unit_ids": [(4, self.units[15].id), (4, self.units[16].id)], "buyer_name": "Zhao Lei",
             "buyer_id_number": OUTSIDER_ID, "average_price": 7000.0, "payment_ratio": 60.0,
             "payment_deadline": datetime.date(2026, 12, 31)}
        )
        Receipt = self.env["kam.housing.receipt"].with_user(staff)

        def receipt(number, amount, kind="house"):
            # staff prepare it, finance registers it
            return Receipt.create(
                {"name": number, "relation_request_id": request.id, "amount": amount, "kind": kind}
            ).with_user(self.finance)

        deposit = receipt("GX-R-001", 20_000.00, kind="deposit")
        self.assertEqual((deposit.company_id, deposit.employer_id.id), (self.env.company, False))
        with self.assertRaisesRegex(UserError, "approved relationship request"):
            deposit.with_user(self.finance).action_register()
        # fixture (sudo back door): the approval itself is tested in TestRelationRequest
        sudo_force_state_for_fixture(request, "approved")
        request._hold_units()
        vals = {"basis": "relation", "relation_request_id": request.id, "buyer_name": "Zhao Lei",
                "id_number": OUTSIDER_ID, "payment_ratio": 60.0, "deposit_amount": 20_000.0}
        ticket = self.Ticket.with_user(self.clerk).create({**vals, "unit_id": self.units[15].id})
        ticket.action_issue()
        ticket.signed_copy = SIGNED
        deposit.with_user(self.finance).action_register()
        ticket.with_user(self.finance).action_review()
        self.assertEqual((ticket.amount_total, ticket.amount_due, ticket.state), (700_000.0, 420_000.0, "reviewed"))
        expected_next = self._next_voucher_number()
        receipt("GX-R-002", 399_999.99).with_user(self.finance).action_register()
        self.assertEqual(ticket.state, "reviewed", "419,999.99 of 420,000.00: no voucher")
        self.assertFalse(ticket.voucher_ids)
        last = receipt("GX-R-003", 0.01)
        last.with_user(self.finance).action_register()
        self.assertEqual(ticket.state, "vouchered")
        voucher = ticket.voucher_id
        self.assertEqual((voucher.amount, voucher.automatic, self._number(voucher)), (420_000.0, True, expected_next))
        self.assertEqual(ticket._kam_received_amount(), 420_000.0)
        # our company numbers relationship receipts; an employer's numbering is its own
        with self.assertRaisesRegex(ValidationError, "already registered"):
            receipt("GX-R-003", 5.0)
        self.env["kam.housing.receipt"].with_user(staff).create(
            {"name": "GX-R-003", "contract_id": self.contract.id, "buyer_id": self._reviewed().buyer_id.id, "amount": 5.0}
        )
        with self.assertRaisesRegex(ValidationError, "either a buyer of a contract or a relationship request"):
            Receipt.create({"name": "GX-R-004", "relation_request_id": request.id, "contract_id": self.contract.id,
                            "buyer_id": self.contract.buyer_ids[:1].id, "amount": 1.0})
        last.void_reason = "Typed on the wrong request"
        with self.assertRaisesRegex(UserError, "reverse the voucher before voiding"):
            last.action_void()
        # its receipts pay one ticket: a second live ticket on the request is refused
        second = self.Ticket.with_user(self.clerk).create({**vals, "unit_id": self.units[16].id})
        with self.assertRaisesRegex(UserError, "already has a live ticket"):
            second.action_issue()

    def test_staff_cannot_move_a_receipt_to_another_departments_request(self):
        staff = self.kam_users["user"]
        outsider = new_test_user(
            self.env, login="kam_test_user_other_department", name="Staff Other Department",
            groups="kam_management.group_kam_user", company_id=self.env.company.id, company_ids=[self.env.company.id],
        )
        requests = self.env["kam.relation.request"]
        for name, member, units in (("Design Institute", staff, self.units[15:17]), ("Water Board", outsider, self.units[17:19])):
            department = self.env["kam.department"].create({"name": name, "member_ids": [(4, member.id)]})
            requests |= requests.create(
                {"department_id": department.id, "project_id": self.project.id, "unit_ids": [(6, 0, units.ids)],
                 "buyer_name": "Zhao Lei", "buyer_id_number": OUTSIDER_ID, "average_price": 7000.0,
                 "payment_ratio": 60.0, "payment_deadline": datetime.date(2026, 12, 31)}
            )
        own, foreign = requests
        receipt = self.env["kam.housing.receipt"].with_user(staff).create(
            {"name": "GX-R-101", "relation_request_id": own.id, "amount": 1_000.0}
        )
        with self.assertRaises(AccessError):
            receipt.write({"relation_request_id": foreign.id})
        with self.assertRaises(AccessError):
            self.env["kam.housing.receipt"].with_user(staff).create(
                {"name": "GX-R-102", "relation_request_id": foreign.id, "amount": 1_000.0}
            )
        receipt.invalidate_recordset()
        self.assertEqual(receipt.relation_request_id, own)
        self.assertFalse(self.env["kam.housing.receipt"].search([("name", "=", "GX-R-102")]))
        with self.assertRaises(AccessError):
            receipt.with_user(outsider).read(["amount"])


class KamDeskFeeCommon(KamDeskCommon):
    """The desk's fees configured: rename fee, mortgage-conversion fee, the sales journal (AC6)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "kam_rename_fee_product_id": cls.product_a.id,
                "kam_mortgage_fee_product_id": cls.product_b.id,
                "kam_fee_journal_id": cls.company_data["default_journal_sale"].id,
            }
        )
        # our other project, at the same construction stage as the desk's
        cls.other_project = cls.env["kam.housing.project"].create(
            {"name": "Riverside", "code": "RS", "stage": cls.project.stage}
        )
        cls.far_project = cls.env["kam.housing.project"].create(
            {"name": "Hilltop", "code": "HT", "stage": "completion"}
        )

    def _market_price(self, price=9000.0, reference=None):
        """Finance records the market price of our other project at the same stage (HS14)."""
        return self.env["kam.housing.market.price"].with_user(self.finance).create(
            {"project_id": self.project.id, "reference_project_id": (reference or self.other_project).id,
             "price_per_m2": price, "note": "Riverside price list"}
        )

    def _amend(self, ticket, **values):
        return self.env["kam.ticket.amendment"].with_user(self.clerk).create(
            {"ticket_id": ticket.id, "recovered_copy": RECOVERED, **values}
        )

    def _vouchered(self, **values):
        ticket = self._reviewed(**values)
        due = ticket.amount_due
        with self._receipts(due):
            ticket._kam_try_auto_voucher()
        return ticket

    def _applied_rename_fee(self):
        ticket = self._vouchered(unit=self.rename_unit)
        sudo_set_terms_for_fixture(self.contract, {"rename_policy": "fee"})
        self._market_price()
        rename = self._amend(ticket, new_buyer_name="Sun Li", new_id_number=OUTSIDER_ID)
        rename.action_apply()
        return rename


@tagged("post_install", "-at_install")
class TestRenameAndMortgageConversion(KamDeskFeeCommon):
    def test_a_ticket_whose_return_waits_for_finance_is_not_renamed(self):
        ticket = self._vouchered(unit=self.rename_unit)
        sudo_set_terms_for_fixture(self.contract, {"rename_policy": "fee"})
        self._market_price()
        rename = self._amend(ticket, new_buyer_name="Sun Li", new_id_number=OUTSIDER_ID)
        ticket.action_request_return("The employer withdrew the buyer.", RECOVERED, "copies.pdf")
        with self.assertRaisesRegex(UserError, "is waiting for finance: it changes no further"):
            rename.action_apply()
        self.assertEqual((ticket.buyer_name, rename.state, ticket.voucher_id.state), (BUYERS[0][0], "draft", "issued"))
        # once finance has refused the return, the desk renames as before
        ticket.with_user(self.finance).action_refuse_return()
        rename.action_apply()
        self.assertEqual((rename.state, ticket.buyer_name), ("done", "Sun Li"))

    def test_rename_outside_the_list_against_the_fee_is_invoiced(self):
        ticket = self._vouchered(unit=self.rename_unit)
        self.assertEqual(ticket.price_per_m2, 6800.0)
        voucher = ticket.voucher_id
        rename = self._amend(ticket, new_buyer_name="Sun Li", new_id_number=OUTSIDER_ID)
        with self.assertRaisesRegex(UserError, "only between the buyers of its verified list"):
            rename.action_apply()
        sudo_set_terms_for_fixture(self.contract, {"rename_policy": "fee"})
        rename.invalidate_recordset(["rename_basis"])
        with self.assertRaisesRegex(UserError, "Finance has recorded no market price"):
            rename.action_apply()
        market = self._market_price()
        rename.action_apply()
        # fee 50 % × (9,000 − 6,800) × 100 m², on the price finance recorded, the reference kept on the rename
        self.assertEqual(rename.fee_amount, 110_000.0)
        self.assertEqual((rename.market_price_id, rename.reference_project_id, rename.reference_price_per_m2),
                         (market, self.other_project, 9000.0))
        invoice = rename.invoice_id
        self.assertEqual((invoice.move_type, invoice.journal_id.type, invoice.state), ("out_invoice", "sale", "posted"))
        self.assertEqual(invoice.partner_id, self.contract.partner_id, "the contract's employer is invoiced")
        self.assertEqual(invoice.amount_untaxed, 110_000.0)
        self.assertEqual(invoice.kam_amendment_id, rename)
        self.assertEqual(invoice.invoice_line_ids.product_id, self.product_a)
        self.assertEqual(voucher.state, "reversed")
        self.assertEqual(voucher.buyer_name, BUYERS[0][0], "the old voucher keeps the old name")
        self.assertEqual((rename.new_voucher_id.buyer_name, ticket.buyer_name), ("Sun Li", "Sun Li"))
        self.assertEqual(self._number(rename.new_voucher_id), self._number(voucher.reversal_id) + 1)

    def test_finance_refunds_a_fee_once_with_a_credit_note_reconciled_with_the_invoice(self):
        rename = self._applied_rename_fee().with_env(self.env)  # applied by the clerk; read here as the admin
        invoice = rename.invoice_id
        self.assertEqual(invoice.payment_state, "not_paid")
        with self.assertRaises(AccessError):
            rename.with_user(self.clerk).action_refund_fee("The buyer withdrew")
        with self.assertRaises(AccessError):
            self.env["kam.fee.refund"].with_user(self.clerk).create({"amendment_id": rename.id, "reason": "No"})
        as_finance = rename.with_user(self.finance)
        with self.assertRaisesRegex(UserError, "reason for refunding"):
            as_finance.action_refund_fee("  ")
        # neither Odoo's own reversal nor a reset reaches a desk fee behind its amendment's back
        with self.assertRaisesRegex(UserError, "Refund the Fee"):
            invoice._reverse_moves(cancel=True)
        with self.assertRaisesRegex(UserError, "never reset or cancelled"):
            invoice.button_draft()
        with self.assertRaisesRegex(UserError, "never reset or cancelled"):
            invoice.button_cancel()
        self.assertFalse(rename.refund_id)
        wizard = self.env["kam.fee.refund"].with_user(self.finance).create(
            {"amendment_id": rename.id, "reason": "The rename was agreed free by the board"}
        )
        action = wizard.action_refund()
        refund = rename.refund_id
        self.assertEqual(action["res_id"], refund.id)
        self.assertEqual((refund.move_type, refund.state, refund.reversed_entry_id), ("out_refund", "posted", invoice))
        self.assertEqual((refund.amount_untaxed, refund.amount_total), (110_000.0, invoice.amount_total))
        self.assertEqual((refund.kam_amendment_id, refund.partner_id), (rename, invoice.partner_id))
        self.assertEqual((invoice.state, invoice.payment_state, invoice.amount_residual), ("posted", "reversed", 0.0))
        self.assertEqual(
            (rename.refund_reason, rename.refunded_by_id, rename.state),
            ("The rename was agreed free by the board", self.finance, "done"),
        )
        with self.assertRaisesRegex(UserError, "already refunded"):
            as_finance.action_refund_fee("Twice")
        with self.assertRaisesRegex(UserError, "Refund the Fee"):
            invoice._reverse_moves(cancel=True)
        with self.assertRaisesRegex(UserError, "never reset or cancelled"):
            refund.button_draft()
        with self.assertRaisesRegex(UserError, "change only through the document's buttons"):
            rename.with_user(self.clerk).write({"refund_id": False})
        self.assertEqual(self.env["account.move"].search_count([("kam_amendment_id", "=", rename.id)]), 2)

    def test_the_credit_note_of_a_fee_refund_is_never_reversed(self):
        rename = self._applied_rename_fee().with_env(self.env)
        rename.with_user(self.finance).action_refund_fee("The buyer withdrew")
        invoice, refund = rename.invoice_id, rename.refund_id
        accountant = new_test_user(
            self.env, login="kam_test_accountant", name="Accountant Fang", groups="account.group_account_manager",
            company_id=self.env.company.id, company_ids=[self.env.company.id],
        )
        for method in ("refund_moves", "modify_moves"):
            reversal = (
                self.env["account.move.reversal"].with_user(accountant)
                .with_context(active_model="account.move", active_ids=refund.ids)
                .create({"reason": "Charge the fee again", "journal_id": refund.journal_id.id})
            )
            with self.assertRaisesRegex(UserError, "never reversed"):
                getattr(reversal, method)()
        with self.assertRaisesRegex(UserError, "never reversed"):
            refund._reverse_moves(cancel=True)
        # nor is the link cut first to make it an ordinary credit note
        with self.assertRaisesRegex(UserError, "Only the desk links"):
            refund.with_user(accountant).write({"kam_amendment_id": False})
        with self.assertRaisesRegex(UserError, "Only the desk links"):
            self.env["account.move"].with_user(accountant).create(
                {"move_type": "out_refund", "partner_id": invoice.partner_id.id, "kam_amendment_id": rename.id}
            )
        self.assertFalse(self.env["account.move"].search([("reversed_entry_id", "=", refund.id)]))
        self.assertEqual((refund.state, refund.kam_amendment_id, invoice.payment_state), ("posted", rename, "reversed"))

    def test_refunding_a_paid_fee_keeps_the_payment_and_owes_the_money_back(self):
        rename = self._applied_rename_fee().with_env(self.env)
        invoice = rename.invoice_id
        payment = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"payment_date": invoice.invoice_date})
            ._create_payments()
        )
        paid_state = invoice.payment_state
        self.assertIn(paid_state, ("paid", "in_payment"))
        rename.with_user(self.finance).action_refund_fee("The board waived the fee after it was paid")
        refund = rename.refund_id
        self.assertEqual(invoice.payment_state, paid_state, "the payment stays with the invoice it paid")
        self.assertEqual(payment.reconciled_invoice_ids, invoice)
        self.assertEqual((refund.state, refund.payment_state), ("posted", "not_paid"))
        self.assertEqual(self.currency.compare_amounts(refund.amount_total, invoice.amount_total), 0)
        self.assertEqual(
            self.currency.compare_amounts(refund.amount_residual, refund.amount_total), 0,
            "the whole fee is owed back to the employer",
        )
        self.assertEqual(refund.commercial_partner_id, invoice.commercial_partner_id)

    def test_refunding_a_partly_paid_fee_settles_the_rest_and_owes_back_what_was_paid(self):
        rename = self._applied_rename_fee().with_env(self.env)
        invoice = rename.invoice_id
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"payment_date": invoice.invoice_date, "amount": 10_000.0}
        )._create_payments()
        rename.with_user(self.finance).action_refund_fee("Waived")
        refund = rename.refund_id
        self.assertTrue(self.currency.is_zero(invoice.amount_residual))
        self.assertEqual(self.currency.compare_amounts(refund.amount_residual, 10_000.0), 0)
        self.assertEqual(refund.payment_state, "partial")

    def test_rename_between_listed_buyers_is_free(self):
        ticket = self._vouchered()
        listed = self._amend(ticket, new_buyer_name=BUYERS[3][0], new_id_number=BUYERS[3][1])
        self.assertEqual(listed.rename_basis, "listed")
        listed.action_apply()
        self.assertEqual((listed.fee_amount, listed.invoice_id.id), (0.0, False))

    def test_only_the_contracts_relations_with_their_proofs_and_prices(self):
        """001:L306: the contract lists the relations, the proofs accepted for each and each one's price."""
        marriage = self.env.ref("kam_management.kam_proof_kind_marriage")
        birth = self.env.ref("kam_management.kam_proof_kind_birth")
        household = self.env.ref("kam_management.kam_proof_kind_household")
        sudo_set_terms_for_fixture(self.contract, {
            "rename_policy": "relations",
            "rename_relation_ids": [
                Command.create({"relation": "spouse", "proof_kind_ids": [Command.set(marriage.ids)],
                                "price_policy": "contract"}),
                Command.create({"relation": "child", "proof_kind_ids": [Command.set((birth | household).ids)],
                                "price_policy": "fee"}),
            ],
        })
        ticket = self._vouchered()
        voucher = ticket.voucher_id
        # a parent is not in the contract's list: refused, nothing changed
        parent = self._amend(ticket, new_buyer_name="Liu Min", new_id_number=OUTSIDER_ID, relation="parent",
                             proof_kind_id=household.id, proof=SIGNED)
        with self.assertRaisesRegex(UserError, r"does not allow a rename to this relation \(Parent\)\. It allows: "
                                               r"Spouse, Child"):
            parent.action_apply()
        # a spouse needs the marriage certificate: a birth certificate, or no proof attached, is refused
        spouse = self._amend(ticket, new_buyer_name="Liu Min", new_id_number=OUTSIDER_ID, relation="spouse",
                             proof_kind_id=birth.id, proof=SIGNED)
        with self.assertRaisesRegex(UserError, "needs one of the proofs the contract accepts, attached: Marriage"):
            spouse.action_apply()
        spouse.write({"proof_kind_id": marriage.id, "proof": False})
        with self.assertRaisesRegex(UserError, "needs one of the proofs"):
            spouse.action_apply()
        self.assertEqual((voucher.state, ticket.buyer_name), ("issued", BUYERS[0][0]))
        # with it: the spouse keeps the contract price, no fee
        spouse.proof = SIGNED
        spouse.action_apply()
        self.assertEqual((ticket.buyer_name, spouse.fee_amount, spouse.invoice_id.id), ("Liu Min", 0.0, False))
        # a child pays the rename fee: 50 % × (9,000 − 6,800) × 100 m²
        renamed = self._vouchered(buyer=1, unit=self.rename_unit)
        child = self._amend(renamed, new_buyer_name="Liu Xiao", new_id_number=CHILD_ID, relation="child",
                            proof_kind_id=household.id, proof=SIGNED)
        with self.assertRaisesRegex(UserError, "Finance has recorded no market price"):
            child.action_apply()
        self._market_price()
        child.action_apply()
        self.assertEqual(child.fee_amount, 110_000.0)
        self.assertEqual(child.invoice_id.amount_untaxed, 110_000.0)
        self.assertEqual(child.reference_project_id, self.other_project)

    def test_the_fee_is_priced_on_a_same_stage_project_only(self):
        """001:L304 我公司其他楼盘同进度市场价格: another of our projects, at the unit's project's stage."""
        with self.assertRaisesRegex(ValidationError, "Hilltop is at the stage Completion"):
            self._market_price(reference=self.far_project)
        with self.assertRaisesRegex(ValidationError, "another of our projects"):
            self._market_price(reference=self.project)
        self._market_price(9000.0)
        sudo_set_terms_for_fixture(self.contract, {"rename_policy": "fee"})
        ticket = self._vouchered(unit=self.rename_unit)
        rename = self._amend(ticket, new_buyer_name="Sun Li", new_id_number=OUTSIDER_ID)
        # the desk's project moved on since finance recorded the price: the reference no longer stands
        stage = self.project.stage
        self.project.sudo().stage = "completion" if stage != "completion" else "topping_out"
        with self.assertRaisesRegex(UserError, "Riverside is at the stage .* same construction stage"):
            rename.action_apply()
        self.assertEqual((rename.state, ticket.voucher_id.state), ("draft", "issued"))
        self.project.sudo().stage = stage
        rename.action_apply()
        self.assertEqual(rename.fee_amount, 110_000.0)

    def test_the_clerk_cannot_steer_the_rename_fee(self):
        """Issue 18: the clerk types no reference price; finance records it, and records are never edited."""
        market = self._market_price(9000.0)
        sudo_set_terms_for_fixture(self.contract, {"rename_policy": "fee"})
        ticket = self._vouchered(unit=self.rename_unit)
        Amendment = self.env["kam.ticket.amendment"].with_user(self.clerk)
        for values in ({"reference_price_per_m2": 6800.0}, {"reference_project_id": self.far_project.id},
                       {"market_price_id": market.id}, {"fee_amount": 1.0}):
            for context in ({}, {"kam_state_write": True, "install_mode": True}):
                with self.subTest(values=values, context=context):
                    with self.assertRaisesRegex(UserError, "change only through the document's buttons"):
                        Amendment.with_context(**context).create(
                            {"ticket_id": ticket.id, "new_buyer_name": "Sun Li", "new_id_number": OUTSIDER_ID,
                             **values}
                        )
                    rename = self._amend(ticket, new_buyer_name="Sun Li", new_id_number=OUTSIDER_ID)
                    with self.assertRaisesRegex(UserError, "change only through the document's buttons"):
                        rename.with_context(**context).write(values)
        MarketPrice = self.env["kam.housing.market.price"].with_user(self.clerk)
        with self.assertRaises(AccessError):
            MarketPrice.create({"project_id": self.project.id, "reference_project_id": self.other_project.id,
                                "price_per_m2": 6800.0})
        with self.assertRaises(AccessError):
            market.with_user(self.clerk).write({"price_per_m2": 6800.0})
        with self.assertRaises(AccessError):
            market.with_user(self.finance).write({"price_per_m2": 6800.0})  # a new price is a new record
        with self.assertRaises(AccessError):
            self.project.with_user(self.clerk).write({"stage": "completion"})
        rename = self._amend(ticket, new_buyer_name="Sun Li", new_id_number=OUTSIDER_ID)
        rename.action_apply()
        self.assertEqual((rename.fee_amount, rename.reference_price_per_m2), (110_000.0, 9000.0))

    def test_mortgage_conversion_withdraws_the_discount_and_invoices_the_fee(self):
        ticket = self._vouchered(ratio=100.0, deposit=0.0, full_payment_discount=True)
        self.assertEqual(ticket.amount_total, 588_000.0)
        with self.assertRaises(ValidationError):
            sudo_set_terms_for_fixture(self.contract, {"mortgage_conversion_fee": 999.0})
        sudo_set_terms_for_fixture(self.contract, {"mortgage_conversion_fee": 3000.0})
        conversion = self._amend(ticket, kind="mortgage", new_ratio=40.0)
        with self.assertRaisesRegex(UserError, "at least 50.0 %"):
            conversion.action_apply()
        conversion.new_ratio = 50.0
        with self._receipts(300_000.0):
            conversion.action_apply()
        self.assertEqual((ticket.amount_total, ticket.discount_amount, ticket.amount_due), (600_000.0, 0.0, 300_000.0))
        self.assertFalse(ticket.full_payment_discount)
        self.assertEqual(conversion.old_voucher_id.reversal_id.amount, -588_000.0)
        self.assertEqual(conversion.new_voucher_id.amount, 300_000.0)
        self.assertEqual((conversion.fee_amount, conversion.invoice_id.amount_untaxed), (3000.0, 3000.0))
        self.assertEqual((conversion.invoice_id.state, conversion.invoice_id.kam_amendment_id), ("posted", conversion))
        self.assertEqual(conversion.invoice_id.invoice_line_ids.product_id, self.product_b)
        with self.assertRaisesRegex(UserError, "kept as a record"):
            conversion.unlink()


@tagged("post_install", "-at_install")
class TestFeeRefundJsonRpc(KamJsonRpcMixin, KamDeskFeeCommon, HttpCase):
    """AC6 as a client sends it: an accountant over JSON-RPC cannot reverse, reset or unlink the credit note
    of a fee refund."""

    def test_the_clerk_cannot_type_the_reference_price_over_json_rpc(self):
        self._market_price(9000.0)
        sudo_set_terms_for_fixture(self.contract, {"rename_policy": "fee"})
        ticket = self._vouchered(unit=self.rename_unit)
        rename = self._amend(ticket, new_buyer_name="Sun Li", new_id_number=OUTSIDER_ID)
        self.authenticate(self.clerk.login, self.clerk.login)
        self._result(self._call("kam.ticket.amendment", "write", [[rename.id], {"new_buyer_name": "Sun Li"}]))
        for context in ({}, {"kam_state_write": True, "install_mode": True}):
            self._assert_refused(
                self._call("kam.ticket.amendment", "write",
                           [[rename.id], {"reference_price_per_m2": 6800.0}], context=context),
                "change only through the document's buttons",
            )
        self._assert_refused(
            self._call("kam.housing.market.price", "create",
                       [{"project_id": self.project.id, "reference_project_id": self.other_project.id,
                         "price_per_m2": 6800.0}]),
            "kam.housing.market.price", error=AccessError,
        )
        self._result(self._call("kam.ticket.amendment", "action_apply", [[rename.id]]))
        rename.invalidate_recordset()
        self.assertEqual((rename.fee_amount, rename.reference_price_per_m2), (110_000.0, 9000.0))

    def test_an_accountant_cannot_reverse_the_credit_note_of_a_fee_refund(self):
        rename = self._applied_rename_fee().with_env(self.env)
        rename.with_user(self.finance).action_refund_fee("The buyer withdrew")
        refund = rename.refund_id
        accountant = new_test_user(
            self.env, login="kam_test_rpc_accountant", name="Accountant Rpc", groups="account.group_account_manager",
            company_id=self.env.company.id, company_ids=[self.env.company.id],
        )
        self.authenticate(accountant.login, accountant.login)
        context = {"active_model": "account.move", "active_ids": refund.ids}
        created = self._call(
            "account.move.reversal", "create", [{"reason": "Charge it again", "journal_id": refund.journal_id.id}],
            context=context,
        )
        self.assertIn("result", created, created.get("error"))
        [wizard_id] = created["result"] if isinstance(created["result"], list) else [created["result"]]
        for method in ("refund_moves", "modify_moves"):
            self._assert_refused(self._call("account.move.reversal", method, [[wizard_id]], context=context),
                                 "never reversed")
        self._assert_refused(
            self._call("account.move", "write", [[refund.id], {"kam_amendment_id": False}]), "Only the desk links"
        )
        self._assert_refused(self._call("account.move", "button_draft", [[refund.id]]), "never reset or cancelled")
        refund.invalidate_recordset()
        self.assertEqual((refund.state, refund.kam_amendment_id), ("posted", rename))
        self.assertFalse(self.env["account.move"].search([("reversed_entry_id", "=", refund.id)]))


@tagged("post_install", "-at_install")
class TestSelectionAnnexAndDeadlines(KamDeskCommon):
    def test_annex_recheck_lists_differences_and_the_contract_closes_only_when_sealed(self):
        ticket = self._reviewed()
        with self._receipts(300_000.0):
            ticket._kam_try_auto_voucher()
        with self.assertRaisesRegex(UserError, "closes only when"):
            self.contract.action_close()

        def annex_file(rows):
            return base64.b64encode("\n".join(["id_number,unit", *rows]).encode())

        annex = self.env["kam.selection.annex"].with_user(self.kam_users["user"]).create(
            {"contract_id": self.contract.id, "stamped_scan": SIGNED,
             "list_file": annex_file([f"{BUYERS[0][1]},B1-102", f"{BUYERS[1][1]},B1-103"])}
        )
        with self.assertRaises(AccessError):
            annex.action_recheck()
        annex.with_user(self.kam_users["audit"]).action_recheck()
        self.assertEqual(annex.state, "draft")
        self.assertIn(f"no issued voucher: {BUYERS[0][1]}, unit B1-102", annex.differences)
        self.assertIn(f"missing from the annex: {BUYERS[0][1]}, unit B1-101", annex.differences)
        with self.assertRaises(UserError):
            annex.with_user(self.kam_users["manager"]).action_seal()
        annex.list_file = annex_file([f"{BUYERS[0][1]},B1-101"])
        annex.with_user(self.kam_users["audit"]).action_recheck()
        self.assertEqual((annex.state, annex.differences), ("checked", False))
        with self.assertRaisesRegex(UserError, "change only through the document's buttons"):
            annex.with_user(self.kam_users["audit"]).write({"seal_date": datetime.date(2026, 12, 1)})
        annex.with_user(self.kam_users["manager"]).action_seal()
        self.assertTrue(annex.seal_date)
        self.contract.action_close()
        self.assertEqual(self.contract.state, "closed")

    def test_deadline_reminders_once_per_contract_and_deadline(self):
        self.env.company.kam_deadline_lead_days = 10
        sudo_set_terms_for_fixture(
            self.contract, {"selection_deadline": datetime.date(2026, 12, 10), "payment_deadline": datetime.date(2027, 1, 31)}
        )
        Activity = self.env["mail.activity"]
        selection_type = self.env.ref("kam_management.mail_activity_kam_selection_deadline")
        with freeze_time("2026-11-25"):
            self.contract._cron_kam_deadline_activities()
        self.assertFalse(Activity.search([("res_id", "=", self.contract.id), ("activity_type_id", "=", selection_type.id)]))
        with freeze_time("2026-12-01"):
            self.contract._cron_kam_deadline_activities()
            self.contract._cron_kam_deadline_activities()
        reminders = Activity.search([("res_model", "=", "kam.housing.contract"), ("res_id", "=", self.contract.id)])
        self.assertEqual(len(reminders), 1)
        self.assertEqual((reminders.activity_type_id, reminders.date_deadline), (selection_type, datetime.date(2026, 12, 10)))
        self.assertEqual(reminders.user_id, self.contract.user_id)
        reminders.action_done()
        with freeze_time("2026-12-02"):
            self.contract._cron_kam_deadline_activities()
        self.assertFalse(Activity.search([("res_id", "=", self.contract.id), ("res_model", "=", "kam.housing.contract")]),
                         "a reminder marked done is not created again")
        self.assertEqual(
            Activity.with_context(active_test=False).search_count(
                [("res_id", "=", self.contract.id), ("res_model", "=", "kam.housing.contract")]
            ),
            1,
        )


@tagged("post_install", "-at_install")
class TestDeskSequencesPerCompany(KamDeskCommon):
    def test_each_company_numbers_its_own_tickets_and_vouchers_from_one(self):
        Sequence = self.env["ir.sequence"].with_context(active_test=False)
        Number = self.env["kam.gapless.number"].sudo()
        second = self.env["res.company"].create({"name": "Second Desk Company"})
        own_tickets, their_tickets = (company._kam_desk_sequence("kam.room.ticket") for company in (self.env.company, second))
        self.assertEqual(their_tickets.number_next_actual, 1)
        self.assertEqual(self._next_voucher_number(second), 1)
        self.assertFalse(Sequence.search([("code", "=", "kam.room.ticket"), ("company_id", "=", False), ("active", "=", True)]),
                         "no sequence is shared by the companies")
        self.assertFalse(Sequence.search([("code", "=", "kam.room.voucher")]), "no voucher number lives in ir.sequence")
        ticket_next, voucher_next = own_tickets.number_next_actual, self._next_voucher_number()
        ticket = self._reviewed()
        with self._receipts(300_000.0):
            voucher = ticket._kam_try_auto_voucher()
        self.assertEqual((int(ticket.name.rsplit("-", 1)[1]), self._number(voucher)), (ticket_next, voucher_next))
        taken = Number.search([("company_id", "=", self.env.company.id), ("number", "=", voucher_next)])
        self.assertEqual((taken.series, taken.res_id), ("kam.room.voucher", voucher.id))
        self.env.invalidate_all()
        self.assertEqual((their_tickets.number_next_actual, self._next_voucher_number(second)), (1, 1),
                         "the other company's numbers wait")
        year = datetime.date.today().year
        self.assertEqual(
            [Number._kam_format("kam.room.voucher", Number._kam_take(second, "kam.room.voucher", 0), datetime.date.today())
             for _i in range(2)],
            [f"XF{year}-000001", f"XF{year}-000002"],
        )
        self.assertEqual(self._next_voucher_number(), voucher_next + 1)
        # the install step is idempotent: nothing doubles
        self.env["res.company"]._kam_install_desk_sequences()
        self.assertEqual(Sequence.search_count([("code", "=", "kam.room.ticket"), ("company_id", "=", second.id)]), 1)
        self.assertEqual((self._next_voucher_number(), self._next_voucher_number(second)), (voucher_next + 1, 3))

    def test_the_voucher_sequences_of_an_older_install_hand_their_next_number_on(self):
        Sequence = self.env["ir.sequence"].with_context(active_test=False)
        third, fourth = self.env["res.company"].create([{"name": "Third Desk Company"}, {"name": "Fourth Desk Company"}])
        old = {"code": "kam.room.voucher", "implementation": "no_gap", "prefix": "XF%(year)s-", "padding": 6}
        Sequence.create(
            [{**old, "name": "Old shared vouchers", "number_next": 42, "company_id": False},
             {**old, "name": "Old own vouchers", "number_next": 7, "company_id": fourth.id}]
        )
        self.env["res.company"]._kam_install_desk_sequences()
        self.assertEqual((self._next_voucher_number(third), self._next_voucher_number(fourth)), (42, 7))
        self.assertFalse(Sequence.search([("code", "=", "kam.room.voucher")]), "the old sequences are gone")
        fourth._kam_desk_sequence("kam.room.ticket").unlink()
        with self.assertRaisesRegex(UserError, "has no kam.room.ticket numbering"):
            fourth._kam_desk_sequence("kam.room.ticket")
