"""Clicking the Key Accounts app lands each department on its home action (issue 19, UX7), and the ticket
clerk sees the selection desk, not the whole key-account menu."""

from odoo.tests import TransactionCase, new_test_user, tagged

# department group -> the action the app opens for it
APP_HOMES = {
    "kam_management.group_kam_user": "kam_management.action_kam_home_accounts",
    "kam_management.group_kam_manager": "kam_management.action_kam_home_accounts",
    "kam_management.group_kam_ticket_clerk": "kam_management.action_kam_selection_desk",
    "kam_management.group_kam_sales": "kam_management.action_kam_sales_control_grid",
    "kam_management.group_kam_finance": "kam_management.action_kam_housing_receipt",
    "kam_management.group_kam_finance_manager": "kam_management.action_kam_joint_reconciliation",
    "kam_management.group_kam_audit": "kam_management.action_kam_home_audit",
    "kam_management.group_kam_cost": "kam_management.action_kam_housing_pricing",
    "kam_management.group_kam_executive": "kam_management.action_kam_home_approvals",
}


@tagged("post_install", "-at_install")
class TestAppEntry(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.app = cls.env.ref("kam_management.menu_kam_root")
        cls.entry = cls.env.ref("kam_management.action_kam_app_home")
        cls.users = {
            group: new_test_user(cls.env, login=f"kam_entry_{index}", groups=group)
            for index, group in enumerate(APP_HOMES)
        }

    def _app_action(self, user):
        """What the browser opens when the user clicks the app: the app menu's action, run as the user."""
        web_menus = self.env["ir.ui.menu"].with_user(user).load_web_menus(False)
        self.assertEqual(web_menus[self.app.id]["actionID"], self.entry.id)
        return self.entry.with_user(user).run()

    def _visible_xmlids(self, user):
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(False)
        return {menu["xmlid"] for key, menu in menus.items() if key != "root"}

    def test_each_department_lands_on_its_home(self):
        for group, home in APP_HOMES.items():
            with self.subTest(department=group):
                action = self._app_action(self.users[group])
                self.assertEqual(action["id"], self.env.ref(home).id)

    def test_the_users_own_home_of_this_app_comes_first(self):
        """Legal (审计法务部) records the lawyer's sign-offs: its home action set on the user wins."""
        legal = self.users["kam_management.group_kam_audit"]
        legal.action_id = self.env.ref("kam_management.action_kam_home_legal").id
        self.assertEqual(self._app_action(legal)["id"], self.env.ref("kam_management.action_kam_home_legal").id)
        # a home of another app (e.g. Discuss) does not take the Key Accounts app elsewhere
        legal.action_id = self.env.ref("base.action_res_users").id
        self.assertEqual(self._app_action(legal)["id"], self.env.ref("kam_management.action_kam_home_audit").id)

    def test_the_clerk_sees_the_desk_not_the_key_account_menus(self):
        clerk = self._visible_xmlids(self.users["kam_management.group_kam_ticket_clerk"])
        self.assertIn("kam_management.menu_kam_selection_desk_screen", clerk)
        self.assertIn("kam_management.menu_kam_room_ticket", clerk)
        for folder in ("menu_kam_accounts", "menu_kam_service", "menu_kam_housing", "menu_kam_home_accounts"):
            self.assertNotIn(f"kam_management.{folder}", clerk)
        # key-account staff keep them, and so does a clerk who also works in finance
        staff = self._visible_xmlids(self.users["kam_management.group_kam_user"])
        self.assertIn("kam_management.menu_kam_home_accounts", staff)
        clerk_in_finance = new_test_user(
            self.env, login="kam_entry_clerk_finance",
            groups="kam_management.group_kam_ticket_clerk,kam_management.group_kam_finance",
        )
        self.assertIn("kam_management.menu_kam_housing", self._visible_xmlids(clerk_in_finance))
