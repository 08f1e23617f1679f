"""Issue 7 attacks sent as a browser would: JSON-RPC ``/web/dataset/call_kw`` (SEC1, KA2/KA5, HS2).

The translated refusal comes back to the client in the user's language (zh_CN).
"""

import datetime

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestAttacksOverJsonRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        company = cls.env.company

        def user(login, groups):
            return new_test_user(
                cls.env, login=login, name=login, groups=groups, lang="zh_CN",
                company_id=company.id, company_ids=[company.id],
            )

        cls.staff = user("kam_rpc_staff", "kam_management.group_kam_user")
        cls.colleague = user("kam_rpc_colleague", "kam_management.group_kam_user")
        cls.sales = user("kam_rpc_sales", "kam_management.group_kam_sales")
        cls.tier_b = cls.env.ref("kam_management.kam_tier_b")
        cls.own_account = cls._sudo_key_account("万科RPC", cls.staff, cls.tier_b)
        cls.colleague_account = cls._sudo_key_account("华润RPC", cls.colleague, cls.tier_b)
        cls.colleague_contact = cls.env["res.partner"].create(
            {"name": "李经理RPC", "parent_id": cls.colleague_account.id}
        )
        project = cls.env["kam.housing.project"].create({"name": "RPC Garden"})
        building = cls.env["kam.housing.building"].create({"name": "R1", "project_id": project.id})
        cls.units = cls.env["kam.housing.unit"].create(
            [{"building_id": building.id, "floor": 1, "number": f"10{i}", "area": 90.0} for i in range(1, 4)]
        )
        cls.holding = cls.env["kam.unit.holding"].with_user(cls.sales)._reserve_retail(cls.units[0], "李娜")
        engineering = cls.env["kam.department"].create(
            {"name": "RPC Engineering", "member_ids": [Command.set(cls.colleague.ids)]}
        )
        cls.request = cls.env["kam.relation.request"].sudo().create(
            {
                "department_id": engineering.id,
                "project_id": project.id,
                "buyer_name": "周敏",
                "buyer_id_number": "11010519491231002X",
                "average_price": 9500.0,
                "payment_deadline": datetime.date(2026, 12, 1),
                "requester_id": cls.colleague.id,
            }
        )

    @classmethod
    def _sudo_key_account(cls, name, manager, tier):
        """sudo helper: a registered key account of ``manager`` in ``tier`` (the flows are tested elsewhere)."""
        partner = cls.env["res.partner"].create({"name": name, "is_company": True})
        partner.sudo().write(
            {
                "kam_registration_state": "approved",
                "kam_manager_id": manager.id,
                "kam_tier_id": tier.id,
                "kam_payment_tier_id": tier.id,
                "property_payment_term_id": tier.payment_term_id.id,
            }
        )
        return partner

    def _call(self, model, method, *args, **kwargs):
        """POST to /web/dataset/call_kw as the web client does (user context included); returns (result, error)."""
        kwargs.setdefault("context", {"lang": "zh_CN"})
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=None,
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            },
        )
        payload = response.json()
        error = payload.get("error")
        return payload.get("result"), (error or {}).get("data")

    def test_staff_cannot_read_a_colleagues_contact_over_rpc(self):
        self.authenticate("kam_rpc_staff", "kam_rpc_staff")
        with mute_logger("odoo.http", "odoo.addons.base.models.ir_rule"):
            result, error = self._call("res.partner", "read", [self.colleague_contact.id], ["name", "phone"])
            self.assertIsNone(result)
            self.assertEqual(error["name"], "odoo.exceptions.AccessError")
            result, error = self._call("res.partner", "write", [self.colleague_contact.id], {"phone": "13800000000"})
            self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        result, _error = self._call("res.partner", "search", [["id", "=", self.colleague_contact.id]])
        self.assertEqual(result, [])
        self.assertFalse(self.colleague_contact.phone)

    def test_staff_cannot_set_the_payment_term_of_a_tiered_account_over_rpc(self):
        prepayment = self.env.ref("kam_management.kam_payment_term_prepayment")
        self.authenticate("kam_rpc_staff", "kam_rpc_staff")
        with mute_logger("odoo.http"):
            _result, error = self._call(
                "res.partner", "write", [self.own_account.id], {"property_payment_term_id": prepayment.id}
            )
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        self.assertIn("只有大客户总监", error["message"])
        self.own_account.invalidate_recordset()
        self.assertEqual(self.own_account.property_payment_term_id, self.tier_b.payment_term_id)

    def test_retail_sales_cannot_move_a_holding_over_rpc(self):
        self.authenticate("kam_rpc_sales", "kam_rpc_sales")
        with mute_logger("odoo.http"):
            _result, error = self._call("kam.unit.holding", "write", [self.holding.id], {"unit_id": self.units[1].id})
            self.assertEqual(error["name"], "odoo.exceptions.AccessError")
            self.assertIn("历史", error["message"])
            _result, error = self._call(
                "kam.unit.holding", "create", [{"unit_id": self.units[2].id, "channel": "retail"}]
            )
            self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        self.holding.invalidate_recordset()
        self.assertEqual(self.holding.unit_id, self.units[0])
        self.assertEqual(self.units[1:].mapped("state"), ["available", "available"])

    def test_staff_cannot_read_another_departments_request_over_rpc(self):
        self.authenticate("kam_rpc_staff", "kam_rpc_staff")
        with mute_logger("odoo.http", "odoo.addons.base.models.ir_rule"):
            _result, error = self._call(
                "kam.relation.request", "read", [self.request.id], ["buyer_name", "buyer_id_number"]
            )
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        result, _error = self._call("kam.relation.request", "search_read", [], ["buyer_id_number"])
        self.assertEqual(result, [])
