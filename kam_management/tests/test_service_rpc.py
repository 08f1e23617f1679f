import json

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestServiceComplaintRpc(HttpCase):
    """SEC6 over the wire: a staff member's JSON-RPC write of a complaint's state is refused."""

    def _call_kw(self, model, method, args, kwargs):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs},
        }
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

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
        ok = self._call_kw("kam.complaint", "write", [[complaint.id], {"severity": "serious"}], {})
        self.assertNotIn("error", ok)
        for kwargs in ({}, {"context": {"kam_state_write": True, "active_test": False, "install_mode": True}}):
            for values in ({"state": "closed"}, {"satisfaction": "5", "escalated": True}):
                with self.subTest(kwargs=kwargs, values=values):
                    response = self._call_kw("kam.complaint", "write", [[complaint.id], values], kwargs)
                    self.assertIn("error", response)
        response = self._call_kw("kam.complaint", "unlink", [[complaint.id]], {})
        self.assertIn("error", response)
        complaint.invalidate_recordset()
        self.assertEqual(complaint.state, "received")
        self.assertEqual(complaint.severity, "serious")
        self.assertFalse(complaint.satisfaction)
        self.assertFalse(complaint.escalated)
