"""Issue 7 attacks sent as a browser would: JSON-RPC ``/web/dataset/call_kw`` (SEC1, KA2/KA5, HS2).

The translated refusal comes back to the client in the user's language (zh_CN).
"""

import datetime

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import KamJsonRpcMixin

ZH_CN = {"lang": "zh_CN"}  # the web client sends the user's language with every call
NO_READ_ACCESS = "没有「读取」权限"  # Odoo's record-rule refusal, in Chinese


@tagged("post_install", "-at_install")
class TestAttacksOverJsonRpc(KamJsonRpcMixin, HttpCase):
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

    def test_staff_cannot_read_a_colleagues_contact_over_rpc(self):
        self.authenticate("kam_rpc_staff", "kam_rpc_staff")
        with mute_logger("odoo.http", "odoo.addons.base.models.ir_rule"):
            self._assert_refused(
                self._call("res.partner", "read", [[self.colleague_contact.id], ["name", "phone"]], context=ZH_CN),
                NO_READ_ACCESS, error=AccessError,
            )
            self._assert_refused(
                self._call("res.partner", "write", [[self.colleague_contact.id], {"phone": "13800000000"}], context=ZH_CN),
                NO_READ_ACCESS, error=AccessError,
            )
        result = self._result(self._call("res.partner", "search", [[["id", "=", self.colleague_contact.id]]], context=ZH_CN))
        self.assertEqual(result, [])
        self.assertFalse(self.colleague_contact.phone)

    def test_staff_cannot_set_the_payment_term_of_a_tiered_account_over_rpc(self):
        prepayment = self.env.ref("kam_management.kam_payment_term_prepayment")
        self.authenticate("kam_rpc_staff", "kam_rpc_staff")
        with mute_logger("odoo.http"):
            self._assert_refused(
                self._call(
                    "res.partner", "write", [[self.own_account.id], {"property_payment_term_id": prepayment.id}],
                    context=ZH_CN,
                ),
                "只有大客户总监", error=AccessError,
            )
        self.own_account.invalidate_recordset()
        self.assertEqual(self.own_account.property_payment_term_id, self.tier_b.payment_term_id)

    def test_retail_sales_cannot_move_a_holding_over_rpc(self):
        self.authenticate("kam_rpc_sales", "kam_rpc_sales")
        with mute_logger("odoo.http"):
            self._assert_refused(
                self._call("kam.unit.holding", "write", [[self.holding.id], {"unit_id": self.units[1].id}], context=ZH_CN),
                "历史", error=AccessError,
            )
            self._assert_refused(
                self._call("kam.unit.holding", "create", [[{"unit_id": self.units[2].id, "channel": "retail"}]], context=ZH_CN),
                "不能直接创建占用记录", error=AccessError,
            )
        self.holding.invalidate_recordset()
        self.assertEqual(self.holding.unit_id, self.units[0])
        self.assertEqual(self.units[1:].mapped("state"), ["available", "available"])

    def test_staff_cannot_read_another_departments_request_over_rpc(self):
        self.authenticate("kam_rpc_staff", "kam_rpc_staff")
        with mute_logger("odoo.http", "odoo.addons.base.models.ir_rule"):
            self._assert_refused(
                self._call(
                    "kam.relation.request", "read", [[self.request.id], ["buyer_name", "buyer_id_number"]], context=ZH_CN
                ),
                NO_READ_ACCESS, error=AccessError,
            )
        result = self._result(self._call("kam.relation.request", "search_read", [[], ["buyer_id_number"]], context=ZH_CN))
        self.assertEqual(result, [])
