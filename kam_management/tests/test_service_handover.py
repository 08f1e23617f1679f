from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .service_common import KamServiceCommon


@tagged("post_install", "-at_install")
class TestServiceHandover(KamServiceCommon):
    """KA9: a departing manager's accounts and everything attached move to the successor at once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Users = cls.env["res.users"]
        kam_group = cls.env.ref("kam_management.group_kam_user")
        cls.leaver = Users.create({"name": "离职经理", "login": "kam_test_leaver", "group_ids": [kam_group.id]})
        cls.successor = Users.create({"name": "接任经理", "login": "kam_test_successor", "group_ids": [kam_group.id]})
        cls.outsider = Users.create({"name": "财务人员", "login": "kam_test_outsider",
                                     "group_ids": [cls.env.ref("kam_management.group_kam_finance").id]})
        cls.primary = cls._key_accounts(["华润置地"], manager=cls.leaver)
        cls.backup = cls._key_accounts(["龙湖集团"], manager=cls.colleague, backup=cls.leaver)
        cls._set_tier(cls.primary | cls.backup, cls.tier_strategic)
        cls.primary.write({"kam_technical_user_id": cls.leaver.id})
        cls.complaint = cls._complaint(cls.primary, "2026-11-30 01:00:00", user=cls.leaver)
        cls.project = cls.env["kam.housing.project"].create({"name": "滨江花园"})
        cls.contract = cls.env["kam.housing.contract"].create(
            {"partner_id": cls.primary.id, "project_id": cls.project.id, "user_id": cls.leaver.id,
             "team_member_ids": [(6, 0, [cls.leaver.id])]}
        )
        cls.task = cls.primary.activity_schedule(
            "mail.mail_activity_data_todo", user_id=cls.leaver.id, summary="年底回款"
        )
        cls.complaint_task = cls.complaint.activity_schedule(
            "mail.mail_activity_data_todo", user_id=cls.leaver.id, summary="回复客户"
        )
        cls.primary.message_subscribe(partner_ids=cls.leaver.partner_id.ids)
        cls.env["kam.cadence.status"]._kam_refresh_all()

    def _wizard(self, user=None, **values):
        Wizard = self.env["kam.handover.wizard"].with_user(user or self.ka_manager)
        return Wizard.create({"from_user_id": self.leaver.id, "to_user_id": self.successor.id, **values})

    def _left_with(self, user):
        """Everything of the key-account service still in ``user``'s name."""
        env = self.env
        found = {
            "accounts": env["res.partner"].search(
                ["|", "|", ("kam_manager_id", "=", user.id), ("kam_backup_manager_id", "=", user.id),
                 ("kam_technical_user_id", "=", user.id)]
            ),
            "registrations": env["kam.account.registration"].search(
                ["|", ("user_id", "=", user.id), ("backup_user_id", "=", user.id)]
            ),
            "complaints": env["kam.complaint"].search([("user_id", "=", user.id), ("state", "!=", "closed")]),
            "contracts": env["kam.housing.contract"].search(
                ["|", ("user_id", "=", user.id), ("team_member_ids", "in", user.id)]
            ),
            "activities": env["mail.activity"].search([("user_id", "=", user.id)]),
            "cadence": env["kam.cadence.status"].search([("user_id", "=", user.id)]),
            "followed": env["mail.followers"].search(
                [("partner_id", "=", user.partner_id.id), ("res_model", "=", "res.partner"),
                 ("res_id", "in", (self.primary | self.backup).ids)]
            ),
        }
        return {name: records for name, records in found.items() if records}

    def test_handover_of_a_departed_manager_leaves_nothing_with_them(self):
        self.assertTrue(self._left_with(self.leaver))
        self.leaver.active = False  # staff left
        self._wizard(role="all").action_handover()
        self.assertEqual(self._left_with(self.leaver), {})
        self.assertEqual(self.primary.kam_manager_id, self.successor)
        self.assertEqual(self.primary.kam_technical_user_id, self.successor)
        self.assertEqual(self.backup.kam_backup_manager_id, self.successor)
        self.assertEqual(self.backup.kam_manager_id, self.colleague, "the other manager keeps their role")
        self.assertEqual(self.complaint.user_id, self.successor)
        self.assertEqual(self.contract.user_id, self.successor)
        self.assertIn(self.successor, self.contract.team_member_ids)
        self.assertEqual(self.task.user_id, self.successor)
        self.assertEqual(self.complaint_task.user_id, self.successor)
        self.assertIn(self.successor.partner_id, self.primary.message_partner_ids)
        self.assertTrue(
            self.env["kam.cadence.status"].search([("partner_id", "=", self.primary.id), ("user_id", "=", self.successor.id)])
        )
        # the departed manager cannot introduce anybody: the successor introduces themself, once per account
        intro = self.env.ref("kam_management.mail_activity_type_kam_introduce_successor")
        for partner in self.primary | self.backup:
            activities = partner.activity_ids.filtered(lambda a: a.activity_type_id == intro)
            self.assertEqual(activities.user_id, self.successor)
            self.assertEqual(len(activities), 1)
            self.assertIn("接任经理", partner.message_ids[0].body)

    def test_an_active_outgoing_manager_introduces_the_successor_and_customers_may_be_told(self):
        self.primary.email = "contact@crland.example"
        self._wizard(role="primary", notify_customer=True).action_handover()
        intro = self.env.ref("kam_management.mail_activity_type_kam_introduce_successor")
        self.assertEqual(self.primary.activity_ids.filtered(lambda a: a.activity_type_id == intro).user_id, self.leaver)
        self.assertEqual(self.backup.kam_backup_manager_id, self.leaver, "primary role only")
        customer_mail = self.primary.message_ids.filtered(lambda m: self.primary in m.partner_ids)
        self.assertTrue(customer_mail)

    def test_a_successor_outside_the_key_account_department_is_refused_and_nothing_moves(self):
        with self.assertRaises(UserError):
            self._wizard(to_user_id=self.outsider.id).action_handover()
        self.assertEqual(self.primary.kam_manager_id, self.leaver)
        self.assertEqual(self.task.user_id, self.leaver)

    def test_one_transaction_a_failure_half_way_moves_nothing(self):
        wizard = self._wizard(role="all")
        Wizard = type(self.env["kam.handover.wizard"])
        original = Wizard._kam_introduce_successor

        def fail(self, partners):
            raise UserError("boom")

        Wizard._kam_introduce_successor = fail
        try:
            with self.assertRaises(UserError), self.env.cr.savepoint():
                wizard.action_handover()
        finally:
            Wizard._kam_introduce_successor = original
        self.env.invalidate_all()
        self.assertEqual(self.primary.kam_manager_id, self.leaver)
        self.assertEqual(self.complaint.user_id, self.leaver)
        self.assertEqual(self.task.user_id, self.leaver)

    def test_only_a_director_hands_over(self):
        with self.assertRaises(AccessError):
            self._wizard(user=self.ka_user).action_handover()
