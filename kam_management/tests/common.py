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


def sudo_force_state_for_fixture(record, state):
    """Fixture only: put ``record`` in ``state`` as superuser, for a test of what comes later.

    Every transition is tested through its own action elsewhere; this is the one named back door of the
    test suite, and no client can reach it (``sudo()`` is server-side only).
    """
    record.sudo().write({"state": state})


def sudo_set_terms_for_fixture(record, vals):
    """Fixture only: set terms that are agreed before a document locks (a contract's rename policy, fees,
    deadlines) on an already locked one, so one fixture serves each variant of a test. Constraints still run."""
    record.sudo().write(vals)



class KamTwoConnectionsMixin:
    """Two real database connections for a concurrency test (``self.cr1``, ``self.cr2``).

    What the test commits on them outlives the test's transaction: ``_delete_committed(cr)`` removes it
    afterwards, on a third connection that is committed.
    """

    def _open_two_connections(self):
        self.cr1 = self.registry.cursor()
        self.cr2 = self.registry.cursor()
        self.addCleanup(self._close_two_connections)

    def _close_two_connections(self):
        for cr in (self.cr1, self.cr2):
            cr.rollback()
            cr.close()
        with self.registry.cursor() as cr:
            self._delete_committed(cr)
            cr.commit()

    def _delete_committed(self, cr):
        """Remove the test data committed on the two connections (test data, not issued documents)."""


class KamJsonRpcMixin:
    """For HttpCase tests: call a model's method as the browser does (``/web/dataset/call_kw``), with the
    client's own context, and read the answer: ``_result`` for a call that must go through, ``_assert_refused``
    for one the server must refuse with a given message (and, where the test is about it, error class)."""

    def _call(self, model, method, args, kwargs=None, context=None):
        """The raw JSON-RPC answer (``result`` or ``error``) of ``model.method(*args, **kwargs)``."""
        response = self.opener.post(
            f"{self.base_url()}/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": dict(kwargs or {}, context=dict(context or {})),
                },
            },
            timeout=60,
        )
        response.raise_for_status()
        return response.json()

    def _result(self, response):
        """The result of a call the server accepted (a refusal fails the test with the server's message)."""
        self.assertNotIn("error", response, (response.get("error") or {}).get("data", {}).get("message"))
        return response.get("result")

    def _assert_refused(self, response, message, error=None):
        """The server refused the call with ``message`` in its error (and raised ``error``, an exception class
        such as ``AccessError``, when given)."""
        self.assertIn("error", response, f"the server accepted it: {response.get('result')!r}")
        data = response["error"]["data"]
        if error is not None:
            self.assertEqual(data["name"], f"{error.__module__}.{error.__name__}", data["message"])
        self.assertIn(message, data["message"])


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
        # reviews the fixtures' approvals where a test class set no chain of its own (see _approve_by_reviewers)
        cls.fixture_reviewer = new_test_user(
            cls.env,
            login="kam_test_fixture_reviewer",
            name="KAM fixture reviewer",
            groups="kam_management.group_kam_executive",
            company_id=cls.env.company.id,
            company_ids=[cls.env.company.id],
        )

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    @classmethod
    def _approve_by_reviewers(cls, records, reviewer=None):
        """Approve ``records`` the real way: request the validation, then every review is validated by one of
        its own reviewers, in order; the last validation runs the approval.

        Where no chain applies (the test class archived the presets to name its own reviewers), a one-step chain
        reviewed by ``reviewer`` (the fixture reviewer) is set up for the approval and archived afterwards, so
        the class's own tests still see no chain.
        """
        temporary = cls.env["tier.definition"]
        if any(not record.sudo().review_ids and not record._kam_applicable_definitions() for record in records):
            temporary = temporary.create(
                {
                    "name": f"fixture chain {records._name}",
                    "model_id": cls.env["ir.model"]._get_id(records._name),
                    "review_type": "individual",
                    "reviewer_id": (reviewer or cls.fixture_reviewer).id,
                    "definition_domain": "[]",
                    "company_id": False,
                }
            )
        for record in records:
            if not record.sudo().review_ids:
                record.request_validation()
            for _step in range(10):
                record.invalidate_recordset()
                pending = record.review_ids.filtered(lambda review: review.status == "pending").sorted("sequence")
                if not pending:
                    break
                record.with_user(pending[0].reviewer_ids[:1]).validate_tier()
        temporary.active = False
        records.invalidate_recordset()
        return records
