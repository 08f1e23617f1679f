from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.base.models.res_bank import sanitize_account_number

from ..rules import pricing as pricing_rules
from ..rules.errors import RuleError

CONTRACT_STATE = [
    ("draft", "Prospecting"),
    ("negotiation", "Negotiation"),
    ("intent", "Letter of Intent"),
    ("contract", "Contract Signed"),
    ("priced", "Pricing Approved"),
    ("allocated", "Units Allocated"),
    ("selection", "Selection Open"),
    ("closed", "Closed"),
    ("cancel", "Cancelled"),
]
RENAME_POLICY = [
    ("list_only", "Only Between Listed Buyers"),
    ("fee", "Others Against the Rename Fee"),
    ("relations", "Allowed Relations Only"),
]
# states in which the employer's price is agreed and approved
# who may read the contract's buyers, allocations, receipts and desk records (ir.model.access); the other readers
# of contracts (cost) open the contract without them, as the others than these read no negotiation memos
CONTRACT_RECORD_READERS = (
    "kam_management.group_kam_user,kam_management.group_kam_finance,kam_management.group_kam_audit,"
    "kam_management.group_kam_executive"
)
PRICED_STATES = ("priced", "allocated", "selection", "closed")
# issue 18: the terms finance owns: which journal is the joint account, the fees the desk invoices, the employer's
# transfer term the reconciliation measures
FINANCE_TERMS = ("joint_journal_id", "rename_fee_percent", "mortgage_conversion_fee", "transfer_term_days")


class KamHousingContract(models.Model):
    """A commissioned-housing contract with an employer (委建房合同, HS6).

    Lifecycle: prospecting → negotiation (with enough screened candidates,
    HS4) → letter of intent → contract → pricing approved (HS7) → units
    allocated (HS8) → selection open (verified buyers, HS9) → closed, or
    cancelled. The selection desk (tickets, vouchers) and the joint-account
    receipts hang off this record: units it holds are ``holding_ids``, its
    money arrives on ``joint_journal_id``.
    """

    _name = "kam.housing.contract"
    _description = "Commissioned-Housing Contract"
    _inherit = ["kam.lifecycle.mixin", "mail.thread", "mail.activity.mixin"]
    _kam_transitions = {
        "action_start_negotiation": (("draft",), "negotiation", ("kam_management.group_kam_user",)),
        "action_sign_intent": (("negotiation",), "intent", ("kam_management.group_kam_user",)),
        "action_sign_contract": (("intent",), "contract", ("kam_management.group_kam_user",)),
        # moved by the approvals of the price and of the first units, not by a button
        "pricing_approved": (("contract",), "priced", ()),
        "pricing_cancelled": (("priced",), "contract", ()),
        "allocation_approved": (("priced",), "allocated", ()),
        "action_open_selection": (("allocated",), "selection", ("kam_management.group_kam_user",)),
        "action_close": (("selection",), "closed", ("kam_management.group_kam_user",)),
        "action_cancel": (("draft", "negotiation", "intent", "contract"), "cancel", ("kam_management.group_kam_user",)),
        # once priced, units hang off the contract: only the director cancels it, releasing them
        "cancel_priced": (("priced", "allocated", "selection"), "cancel", ("kam_management.group_kam_manager",)),
    }
    # set by the buttons only (SEC2): the signing dates and the three buyer-list sign-offs
    _kam_action_fields = (
        "intent_date",
        "contract_date",
        "buyer_audit_user_id",
        "buyer_audit_date",
        "buyer_finance_user_id",
        "buyer_finance_date",
        "buyer_lawyer_date",
        "buyer_lawyer_recorded_by_id",
    )
    # from the approved price on, the employer, the project and the terms are what was priced
    _kam_locked_states = ("priced", "allocated", "selection", "closed", "cancel")
    _kam_editable_when_locked = (
        "user_id", "team_leader_id", "team_member_ids", "memo_ids", "buyer_ids", "buyer_lawyer_id", "note",
        "pricing_ids", "allocation_ids", "holding_ids",
    )
    _kam_deletable_states = ("draft",)
    _order = "id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="/", index="trigram")
    state = fields.Selection(CONTRACT_STATE, required=True, default="draft", tracking=True, copy=False)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner", string="Employer", required=True, tracking=True, check_company=True, index=True
    )
    project_id = fields.Many2one(
        "kam.housing.project", required=True, ondelete="restrict", tracking=True, check_company=True, index=True
    )
    round = fields.Char(required=True, default="1", tracking=True, help="The project round whose prospects were screened.")
    user_id = fields.Many2one(
        "res.users", string="Key-Account Manager", default=lambda self: self.env.user, tracking=True, index=True
    )
    # negotiation team (HS5)
    team_leader_id = fields.Many2one(
        "res.users", string="Negotiation Leader", tracking=True, index="btree_not_null"  # record rules
    )
    team_member_ids = fields.Many2many(
        "res.users", "kam_housing_contract_team_rel", "contract_id", "user_id", string="Negotiation Members"
    )
    memo_ids = fields.One2many(
        "kam.negotiation.memo", "contract_id", string="Negotiation Memos",
        groups="kam_management.group_kam_user,kam_management.group_kam_finance_manager,"
        "kam_management.group_kam_audit,kam_management.group_kam_executive",
    )
    # terms (HS6)
    intent_date = fields.Date(string="Letter of Intent Signed On", tracking=True, copy=False)
    contract_date = fields.Date(string="Contract Signed On", tracking=True, copy=False)
    employer_account_id = fields.Many2one(
        "res.partner.bank", string="Employer's Special Account", tracking=True,
        help="Special account of the employer's commissioned-building office (委建办专用账户); "
        "buyers pay into it first.",
    )
    joint_journal_id = fields.Many2one(
        "account.journal", string="Joint Account", tracking=True, check_company=True,
        domain="[('type', '=', 'bank')]",
        help="Co-managed bank account (共管账户) that receives the employer's transfers.",
    )
    # AC2: the joint account is created from these (action_create_joint_journal)
    joint_account_number = fields.Char(
        string="Joint Account Number", tracking=True, copy=False,
        help="Number of the co-managed account opened for this contract, in the company's name.",
    )
    joint_bank_id = fields.Many2one("res.bank", string="Joint Account Bank", tracking=True)
    transfer_term_days = fields.Integer(
        string="Transfer Term (Days)", default=30, tracking=True,
        help="Days the employer has to transfer a receipt's money to the joint account.",
    )
    receipt_ids = fields.One2many(
        "kam.housing.receipt", "contract_id", string="Employer Receipts", groups=CONTRACT_RECORD_READERS
    )
    reconciliation_ids = fields.One2many("kam.joint.reconciliation", "contract_id", string="Reconciliations")
    money_receipt_total = fields.Monetary(compute="_compute_money_summary", string="Receipts Registered")
    money_transfer_total = fields.Monetary(compute="_compute_money_summary", string="Transfers Received")
    money_not_transferred = fields.Monetary(compute="_compute_money_summary", string="Received, Not Transferred")
    payment_ratio = fields.Float(string="Payment Ratio (%)", digits=(5, 2), tracking=True, default=50.0)
    selection_deadline = fields.Date(tracking=True)
    payment_deadline = fields.Date(tracking=True)
    rename_policy = fields.Selection(RENAME_POLICY, required=True, default="list_only", tracking=True)
    rename_fee_percent = fields.Float(
        string="Rename Fee (% of Price Difference)", default=50.0, digits=(5, 2), tracking=True,
        help="Share of (market price − contract price) charged for a rename outside the list.",
    )
    rename_relation_ids = fields.One2many(
        "kam.contract.relation.term", "contract_id", string="Allowed Relations",
        help="The relations that may take over a unit, the proofs accepted for each and each one's price.",
    )
    # before 19.0.0.1.4 the relations were free text: kept, read-only, for a person to convert into the lines
    rename_relations = fields.Text(
        string="Allowed Relations (Old Free Text)", readonly=True,
        help="The free text of an older version: renames follow the structured lines only; convert it into them.",
    )
    mortgage_conversion_fee = fields.Monetary(
        string="Mortgage-Conversion Fee", default=2000.0, tracking=True,
        help="Charged when a buyer switches from full payment to a loan (1,000–3,000).",
    )
    # pricing, allocation, buyers
    pricing_ids = fields.One2many("kam.housing.pricing", "contract_id", string="Pricing Proposals")
    approved_pricing_id = fields.Many2one(
        "kam.housing.pricing", compute="_compute_approved_pricing", store=True, string="Approved Pricing"
    )
    average_price = fields.Monetary(
        related="approved_pricing_id.average_price", string="Approved Average Price (per m²)"
    )
    allocation_ids = fields.One2many(
        "kam.unit.allocation", "contract_id", string="Unit Allocations", groups=CONTRACT_RECORD_READERS
    )
    holding_ids = fields.One2many("kam.unit.holding", "contract_id", string="Held Units")
    unit_count = fields.Integer(compute="_compute_unit_stats", string="Allocated Units")
    allocated_amount = fields.Monetary(compute="_compute_unit_stats", string="Allocated Value")
    buyer_ids = fields.One2many(
        "kam.housing.buyer", "contract_id", string="Eligible Buyers", groups=CONTRACT_RECORD_READERS
    )
    buyer_count = fields.Integer(compute="_compute_buyer_count", groups=CONTRACT_RECORD_READERS)
    buyer_audit_user_id = fields.Many2one("res.users", string="Audit Sign-off By", readonly=True, copy=False, tracking=True)
    buyer_audit_date = fields.Datetime(string="Audit Sign-off On", readonly=True, copy=False)
    buyer_finance_user_id = fields.Many2one(
        "res.users", string="Finance Sign-off By", readonly=True, copy=False, tracking=True
    )
    buyer_finance_date = fields.Datetime(string="Finance Sign-off On", readonly=True, copy=False)
    buyer_lawyer_id = fields.Many2one("res.partner", string="Lawyer", copy=False, tracking=True)
    buyer_lawyer_date = fields.Datetime(string="Lawyer Sign-off On", readonly=True, copy=False)
    buyer_lawyer_recorded_by_id = fields.Many2one("res.users", string="Lawyer Sign-off Recorded By", readonly=True, copy=False)
    buyers_verified = fields.Boolean(
        compute="_compute_buyers_verified", store=True, tracking=True,
        help="Audit/legal, finance and the lawyer signed the buyer list off; it is locked.",
    )
    note = fields.Html()
    # selection desk (HS10–HS13)
    full_payment_discount_percent = fields.Float(
        string="Full-Payment Discount (%)", digits=(5, 2), tracking=True,
        help="Discount a buyer paying 100 % may take on the ticket; 0: none granted.",
    )
    fund_use_date = fields.Date(string="Fund-Use Date", tracking=True, help="用款时间 agreed in the contract.")
    sales_cutoff_date = fields.Date(string="Sales Cut-Off", tracking=True)
    draw_ids = fields.One2many(
        "kam.selection.draw", "contract_id", string="Selection Draws", groups=CONTRACT_RECORD_READERS
    )
    ticket_ids = fields.One2many(
        "kam.room.ticket", "contract_id", string="Room-Selection Tickets", groups=CONTRACT_RECORD_READERS
    )
    annex_ids = fields.One2many(
        "kam.selection.annex", "contract_id", string="Selection Annexes", groups=CONTRACT_RECORD_READERS
    )

    _name_company_uniq = models.Constraint("unique(company_id, name)", "A contract reference must be unique.")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("pricing_ids.state")
    def _compute_approved_pricing(self):
        for contract in self:
            contract.approved_pricing_id = contract.pricing_ids.filtered(lambda p: p.state == "approved")[:1]

    def _compute_unit_stats(self):
        rows = {
            contract: (count, amount)
            for contract, count, amount in self.env["kam.unit.allocation.line"].sudo()._read_group(
                [("allocation_id.contract_id", "in", self.ids), ("allocation_id.state", "=", "approved")],
                ["contract_id"],
                ["__count", "amount:sum"],
            )
        }
        for contract in self:
            contract.unit_count, contract.allocated_amount = rows.get(contract, (0, 0.0))

    def _compute_buyer_count(self):
        counts = dict(
            self.env["kam.housing.buyer"]._read_group([("contract_id", "in", self.ids)], ["contract_id"], ["__count"])
        )
        for contract in self:
            contract.buyer_count = counts.get(contract, 0)

    def _compute_money_summary(self):
        receipts = dict(
            self.env["kam.housing.receipt"].sudo()._read_group(
                [("contract_id", "in", self.ids), ("state", "=", "registered")], ["contract_id"], ["amount:sum"]
            )
        )
        journals = self.joint_journal_id
        transfers = dict(
            self.env["account.bank.statement.line"].sudo()._read_group(
                [("journal_id", "in", journals.ids), ("amount", ">", 0), ("state", "=", "posted")],
                ["journal_id"],
                ["amount:sum"],
            )
        ) if journals else {}
        for contract in self:
            contract.money_receipt_total = receipts.get(contract, 0.0)
            contract.money_transfer_total = transfers.get(contract.joint_journal_id, 0.0)
            contract.money_not_transferred = contract.currency_id.round(
                contract.money_receipt_total - contract.money_transfer_total
            )

    @api.depends("buyer_audit_date", "buyer_finance_date", "buyer_lawyer_date")
    def _compute_buyers_verified(self):
        for contract in self:
            contract.buyers_verified = bool(
                contract.buyer_audit_date and contract.buyer_finance_date and contract.buyer_lawyer_date
            )

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("payment_ratio")
    def _check_payment_ratio(self):
        for contract in self:
            try:
                pricing_rules.check_payment_ratio(contract.payment_ratio, contract.company_id.kam_min_payment_ratio)
            except RuleError as error:
                raise ValidationError(error.translated(self.env)) from None

    @api.constrains("mortgage_conversion_fee")
    def _check_mortgage_conversion_fee(self):
        # section 十: 一次性付款转为贷款的, 应收取1000-3000元手续费
        for contract in self:
            fee = contract.mortgage_conversion_fee
            if contract.currency_id.compare_amounts(fee, 1000) < 0 or contract.currency_id.compare_amounts(fee, 3000) > 0:
                raise ValidationError(
                    self.env._("The mortgage-conversion fee must be between 1,000 and 3,000; %(fee)s was given.", fee=fee)
                )

    @api.constrains("employer_account_id", "partner_id", "joint_journal_id")
    def _check_accounts(self):
        for contract in self:
            account = contract.employer_account_id
            if account and account.partner_id.commercial_partner_id != contract.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "The special account %(account)s does not belong to the employer %(employer)s.",
                        account=account.display_name,
                        employer=contract.partner_id.display_name,
                    )
                )
            if contract.joint_journal_id and contract.joint_journal_id.type != "bank":
                raise ValidationError(self.env._("The joint account must be a bank journal."))

    @api.constrains("full_payment_discount_percent")
    def _check_full_payment_discount_percent(self):
        for contract in self:
            if not 0 <= contract.full_payment_discount_percent < 100:
                raise ValidationError(self.env._("The full-payment discount must be between 0 % and 100 %."))

    @api.constrains("rename_fee_percent")
    def _check_rename_fee_percent(self):
        for contract in self:
            if not 0 <= contract.rename_fee_percent <= 100:
                raise ValidationError(self.env._("The rename fee must be between 0 %% and 100 %% of the difference."))

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self._kam_is_finance():
            defaults = self.default_get(list(FINANCE_TERMS))
            for vals in vals_list:
                self._kam_refuse_finance_terms(
                    [name for name in FINANCE_TERMS if name in vals and (vals[name] or False) != (defaults.get(name) or False)]
                )
        self._kam_take_references(vals_list, "kam.housing.contract")
        contracts = super().create(vals_list)
        contracts.filtered("joint_journal_id")._kam_check_joint_journal_free()
        return contracts

    def write(self, vals):
        if not self._kam_is_finance():
            self._kam_refuse_finance_terms(
                [
                    name
                    for name in FINANCE_TERMS
                    if name in vals and any(self.env["account.move"]._field_will_change(c, vals, name) for c in self)
                ]
            )
        journals = {contract: contract.joint_journal_id for contract in self} if vals.get("joint_journal_id") else {}
        result = super().write(vals)
        self.filtered(lambda contract: journals and contract.joint_journal_id != journals[contract])._kam_check_joint_journal_free()
        return result

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_start_negotiation(self):
        for contract in self:
            contract._check_state("draft")
            minimum = contract.company_id.kam_min_screened_candidates
            screened = self.env["kam.housing.prospect"]._count_screened(contract.project_id, contract.round)
            if screened < minimum:
                raise UserError(
                    self.env._(
                        "Negotiation needs at least %(minimum)s screened candidates for project %(project)s, "
                        "round %(round)s; %(count)s are on record.",
                        minimum=minimum,
                        project=contract.project_id.display_name,
                        round=contract.round,
                        count=screened,
                    )
                )
            if not self.env["kam.housing.prospect"].sudo().search_count(
                [
                    ("project_id", "=", contract.project_id.id),
                    ("round", "=", contract.round),
                    ("partner_id", "=", contract.partner_id.id),
                    ("state", "in", ("screened", "selected")),
                ],
                limit=1,
            ):
                raise UserError(
                    self.env._(
                        "%(employer)s is not a screened candidate of this project round.",
                        employer=contract.partner_id.display_name,
                    )
                )
            if not contract.team_leader_id:
                raise UserError(self.env._("Name the negotiation leader before negotiating."))
        self._kam_move("action_start_negotiation")

    def action_sign_intent(self):
        for contract in self:
            contract._check_state("negotiation")
        self._kam_move("action_sign_intent", {"intent_date": fields.Date.context_today(self)})

    def action_sign_contract(self):
        for contract in self:
            contract._check_state("intent")
            missing = [
                contract._fields[name].get_description(self.env)["string"]
                for name in ("joint_journal_id", "employer_account_id", "selection_deadline", "payment_deadline")
                if not contract[name]
            ]
            if missing:
                raise UserError(
                    self.env._("Fill in before signing the contract: %(fields)s.", fields=", ".join(missing))
                )
        self._kam_move("action_sign_contract", {"contract_date": fields.Date.context_today(self)})

    def action_open_selection(self):
        for contract in self:
            contract._check_state("allocated")
            if not contract.buyers_verified:
                raise UserError(self.env._("Selection opens only after the buyer list is verified."))
        self._kam_move("action_open_selection")

    def action_close(self):
        for contract in self:
            contract._check_state("selection")
        self._kam_check_can_close()
        self._kam_move("action_close")
        # AC2: a closed contract's joint account leaves the accounting dashboard
        self.joint_journal_id.sudo().write({"show_on_dashboard": False})

    def action_cancel(self):
        if any(contract.state == "closed" for contract in self):
            raise UserError(self.env._("A closed contract cannot be cancelled."))
        self._kam_move_any("action_cancel", "cancel_priced")
        # what hangs off it: the units it holds go back on sale, its pending approvals stop
        self.sudo().holding_ids.filtered(lambda h: h.state == "active").action_release()
        self.sudo().allocation_ids.filtered(lambda a: a.state == "draft").action_cancel()
        self.sudo().pricing_ids.filtered(lambda p: p.state == "draft").action_cancel()
        return True

    def action_create_joint_journal(self):
        """AC2: the joint account as a bank journal of the company (linked if that account already has one)."""
        if not self.env.user.has_group("kam_management.group_kam_finance"):
            raise AccessError(self.env._("Only finance opens the joint account of a contract."))
        for contract in self:
            if contract.joint_journal_id:
                raise UserError(self.env._("Contract %(contract)s already has its joint account.", contract=contract.display_name))
            if not contract.joint_account_number:
                raise UserError(self.env._("Enter the joint account number first."))
            contract.sudo()._kam_link_joint_journal()
        return True

    def action_import_joint_statement(self):
        """AC3: the OCA statement import, started on this contract's joint account."""
        self.ensure_one()
        if not self.joint_journal_id:
            raise UserError(self.env._("Create the joint account journal first."))
        action = self.env["ir.actions.actions"]._for_xml_id("kam_management.action_kam_joint_statement_import")
        action["context"] = {"journal_id": self.joint_journal_id.id}
        return action

    def _kam_is_finance(self):
        return self.env.su or self.env.user.has_group("kam_management.group_kam_finance")

    def _kam_refuse_finance_terms(self, names):
        if names:
            raise AccessError(
                self.env._(
                    "Only finance sets %(fields)s of a contract.",
                    fields=", ".join(self._fields[name].get_description(self.env)["string"] for name in names),
                )
            )

    def _kam_check_joint_journal_free(self):
        """AC2 (issue 18): a joint account is a journal of its own: one with other business (entries, bank lines
        or payments not of a joint account, invoices asking to be paid into its account) is never one."""
        for contract in self.sudo():
            journal = contract.joint_journal_id
            others = contract.search_count([("joint_journal_id", "=", journal.id), ("id", "!=", contract.id)], limit=1)
            if others:
                continue  # already a joint account (of a contract on the same co-managed account)
            Move = self.env["account.move"].sudo()
            busy = Move.search_count([("journal_id", "=", journal.id)], limit=1) or self.env[
                "account.payment"
            ].sudo().search_count([("journal_id", "=", journal.id)], limit=1)
            if not busy and journal.bank_account_id:
                busy = Move.search_count([("partner_bank_id", "=", journal.bank_account_id.id)], limit=1)
            if busy:
                raise ValidationError(
                    self.env._(
                        "%(journal)s already carries other business (entries, bank lines or payments): a joint "
                        "account is a journal of its own. Create the contract's joint account journal instead.",
                        journal=journal.display_name,
                    )
                )

    def _kam_awaiting_money(self):
        """AC5: the contracts of ``self`` whose buyers still owe (ledger, one grouped read) or whose employer holds
        receipts it has not transferred."""
        owing = {
            contract
            for (contract,) in self.env["kam.housing.receipt.ledger"].sudo()._read_group(
                [("contract_id", "in", self.ids), ("outstanding", ">", 0)], ["contract_id"]
            )
        }
        return self.filtered(
            lambda c: c in owing or c.currency_id.compare_amounts(c.money_not_transferred, 0) > 0
        )

    def _kam_link_joint_journal(self):
        self.ensure_one()
        company = self.company_id
        number = sanitize_account_number(self.joint_account_number)
        bank_account = self.env["res.partner.bank"].search(
            [("sanitized_acc_number", "=", number), ("partner_id", "=", company.partner_id.id)], limit=1
        )
        if not bank_account:
            bank_account = self.env["res.partner.bank"].create(
                {
                    "acc_number": self.joint_account_number,
                    "partner_id": company.partner_id.id,
                    "bank_id": self.joint_bank_id.id,
                    "company_id": company.id,
                }
            )
        Journal = self.env["account.journal"].with_company(company)
        journal = Journal.search([("bank_account_id", "=", bank_account.id), ("type", "=", "bank")], limit=1)
        if not journal:
            journal = Journal.create(
                {
                    "name": self.env._("Joint Account %(contract)s", contract=self.name),
                    "code": Journal._get_next_journal_default_code("bank", company),
                    "type": "bank",
                    "company_id": company.id,
                    "bank_account_id": bank_account.id,
                    "suspense_account_id": company.account_journal_suspense_account_id.id,
                    # statements come by file: set now, or OCA's import writes it on the journal's first
                    # import, and concurrent first imports then fail with a serialization error
                    "bank_statements_source": "file_import_oca",
                }
            )
            chart = self.env["account.chart.template"].with_company(company)
            outstanding = {
                "inbound": chart.ref("account_journal_payment_debit_account_id", raise_if_not_found=False),
                "outbound": chart.ref("account_journal_payment_credit_account_id", raise_if_not_found=False),
            }
            for method_line in journal.inbound_payment_method_line_ids | journal.outbound_payment_method_line_ids:
                account = outstanding[method_line.payment_type]
                if account and not method_line.payment_account_id:
                    method_line.payment_account_id = account
        self.joint_journal_id = journal
        self.message_post(body=self.env._("Joint account %(journal)s linked.", journal=journal.display_name))
        return journal

    # buyer list sign-offs (HS9): audit/legal, finance, lawyer
    # three sign-offs by three different people: whoever signed one cannot sign another
    def action_signoff_buyers_audit(self):
        self._check_signoff_group("kam_management.group_kam_audit")
        self._check_buyers_signable()
        self._kam_check_four_eyes("buyer_finance_user_id", "buyer_lawyer_recorded_by_id")
        self._kam_action_write({"buyer_audit_user_id": self.env.uid, "buyer_audit_date": fields.Datetime.now()})

    def action_signoff_buyers_finance(self):
        self._check_signoff_group("kam_management.group_kam_finance")
        self._check_buyers_signable()
        self._kam_check_four_eyes("buyer_audit_user_id", "buyer_lawyer_recorded_by_id")
        self._kam_action_write({"buyer_finance_user_id": self.env.uid, "buyer_finance_date": fields.Datetime.now()})

    def action_signoff_buyers_lawyer(self):
        """Audit/legal records the outside lawyer's sign-off on the list."""
        self._check_signoff_group("kam_management.group_kam_audit")
        self._check_buyers_signable()
        if any(not contract.buyer_lawyer_id for contract in self):
            raise UserError(self.env._("Name the lawyer who signed the buyer list off."))
        self._kam_check_four_eyes("buyer_audit_user_id", "buyer_finance_user_id")
        self._kam_action_write(
            {"buyer_lawyer_recorded_by_id": self.env.uid, "buyer_lawyer_date": fields.Datetime.now()}
        )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_state(self, *states):
        self.ensure_one()
        if self.state not in states:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Contract %(contract)s is %(state)s; this step needs it to be %(expected)s.",
                    contract=self.display_name,
                    state=labels[self.state],
                    expected=" / ".join(labels[s] for s in states),
                )
            )

    def _check_signoff_group(self, group):
        if not self.env.user.has_group(group):
            raise AccessError(self.env._("Your department cannot sign this buyer list off."))

    def _check_buyers_signable(self):
        for contract in self:
            if contract.state in ("draft", "cancel", "closed"):
                raise UserError(self.env._("The buyer list of a contract in this state cannot be signed off."))
            if not contract.buyer_ids:
                raise UserError(self.env._("There are no buyers to verify."))

    def _check_buyer_list_open(self):
        """A verified list is locked; a partly signed one loses its sign-offs when it changes."""
        for contract in self:
            if contract.buyers_verified:
                raise UserError(
                    self.env._("The buyer list of %(contract)s is verified and locked.", contract=contract.display_name)
                )
        signed = self.filtered(lambda c: c.buyer_audit_date or c.buyer_finance_date or c.buyer_lawyer_date)
        if signed:
            signed.sudo().write(
                {
                    "buyer_audit_user_id": False,
                    "buyer_audit_date": False,
                    "buyer_finance_user_id": False,
                    "buyer_finance_date": False,
                    "buyer_lawyer_date": False,
                    "buyer_lawyer_recorded_by_id": False,
                }
            )
            for contract in signed:
                contract.message_post(body=self.env._("The buyer list changed: its sign-offs start again."))

    def _on_pricing_approved(self):
        """Called by the pricing proposal when its approval is complete."""
        self.filtered(lambda c: c.state == "contract").sudo()._kam_move("pricing_approved")
        # draft allocations take the new price
        self.allocation_ids.filtered(lambda a: a.state == "draft").line_ids._kam_price()

    def _on_pricing_cancelled(self):
        """Called by the director's withdrawal of the approved price (no units allocated at it)."""
        self.filtered(lambda c: c.state == "priced").sudo()._kam_move("pricing_cancelled")

    def _on_allocation_approved(self):
        self.filtered(lambda c: c.state == "priced").sudo()._kam_move("allocation_approved")

    # ------------------------------------------------------------
    # SELECTION DESK (HS13)
    # ------------------------------------------------------------

    def _kam_check_can_close(self):
        """Only a contract whose selection annex is audited and sealed closes (HS13)."""
        for contract in self:
            if not contract.sudo().annex_ids.filtered(lambda annex: annex.state == "sealed"):
                raise UserError(
                    self.env._(
                        "Contract %(contract)s closes only when the employer's selection annex is re-checked by "
                        "audit and sealed.",
                        contract=contract.display_name,
                    )
                )

    @api.model
    def _cron_kam_deadline_activities(self):
        """One to-do per contract and deadline, some lead days before the selection and payment deadlines."""
        today = fields.Date.context_today(self)
        activities = self.env["mail.activity"].sudo().with_context(active_test=False)
        kinds = {
            "selection_deadline": self.env.ref("kam_management.mail_activity_kam_selection_deadline"),
            "payment_deadline": self.env.ref("kam_management.mail_activity_kam_payment_deadline"),
        }
        model_id = self.env["ir.model"]._get_id(self._name)
        for company in self.env["res.company"].sudo().search([]):
            horizon = fields.Date.add(today, days=company.kam_deadline_lead_days)
            for field_name, activity_type in kinds.items():
                contracts = self.sudo().search(
                    [
                        ("company_id", "=", company.id),
                        ("state", "in", ("allocated", "selection")),
                        (field_name, ">=", today),
                        (field_name, "<=", horizon),
                    ]
                )
                if not contracts:
                    continue
                existing = {
                    (activity.res_id, activity.date_deadline)
                    for activity in activities.search(
                        [
                            ("res_model", "=", self._name),
                            ("res_id", "in", contracts.ids),
                            ("activity_type_id", "=", activity_type.id),
                        ]
                    )
                }
                activities.create(
                    [
                        {
                            "res_model_id": model_id,
                            "res_id": contract.id,
                            "activity_type_id": activity_type.id,
                            "date_deadline": contract[field_name],
                            "user_id": (contract.user_id or self.env.ref("base.user_root")).id,
                            "summary": activity_type.summary,
                        }
                        for contract in contracts
                        if (contract.id, contract[field_name]) not in existing
                    ]
                )
