import base64
import datetime
import hashlib

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import file_open, format_date, format_datetime

from odoo.addons.base.models.res_bank import sanitize_account_number

from ..rules import joint_matching

RECONCILIATION_STATE = [
    ("draft", "Draft"),
    ("submitted", "To Sign"),
    ("signed", "Signed"),
    ("cancel", "Cancelled"),
]
MATCH_STATE = [
    ("none", "Not Matched"),
    ("queued", "Queued"),
    ("done", "Matched"),
]
BOOKING_STATE = [
    ("none", "Not Booked"),
    ("queued", "Booking Queued"),
    ("done", "Booked"),
]
FINANCE = ("kam_management.group_kam_finance",)
FINANCE_DIRECTOR = ("kam_management.group_kam_finance_manager",)
# above this many bank lines, matching and the sign-off's booking run in the background jobs, not in the click
INLINE_MATCH_LIMIT = 2000
SIGN_OFF_ACTIVITY = "kam_management.mail_activity_type_kam_sign_off"
# bank lines booked in one write (Odoo's synchronisation of larger writes costs more per line)
BOOKING_BATCH = 200
INSERT_BATCH = 5000
# bank lines of the joint journal %(journal)s allocated by a reconciliation that is not cancelled
LINE_ALLOCATED_CTE = """
    line_allocated AS (
        SELECT DISTINCT a.statement_line_id
          FROM kam_joint_allocation a
          JOIN kam_joint_reconciliation r ON r.id = a.reconciliation_id
          JOIN account_bank_statement_line l ON l.id = a.statement_line_id
         WHERE l.journal_id = %(journal)s AND r.state != 'cancel'
    )"""


class KamJointReconciliation(models.Model):
    """Three-way reconciliation of a contract's money for a period (AC4).

    Receipts registered (buyers → employer), the employer's special-account
    balance (snapshots) and the transfers received on the joint account
    must agree: balance = receipts − transfers made from the employer's
    account (money reaching the joint account from anyone else is a
    discrepancy of its own, never part of this identity). Transfers are allocated to
    receipts by ``rules/joint_matching`` (memo numbers, else oldest first,
    exact amounts); what does not fit is a discrepancy to resolve. The
    finance director who did not prepare it signs it off with none open:
    the allocated bank lines are then booked to the entrusted-loan
    liability (partner: the employer), the XLSX report is kept with its
    SHA-256, and the period is frozen.

    Matching is set-based: the common case (a memo naming open receipts
    with the exact amount) is one ``INSERT ... SELECT``; then one query each
    reads the period's receipts and remaining bank lines, the pure matcher
    runs on them in memory (amounts as integer fen), its allocations are
    inserted in batches. Findings store their figures; the discrepancy
    writes the sentence in the reader's language. Periods with more than ``INLINE_MATCH_LIMIT`` bank lines are
    queued for the ``Joint accounts: match reconciliations`` job.
    """

    _name = "kam.joint.reconciliation"
    _description = "Joint-Account Reconciliation"
    _inherit = ["mail.thread", "mail.activity.mixin", "kam.lifecycle.mixin"]
    _order = "date_to desc, id desc"
    _check_company_auto = True

    _kam_transitions = {
        "action_submit": (("draft",), "submitted", FINANCE),
        "action_reset_to_draft": (("submitted",), "draft", FINANCE),
        "action_sign": (("submitted",), "signed", FINANCE_DIRECTOR),
        "action_cancel": (("draft", "submitted"), "cancel", FINANCE),
    }
    _kam_action_fields = (
        "matched_by_id",
        "prepared_by_id",
        "prepared_date",
        "signed_by_id",
        "signed_date",
        "match_state",
        "matched_date",
        "matched_inputs",
        "booking_state",
        "receipt_total",
        "transfer_total",
        "employer_transfer_total",
        "period_receipt_total",
        "period_transfer_total",
        "employer_balance",
        "snapshot_id",
        "report_attachment_id",
        "report_sha256",
    )
    _kam_locked_states = ("submitted", "signed", "cancel")
    _kam_deletable_states = ("draft",)

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    state = fields.Selection(RECONCILIATION_STATE, required=True, default="draft", tracking=True, copy=False, index=True)
    # no check_company: the reconciliation's company is the contract's (a check would filter the contracts by
    # the company of a new reconciliation, which has none until its contract is chosen)
    contract_id = fields.Many2one("kam.housing.contract", required=True, ondelete="restrict", index=True, tracking=True)
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    employer_id = fields.Many2one(related="contract_id.partner_id", string="Employer")
    journal_id = fields.Many2one(related="contract_id.joint_journal_id", string="Joint Account")
    date_from = fields.Date(string="From", required=True, tracking=True)
    date_to = fields.Date(string="To", required=True, tracking=True)
    allocation_ids = fields.One2many("kam.joint.allocation", "reconciliation_id", string="Transfer Allocations")
    discrepancy_ids = fields.One2many("kam.joint.discrepancy", "reconciliation_id", string="Discrepancies")
    open_discrepancy_count = fields.Integer(compute="_compute_open_discrepancy_count", string="Open Discrepancies")
    match_state = fields.Selection(MATCH_STATE, required=True, default="none", readonly=True, copy=False)
    matched_date = fields.Datetime(string="Matched On", readonly=True, copy=False)
    # four eyes (issue 18): who matched the period (the job's matching counts for who queued it)
    matched_by_id = fields.Many2one("res.users", string="Matched By", readonly=True, copy=False)
    # what the matching read (bank lines, receipts, other periods' allocations, the balance): a digest that
    # submit and sign-off compare, so a period is never signed on figures that changed after it was matched
    matched_inputs = fields.Char(readonly=True, copy=False)
    booking_state = fields.Selection(
        BOOKING_STATE, required=True, default="none", readonly=True, copy=False,
        help="The sign-off books each fully allocated bank line to the entrusted-loan liability: in the click, "
        "or for a big period in the background job, which then keeps the report.",
    )
    # the three ways, cumulative up to the end of the period (the identity) and within it
    receipt_total = fields.Monetary(
        string="Receipts Registered", readonly=True, copy=False,
        help="Registered receipts of the contract dated up to the end of the period.",
    )
    transfer_total = fields.Monetary(
        string="Transfers Received", readonly=True, copy=False,
        help="Money received on the joint account up to the end of the period.",
    )
    employer_transfer_total = fields.Monetary(
        string="Transfers from the Employer Account", readonly=True, copy=False,
        help="Money received on the joint account from the employer's housing-office account up to the end of the "
        "period: the only money that leaves that account (001:L270–L278). Deposits from anyone else are "
        "discrepancies of their own.",
    )
    employer_balance = fields.Monetary(
        string="Employer Account Balance", readonly=True, copy=False,
        help="The latest recorded balance of the employer's special account on or before the end of the period.",
    )
    snapshot_id = fields.Many2one("kam.joint.balance.snapshot", string="Balance Snapshot", readonly=True, copy=False)
    expected_employer_balance = fields.Monetary(
        compute="_compute_identity", string="Receipts − Transfers from the Employer Account"
    )
    balance_difference = fields.Monetary(compute="_compute_identity", string="Difference")
    identity_holds = fields.Boolean(
        compute="_compute_identity", string="Balance = Receipts − Transfers from the Employer Account"
    )
    period_receipt_total = fields.Monetary(string="Receipts in Period", readonly=True, copy=False)
    period_transfer_total = fields.Monetary(string="Transfers in Period", readonly=True, copy=False)
    allocated_total = fields.Monetary(compute="_compute_allocated_total", string="Allocated")
    prepared_by_id = fields.Many2one("res.users", string="Prepared By", readonly=True, copy=False)
    prepared_date = fields.Datetime(string="Prepared On", readonly=True, copy=False)
    signed_by_id = fields.Many2one("res.users", string="Signed Off By", readonly=True, copy=False, tracking=True)
    signed_date = fields.Datetime(string="Signed Off On", readonly=True, copy=False)
    report_attachment_id = fields.Many2one(
        "ir.attachment", string="Signed Report", readonly=True, copy=False, index="btree_not_null"
    )
    report_sha256 = fields.Char(string="Report SHA-256", readonly=True, copy=False)
    note = fields.Text()
    journal_entry_count = fields.Integer(compute="_compute_journal_entry_count", string="Journal Entries")

    _name_company_uniq = models.Constraint("unique(company_id, name)", "A reconciliation reference must be unique.")
    _dates_check = models.Constraint("CHECK(date_from <= date_to)", "A period ends on or after its first day.")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    def _compute_open_discrepancy_count(self):
        counts = dict(
            self.env["kam.joint.discrepancy"]._read_group(
                [("reconciliation_id", "in", self.ids), ("state", "=", "open")], ["reconciliation_id"], ["__count"]
            )
        )
        for reconciliation in self:
            reconciliation.open_discrepancy_count = counts.get(reconciliation, 0)

    @api.depends("receipt_total", "employer_transfer_total", "employer_balance", "snapshot_id")
    def _compute_identity(self):
        for reconciliation in self:
            currency = reconciliation.currency_id
            if not currency:  # a new reconciliation before its contract is chosen
                reconciliation.expected_employer_balance = reconciliation.balance_difference = 0.0
                reconciliation.identity_holds = False
                continue
            expected = currency.round(reconciliation.receipt_total - reconciliation.employer_transfer_total)
            reconciliation.expected_employer_balance = expected
            reconciliation.balance_difference = currency.round(reconciliation.employer_balance - expected)
            reconciliation.identity_holds = bool(reconciliation.snapshot_id) and currency.is_zero(
                reconciliation.balance_difference
            )

    def _kam_booked_moves_domain(self):
        """The journal entries of the bank lines the sign-off booked to the entrusted-loan liability."""
        return [
            ("statement_line_id.kam_reconciliation_id", "in", self.ids),
            ("statement_line_id.is_reconciled", "=", True),
        ]

    def _compute_journal_entry_count(self):
        counts = dict(
            self.env["account.bank.statement.line"].sudo()._read_group(
                [("kam_reconciliation_id", "in", self.ids), ("is_reconciled", "=", True)],
                ["kam_reconciliation_id"],
                ["__count"],
            )
        )
        for reconciliation in self:
            reconciliation.journal_entry_count = counts.get(reconciliation, 0)

    def _compute_allocated_total(self):
        totals = dict(
            self.env["kam.joint.allocation"]._read_group(
                [("reconciliation_id", "in", self.ids)], ["reconciliation_id"], ["amount:sum"]
            )
        )
        for reconciliation in self:
            reconciliation.allocated_total = totals.get(reconciliation, 0.0)

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("contract_id", "date_from", "date_to", "state")
    def _check_no_overlap(self):
        for reconciliation in self.filtered(lambda r: r.state != "cancel"):
            overlapping = self.sudo().search(
                [
                    ("id", "!=", reconciliation.id),
                    ("contract_id", "=", reconciliation.contract_id.id),
                    ("state", "!=", "cancel"),
                    ("date_from", "<=", reconciliation.date_to),
                    ("date_to", ">=", reconciliation.date_from),
                ],
                limit=1,
            )
            if overlapping:
                raise ValidationError(
                    self.env._(
                        "The period overlaps reconciliation %(other)s (%(start)s – %(end)s) of the same contract.",
                        other=overlapping.display_name,
                        start=format_date(self.env, overlapping.date_from),
                        end=format_date(self.env, overlapping.date_to),
                    )
                )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._kam_take_references(vals_list, "kam.joint.reconciliation")
        return super().create(vals_list)

    def write(self, vals):
        if "name" in vals and not self.env.su:
            raise UserError(self.env._("A reconciliation's reference is given by its numbering."))
        if {"contract_id", "date_from", "date_to"} & set(vals) and any(r.match_state != "none" for r in self):
            # the allocations belong to the period they were matched for
            for reconciliation in self:
                reconciliation._kam_clear_matching()
            if not self.env.su:
                self.sudo().write({"match_state": "none"})
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_match(self):
        """Match the period: inline for small periods, else queued for the background job."""
        self._kam_check_may("action_submit")
        for reconciliation in self:
            if reconciliation.state != "draft":
                raise UserError(self.env._("Only a draft reconciliation is matched again."))
            if not reconciliation.journal_id:
                raise UserError(self.env._("The contract has no joint account yet."))
        self._kam_action_write({"matched_by_id": self.env.uid})
        big = self.filtered(lambda r: r._kam_count_transfers() > INLINE_MATCH_LIMIT)
        if big:
            big._kam_action_write({"match_state": "queued"})
            self.env.ref("kam_management.ir_cron_kam_joint_match")._trigger()
        (self - big)._kam_run_matching()
        return True

    def action_submit(self):
        for reconciliation in self:
            if reconciliation.match_state != "done":
                raise UserError(self.env._("Match the period before submitting it."))
        self._kam_check_matching_current()
        self._kam_move("action_submit", {"prepared_by_id": self.env.uid, "prepared_date": fields.Datetime.now()})
        self._kam_set_todo(SIGN_OFF_ACTIVITY, lambda r: r._kam_signers(), self.env._("Sign off the reconciliation"))
        return True

    def action_reset_to_draft(self):
        self._kam_move("action_reset_to_draft", {"prepared_by_id": False, "prepared_date": False})
        self._kam_set_todo(SIGN_OFF_ACTIVITY, lambda r: self.env["res.users"])
        return True

    def action_sign(self):
        self._kam_check_may("action_sign")
        self._kam_check_signer()
        # one lock with every writer of the period's inputs, then the figures under it as committed now: a
        # writer this sign-off waited for committed after its snapshot (issue 18, hole 5; issue 22)
        self.journal_id._kam_lock()
        self._kam_check_matching_committed()
        for reconciliation in self:
            if reconciliation.open_discrepancy_count:
                raise UserError(
                    self.env._(
                        "%(document)s has %(count)s open discrepancies: resolve them before signing.",
                        document=reconciliation.display_name,
                        count=reconciliation.open_discrepancy_count,
                    )
                )
        self._kam_move("action_sign", {"signed_by_id": self.env.uid, "signed_date": fields.Datetime.now()})
        self._kam_set_todo(SIGN_OFF_ACTIVITY, lambda r: self.env["res.users"])
        queued = self.browse()
        for reconciliation in self:
            reconciliation._kam_freeze_allocated_lines()
            # AC4: the joint account's own lock date: nothing it read up to the period's end changes any more
            journal = reconciliation.journal_id.sudo()
            if not journal.kam_lock_date or journal.kam_lock_date < reconciliation.date_to:
                journal.write({"kam_lock_date": reconciliation.date_to})
            if len(reconciliation._kam_lines_to_book(INLINE_MATCH_LIMIT + 1)) > INLINE_MATCH_LIMIT:
                queued |= reconciliation
            else:
                reconciliation._kam_finish_booking()
        if queued:
            queued._kam_action_write({"booking_state": "queued"})
            self.env.ref("kam_management.ir_cron_kam_joint_book")._trigger()
        return True

    def _kam_check_signer(self):
        """Four eyes (issue 18): whoever matched the period, allocated a transfer by hand, resolved one of its
        discrepancies or submitted it does not sign it."""
        self._kam_check_four_eyes("prepared_by_id", "matched_by_id")
        user = self.env.user
        for reconciliation in self.sudo():
            did = reconciliation.discrepancy_ids.filtered(lambda d: d.resolved_by_id == user)
            did_by_hand = reconciliation.allocation_ids.filtered(lambda a: a.allocated_by_id == user)
            if did or did_by_hand:
                raise UserError(
                    self.env._(
                        "%(document)s: %(user)s resolved its discrepancies or allocated its transfers by hand; "
                        "another finance director must sign it.",
                        document=reconciliation.display_name,
                        user=user.name,
                    )
                )

    def action_cancel(self):
        for reconciliation in self:
            reconciliation._kam_clear_matching()
        self._kam_move("action_cancel", {"match_state": "none"})
        self._kam_set_todo(SIGN_OFF_ACTIVITY, lambda r: self.env["res.users"])
        return True

    def _kam_signers(self):
        """The finance directors of the company who may sign the submitted period (not its preparer)."""
        self.ensure_one()
        directors = self.env.ref("kam_management.group_kam_finance_manager").sudo().all_user_ids
        return directors.filtered(lambda u: u.active and self.company_id in u.company_ids) - self.prepared_by_id

    def action_download_report(self):
        """The XLSX: once signed, the kept file (the one whose SHA-256 the form shows), else the current figures."""
        self.ensure_one()
        if self.report_attachment_id:
            return {
                "type": "ir.actions.act_url",
                "url": f"/web/content/{self.report_attachment_id.id}?download=true",
                "target": "download",
            }
        return self.env.ref("kam_management.action_report_kam_joint_reconciliation_xlsx").report_action(self)

    def action_open_journal_entries(self):
        """The journal entries the sign-off posted: each booked bank line's, moved to the entrusted-loan liability."""
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("account.action_move_journal_line")
        action.update(
            {
                "domain": self._kam_booked_moves_domain(),
                "context": {"create": False},
                "name": self.env._("Journal Entries of %(document)s", document=self.display_name),
            }
        )
        return action

    # ------------------------------------------------------------
    # BUSINESS METHODS: matching
    # ------------------------------------------------------------

    def _kam_transfer_domain(self):
        self.ensure_one()
        return [
            ("journal_id", "=", self.journal_id.id),
            ("date", ">=", self.date_from),
            ("date", "<=", self.date_to),
            ("amount", ">", 0),
        ]

    def _kam_count_transfers(self):
        return self.env["account.bank.statement.line"].sudo().search_count(self._kam_transfer_domain())

    @api.model
    def _cron_match_reconciliations(self):
        """The background job: match queued periods one at a time, committing after each."""
        queued = self.sudo().search([("match_state", "=", "queued"), ("state", "=", "draft")])
        self.env["ir.cron"]._commit_progress(remaining=len(queued))
        for reconciliation in queued:
            reconciliation._kam_run_matching()
            if not self.env["ir.cron"]._commit_progress(1):
                break

    @api.model
    def _cron_book_reconciliations(self):
        """The background job: book the bank lines of big signed periods a batch at a time, committing after
        each, then keep each period's report; a run out of time leaves the rest to the next."""
        queued = self.sudo().search([("booking_state", "=", "queued"), ("state", "=", "signed")])
        pending = {reconciliation: reconciliation._kam_lines_to_book() for reconciliation in queued}
        self.env["ir.cron"]._commit_progress(remaining=sum(len(lines) for lines in pending.values()))
        for reconciliation, lines in pending.items():
            if not reconciliation._kam_book_lines(lines, commit=True):
                return
            reconciliation._kam_finish_booking()
            self.env["ir.cron"]._commit_progress()

    def _kam_clear_matching(self):
        """Drop the automatic allocations and the open findings (a draft only)."""
        self.ensure_one()
        if self.state != "draft":
            return
        self.env.flush_all()  # the SQL below must see resolutions still pending in the cache
        self.env.cr.execute(
            "DELETE FROM kam_joint_allocation WHERE reconciliation_id = %s AND method != 'manual'", [self.id]
        )
        self.env.cr.execute(
            "DELETE FROM kam_joint_discrepancy WHERE reconciliation_id = %s AND state = 'open'", [self.id]
        )
        self.env["kam.joint.allocation"].invalidate_model()
        self.env["kam.joint.discrepancy"].invalidate_model()
        self.invalidate_recordset(["allocation_ids", "discrepancy_ids"])

    def _kam_run_matching(self):
        for reconciliation in self:
            reconciliation._kam_clear_matching()
            reconciliation._kam_match_period()

    def _kam_match_period(self):
        """Match the common case set-based in SQL, read the rest, match it in memory, insert the results."""
        self.ensure_one()
        self.env.flush_all()
        cr = self.env.cr
        contract = self.contract_id
        currency = self.currency_id
        # the matcher compares exact amounts: integers of the currency's smallest unit (fen), rounded by SQL
        unit = 10**currency.decimal_places
        self._kam_insert_memo_allocations()
        # bank lines of the period not allocated yet (by the memo step above, by hand, in another period)
        cr.execute(
            f"""
            WITH {LINE_ALLOCATED_CTE}
            SELECT line.id, move.date, ROUND(line.amount * %(unit)s)::bigint, COALESCE(line.payment_ref, ''),
                   COALESCE(line.account_number, ''), line.is_reconciled
              FROM account_bank_statement_line line
              JOIN account_move move ON move.id = line.move_id
         LEFT JOIN line_allocated ON line_allocated.statement_line_id = line.id
             WHERE move.journal_id = %(journal)s AND move.date BETWEEN %(date_from)s AND %(date_to)s
               AND line.amount > 0 AND move.state = 'posted' AND line_allocated.statement_line_id IS NULL
          ORDER BY move.date, line.id
            """,
            {"journal": self.journal_id.id, "unit": unit, "date_from": self.date_from, "date_to": self.date_to},
        )
        transfers = []
        findings = []
        sanitized = {}
        for lid, date, amount, memo, account, reconciled in cr.fetchall():
            if reconciled:
                findings.append(("reconciled_elsewhere", lid, False, amount / unit, {}))
                continue
            if account not in sanitized:
                sanitized[account] = sanitize_account_number(account)
            transfers.append(joint_matching.Transfer(lid, date, amount, memo, sanitized[account]))
        # receipts: registered up to the end of the period, with what other periods and manual lines left open;
        # of those already covered only the ones a remaining memo may name (the matcher's duplicates), as a
        # period mostly matched by the memo step above leaves few lines and tens of thousands of covered receipts
        numbers = {
            candidate
            for transfer in transfers
            for token in joint_matching.TOKEN.findall(transfer.memo)
            for candidate in (token, token.upper())
        }
        cr.execute(
            """
            WITH allocated AS (
                SELECT a.receipt_id, SUM(a.amount) AS amount
                  FROM kam_joint_allocation a
                  JOIN kam_joint_reconciliation r ON r.id = a.reconciliation_id
                 WHERE r.contract_id = %(contract)s AND r.state != 'cancel'
              GROUP BY a.receipt_id
            ), receipt AS (
                SELECT receipt.id, receipt.name, receipt.date,
                       ROUND(receipt.amount * %(unit)s)::bigint
                       - ROUND(COALESCE(allocated.amount, 0) * %(unit)s)::bigint AS open_amount
                  FROM kam_housing_receipt receipt
             LEFT JOIN allocated ON allocated.receipt_id = receipt.id
                 WHERE receipt.contract_id = %(contract)s AND receipt.state = 'registered'
                   AND receipt.date <= %(date_to)s
            )
            SELECT id, name, date, open_amount FROM receipt
             WHERE open_amount != 0 OR name = ANY(%(numbers)s::varchar[])
          ORDER BY date, id
            """,
            {"contract": contract.id, "unit": unit, "date_to": self.date_to, "numbers": list(numbers)},
        )
        receipts = [joint_matching.Receipt(*row) for row in cr.fetchall()]
        employer_accounts = {sanitize_account_number(contract.employer_account_id.acc_number or "")} - {""}
        result = joint_matching.match(receipts, transfers, employer_accounts)
        open_after = {receipt.id: receipt.open_amount for receipt in receipts}
        for allocation in result.allocations:
            open_after[allocation.receipt_id] -= allocation.amount
        for finding in result.findings:
            findings.append(
                (
                    finding.kind,
                    finding.transfer_id,
                    finding.receipt_ids[0] if len(finding.receipt_ids) == 1 else False,
                    finding.amount / unit,
                    # the figures, not a sentence: the discrepancy writes it in the reader's language
                    {key: value / unit for key, value in finding.detail.items() if key in ("expected", "difference")},
                )
            )
        # receipts not transferred within the contract's term
        term = contract.transfer_term_days
        for receipt in receipts:
            if open_after[receipt.id] > 0 and (self.date_to - receipt.date).days > term:
                findings.append(
                    (
                        "late_transfer",
                        False,
                        receipt.id,
                        open_after[receipt.id] / unit,
                        {"date": str(receipt.date), "days": (self.date_to - receipt.date).days, "term": term},
                    )
                )
        self._kam_insert_allocations(result.allocations, unit)
        # the three ways
        cr.execute(
            """
            SELECT COALESCE(SUM(amount), 0), COALESCE(SUM(amount) FILTER (WHERE date >= %s), 0)
              FROM kam_housing_receipt WHERE contract_id = %s AND state = 'registered' AND date <= %s
            """,
            [self.date_from, contract.id, self.date_to],
        )
        receipt_total, period_receipts = cr.fetchone()
        # the employer-account identity (001:L270–L278): its balance = receipts − what left *that* account; money
        # from anyone else (an unknown deposit, a buyer paying directly) is its own discrepancy above. With no
        # employer account on the contract every transfer counts as the employer's, as in the matching.
        employer_account = next(iter(employer_accounts), None) or None
        cr.execute(
            r"""
            SELECT COALESCE(SUM(line.amount), 0), COALESCE(SUM(line.amount) FILTER (WHERE move.date >= %(date_from)s), 0),
                   COALESCE(SUM(line.amount) FILTER (
                       WHERE %(employer)s::varchar IS NULL
                          OR UPPER(REGEXP_REPLACE(COALESCE(line.account_number, ''), '\W+', '', 'g')) = %(employer)s
                   ), 0)
              FROM account_bank_statement_line line JOIN account_move move ON move.id = line.move_id
             WHERE move.journal_id = %(journal)s AND move.state = 'posted' AND line.amount > 0
               AND move.date <= %(date_to)s
            """,
            {"date_from": self.date_from, "journal": self.journal_id.id, "date_to": self.date_to,
             "employer": employer_account},
        )
        transfer_total, period_transfers, employer_transfer_total = cr.fetchone()
        snapshot = self.env["kam.joint.balance.snapshot"]._kam_balance_at(contract, self.date_to)
        expected = currency.round(receipt_total - employer_transfer_total)
        if not snapshot:
            findings.append(("balance", False, False, expected, {}))
        elif not currency.is_zero(snapshot.balance - expected):
            findings.append(
                (
                    "balance",
                    False,
                    False,
                    currency.round(snapshot.balance - expected),
                    {"balance": snapshot.balance, "date": str(snapshot.date), "expected": expected},
                )
            )
        self._kam_insert_discrepancies(findings)
        self._kam_action_write(
            {
                "match_state": "done",
                "matched_date": fields.Datetime.now(),
                "matched_inputs": self._kam_inputs_digest(),
                "receipt_total": receipt_total,
                "transfer_total": transfer_total,
                "employer_transfer_total": employer_transfer_total,
                "period_receipt_total": period_receipts,
                "period_transfer_total": period_transfers,
                "employer_balance": snapshot.balance if snapshot else 0.0,
                "snapshot_id": snapshot.id,
            }
        )

    def _kam_inputs_digest(self):
        """SHA-256 of everything the matching of the period reads, hashed by PostgreSQL in one query (no
        megabytes to Python): the joint account's transfers up to its end, the contract's registered receipts
        up to its end, the other periods' allocations of those, and the balance snapshot it compares."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT (SELECT encode(sha256(convert_to(string_agg(concat_ws(':', line.id, line.amount, move.date,
                                                -- the totals read the sender of every line (the identity)
                                                line.account_number,
                                                -- before the period only the totals read a line
                                                CASE WHEN move.date >= %(date_from)s THEN concat_ws(
                                                    ':', line.is_reconciled, line.payment_ref
                                                ) END), ',' ORDER BY line.id), 'UTF8')), 'hex')
                      FROM account_bank_statement_line line JOIN account_move move ON move.id = line.move_id
                     WHERE move.journal_id = %(journal)s AND move.state = 'posted' AND move.date <= %(date_to)s
                       AND line.amount > 0),
                   (SELECT encode(sha256(convert_to(string_agg(
                               concat_ws(':', receipt.id, receipt.name, receipt.amount, receipt.date), ','
                               ORDER BY receipt.id), 'UTF8')), 'hex')
                      FROM kam_housing_receipt receipt
                     WHERE receipt.contract_id = %(contract)s AND receipt.state = 'registered'
                       AND receipt.date <= %(date_to)s),
                   -- what other periods allocated of the receipts this one reads, or of its bank lines
                   (SELECT encode(sha256(convert_to(string_agg(
                               concat_ws(':', a.id, a.statement_line_id, a.receipt_id, a.amount), ','
                               ORDER BY a.id), 'UTF8')), 'hex')
                      FROM kam_joint_allocation a
                      JOIN kam_joint_reconciliation r ON r.id = a.reconciliation_id
                      JOIN kam_housing_receipt receipt ON receipt.id = a.receipt_id
                      JOIN account_bank_statement_line line ON line.id = a.statement_line_id
                      JOIN account_move move ON move.id = line.move_id
                     WHERE r.contract_id = %(contract)s AND r.state != 'cancel' AND r.id != %(reconciliation)s
                       AND (receipt.date <= %(date_to)s OR move.date BETWEEN %(date_from)s AND %(date_to)s))
            """,
            {
                "journal": self.journal_id.id,
                "contract": self.contract_id.id,
                "date_from": self.date_from,
                "date_to": self.date_to,
                "reconciliation": self.id,
            },
        )
        parts = [part or "" for part in self.env.cr.fetchone()]
        snapshot = self.env["kam.joint.balance.snapshot"]._kam_balance_at(self.contract_id, self.date_to)
        parts.append(f"{snapshot.id}:{snapshot.balance}")
        return hashlib.sha256("|".join(parts).encode()).hexdigest()

    def _kam_check_matching_current(self):
        for reconciliation in self:
            if reconciliation.matched_inputs != reconciliation._kam_inputs_digest():
                raise UserError(
                    self.env._(
                        "The bank lines, receipts or balance of %(document)s changed after it was matched on "
                        "%(date)s: match it again (a submitted one is first reset to draft).",
                        document=reconciliation.display_name,
                        date=format_datetime(self.env, reconciliation.matched_date),
                    )
                )

    def _kam_check_matching_committed(self):
        """``_kam_check_matching_current`` on what is committed now (the caller holds the joint account's lock,
        see ``account.journal._kam_lock``), and the state as committed: a director who waited for another
        one's sign-off of the same period is told it is signed."""
        tables = [
            "account_bank_statement_line", "account_move", "kam_housing_receipt", "kam_joint_allocation",
            "kam_joint_reconciliation", "kam_joint_balance_snapshot",
        ]
        with self.env["account.journal"]._kam_committed_cursor(tables, written=True) as cr:
            committed = self.with_env(self.env(cr=cr))
            committed._kam_check_from_states("action_sign")
            committed._kam_check_matching_current()

    def _kam_insert_memo_allocations(self):
        """The common case set-based: a transfer whose memo names open receipts adding up to it exactly.

        One ``INSERT ... SELECT`` (of ``_kam_memo_pairs_query``) gives the allocations
        ``joint_matching.match`` would give them, so the matcher then sees them allocated and handles only
        the rest. To stay the same rule whatever the order of the period's transfers, SQL takes only the
        transfers the order cannot change: the only line of the period with its date and amount (no
        suspected duplicate), naming receipts no other line of the period names (``receipt_numbers_in``'s
        tokens, the exact number else upper-cased, numbers unique in the contract), all still open;
        receipts a memo names are reserved for it.
        """
        cr = self.env.cr
        # PostgreSQL misjudges the rows of the memo tokens by orders of magnitude and would spend more time
        # compiling the query (JIT) than running it; its sorts of a big period fit in memory
        cr.execute(
            "SELECT current_setting('jit'), current_setting('work_mem'),"
            " set_config('jit', 'off', true), set_config('work_mem', '64MB', true)"
        )
        jit, work_mem = cr.fetchone()[:2]
        query, params = self._kam_memo_pairs_query()
        cr.execute(
            "INSERT INTO kam_joint_allocation (reconciliation_id, statement_line_id, receipt_id, amount, method)"
            f" {query}",
            params,
        )
        cr.execute("SELECT set_config('jit', %s, true), set_config('work_mem', %s, true)", [jit, work_mem])

    def _kam_memo_pairs_query(self):
        """The memo step's allocations (reconciliation, bank line, receipt, amount, method) as one SELECT."""
        self.ensure_one()
        query = f"""
            WITH {LINE_ALLOCATED_CTE}, receipt_allocated AS (
                SELECT a.receipt_id, SUM(a.amount) AS amount
                  FROM kam_joint_allocation a
                  JOIN kam_joint_reconciliation r ON r.id = a.reconciliation_id
                 WHERE r.contract_id = %(contract)s AND r.state != 'cancel'
              GROUP BY a.receipt_id
            ), line AS (
                SELECT line.id, ROUND(line.amount, %(digits)s) AS amount, COALESCE(line.payment_ref, '') AS memo,
                       NOT line.is_reconciled AND line_allocated.statement_line_id IS NULL
                       AND COUNT(*) OVER (PARTITION BY move.date, ROUND(line.amount, %(digits)s)) = 1 AS eligible
                  FROM account_bank_statement_line line
                  JOIN account_move move ON move.id = line.move_id
             LEFT JOIN line_allocated ON line_allocated.statement_line_id = line.id
                 WHERE move.journal_id = %(journal)s AND move.date BETWEEN %(date_from)s AND %(date_to)s
                   AND line.amount > 0 AND move.state = 'posted'
            ), receipt AS (
                -- numbers are unique in the contract: its one employer's (_employer_number_uniq)
                SELECT receipt.id, receipt.name,
                       ROUND(receipt.amount, %(digits)s) - ROUND(COALESCE(receipt_allocated.amount, 0), %(digits)s) AS open_amount
                  FROM kam_housing_receipt receipt
             LEFT JOIN receipt_allocated ON receipt_allocated.receipt_id = receipt.id
                 WHERE receipt.contract_id = %(contract)s AND receipt.state = 'registered'
                   AND receipt.date <= %(date_to)s
            ), named AS (
                SELECT DISTINCT line.id AS line_id, line.amount AS line_amount, line.eligible,
                       COALESCE(exact.id, upper.id) AS receipt_id,
                       COALESCE(exact.open_amount, upper.open_amount) AS open_amount
                  FROM line
            CROSS JOIN LATERAL regexp_matches(line.memo, '[0-9A-Za-z][0-9A-Za-z_/-]*', 'g') AS token(match)
             LEFT JOIN receipt exact ON exact.name = token.match[1]
             LEFT JOIN receipt upper ON upper.name = UPPER(token.match[1]) AND exact.id IS NULL
                 WHERE COALESCE(exact.id, upper.id) IS NOT NULL
            ), naming AS (
                SELECT named.*, COUNT(*) OVER (PARTITION BY named.receipt_id) AS namers FROM named
            ), checked AS (
                SELECT naming.*,
                       BOOL_AND(naming.eligible AND naming.namers = 1 AND naming.open_amount > 0)
                           OVER (PARTITION BY naming.line_id) AS takes_all,
                       SUM(naming.open_amount) OVER (PARTITION BY naming.line_id) AS named_total
                  FROM naming
            )
            SELECT %(reconciliation)s, line_id, receipt_id, open_amount, 'memo'
              FROM checked
             WHERE takes_all AND named_total = line_amount
        """
        params = {
            "journal": self.journal_id.id,
            "contract": self.contract_id.id,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "reconciliation": self.id,
            "digits": self.currency_id.decimal_places,
        }
        return query, params

    def _kam_insert_allocations(self, allocations, unit):
        """Insert in batches by SQL: a period can have tens of thousands (the ORM would take minutes).

        The matcher's amounts are integers of ``unit`` (fen); the rows get the currency's amounts.
        """
        cr = self.env.cr
        for start in range(0, len(allocations), INSERT_BATCH):
            batch = allocations[start : start + INSERT_BATCH]
            cr.execute(
                """
                INSERT INTO kam_joint_allocation (reconciliation_id, statement_line_id, receipt_id, amount, method)
                SELECT %s, t.line, t.receipt, ROUND(t.amount::numeric / %s, %s), t.method
                  FROM unnest(%s::int[], %s::int[], %s::bigint[], %s::varchar[]) AS t(line, receipt, amount, method)
                """,
                [
                    self.id,
                    unit,
                    self.currency_id.decimal_places,
                    [a.transfer_id for a in batch],
                    [a.receipt_id for a in batch],
                    [a.amount for a in batch],
                    [a.method for a in batch],
                ],
            )
        self.env["kam.joint.allocation"].invalidate_model()
        self.invalidate_recordset(["allocation_ids"])

    def _kam_insert_discrepancies(self, findings):
        # a finding resolved before a re-match stays resolved
        resolved = {
            (d.kind, d.statement_line_id.id, d.receipt_id.id)
            for d in self.discrepancy_ids.filtered(lambda d: d.state == "resolved")
        }
        findings = [f for f in findings if (f[0], f[1] or False, f[2] or False) not in resolved]
        if not findings:
            return
        self.env["kam.joint.discrepancy"].sudo().create(
            [
                {
                    "reconciliation_id": self.id,
                    "kind": kind,
                    "statement_line_id": line_id,
                    "receipt_id": receipt_id,
                    "amount": float(amount),
                    "detail": detail,
                }
                for kind, line_id, receipt_id, amount, detail in findings
            ]
        )

    # ------------------------------------------------------------
    # BUSINESS METHODS: demo
    # ------------------------------------------------------------

    @api.model
    def _load_joint_demo(self, project_id):
        """Demo (issue 9): the demo contract's own joint account, five receipts, the November statement
        (GBK CSV) imported through the real wizard, a balance snapshot and a matched draft reconciliation
        showing one discrepancy of each type."""
        env = self.env
        contract = env["kam.housing.contract"].search(
            [("project_id", "=", project_id), ("state", "=", "selection")], limit=1
        )
        if (
            not contract
            or self.sudo().search_count([("contract_id", "=", contract.id)])
            or not contract.company_id.account_journal_suspense_account_id
        ):
            return
        company = contract.company_id
        if not company.kam_joint_account_liability_account_id:
            liability = env["account.account"].search(
                [*env["account.account"]._check_company_domain(company), ("code", "=", "2241")], limit=1
            ) or env["account.account"].create(
                {"name": "其他应付款-委托借款", "code": "224101", "account_type": "liability_current", "company_ids": [company.id]}
            )
            company.kam_joint_account_liability_account_id = liability
        finance = env.ref("kam_management.user_kam_finance")
        staff = env.ref("kam_management.user_kam_user")
        contract.write({"joint_journal_id": False, "joint_account_number": "6228 4800 1234 5678 901"})
        contract.with_user(finance).action_create_joint_journal()
        buyers = contract.buyer_ids[:5]
        receipts = env["kam.housing.receipt"].with_user(staff).create(
            [
                {"name": number, "contract_id": contract.id, "buyer_id": buyer.id, "amount": amount,
                 "date": date, "kind": kind}
                for number, buyer, amount, date, kind in (
                    ("SJ-0001", buyers[0], 420_000.0, datetime.date(2026, 11, 2), "house"),
                    ("SJ-0002", buyers[1], 350_000.0, datetime.date(2026, 11, 3), "house"),
                    ("SJ-0003", buyers[2], 280_000.0, datetime.date(2026, 9, 15), "house"),
                    ("SJ-0004", buyers[3], 300_000.0, datetime.date(2026, 11, 5), "house"),
                    ("SJ-0005", buyers[4], 50_000.0, datetime.date(2026, 11, 6), "deposit"),
                )
            ]
        )
        # finance registers what key-account staff prepared; the sales accountant then receives the finance copy
        receipts.with_user(env.ref("kam_management.user_kam_finance_manager")).action_register()
        receipts[:3].action_collect_finance_copy()
        receipts[:2].with_user(finance).action_receive_finance_copy()
        with file_open("kam_management/demo/statements/joint_statement_2026-11_gbk.csv", "rb") as handle:
            content = handle.read()
        env["account.statement.import"].with_user(finance).with_context(journal_id=contract.joint_journal_id.id).create(
            {"statement_file": base64.b64encode(content), "statement_filename": "joint_statement_2026-11_gbk.csv"}
        )._import_file()
        # someone booked the 20 November deposit by hand, outside the reconciliation
        line = env["account.bank.statement.line"].search(
            [("journal_id", "=", contract.joint_journal_id.id), ("payment_ref", "=", "定金 张喆")], limit=1
        )
        line._kam_book_to_liability(company._kam_joint_liability_account(), contract.partner_id)
        env["kam.joint.balance.snapshot"].with_user(finance).create(
            {"contract_id": contract.id, "date": datetime.date(2026, 11, 30), "balance": 330_000.0,
             "source": "bank_query", "reference": "江城银行余额查询单 2026-11-30"}
        )
        reconciliation = self.with_user(finance).create(
            {"contract_id": contract.id, "date_from": datetime.date(2026, 11, 1), "date_to": datetime.date(2026, 11, 30)}
        )
        reconciliation.action_match()

    # ------------------------------------------------------------
    # BUSINESS METHODS: sign-off
    # ------------------------------------------------------------

    def _kam_freeze_allocated_lines(self):
        """The sign-off links every bank line the period allocated: from now on no one changes them."""
        self.ensure_one()
        self.env["kam.joint.allocation"].flush_model()
        self.env.cr.execute(
            "SELECT DISTINCT statement_line_id FROM kam_joint_allocation WHERE reconciliation_id = %s", [self.id]
        )
        lines = self.env["account.bank.statement.line"].browse([row[0] for row in self.env.cr.fetchall()])
        lines.sudo().write({"kam_reconciliation_id": self.id})

    def _kam_lines_to_book(self, limit=None):
        """The period's bank lines allocated to the fen and still in suspense, oldest first."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT line.id
              FROM kam_joint_allocation a
              JOIN account_bank_statement_line line ON line.id = a.statement_line_id
             WHERE a.reconciliation_id = %s AND NOT line.is_reconciled
          GROUP BY line.id, line.amount
            HAVING ROUND(SUM(a.amount), %s) = ROUND(line.amount, %s)
          ORDER BY line.id
             LIMIT %s
            """,
            [self.id, self.currency_id.decimal_places, self.currency_id.decimal_places, limit],
        )
        return self.env["account.bank.statement.line"].browse([row[0] for row in self.env.cr.fetchall()])

    def _kam_book_lines(self, lines, commit=False):
        """Suspense → entrusted-loan liability, partner the employer, for ``lines`` of this signed period, a
        batch at a time; the job commits after each batch (False: its time ran out)."""
        self.ensure_one()
        liability = self.company_id._kam_joint_liability_account()
        employer = self.contract_id.partner_id.commercial_partner_id
        for start in range(0, len(lines), BOOKING_BATCH):
            batch = lines[start : start + BOOKING_BATCH]
            batch.sudo()._kam_book_to_liability(liability, employer)
            if commit and not self.env["ir.cron"]._commit_progress(len(batch)):
                return False
        return True

    def _kam_finish_booking(self):
        """Book what is left, keep the report (it shows which lines are booked) and its hash."""
        self.ensure_one()
        self._kam_book_lines(self._kam_lines_to_book())
        self._kam_store_report()
        self._kam_action_write({"booking_state": "done"})

    def _kam_store_report(self):
        self.ensure_one()
        content, _report_type = self.env["ir.actions.report"].sudo()._render_xlsx(
            "kam_management.action_report_kam_joint_reconciliation_xlsx", self.ids, {}
        )
        attachment = self.env["ir.attachment"].sudo().create(
            {
                "name": f"{self.name}.xlsx",
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        self._kam_action_write(
            {"report_attachment_id": attachment.id, "report_sha256": hashlib.sha256(content).hexdigest()}
        )

