"""Issue 9 demo: the demo contract's joint account shows the whole reconciliation screen working."""

import base64

from odoo.tests import TransactionCase, tagged
from odoo.tools import file_open

from ..models.kam_joint_discrepancy import DISCREPANCY_KIND


# kam_demo_db: it checks the demo contract's reconciliation itself
@tagged("post_install", "-at_install", "kam_demo_db")
class TestJointDemo(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        project = cls.env.ref("kam_management.demo_project_binhu")
        cls.reconciliation = cls.env["kam.joint.reconciliation"].search([("contract_id.project_id", "=", project.id)])
        cls.journal = cls.reconciliation.journal_id
        cls.finance = cls.env.ref("kam_management.user_kam_finance")

    def test_the_demo_reconciliation_shows_one_discrepancy_of_each_type(self):
        self.assertEqual(len(self.reconciliation), 1)
        self.assertTrue(self.journal.kam_is_joint)
        self.assertEqual(self.reconciliation.match_state, "done")
        kinds = self.reconciliation.discrepancy_ids.mapped("kind")
        self.assertEqual(sorted(kinds), sorted(kind for kind, _label in DISCREPANCY_KIND), "one of each of the 6 types")
        self.assertEqual(len(self.reconciliation.allocation_ids), 2)  # SJ-0001 and SJ-0004, named in the memos
        self.assertFalse(self.reconciliation.identity_holds)
        log = self.env["kam.joint.import.log"].search([("journal_id", "=", self.journal.id)])
        self.assertEqual(log.mapped("created_count"), [7], "the GBK sample statement was imported")
        self.assertEqual(log.user_id, self.finance)

    def test_the_demo_xlsx_statement_adds_only_its_new_lines(self):
        with file_open("kam_management/demo/statements/joint_statement_2026-11_overlap.xlsx", "rb") as handle:
            content = handle.read()
        result = (
            self.env["account.statement.import"]
            .with_user(self.finance)
            .with_context(journal_id=self.journal.id)
            .create({"statement_file": base64.b64encode(content), "statement_filename": "overlap.xlsx"})
            ._import_file()
        )
        self.assertIn("2 lines created, 3 already", result["notifications"][0])
        lines = self.env["account.bank.statement.line"].search([("journal_id", "=", self.journal.id)])
        self.assertEqual(len(lines), 9)
