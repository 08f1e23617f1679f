import base64
import datetime
from contextlib import contextmanager
from unittest.mock import patch

from odoo import Command
from odoo.tests import new_test_user

from .housing_common import KamHousingCommon, make_resident_id

SIGNED = base64.b64encode(b"%PDF-1.4 signed ticket")
RECOVERED = base64.b64encode(b"%PDF-1.4 recovered copies")
BUYERS = [
    ("Zhang Wei", make_resident_id("110105", datetime.date(1985, 3, 1), 11)),
    ("Li Na", make_resident_id("310104", datetime.date(1990, 7, 15), 22)),
    ("Wang Fang", make_resident_id("440305", datetime.date(1978, 12, 9), 33)),
    ("Liu Yang", make_resident_id("510107", datetime.date(1982, 5, 20), 44)),
]


class KamDeskCommon(KamHousingCommon):
    """A contract whose selection is open: price 6,000/m² on floor 1 (+100 per floor), 50 % minimum
    ratio, a 2 % full-payment discount, four verified buyers and eight units held by the contract
    (B1 floor 1: 101–103 at 100 m², 104–105 at 80 m²; B3-201 at 98 m² on floor 2, i.e. 6,100/m²).
    Two ticket clerks and two finance users work the desk."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.clerk, cls.clerk_2 = (
            new_test_user(
                cls.env, login=login, name=name, groups="kam_management.group_kam_ticket_clerk",
                company_id=company.id, company_ids=[company.id],
            )
            for login, name in (("kam_test_clerk", "Clerk Zhou"), ("kam_test_clerk_2", "Clerk Wu"))
        )
        cls.finance = cls.kam_users["finance"]
        cls.finance_2 = new_test_user(
            cls.env, login="kam_test_finance_2", name="Finance Qian", groups="kam_management.group_kam_finance",
            company_id=company.id, company_ids=[company.id],
        )
        # the lawyer's sign-off is recorded by a second auditor: three sign-offs, three people
        cls.lawyer_recorder = new_test_user(
            cls.env, login="kam_test_audit_2", name="Audit Sun", groups="kam_management.group_kam_audit",
            company_id=company.id, company_ids=[company.id],
        )
        building_3 = cls.env["kam.housing.building"].create({"name": "B3", "project_id": cls.project.id, "floor_count": 4})
        cls.swap_unit = cls.env["kam.housing.unit"].create(
            {"building_id": building_3.id, "floor": 2, "number": "201", "layout": "A", "area": 98.0}
        )
        cls.rename_unit = cls.env["kam.housing.unit"].create(  # floor 9: 6,800/m²
            {"building_id": building_3.id, "floor": 9, "number": "901", "layout": "A", "area": 100.0}
        )
        cls.outside_unit = cls.units[10]  # B2-101: never allocated to the contract
        cls.contract = cls._create_contract(payment_ratio=50.0, full_payment_discount_percent=2.0)
        pricing = cls.env["kam.housing.pricing"].create(
            cls._pricing_vals(
                cls.contract, average_price=6000.0, payment_ratio=50.0, market_reference_price=7000.0,
                floor_step=100.0, layout_line_ids=[],
            )
        )
        cls._approve_by_reviewers(pricing, cls.approvers["chairman"])
        cls.desk_units = cls.units[:5] | cls.swap_unit | cls.rename_unit
        cls._fixture_allocate(cls.contract, cls.desk_units)
        cls.env["kam.housing.buyer"].create(
            [{"contract_id": cls.contract.id, "name": name, "id_number": number} for name, number in BUYERS]
        )
        cls.contract.buyer_lawyer_id = cls.env["res.partner"].create({"name": "Lawyer Chen Jing"})
        cls.contract.with_user(cls.kam_users["audit"]).action_signoff_buyers_audit()
        cls.contract.with_user(cls.kam_users["finance"]).action_signoff_buyers_finance()
        cls.contract.with_user(cls.lawyer_recorder).action_signoff_buyers_lawyer()
        cls.contract.action_open_selection()
        cls.Ticket = cls.env["kam.room.ticket"]
        cls.Voucher = cls.env["kam.room.voucher"]

    @classmethod
    def _fixture_allocate(cls, contract, units):
        """An allocation of ``units`` approved by its reviewers (the approval holds the units)."""
        allocation = cls.env["kam.unit.allocation"].create(
            {"contract_id": contract.id, "date": datetime.date(2026, 6, 1),
             "line_ids": [Command.create({"unit_id": unit.id}) for unit in units]}
        )
        cls._approve_by_reviewers(allocation, cls.approvers["gm"])
        return allocation

    # ------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------

    @classmethod
    def _desk_line(cls, buyer=0):
        """Buyer ``buyer``'s number in the contract's draw, called and ID-checked at the desk (HS10): the draw is
        made once through its real steps (the desk freezes, audit enters the seed, the desk draws)."""
        Draw = cls.env["kam.selection.draw"]
        draw = Draw.search([("contract_id", "=", cls.contract.id), ("state", "=", "done")], limit=1)
        if not draw:
            draw = Draw.with_user(cls.clerk).create({"contract_id": cls.contract.id})
            draw.action_freeze()
            draw.with_user(cls.kam_users["audit"]).action_enter_seed("2026-12-01 lottery 379")
            draw.action_draw()
        name, number = BUYERS[buyer]
        line = draw.line_ids.filtered(lambda line: line.sudo().buyer_id.id_number == number)
        while not line.called_date:
            draw.with_user(cls.clerk).action_call_next()
            line.invalidate_recordset()
        if line.id_check_result != "match":
            line.with_user(cls.clerk).action_check_id(name, number)
        return line

    def _ticket(self, buyer=0, unit=None, ratio=50.0, deposit=20_000.0, **values):
        name, number = BUYERS[buyer]
        vals = {
            "contract_id": self.contract.id,
            "buyer_name": name,
            "id_number": number,
            "unit_id": (unit or self.units[0]).id,
            "payment_ratio": ratio,
            "deposit_amount": deposit,
        }
        if "draw_line_id" not in values and values.get("basis", "buyer") == "buyer":
            vals["draw_line_id"] = self._desk_line(buyer).id
        vals.update(values)
        return self.Ticket.with_user(self.clerk).create(vals)

    def _issued(self, **values):
        ticket = self._ticket(**values)
        ticket.action_issue()
        ticket.signed_copy = SIGNED
        return ticket

    def _reviewed(self, **values):
        ticket = self._issued(**values)
        ticket.with_user(self.finance).action_review()
        return ticket.with_user(self.clerk)

    @contextmanager
    def _receipts(self, amount):
        """Registered house money of every ticket's buyer (the receipts' hook, AC1)."""
        with patch.object(type(self.Ticket), "_kam_received_amount", lambda ticket: amount):
            yield

    def _next_voucher_number(self, company=None):
        """The number the company's next voucher will take (its gapless series, as this transaction sees it)."""
        return self.env["kam.gapless.number"]._kam_last(company or self.env.company, "kam.room.voucher") + 1

    def _number(self, voucher):
        return int(voucher.name.rsplit("-", 1)[1])
