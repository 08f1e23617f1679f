from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

# Department (SPEC "Users") -> group xml id. Every access test walks this table.
KAM_DEPARTMENT_GROUPS = {
    "user": "kam_management.group_kam_user",
    "manager": "kam_management.group_kam_manager",
    "sales": "kam_management.group_kam_sales",
    "finance": "kam_management.group_kam_finance",
    "finance_manager": "kam_management.group_kam_finance_manager",
    "audit": "kam_management.group_kam_audit",
    "cost": "kam_management.group_kam_cost",
    "executive": "kam_management.group_kam_executive",
}


class KamCommon(AccountTestInvoicingCommon):
    """Accounting fixtures of Odoo plus one user per department.

    ``cls.kam_users["finance"]`` is a finance-staff user of ``cls.env.company``
    with no other key-account group, and so on for every department; the
    users are created in one batch.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kam_users = {
            department: new_test_user(
                cls.env,
                login=f"kam_test_{department}",
                name=f"KAM {department}",
                groups=group,
                company_id=cls.env.company.id,
                company_ids=[cls.env.company.id],
            )
            for department, group in KAM_DEPARTMENT_GROUPS.items()
        }
