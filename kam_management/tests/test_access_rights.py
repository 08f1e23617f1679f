from odoo.tests import tagged

from .common import KamCommon

OUR_MENUS = (
    "menu_kam_root",
    "menu_kam_accounts",
    "menu_kam_partner",
    "menu_kam_registration",
    "menu_kam_tier_review",
    "menu_kam_tier_history",
    "menu_kam_discount_approval",
    "menu_kam_credit_exception",
    "menu_kam_payment_downgrade",
    "menu_kam_housing",
    "menu_kam_housing_project",
    "menu_kam_housing_unit",
    "menu_kam_housing_grid",
    "menu_kam_housing_prospect",
    "menu_kam_housing_contract",
    "menu_kam_housing_pricing",
    "menu_kam_unit_allocation",
    "menu_kam_housing_buyer",
    "menu_kam_relation_request",
    "menu_kam_finance",
    "menu_kam_finance_credit_exception",
    "menu_kam_finance_payment_downgrade",
    "menu_kam_financing_target",
    "menu_kam_finance_invoices",
    "menu_kam_reporting",
    *(
        "menu_kam_finance_receipt",
        "menu_kam_finance_receipt_ledger",
        "menu_kam_housing_receipt",
        "menu_kam_housing_receipt_ledger",
        "menu_kam_finance_joint",
        "menu_kam_finance_joint_reconciliation",
        "menu_kam_finance_joint_discrepancy",
        "menu_kam_finance_joint_lines",
        "menu_kam_finance_joint_import_log",
        "menu_kam_finance_joint_balance",
        "menu_kam_finance_joint_journal",
        "menu_kam_finance_statement_format",
        "menu_kam_reporting_receipts",
        "menu_kam_reporting_ledger",
        "menu_kam_reporting_discrepancies",
        "menu_kam_finance_collection_levels",
        "menu_kam_reporting_collections",
    ),
    "menu_kam_config",
    "menu_kam_department",
    "menu_kam_settings",
    "menu_kam_tier_scheme",
    # key-account service (KA7–KA10)
    "menu_kam_service",
    "menu_kam_visit",
    "menu_kam_cadence_status",
    "menu_kam_complaint",
    "menu_kam_complaint_concession",
    "menu_kam_handover",
    "menu_kam_complaint_analysis",
    "menu_kam_service_report",
    "menu_kam_cadence_rule",
    "menu_kam_contact_kind",
    # issue 11: the departments' daily work and the reports
    "menu_kam_my_approvals",
    "menu_kam_home_accounts",
    "menu_kam_home_audit",
    "menu_kam_report_tier_revenue",
    "menu_kam_report_tier_movements",
    "menu_kam_report_contract_stage",
    "menu_kam_report_financing",
    "menu_kam_report_unit_states",
    "menu_kam_report_approvals",
    # issue 20: public holidays, relation proofs, same-stage market prices
    "menu_kam_public_holiday",
    "menu_kam_relation_proof_kind",
    "menu_kam_finance_market_price",
)
KA_MENUS = {
    "menu_kam_root",
    "menu_kam_accounts",
    "menu_kam_partner",
    "menu_kam_registration",
    "menu_kam_tier_history",
    "menu_kam_discount_approval",
    "menu_kam_credit_exception",
    "menu_kam_payment_downgrade",
}
# directors also run tier reviews and maintain the tier schemes
KA_DIRECTOR_MENUS = KA_MENUS | {"menu_kam_tier_review", "menu_kam_config", "menu_kam_tier_scheme"}
# audit and executives read the reviews too
KA_READER_MENUS = KA_MENUS | {"menu_kam_tier_review"}
FINANCE_MENUS = {
    "menu_kam_root",
    "menu_kam_finance",
    "menu_kam_finance_invoices",
    "menu_kam_finance_credit_exception",
    "menu_kam_finance_payment_downgrade",
}
# the sales control table, which every housing department reads
HOUSING_TABLE = {
    "menu_kam_root",
    "menu_kam_housing",
    "menu_kam_housing_project",
    "menu_kam_housing_unit",
    "menu_kam_housing_grid",
}
HOUSING_DOCUMENTS = {
    "menu_kam_housing_contract",
    "menu_kam_housing_pricing",
    "menu_kam_unit_allocation",
    "menu_kam_housing_buyer",
    "menu_kam_relation_request",
}
HOUSING_ALL = HOUSING_TABLE | HOUSING_DOCUMENTS | {"menu_kam_housing_prospect"}
TARGETS = {"menu_kam_finance", "menu_kam_financing_target"}
# the employer receipts (AC1) and the joint account (AC2-AC5)
RECEIPTS_KA = {"menu_kam_housing_receipt", "menu_kam_housing_receipt_ledger"}
RECEIPTS_FINANCE = {"menu_kam_finance_receipt", "menu_kam_finance_receipt_ledger"}
JOINT_FINANCE = {
    "menu_kam_finance_joint",
    "menu_kam_finance_joint_reconciliation",
    "menu_kam_finance_joint_discrepancy",
    "menu_kam_finance_joint_lines",
    "menu_kam_finance_joint_import_log",
    "menu_kam_finance_joint_balance",
    "menu_kam_finance_joint_journal",
}
JOINT_AUDIT = JOINT_FINANCE - {"menu_kam_finance_joint_journal"}
REPORTING = {"menu_kam_reporting", "menu_kam_reporting_receipts", "menu_kam_reporting_ledger", "menu_kam_reporting_collections"}

# key-account service (KA7–KA10): staff log visits and complaints, finance reads complaints and concessions,
# directors also hand accounts over and keep the cadence; the readers and the finance director get the reports
SERVICE_MENUS = {"menu_kam_service", "menu_kam_visit", "menu_kam_cadence_status", "menu_kam_complaint",
                 "menu_kam_complaint_concession"}
SERVICE_FINANCE_MENUS = {"menu_kam_service", "menu_kam_complaint", "menu_kam_complaint_concession"}
SERVICE_REPORTS = {"menu_kam_reporting", "menu_kam_complaint_analysis", "menu_kam_service_report"}
SERVICE_DIRECTOR_MENUS = SERVICE_MENUS | SERVICE_REPORTS | {"menu_kam_handover", "menu_kam_cadence_rule",
                                                            "menu_kam_contact_kind"}

# the reports every reporting department reads; the tier reports are the key-account side's
REPORTS = {
    "menu_kam_reporting",
    "menu_kam_report_contract_stage",
    "menu_kam_report_financing",
    "menu_kam_report_unit_states",
    "menu_kam_report_approvals",
}
TIER_REPORTS = {"menu_kam_report_tier_revenue", "menu_kam_report_tier_movements"}
APPROVER = {"menu_kam_my_approvals"}
# issue 20: who keeps the rename terms' data (finance the market prices, directors the proof kinds)
MARKET_PRICES = {"menu_kam_finance_market_price"}
HOLIDAYS = {"menu_kam_public_holiday"}

# What each department finds under "Key Accounts"; features extend it.
EXPECTED_MENUS = {
    "user": KA_MENUS | HOUSING_ALL | RECEIPTS_KA | SERVICE_MENUS | {"menu_kam_home_accounts"},
    "manager": KA_DIRECTOR_MENUS | HOUSING_ALL | {"menu_kam_department", "menu_kam_home_accounts"} | RECEIPTS_KA
    | REPORTING | SERVICE_DIRECTOR_MENUS | REPORTS | TIER_REPORTS | APPROVER | HOLIDAYS | {"menu_kam_relation_proof_kind"},
    "sales": HOUSING_TABLE,
    "finance": FINANCE_MENUS | HOUSING_TABLE | HOUSING_DOCUMENTS | TARGETS | RECEIPTS_FINANCE | JOINT_FINANCE
    | SERVICE_FINANCE_MENUS | MARKET_PRICES,
    "finance_manager": FINANCE_MENUS | HOUSING_TABLE | HOUSING_DOCUMENTS | TARGETS | RECEIPTS_FINANCE | JOINT_FINANCE
    | {"menu_kam_finance_statement_format", "menu_kam_config", "menu_kam_finance_collection_levels"}
    | {"menu_kam_reporting_discrepancies"} | REPORTING | SERVICE_FINANCE_MENUS | SERVICE_REPORTS | REPORTS | APPROVER
    | MARKET_PRICES | HOLIDAYS,
    "audit": KA_READER_MENUS | HOUSING_ALL | TARGETS | RECEIPTS_FINANCE | JOINT_AUDIT | REPORTING
    | {"menu_kam_reporting_discrepancies", "menu_kam_home_audit"} | SERVICE_MENUS | SERVICE_REPORTS | REPORTS
    | TIER_REPORTS | APPROVER,
    "cost": HOUSING_TABLE | {"menu_kam_housing_pricing"},
    "executive": KA_READER_MENUS | HOUSING_ALL | TARGETS | RECEIPTS_FINANCE | REPORTING | SERVICE_MENUS
    | SERVICE_REPORTS | REPORTS | TIER_REPORTS | APPROVER,
}


@tagged("post_install", "-at_install")
class TestDepartmentAccess(KamCommon):
    def _visible_kam_menus(self, user):
        """Our menus the web client shows ``user``: visible with every ancestor."""
        visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        shown = set()
        for xmlid in OUR_MENUS:
            menu = self.env.ref(f"kam_management.{xmlid}")
            chain = menu
            while chain.parent_id:
                chain = chain.parent_id
                menu |= chain
            if set(menu.ids) <= visible:
                shown.add(xmlid)
        return shown

    def test_each_department_sees_its_menus_only(self):
        for department, user in self.kam_users.items():
            with self.subTest(department=department):
                self.assertEqual(self._visible_kam_menus(user), EXPECTED_MENUS[department])

    def test_administrator_reaches_the_settings(self):
        admin = self.env.ref("base.user_admin")
        visible = self._visible_kam_menus(admin)
        self.assertIn("menu_kam_settings", visible)
        self.assertIn("menu_kam_partner", visible)

    def test_user_without_department_sees_no_key_account_menu(self):
        outsider = self.env["res.users"].create(
            {"name": "Outsider", "login": "kam_test_outsider", "group_ids": [self.env.ref("base.group_user").id]}
        )
        self.assertEqual(self._visible_kam_menus(outsider), set())

    def test_directors_include_their_staff_groups(self):
        manager = self.kam_users["manager"]
        self.assertTrue(manager.has_group("kam_management.group_kam_user"))
        finance_manager = self.kam_users["finance_manager"]
        self.assertTrue(finance_manager.has_group("kam_management.group_kam_finance"))
        # finance staff work with invoices and payments of Odoo's own accounting
        self.assertTrue(finance_manager.has_group("account.group_account_invoice"))
        # but staff do not inherit the director's group, nor other departments'
        self.assertFalse(self.kam_users["user"].has_group("kam_management.group_kam_manager"))
        self.assertFalse(self.kam_users["sales"].has_group("kam_management.group_kam_user"))
        self.assertFalse(self.kam_users["audit"].has_group("kam_management.group_kam_finance"))

    def test_departments_are_privileges_of_one_category(self):
        category = self.env.ref("kam_management.module_category_kam")
        groups = self.env["res.groups"].browse(
            [self.env.ref(xmlid).id for xmlid in (
                "kam_management.group_kam_user", "kam_management.group_kam_manager",
                "kam_management.group_kam_sales", "kam_management.group_kam_finance",
                "kam_management.group_kam_finance_manager", "kam_management.group_kam_audit",
                "kam_management.group_kam_cost", "kam_management.group_kam_executive",
            )]
        )
        self.assertEqual(groups.privilege_id.category_id, category)
        self.assertEqual(len(groups.privilege_id), 6)
