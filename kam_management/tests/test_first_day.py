"""A Chinese company's first day (UX7, UX1): the demo company, each department's home and the reports."""

import re

from odoo.fields import Domain
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import format_amount, html2plaintext

# demo user -> the action it lands on (its home action)
DEPARTMENT_HOMES = {
    "user_kam_user": "kam_management.action_kam_home_accounts",
    "user_kam_manager": "kam_management.action_kam_home_accounts",
    "user_kam_sales": "kam_management.action_kam_sales_control_grid",
    "user_kam_finance": "kam_management.action_kam_housing_receipt",
    "user_kam_finance_manager": "kam_management.action_kam_joint_reconciliation",
    "user_kam_ticket_clerk": "kam_management.action_kam_selection_desk",
    "user_kam_audit": "kam_management.action_kam_home_audit",
    "user_kam_audit_legal": "kam_management.action_kam_home_legal",
    "user_kam_cost": "kam_management.action_kam_housing_pricing",
    "user_kam_executive": "kam_management.action_kam_home_approvals",
}
DEMO_ACCOUNTS = (
    "huaxing", "nanwang", "changjiang", "tianfu", "xihu", "zijin", "gucheng", "yuanqu", "haibin", "ludao",
)


class DemoCase(TransactionCase):
    """The run command's database (tagged kam_demo_db): the demo's company, users and records."""

    def _demo_users(self):
        return {xmlid: self.env.ref(f"kam_management.{xmlid}") for xmlid in DEPARTMENT_HOMES}


# kam_demo_db: the demo company of the run command
@tagged("post_install", "-at_install", "kam_demo_db")
class TestDemoCompany(DemoCase):
    def test_demo_company_is_chinese_with_cny_and_the_chinese_chart(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(company.country_id, self.env.ref("base.cn"))
        self.assertEqual(company.partner_id.state_id, self.env.ref("base.state_cn_GD"))
        self.assertTrue(company.partner_id.bank_ids, "the company has its basic bank account")
        # the run command installs l10n_cn next to the module
        self.assertTrue(self.env["ir.module.module"].search([("name", "=", "l10n_cn"), ("state", "=", "installed")]))
        self.assertEqual(company.chart_template, "cn")
        self.assertEqual(company.currency_id, self.env.ref("base.CNY"))
        # every journal entry of the company, Odoo's demo ones included, is in yuan
        moves = self.env["account.move"].search([("company_id", "=", company.id)])
        self.assertTrue(moves)
        self.assertEqual(moves.mapped("company_currency_id"), self.env.ref("base.CNY"))
        invoices = self.env["account.move"].search(
            [("partner_id", "=", self.env.ref("kam_management.partner_ka_huaxing").id), ("move_type", "=", "out_invoice")]
        )
        self.assertEqual(invoices.currency_id, self.env.ref("base.CNY"))
        self.assertIn("¥", format_amount(self.env, invoices[0].amount_total, invoices[0].currency_id))

    def test_demo_users_speak_chinese_in_shanghai(self):
        for xmlid, user in self._demo_users().items():
            with self.subTest(user=xmlid):
                self.assertEqual(user.lang, "zh_CN")
                self.assertEqual(user.tz, "Asia/Shanghai")

    def test_demo_accounts_have_addresses_banks_and_contacts(self):
        for key in DEMO_ACCOUNTS:
            partner = self.env.ref(f"kam_management.partner_ka_{key}")
            with self.subTest(account=partner.name):
                self.assertEqual(partner.country_id.code, "CN")
                self.assertTrue(partner.street and partner.zip and partner.state_id)
                self.assertTrue(partner.bank_ids)
                contacts = partner.child_ids.filtered(lambda c: c.type == "contact")
                self.assertTrue(contacts and contacts[0].function and contacts[0].phone)

    def test_demo_review_tells_a_story(self):
        """Lateness and margins differ between the accounts, and the good payers rank first."""
        lines = self.env.ref("kam_management.tier_review_last_year").line_ids
        by_key = {key: lines.filtered(lambda line, k=key: line.partner_id == self.env.ref(f"kam_management.partner_ka_{k}")) for key in DEMO_ACCOUNTS}
        self.assertGreater(len(set(lines.mapped("avg_days_late"))), 5)
        self.assertGreater(len(set(lines.mapped("margin_percent"))), 5)
        self.assertTrue(all(0 < margin < 100 for margin in lines.mapped("margin_percent")))
        self.assertEqual(by_key["huaxing"].avg_days_late, 0)
        self.assertAlmostEqual(by_key["huaxing"].margin_percent, 32.0, places=1)
        # 鹭岛 paid its first invoice 50 days late and still owed the second at the year end
        self.assertGreater(by_key["ludao"].avg_days_late, 60)
        self.assertLess(by_key["ludao"].margin_percent, 10)
        self.assertEqual(by_key["ludao"].proposed_tier_id.code, "D")


# kam_demo_db: the demo users of each department
@tagged("post_install", "-at_install", "kam_demo_db")
class TestDepartmentHomes(DemoCase):
    def test_each_department_lands_on_its_menu(self):
        Menu = self.env["ir.ui.menu"]
        for xmlid, user in self._demo_users().items():
            home = self.env.ref(DEPARTMENT_HOMES[xmlid])
            with self.subTest(user=xmlid):
                self.assertEqual(user.action_id.id, home.id)
                # the user may open it: its model is readable and a menu of the app leads to it
                if home.type == "ir.actions.act_window":
                    self.env[home.res_model].with_user(user).check_access("read")
                visible = Menu.with_user(user).browse(Menu.with_user(user)._visible_menu_ids()).sudo()
                self.assertIn(home, visible.mapped("action"), "no visible menu leads to the home action")

    def test_the_app_opens_each_users_home(self):
        """Clicking 大客户 opens the same screen as logging in (the app menu's action)."""
        entry = self.env.ref("kam_management.action_kam_app_home")
        for xmlid, user in self._demo_users().items():
            with self.subTest(user=xmlid):
                self.assertEqual(entry.with_user(user).run()["id"], user.action_id.id)

    def test_no_empty_menu_in_the_app(self):
        Menu = self.env["ir.ui.menu"]
        root = self.env.ref("kam_management.menu_kam_root")
        for xmlid, user in self._demo_users().items():
            visible = Menu.browse(Menu.with_user(user)._visible_menu_ids())
            app_menus = visible.filtered(lambda m: m.parent_path.startswith(root.parent_path))
            with self.subTest(user=xmlid):
                for menu in app_menus.filtered(lambda m: not m.action):
                    self.assertTrue(menu.child_id & visible, f"{menu.complete_name} is an empty folder for {xmlid}")

    def test_executives_find_the_demo_review_awaiting_them(self):
        executive = self.env.ref("kam_management.user_kam_executive")
        home = self.env.ref("kam_management.action_kam_home_approvals")
        Review = self.env["tier.review"].with_user(executive)
        # the action's domain and its default filter "Waiting for Me"
        self.assertEqual(home.domain, "[('model', '=like', 'kam.%')]")
        waiting = Review.search(
            [("model", "=like", "kam.%"), ("status", "=", "pending"), ("can_review", "=", True),
             ("reviewer_ids", "in", [executive.id])]
        )
        review = self.env.ref("kam_management.tier_review_last_year")
        self.assertIn(review.id, waiting.filtered(lambda r: r.model == "kam.tier.review").mapped("res_id"))
        line = waiting.filtered(lambda r: r.res_id == review.id and r.model == "kam.tier.review")
        self.assertEqual(line.kam_document_name, review.display_name)
        self.assertEqual(line.kam_model, "kam.tier.review")
        action = line.action_kam_open_document()
        self.assertEqual((action["res_model"], action["res_id"]), ("kam.tier.review", review.id))

    def test_audit_finds_the_buyer_lists_awaiting_its_sign_off(self):
        audit = self.env.ref("kam_management.user_kam_audit")
        contracts = self.env["kam.housing.contract"].with_user(audit).search(
            [("buyer_audit_date", "=", False), ("buyer_ids", "!=", False), ("state", "not in", ("draft", "closed", "cancel"))]
        )
        self.assertTrue(contracts, "the demo contract's buyer list awaits the audit sign-off")


# kam_demo_db: the reports over the demo records
@tagged("post_install", "-at_install", "kam_demo_db")
class TestReports(DemoCase):
    def test_financing_report_matches_the_targets(self):
        targets = self.env["kam.financing.target"].search([])
        self.assertTrue(targets)
        rows = {row.target_id: row for row in self.env["kam.financing.report"].search([])}
        for target in targets:
            row = rows[target]
            with self.subTest(target=target.display_name):
                currency = target.currency_id
                self.assertFalse(currency.compare_amounts(row.target_amount, target.amount))
                self.assertFalse(currency.compare_amounts(row.allocated_amount, target.allocated_amount))
                self.assertFalse(currency.compare_amounts(row.remaining_amount, target.amount - target.allocated_amount))
                self.assertFalse(currency.compare_amounts(row.collected_amount, target.collected_amount))
        self.assertTrue(any(row.allocated_amount > 0 for row in rows.values()), "the demo allocation counts")

    def test_revenue_and_score_by_tier_and_manager(self):
        groups = self.env["kam.tier.review.line"]._read_group(
            [("review_id", "=", self.env.ref("kam_management.tier_review_last_year").id)],
            ["proposed_tier_id", "manager_id"],
            ["revenue:sum", "score:avg", "__count"],
        )
        self.assertEqual(sum(count for *_, count in groups), 10)
        managers = {manager for _tier, manager, *_ in groups}
        self.assertEqual(
            managers, {self.env.ref("kam_management.user_kam_user"), self.env.ref("kam_management.user_kam_manager")}
        )

    def test_grid_legend_counts_areas_and_values_per_state(self):
        project = self.env.ref("kam_management.demo_project_binhu")
        # as the selection desk reads it (translated labels may query the cursor while the grid reads its rows)
        grid = project.with_user(self.env.ref("kam_management.user_kam_sales")).with_context(
            lang="zh_CN"
        ).get_sales_control_grid()
        self.assertEqual(len(grid["buildings"]), 2)
        summary = {total["state"]: total for total in grid["summary"]}
        for state, count, area, value in self.env["kam.housing.unit"]._read_group(
            [("project_id", "=", project.id)], ["state"], ["__count", "area:sum", "list_price:sum"]
        ):
            with self.subTest(state=state):
                self.assertEqual(summary[state]["count"], count)
                self.assertAlmostEqual(summary[state]["area"], area, places=2)
                self.assertFalse(project.currency_id.compare_amounts(summary[state]["value"], value))
        self.assertEqual(sum(total["count"] for total in grid["summary"]), len(project.unit_ids))
        self.assertIn(project.currency_id.symbol, grid["summary_value_display"])


# kam_demo_db: the demo users log in
@tagged("post_install", "-at_install", "kam_demo_db")
class TestDepartmentHomeTours(HttpCase):
    """Two departments log in and land on their daily work (UX6, UX7)."""

    def test_key_account_staff_land_on_their_accounts(self):
        self.start_tour("/odoo", "kam_home_key_account", login="kam_user")

    def test_executive_lands_on_what_awaits_approval(self):
        self.start_tour("/odoo", "kam_home_executive", login="kam_executive")

    def test_selection_desk_lands_on_the_grid(self):
        self.start_tour("/odoo", "kam_home_sales_desk", login="kam_sales")

    def test_review_widget_speaks_chinese(self):
        """OCA's review widget (headers, status, reviewers, next review) reads in Chinese (UX2)."""
        self.start_tour("/odoo", "kam_review_widget_chinese", login="kam_executive")


@tagged("post_install", "-at_install")
class TestScreensInChinese(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["kam_management"], ["zh_CN"])

    def _arch(self, model, view_type="form"):
        views = self.env[model].with_context(lang="zh_CN").get_views([(False, view_type)])
        return str(views["views"][view_type]["arch"])

    def test_settings_group_the_options_with_chinese_help(self):
        arch = self._arch("res.config.settings")
        self.assertIn("当前执行的分级方案", arch)
        self.assertNotIn("The tier scheme in force", arch)

    def test_smart_buttons_and_home_screens_speak_chinese(self):
        contract = self._arch("kam.housing.contract")
        for label in ("谈判备忘录", "房源分配", "选房工作票", "选房凭证", "收据"):
            self.assertIn(label, contract)
        self.assertNotIn(">Memos<", contract)
        approvals = self.env["tier.review"].with_context(lang="zh_CN").get_views(
            [(self.env.ref("kam_management.tier_review_view_list_kam").id, "list")]
        )
        self.assertNotIn("Open", str(approvals["views"]["list"]["arch"]).replace("action_kam_open_document", ""))


# two or more English words in a row, e.g. "Registered to" (names and codes are single tokens)
ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,}[ ,.:;'-]+[A-Za-z]{2,}")
CJK = re.compile(r"[\u4e00-\u9fff]")


# kam_demo_db: the demo records' chatter
@tagged("post_install", "-at_install", "kam_demo_db")
class TestDemoChatterInChinese(DemoCase):
    def test_demo_chatter_and_tracking_are_chinese(self):
        """The demo loads in Chinese: what its chatter says on the module's records reads in Chinese."""
        records = self.env["ir.model.data"].search([("module", "=", "kam_management"), ("res_id", "!=", False)])
        by_model = {}
        for data in records:
            by_model.setdefault(data.model, []).append(data.res_id)
        domain = Domain.OR(
            [Domain("model", "=like", "kam.%")]
            + [Domain("model", "=", model) & Domain("res_id", "in", ids) for model, ids in by_model.items()]
        )
        messages = self.env["mail.message"].search(domain & Domain("message_type", "!=", "user_notification"))
        self.assertTrue(messages.tracking_value_ids, "the demo has tracked changes")
        self.assertTrue(messages.filtered("body"), "the demo has chatter messages")
        english = []
        for message in messages:
            text = html2plaintext(message.body or "") + " " + (message.subject or "")
            texts = [text] + [
                value
                for tracking in message.tracking_value_ids
                for value in (tracking.old_value_char, tracking.new_value_char)
                if value
            ]
            english += [
                f"{message.model},{message.res_id}: {value!r}"
                for value in texts
                if ENGLISH_WORDS.search(value) and not CJK.search(value)
            ]
            english += [
                f"{message.model},{message.res_id}: {value!r}"
                for tracking in message.tracking_value_ids
                for value in (tracking.old_value_char, tracking.new_value_char)
                if value and re.fullmatch(r"[A-Za-z][a-z]+( [A-Za-z][a-z]+)*", value)
            ]
        self.assertFalse(english, "English in the demo's chatter:\n" + "\n".join(sorted(set(english))[:40]))
