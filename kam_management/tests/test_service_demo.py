from odoo import fields
from odoo.tests import TransactionCase, tagged


# kam_demo_db: it checks the demo's own visits and complaints
@tagged("post_install", "-at_install", "kam_demo_db")
class TestServiceDemo(TransactionCase):
    """A new user sees the service screens working: demo visits, an overdue and an escalated complaint."""

    def test_demo_service_data(self):
        overdue = self.env.ref("kam_management.complaint_changjiang_overdue", raise_if_not_found=False)
        if not overdue:
            self.fail("the module's demo data is missing (install it with demo data)")
        self.assertEqual(overdue.state, "received")
        self.assertLess(overdue.response_deadline, fields.Datetime.now(), "past its response deadline")
        escalated = self.env.ref("kam_management.complaint_huaxing_escalated")
        self.assertTrue(escalated.escalated)
        self.assertEqual(escalated.escalation_reason, "manager")
        self.assertTrue(escalated.activity_ids)
        visits = self.env["kam.visit"].search([("partner_id", "in", (overdue | escalated).partner_id.ids)])
        self.assertGreaterEqual(len(visits), 2)
        statuses = self.env["kam.cadence.status"].search([("partner_id", "=", overdue.partner_id.id)])
        self.assertTrue(statuses, "the cadence of the demo accounts is computed")
