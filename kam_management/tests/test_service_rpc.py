from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import KamJsonRpcMixin
from .test_attack_approvals import BUTTONS_ONLY


@tagged("post_install", "-at_install")
class TestServiceComplaintRpc(KamJsonRpcMixin, HttpCase):
    """SEC6 over the wire: a staff member's JSON-RPC write of a complaint's state is refused."""

    def test_state_write_over_json_rpc_is_refused(self):
        staff = new_test_user(
            self.env, login="kam_rpc_staff", password="kam_rpc_staff_pw", groups="kam_management.group_kam_user"
        )
        partner = self.env["res.partner"].create({"name": "招商蛇口", "is_company": True})
        partner.sudo().write({"kam_manager_id": staff.id, "kam_tier_id": self.env.ref("kam_management.kam_tier_b").id})
        complaint = self.env["kam.complaint"].create(
            {"partner_id": partner.id, "description": "<p>x</p>", "user_id": staff.id}
        )
        self.authenticate("kam_rpc_staff", "kam_rpc_staff_pw")
        # a legitimate call goes through, so the refusals below are the guard's, not a broken session
        self._result(self._call("kam.complaint", "write", [[complaint.id], {"severity": "serious"}]))
        for context in ({}, {"kam_state_write": True, "active_test": False, "install_mode": True}):
            for values in ({"state": "closed"}, {"satisfaction": "5", "escalated": True}):
                with self.subTest(context=context, values=values):
                    self._assert_refused(
                        self._call("kam.complaint", "write", [[complaint.id], values], context=context), BUTTONS_ONLY
                    )
        self._assert_refused(self._call("kam.complaint", "unlink", [[complaint.id]]), "kam.complaint", error=AccessError)
        complaint.invalidate_recordset()
        self.assertEqual(complaint.state, "received")
        self.assertEqual(complaint.severity, "serious")
        self.assertFalse(complaint.satisfaction)
        self.assertFalse(complaint.escalated)

    def test_the_manager_cannot_re_date_a_complaint_over_json_rpc(self):
        """Issue 18: the manager measured by the deadline sends a time of receipt or a deadline of their own."""
        director = new_test_user(
            self.env, login="kam_rpc_director", password="kam_rpc_director_pw",
            groups="kam_management.group_kam_manager",
        )
        partner = self.env["res.partner"].create({"name": "华润置地", "is_company": True})
        partner.sudo().write({"kam_manager_id": director.id, "kam_tier_id": self.env.ref("kam_management.kam_tier_b").id})
        self.authenticate("kam_rpc_director", "kam_rpc_director_pw")
        received = "The time a complaint is received is recorded by the system"
        for context in ({}, {"kam_state_write": True, "install_mode": True}):
            self._assert_refused(
                self._call("kam.complaint", "create", [{"partner_id": partner.id, "description": "<p>x</p>",
                                                        "received_at": "2030-01-01 00:00:00"}], context=context),
                received,
            )
        complaint_id = self._result(
            self._call("kam.complaint", "create", [{"partner_id": partner.id, "description": "<p>x</p>"}])
        )
        complaint_id = complaint_id[0] if isinstance(complaint_id, list) else complaint_id
        complaint = self.env["kam.complaint"].browse(complaint_id)
        received_at, deadline = complaint.received_at, complaint.response_deadline
        for context in ({}, {"kam_state_write": True, "install_mode": True}):
            self._assert_refused(
                self._call("kam.complaint", "write", [[complaint_id], {"received_at": "2030-01-01 00:00:00"}],
                           context=context),
                received,
            )
            self._assert_refused(
                self._call("kam.complaint", "write", [[complaint_id], {"response_deadline": "2030-01-01 00:00:00"}],
                           context=context),
                BUTTONS_ONLY,
            )
        # nor moves it to another of their companies, whose calendar would plan another deadline
        other = self.env["res.company"].create({"name": "华润置地（深圳）"})
        director.sudo().company_ids += other
        self._assert_refused(
            self._call("kam.complaint", "write", [[complaint_id], {"company_id": other.id}],
                       context={"allowed_company_ids": [other.id, complaint.company_id.id]}),
            "A complaint stays in the company that received it",
        )
        complaint.invalidate_recordset()
        self.assertEqual((complaint.received_at, complaint.response_deadline), (received_at, deadline))
        self.assertNotEqual(complaint.company_id, other)

