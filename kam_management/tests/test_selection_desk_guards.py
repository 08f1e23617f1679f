"""Issue 18, the selection desk and sales holes: each attack as the role that found it, through the ORM (here) and
over JSON-RPC (``TestDeskGuardsRpc``), refused with its message and nothing changed; then the legitimate path."""
import base64

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import KamJsonRpcMixin
from .desk_common import BUYERS, RECOVERED, KamDeskCommon
from .test_attack_approvals import BUTTONS_ONLY

NOT_A_SCAN = base64.b64encode(b"any bytes at all")
PAID = "has paid money or holds a voucher against ticket"


class KamDeskGuardsCommon(KamDeskCommon):
    def _register(self, ticket, number, amount, registrar=None):
        """A receipt of the ticket's buyer prepared by key-account staff and registered by finance (AC1)."""
        receipt = self.env["kam.housing.receipt"].with_user(self.kam_users["user"]).create(
            {"name": number, "contract_id": self.contract.id, "buyer_id": ticket.buyer_id.id, "amount": amount}
        )
        receipt.with_user(registrar or self.finance).action_register()
        return receipt

    def _vouchered(self, **values):
        ticket = self._reviewed(**values)
        self._register(ticket, f"R-{ticket.id}", ticket.amount_due)
        self.assertEqual(ticket.state, "vouchered")
        return ticket

    def _holder(self, unit):
        return unit.sudo().current_holding_id


@tagged("post_install", "-at_install")
class TestDeskReturnIsFinancesAct(KamDeskGuardsCommon):
    """Hole 2: a unit with money or a voucher against it goes back only by finance's review of the desk's request."""

    def test_the_clerk_cannot_cancel_a_ticket_whose_buyer_has_registered_receipts(self):
        ticket = self._reviewed()
        self._register(ticket, "R-001", 100_000.0)  # part of the 300,000.00 due: no voucher yet
        for user in (self.clerk, self.kam_users["manager"]):
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, PAID):
                ticket.with_user(user).action_cancel("The buyer changed their mind.")
        self.assertEqual(ticket.state, "reviewed")
        self.assertEqual(self._holder(self.units[0]).ticket_id, ticket)

    def test_top_up_with_any_bytes_then_cancel_is_refused(self):
        ticket = self._vouchered()
        voucher = ticket.voucher_id
        with self.assertRaisesRegex(UserError, "must be a scan of the paper copies"):
            ticket.action_top_up(100.0, NOT_A_SCAN, "copies.pdf")
        self.assertEqual((voucher.state, ticket.state, ticket.payment_ratio), ("issued", "vouchered", 50.0))
        ticket.action_top_up(100.0, RECOVERED, "copies.pdf")  # the buyer pays more: the desk's own act
        self.assertEqual(ticket.state, "reviewed")
        with self.assertRaisesRegex(UserError, PAID):
            ticket.action_cancel("Taken back after the top-up.")
        self.assertEqual(ticket.state, "reviewed")
        self.assertEqual(self._holder(self.units[0]).ticket_id, ticket)

    def test_the_desk_requests_the_return_and_a_second_person_of_finance_returns_the_unit(self):
        ticket = self._vouchered()
        voucher = ticket.voucher_id
        with self.assertRaisesRegex(AccessError, "You are not allowed to do this"):
            ticket.action_return()  # the clerk alone
        with self.assertRaisesRegex(UserError, "Give the reason for returning the unit"):
            ticket.action_request_return(" ", RECOVERED, "copies.pdf")
        with self.assertRaisesRegex(UserError, "Attach the recovered copies"):
            ticket.action_request_return("The employer withdrew the buyer.")
        with self.assertRaisesRegex(UserError, "must be a scan of the paper copies"):
            ticket.action_request_return("The employer withdrew the buyer.", NOT_A_SCAN, "copies.pdf")
        with self.assertRaisesRegex(UserError, BUTTONS_ONLY):
            ticket.write({"return_reason": "x", "return_requested_by_id": self.clerk_2.id})
        ticket.action_request_return("The employer withdrew the buyer.", RECOVERED, "copies.pdf")
        self.assertEqual((ticket.state, voucher.state), ("vouchered", "issued"), "nothing moves before finance")
        with self.assertRaisesRegex(UserError, "already waiting for finance"):
            ticket.action_request_return("Again.", RECOVERED, "copies.pdf")
        # the requester who is also in finance is not the second person
        self.clerk.group_ids += self.env.ref("kam_management.group_kam_finance")
        with self.assertRaisesRegex(UserError, "another person must do this step"):
            ticket.action_return()
        self.assertEqual(ticket.state, "vouchered")
        ticket.with_user(self.finance_2).action_return()
        red = voucher.reversal_id
        self.assertEqual((ticket.state, ticket.returned_by_id, ticket.cancel_reason),
                         ("cancel", self.finance_2, "The employer withdrew the buyer."))
        self.assertEqual((voucher.state, red.amount, red.reversal_reason), ("reversed", -300_000.0, "return"))
        self.assertEqual((red.prepared_by_id, red.reviewed_by_id), (self.clerk, self.finance_2))
        self.assertEqual(red.recovered_copy, RECOVERED)
        holding = self._holder(self.units[0])
        self.assertEqual((holding.contract_id, holding.ticket_id.id), (self.contract, False))
        with self.assertRaisesRegex(UserError, "Only a live ticket's unit can be returned"):
            ticket.with_user(self.finance_2).action_return()  # once

    def test_finance_confirms_the_copies_of_earlier_reversals_and_may_refuse_the_return(self):
        ticket = self._vouchered()
        ticket.action_top_up(100.0, RECOVERED, "copies.pdf")
        red = ticket.voucher_ids.filtered("is_red")
        self.assertEqual((red.prepared_by_id, red.reviewed_by_id.id), (self.clerk, False))
        ticket.action_request_return("The buyer cannot pay the rest.")
        ticket.with_user(self.finance).action_refuse_return()
        self.assertEqual((ticket.state, ticket.return_requested_by_id.id), ("reviewed", False))
        with self.assertRaisesRegex(UserError, "has not requested the return"):
            ticket.with_user(self.finance).action_return()
        ticket.action_request_return("The buyer cannot pay the rest, confirmed.")
        ticket.with_user(self.finance).action_return()
        self.assertEqual((ticket.state, red.reviewed_by_id), ("cancel", self.finance))

    def test_a_ticket_whose_return_waits_for_finance_is_neither_topped_up_nor_swapped(self):
        ticket = self._vouchered()
        voucher = ticket.voucher_id
        ticket.action_request_return("The employer withdrew the buyer.", RECOVERED, "copies.pdf")
        waiting = "is waiting for finance: it changes no further"
        with self.assertRaisesRegex(UserError, waiting):
            ticket.action_top_up(100.0, RECOVERED, "copies.pdf")
        with self.assertRaisesRegex(UserError, waiting):
            ticket.action_swap(self.swap_unit, RECOVERED, "copies.pdf")
        self.assertEqual((ticket.state, ticket.payment_ratio, voucher.state), ("vouchered", 50.0, "issued"))
        self.assertEqual(self._holder(self.units[0]).ticket_id, ticket)
        # once finance has refused the return, the desk's own acts are open again
        ticket.with_user(self.finance).action_refuse_return()
        ticket.action_top_up(100.0, RECOVERED, "copies.pdf")
        self.assertEqual((ticket.payment_ratio, voucher.state), (100.0, "reversed"))

    def test_a_ticket_without_money_is_still_cancelled_by_the_desk(self):
        ticket = self._issued()
        ticket.action_cancel("The buyer chose to wait for the next round.")
        self.assertEqual(ticket.state, "cancel")
        self.assertFalse(self._holder(self.units[0]).ticket_id)


@tagged("post_install", "-at_install")
class TestDeskOrderAndOneUnitPerBuyer(KamDeskGuardsCommon):
    """Hole 6 (the draw's order at the desk) and one buyer, one unit (the rename to a listed holder)."""

    def test_a_ticket_needs_the_buyers_own_number_called_and_checked(self):
        draw = self.env["kam.selection.draw"].with_user(self.clerk).create({"contract_id": self.contract.id})
        draw.action_freeze()
        draw.with_user(self.kam_users["audit"]).action_enter_seed("2026-12-01 lottery 379")
        draw.action_draw()
        first = draw.line_ids.sorted("position")[0]
        buyer = next(index for index, (name, _number) in enumerate(BUYERS) if name == first.buyer_name)
        other = (buyer + 1) % len(BUYERS)
        # another buyer on the first buyer's number; a buyer with no number at all
        for values, message in (
            ({"draw_line_id": first.id}, "a ticket stands on the buyer's own number"),
            ({"draw_line_id": False}, "Tickets are issued in the draw's order"),
        ):
            with self.subTest(values=values):
                ticket = self._ticket(buyer=other, unit=self.units[1], **values)
                with self.assertRaisesRegex(UserError, message):
                    ticket.action_issue()
                self.assertEqual((ticket.state, ticket.name), ("draft", "/"))
        self.assertFalse(self._holder(self.units[1]).ticket_id)
        # the first of the order on their own number: not called yet, then called but not ID-checked
        ticket = self._ticket(buyer=buyer, unit=self.units[2], draw_line_id=first.id)
        with self.assertRaisesRegex(UserError, "has not been called and had the ID card checked"):
            ticket.action_issue()
        draw.action_call_next()
        self.assertTrue(first.called_date)
        with self.assertRaisesRegex(UserError, "has not been called and had the ID card checked"):
            ticket.action_issue()
        self.assertEqual(ticket.state, "draft")
        first.with_user(self.clerk).action_check_id(*BUYERS[buyer])
        ticket.action_issue()
        self.assertEqual(self._holder(self.units[2]).ticket_id, ticket)

    def test_a_rename_to_a_listed_buyer_who_holds_a_unit_is_refused(self):
        renamed = self._vouchered()  # Zhang Wei on 101
        holder = self._issued(buyer=1, unit=self.units[1])  # Li Na on 102
        rename = self.env["kam.ticket.amendment"].with_user(self.clerk).create(
            {"ticket_id": renamed.id, "recovered_copy": RECOVERED, "new_buyer_name": BUYERS[1][0],
             "new_id_number": BUYERS[1][1]}
        )
        voucher = renamed.voucher_id
        with self.assertRaisesRegex(UserError, f"{BUYERS[1][0]} already holds ticket {holder.name}"):
            rename.action_apply()
        self.assertEqual((rename.state, renamed.buyer_name, voucher.state), ("draft", BUYERS[0][0], "issued"))
        # to a listed buyer who holds nothing it goes through; that buyer then gets no second unit
        rename.write({"new_buyer_name": BUYERS[2][0], "new_id_number": BUYERS[2][1]})
        rename.action_apply()
        self.assertEqual((rename.state, renamed.buyer_name), ("done", BUYERS[2][0]))
        second = self._ticket(buyer=2, unit=self.units[2])
        with self.assertRaisesRegex(UserError, "already holds a ticket"):
            second.action_issue()
        self.assertEqual(second.state, "draft")


@tagged("post_install", "-at_install")
class TestDrawSeedIsAuditsAndFinal(KamDeskGuardsCommon):
    """The draw's fairness (issue 18, issue 20 item 6): audit enters the seed, final; no re-draw after tickets."""

    def _frozen(self, **values):
        draw = self.env["kam.selection.draw"].with_user(self.clerk).create({"contract_id": self.contract.id, **values})
        draw.action_freeze()
        return draw

    def test_the_desk_neither_types_nor_replaces_the_seed(self):
        draw = self._frozen()
        audit = self.kam_users["audit"]
        with self.assertRaisesRegex(UserError, BUTTONS_ONLY):
            draw.write({"seed": "8 3 1 4"})
        with self.assertRaisesRegex(AccessError, "You are not allowed to do this"):
            draw.action_enter_seed("8 3 1 4")
        # an auditor who froze the list (also a clerk) is not someone other than the desk
        self.clerk.group_ids += self.env.ref("kam_management.group_kam_audit")
        with self.assertRaisesRegex(UserError, "another person must do this step"):
            draw.action_enter_seed("8 3 1 4")
        self.assertFalse(draw.seed)
        draw.with_user(audit).action_enter_seed(" 8 3 1 4 ")
        self.assertEqual((draw.seed, draw.seed_entered_by_id, draw.state), ("8 3 1 4", audit, "frozen"))
        with self.assertRaisesRegex(UserError, "entered and final"):
            draw.with_user(audit).action_enter_seed("9 9 9 9")
        with self.assertRaisesRegex(UserError, BUTTONS_ONLY):
            draw.with_user(audit).write({"seed": "9 9 9 9"})
        with self.assertRaisesRegex(UserError, "stays as it is until the draw"):
            draw.action_back_to_draft()
        with self.assertRaisesRegex(ValidationError, "entered and final: finish that draw"):
            self.env["kam.selection.draw"].with_user(self.clerk).create({"contract_id": self.contract.id})
        self.assertEqual((draw.seed, draw.state), ("8 3 1 4", "frozen"))
        # the auditor who typed the seed, were they also a clerk, does not run the draw
        audit.group_ids += self.env.ref("kam_management.group_kam_ticket_clerk")
        with self.assertRaisesRegex(UserError, "another person must do this step"):
            draw.with_user(audit).action_draw()
        draw.action_draw()
        self.assertEqual(draw.state, "done")

    def test_a_draw_with_tickets_issued_is_never_redrawn(self):
        self._issued()
        self.env["kam.room.ticket"].search([("contract_id", "=", self.contract.id)]).ensure_one()
        draw = self.env["kam.selection.draw"].search([("contract_id", "=", self.contract.id), ("state", "=", "done")])
        with self.assertRaisesRegex(UserError, "never drawn again"):
            self._frozen(redraw_reason="The order did not suit us.")
        self.assertEqual(draw.state, "done")
        self.assertEqual(self.env["kam.selection.draw"].search_count([("contract_id", "=", self.contract.id)]), 1)


@tagged("post_install", "-at_install")
class TestAutoVoucherNeedsFinancesRegistration(KamDeskGuardsCommon):
    """No automatic voucher follows one person's entry: the receipts that complete what is due are finance's."""

    def test_receipts_registered_by_anyone_but_finance_issue_no_voucher(self):
        ticket = self._reviewed()
        staff = self.kam_users["user"]
        receipt = self.env["kam.housing.receipt"].with_user(staff).create(
            {"name": "R-900", "contract_id": self.contract.id, "buyer_id": ticket.buyer_id.id, "amount": 300_000.0}
        )
        # a registration that was not finance's (an internal path, or data from before): staff's own uid
        receipt.with_user(staff).sudo().action_register()
        self.assertEqual(receipt.registered_by_id, staff)
        self.assertEqual((ticket.state, ticket.voucher_ids.ids), ("reviewed", []))
        self.assertFalse(ticket._kam_try_auto_voucher())
        # the manual path stays: a clerk prepares, finance re-checks and issues
        voucher = self.Voucher.with_user(self.clerk).create({"ticket_id": ticket.id})
        voucher.with_user(self.finance_2).action_issue()
        self.assertEqual((ticket.state, voucher.automatic), ("vouchered", False))

    def test_receipts_registered_by_finance_issue_the_voucher(self):
        ticket = self._reviewed()
        self._register(ticket, "R-901", 300_000.0)
        self.assertEqual((ticket.state, ticket.voucher_id.automatic, ticket.voucher_id.amount), ("vouchered", True, 300_000.0))


@tagged("post_install", "-at_install")
class TestCostAndMemoAcknowledgement(KamDeskGuardsCommon):
    """From the earlier round: cost writes only cost fields; an acknowledgement is the member's own act."""

    def test_cost_writes_only_the_cost_of_a_draft_proposal(self):
        proposal = self.env["kam.housing.pricing"].create(
            self._pricing_vals(self.contract, average_price=9000.0, payment_ratio=60.0)
        )
        cost = proposal.with_user(self.kam_users["cost"])
        for vals in ({"average_price": 8000.0}, {"payment_ratio": 50.0}, {"unit_cost": 5000.0, "payment_ratio": 55.0}):
            with self.subTest(vals=vals), self.assertRaisesRegex(AccessError, "enters only the cost"):
                cost.write(vals)
        proposal.invalidate_recordset()
        self.assertEqual((proposal.average_price, proposal.payment_ratio, proposal.sudo().unit_cost), (9000.0, 60.0, 0.0))
        cost.write({"unit_cost": 5000.0, "cost_uncertainty": "Steel prices"})
        self.assertEqual(proposal.sudo().unit_cost, 5000.0)
        proposal.with_user(self.kam_users["user"]).average_price = 8800.0  # the price stays key-account's

    def test_an_acknowledgement_is_made_only_by_the_members_own_button(self):
        memo = self.env["kam.negotiation.memo"].create({"contract_id": self.contract.id, "subject": "Second meeting"})
        staff, colleague = self.kam_users["user"], self.kam_users["manager"]
        ack = memo.ack_ids.filtered(lambda a: a.user_id == colleague)
        backdated = fields.Datetime.to_datetime("2026-01-05 09:00:00")
        with self.assertRaisesRegex(UserError, "lists its negotiation team's acknowledgements itself"):
            self.env["kam.negotiation.memo.ack"].with_user(staff).create(
                {"memo_id": memo.id, "user_id": self.kam_users["audit"].id, "date": backdated}
            )
        with self.assertRaisesRegex(UserError, "lists its negotiation team's acknowledgements itself"):
            memo.with_user(staff).write(
                {"ack_ids": [Command.create({"user_id": self.kam_users["audit"].id, "date": backdated})]}
            )
        with self.assertRaisesRegex(UserError, "only by the team member's own Acknowledge button"):
            ack.with_user(colleague).write({"date": backdated})
        self.assertFalse(ack.date)
        self.assertEqual(memo.ack_ids.user_id, self.contract.team_leader_id | self.contract.team_member_ids)
        memo.with_user(colleague).action_acknowledge()
        self.assertTrue(ack.date and ack.date > backdated)
        with self.assertRaisesRegex(UserError, "only by the team member's own Acknowledge button"):
            ack.with_user(colleague).write({"user_id": staff.id})
        self.assertEqual(memo.ack_ids.filtered("date").user_id, colleague)


@tagged("post_install", "-at_install")
class TestDeskGuardsRpc(KamJsonRpcMixin, KamDeskGuardsCommon, HttpCase):
    """The same attacks as a client sends them over JSON-RPC, with a context that tries to switch checks off."""

    HOSTILE = {"skip_validation_check": True, "kam_workflow": True, "tracking_disable": True}

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def test_rpc_the_clerk_alone_never_takes_a_paid_unit_back(self):
        ticket = self._vouchered()
        voucher = ticket.voucher_id
        self._login(self.clerk)
        self._assert_refused(
            self._call("kam.room.ticket", "action_top_up", [[ticket.id], 100.0, NOT_A_SCAN.decode()], context=self.HOSTILE),
            "must be a scan of the paper copies",
        )
        self._assert_refused(
            self._call("kam.room.ticket", "action_return", [[ticket.id]], context=self.HOSTILE),
            "You are not allowed to do this", error=AccessError,
        )
        self._assert_refused(
            self._call("kam.room.ticket", "write", [[ticket.id], {"state": "cancel", "returned_by_id": self.clerk.id}]),
            BUTTONS_ONLY,
        )
        self._result(self._call("kam.room.ticket", "action_top_up", [[ticket.id], 100.0, RECOVERED.decode()]))
        self._assert_refused(
            self._call("kam.room.ticket", "action_cancel", [[ticket.id], "Taken back."], context=self.HOSTILE), PAID
        )
        ticket.invalidate_recordset()
        voucher.invalidate_recordset()
        self.assertEqual((ticket.state, voucher.state), ("reviewed", "reversed"))
        self.assertEqual(self._holder(self.units[0]).ticket_id, ticket)
        # the legitimate path: the desk requests, finance returns
        self._result(self._call("kam.room.ticket", "action_request_return", [[ticket.id], "The buyer withdrew."]))
        self._login(self.finance)
        self._result(self._call("kam.room.ticket", "action_return", [[ticket.id]]))
        ticket.invalidate_recordset()
        self.assertEqual((ticket.state, ticket.returned_by_id), ("cancel", self.finance))
        self.assertFalse(self._holder(self.units[0]).ticket_id)

    def test_rpc_desk_order_seed_and_rename(self):
        # a ticket for a buyer on another buyer's number
        line = self._desk_line(0)
        self._login(self.clerk)
        name, number = BUYERS[1]
        ticket_id = self._result(self._call("kam.room.ticket", "create", [{
            "contract_id": self.contract.id, "draw_line_id": line.id, "buyer_name": name, "id_number": number,
            "unit_id": self.units[1].id, "payment_ratio": 50.0, "deposit_amount": 20_000.0,
        }]))
        self._assert_refused(
            self._call("kam.room.ticket", "action_issue", [[ticket_id]], context=self.HOSTILE),
            "a ticket stands on the buyer's own number",
        )
        self.assertEqual(self.Ticket.browse(ticket_id).state, "draft")
        # the seed of a new draw (a re-draw is refused anyway once tickets exist; here none is issued yet)
        draw = self.env["kam.selection.draw"].with_user(self.clerk).create(
            {"contract_id": self.contract.id, "redraw_reason": "The notary asked for it."}
        )
        draw.action_freeze()
        self._assert_refused(self._call("kam.selection.draw", "write", [[draw.id], {"seed": "1"}]), BUTTONS_ONLY)
        self._assert_refused(
            self._call("kam.selection.draw", "action_enter_seed", [[draw.id], "1"], context=self.HOSTILE),
            "You are not allowed to do this", error=AccessError,
        )
        self._login(self.kam_users["audit"])
        self._result(self._call("kam.selection.draw", "action_enter_seed", [[draw.id], "2026-12-01 379"]))
        self._assert_refused(
            self._call("kam.selection.draw", "action_enter_seed", [[draw.id], "380"]), "entered and final"
        )
        draw.invalidate_recordset()
        self.assertEqual(draw.seed, "2026-12-01 379")
        # a rename to a listed buyer who holds a unit
        draw.with_user(self.clerk).action_draw()
        renamed = self._vouchered(buyer=0)
        holder = self._issued(buyer=1, unit=self.units[1])
        self._login(self.clerk)
        amendment_id = self._result(self._call("kam.ticket.amendment", "create", [{
            "ticket_id": renamed.id, "recovered_copy": RECOVERED.decode(), "new_buyer_name": name,
            "new_id_number": number,
        }]))
        self._assert_refused(
            self._call("kam.ticket.amendment", "action_apply", [[amendment_id]], context=self.HOSTILE),
            f"already holds ticket {holder.name}",
        )
        renamed.invalidate_recordset()
        self.assertEqual((renamed.buyer_name, renamed.voucher_id.state), (BUYERS[0][0], "issued"))

    def test_rpc_cost_and_acknowledgement(self):
        proposal = self.env["kam.housing.pricing"].create(self._pricing_vals(self.contract))
        memo = self.env["kam.negotiation.memo"].create({"contract_id": self.contract.id, "subject": "Third meeting"})
        self._login(self.kam_users["cost"])
        self._assert_refused(
            self._call("kam.housing.pricing", "write", [[proposal.id], {"average_price": 8000.0, "payment_ratio": 50.0}],
                       context=self.HOSTILE),
            "enters only the cost", error=AccessError,
        )
        self._result(self._call("kam.housing.pricing", "write", [[proposal.id], {"unit_cost": 5000.0}]))
        self._login(self.kam_users["user"])
        self._assert_refused(
            self._call("kam.negotiation.memo.ack", "create", [{
                "memo_id": memo.id, "user_id": self.kam_users["manager"].id, "date": "2026-01-05 09:00:00",
            }], context=self.HOSTILE),
            "lists its negotiation team's acknowledgements itself",
        )
        proposal.invalidate_recordset()
        memo.invalidate_recordset()
        self.assertEqual((proposal.average_price, proposal.payment_ratio), (9000.0, 60.0))
        self.assertFalse(memo.ack_ids.filtered("date"))
        self._result(self._call("kam.negotiation.memo", "action_acknowledge", [[memo.id]]))
        memo.invalidate_recordset()
        self.assertEqual(memo.ack_ids.filtered("date").user_id, self.kam_users["user"])
