"""AC3: two imports of one file on one joint journal, from two database connections, create each line once."""

import base64
import hashlib
import uuid

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import KamTwoConnectionsMixin

DEMO_ACCOUNT = "6228 4800 1234 5678 901"  # the demo contract's joint account (demo/kam_joint_demo.xml)


# kam_demo_db: its two connections must see committed data, so it borrows the demo contract's
# joint journal (and removes what it commits) instead of making records it could not roll back
@tagged("post_install", "-at_install", "kam_demo_db")
class TestJointImportConcurrency(KamTwoConnectionsMixin, TransactionCase):
    """The second import waits on the joint account's lock, then finds the first one's lines already imported
    (read as committed, whatever its snapshot).

    It runs on the demo contract's joint journal: the two connections must see committed data, and what
    the first one commits is removed again in the cleanup.
    """

    def setUp(self):
        super().setUp()
        project = self.env.ref("kam_management.demo_project_binhu")
        contract = self.env["kam.housing.contract"].search([("project_id", "=", project.id), ("joint_journal_id", "!=", False)])
        journal = contract.joint_journal_id.filtered("kam_is_joint")[:1]
        self.assertTrue(journal, "the demo contract has its joint journal")
        self.journal_id = journal.id
        self.finance_id = self.env.ref("kam_management.user_kam_finance").id
        tag = uuid.uuid4().hex[:8]
        rows = [
            f"2027-05-0{day},{amount:.2f},,{balance:.2f},江城市供电局委建办,6217 0000 8888 0101 123,转房款 C{day},{tag}{day}"
            for day, amount, balance in ((3, 1000.0, 1000.0), (4, 2000.0, 3000.0), (5, 3000.0, 6000.0))
        ]
        header = f"账号：{DEMO_ACCOUNT}\n交易日期,收入,支出,余额,对方户名,对方账号,摘要,流水号\n"
        self.content = (header + "\n".join(rows) + "\n").encode("gbk")
        self.tag = tag
        self._open_two_connections()

    def _delete_committed(self, cr):
        env = api.Environment(cr, SUPERUSER_ID, {})
        lines = env["account.bank.statement.line"].search([("ref", "=like", f"{self.tag}%")])
        statements = lines.statement_id
        logs = env["kam.joint.import.log"].search([("file_sha256", "=", hashlib.sha256(self.content).hexdigest())])
        env["ir.attachment"].search([("res_model", "=", logs._name), ("res_id", "in", logs.ids)]).unlink()
        logs.unlink()
        lines.unlink()
        statements.unlink()

    def _import(self, cr):
        env = api.Environment(cr, self.finance_id, {})
        wizard = env["account.statement.import"].with_context(journal_id=self.journal_id).create(
            {"statement_file": base64.b64encode(self.content), "statement_filename": "concurrent.csv"}
        )
        return wizard._import_file()

    def test_the_second_import_waits_and_creates_no_duplicate(self):
        first = self._import(self.cr1)  # holds the joint account's lock until it commits
        self.assertIn("3 lines created, 0 already", first["notifications"][0])
        # a second import on another connection waits for the first (here it gives up after 300 ms)
        self.cr2.execute("SET LOCAL lock_timeout = '300ms'")
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.LockNotAvailable):
            self._import(self.cr2)
        self.cr2.rollback()
        # a second import whose transaction started before the first committed waits for the lock, then reads
        # the lines already imported as committed now (not on its snapshot): no serialization failure, no replay
        self.cr2.execute("SELECT 1")
        self.cr1.commit()
        attempts = []

        def second_import():
            attempts.append(len(attempts) + 1)
            return self._import(self.cr2)

        with mute_logger("odoo.sql_db", "odoo.service.model"):
            second = retrying(second_import, api.Environment(self.cr2, self.finance_id, {}))
        self.cr2.commit()
        self.assertEqual(attempts, [1], "the waiting import goes through on its first try")
        self.assertIn("0 lines created, 3 already", second["notifications"][0])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            lines = env["account.bank.statement.line"].search([("ref", "=like", f"{self.tag}%")])
            self.assertEqual(len(lines), 3, "each bank line exists once")
            logs = env["kam.joint.import.log"].search([("file_sha256", "=", hashlib.sha256(self.content).hexdigest())])
            self.assertEqual(sorted(logs.mapped("created_count")), [0, 3])
