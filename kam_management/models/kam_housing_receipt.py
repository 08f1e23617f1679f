from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..rules import amount_words
from ..rules.errors import RuleError

RECEIPT_STATE = [
    ("draft", "Draft"),
    ("registered", "Registered"),
    ("void", "Void"),
]
RECEIPT_KIND = [
    ("house", "House Money"),
    ("deposit", "Reservation Deposit"),
]
# a receipt can be registered on a contract from signature until it closes
RECEIPT_CONTRACT_STATES = ("contract", "priced", "allocated", "selection")
# and on a relationship request (HS16) once it is approved
RECEIPT_REQUEST_STATES = ("approved", "paid")
RECEIPT_STAFF = ("kam_management.group_kam_user", "kam_management.group_kam_finance")
# issue 18: key-account staff prepare a receipt (a draft); finance registers it, so no voucher follows one person's
# entry, and voids it
RECEIPT_FINANCE = ("kam_management.group_kam_finance",)


class KamHousingReceipt(models.Model):
    """A receipt the employer's office issued to a buyer, registered by us (AC1).

    The buyer pays into the employer's special account; the employer's
    commissioned-building office issues a three-copy receipt. We register
    the employer's number, the buyer, the amount and the kind, then follow
    the paper trail: key-account staff collect the finance copy from the
    issuer, and the sales accountant confirms receiving it. A registered
    receipt is locked; a wrong one is voided with a reason and kept.

    A receipt names its payer: a buyer of the contract's verified list, or,
    for relationship housing (HS16, no employer between), an approved
    relationship request; those receipts are numbered by our company.

    The selection desk reads ``_kam_registered_totals`` to decide on the
    voucher; the joint-account reconciliation allocates transfers to
    registered receipts (of contracts: relationship money is not entrusted).
    """

    _name = "kam.housing.receipt"
    _description = "Employer Receipt"
    _inherit = ["mail.thread", "mail.activity.mixin", "kam.lifecycle.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    _kam_transitions = {
        "action_register": (("draft",), "registered", RECEIPT_FINANCE),
        "action_void": (("registered",), "void", RECEIPT_FINANCE),
    }
    _kam_action_fields = (
        "registered_by_id",
        "registered_date",
        "copy_collected_by_id",
        "copy_collected_date",
        "copy_received_by_id",
        "copy_received_date",
        "voided_by_id",
        "voided_date",
    )
    _kam_locked_states = ("registered", "void")
    _kam_editable_when_locked = ("void_reason",)

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(
        string="Receipt Number", required=True, copy=False, tracking=True, index="trigram",
        help="The number printed on the employer's receipt.",
    )
    state = fields.Selection(RECEIPT_STATE, required=True, default="draft", tracking=True, copy=False, index=True)
    # no check_company on the contract and the request: the receipt's company is computed from the one it pays
    # (a check would filter them by the company of a new receipt, which has none until one is chosen)
    contract_id = fields.Many2one("kam.housing.contract", ondelete="restrict", index=True, tracking=True)
    relation_request_id = fields.Many2one(
        "kam.relation.request", string="Relationship Request", ondelete="restrict", index="btree_not_null",
        tracking=True, help="Relationship housing (HS16): the receipt pays this request.",
    )
    company_id = fields.Many2one(
        "res.company", compute="_compute_company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    employer_id = fields.Many2one(
        related="contract_id.partner_id", store=True, index=True, string="Employer",
    )
    buyer_id = fields.Many2one(
        "kam.housing.buyer", ondelete="restrict", index=True, check_company=True, tracking=True,
        domain="[('contract_id', '=', contract_id)]",
    )
    amount = fields.Monetary(required=True, tracking=True)
    amount_in_words = fields.Char(string="Amount in Capitals", compute="_compute_amount_in_words")
    date = fields.Date(string="Receipt Date", required=True, default=fields.Date.context_today, tracking=True, index=True)
    kind = fields.Selection(RECEIPT_KIND, required=True, default="house", tracking=True)
    note = fields.Text()
    # AC4: the joint-account transfers allocated to it by the reconciliations
    allocation_ids = fields.One2many("kam.joint.allocation", "receipt_id", string="Transfer Allocations")
    transferred_amount = fields.Monetary(
        compute="_compute_transferred_amount", string="Transferred",
        help="Part of the receipt the employer has transferred to the joint account (allocated transfers).",
    )
    # who did what: set by the buttons only
    registered_by_id = fields.Many2one("res.users", string="Registered By", readonly=True, copy=False)
    registered_date = fields.Datetime(string="Registered On", readonly=True, copy=False)
    copy_collected_by_id = fields.Many2one(
        "res.users", string="Finance Copy Collected By", readonly=True, copy=False, tracking=True,
        help="Key-account staff who collected the finance copy from the employer's office.",
    )
    copy_collected_date = fields.Datetime(string="Finance Copy Collected On", readonly=True, copy=False)
    copy_received_by_id = fields.Many2one(
        "res.users", string="Sales Accountant", readonly=True, copy=False, tracking=True,
        help="The sales accountant who received the finance copy.",
    )
    copy_received_date = fields.Datetime(string="Finance Copy Handed Over On", readonly=True, copy=False)
    voided_by_id = fields.Many2one("res.users", string="Voided By", readonly=True, copy=False)
    voided_date = fields.Datetime(string="Voided On", readonly=True, copy=False)
    void_reason = fields.Text(tracking=True, copy=False)

    # per company: another company's receipts of a shared employer are not revealed by a refused number
    _employer_number_uniq = models.Constraint(
        "unique(company_id, employer_id, name)", "This employer's receipt number is already registered."
    )
    # relationship receipts have no employer: our company numbers them
    _company_number_uniq = models.UniqueIndex(
        "(company_id, name) WHERE relation_request_id IS NOT NULL", "This receipt number is already registered."
    )
    _contract_buyer_idx = models.Index("(contract_id, buyer_id) WHERE state = 'registered'")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("contract_id.company_id", "relation_request_id.company_id")
    def _compute_company_id(self):
        for receipt in self:
            receipt.company_id = receipt.contract_id.company_id or receipt.relation_request_id.company_id

    @api.depends("amount")
    def _compute_amount_in_words(self):
        for receipt in self:
            try:
                receipt.amount_in_words = amount_words.amount_in_capitals(receipt.amount or 0)
            except RuleError:
                receipt.amount_in_words = False

    def _compute_transferred_amount(self):
        totals = dict(
            self.env["kam.joint.allocation"].sudo()._read_group(
                [("receipt_id", "in", self.ids), ("reconciliation_id.state", "!=", "cancel")],
                ["receipt_id"],
                ["amount:sum"],
            )
        )
        for receipt in self:
            receipt.transferred_amount = totals.get(receipt, 0.0)

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("amount", "contract_id")
    def _check_amount(self):
        for receipt in self:
            if receipt.currency_id.compare_amounts(receipt.amount, 0) <= 0:
                raise ValidationError(self.env._("A receipt's amount must be positive."))

    @api.constrains("buyer_id", "contract_id", "relation_request_id")
    def _check_buyer(self):
        for receipt in self:
            if bool(receipt.contract_id) == bool(receipt.relation_request_id):
                raise ValidationError(
                    self.env._("A receipt pays either a buyer of a contract or a relationship request.")
                )
            if receipt.relation_request_id:
                if receipt.buyer_id:
                    raise ValidationError(self.env._("A relationship request's receipt names no contract buyer."))
                continue
            if not receipt.buyer_id:
                raise ValidationError(self.env._("Name the buyer who paid."))
            if receipt.buyer_id.contract_id != receipt.contract_id:
                raise ValidationError(
                    self.env._(
                        "%(buyer)s is not on the buyer list of contract %(contract)s.",
                        buyer=receipt.buyer_id.display_name,
                        contract=receipt.contract_id.display_name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name"):
                vals["name"] = vals["name"].strip()
        self._check_unique_numbers(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if "void_reason" in vals and not self.env.su and any(receipt.state == "void" for receipt in self):
            raise UserError(self.env._("The reason of a voided receipt is part of the record and cannot change."))
        if vals.get("name"):
            vals["name"] = vals["name"].strip()
        return super().write(vals)

    @api.model
    def _check_unique_numbers(self, vals_list):
        """Name the doubled number (the SQL constraint is the backstop)."""
        Contract = self.env["kam.housing.contract"].sudo()
        Request = self.env["kam.relation.request"].sudo()
        seen = set()
        for vals in vals_list:
            contract = Contract.browse(vals.get("contract_id"))
            employer = contract.partner_id
            if employer:
                domain = [("employer_id", "=", employer.id), ("company_id", "=", contract.company_id.id)]
                key = (employer.id, contract.company_id.id, vals.get("name"))
            else:  # a relationship receipt: our company's numbering
                company = Request.browse(vals.get("relation_request_id")).company_id
                employer = company.partner_id
                domain = [("relation_request_id", "!=", False), ("company_id", "=", company.id)]
                key = (False, company.id, vals.get("name"))
            if key in seen or self.sudo().search_count([*domain, ("name", "=", vals.get("name"))], limit=1):
                raise ValidationError(
                    self.env._(
                        "Receipt %(number)s of %(employer)s is already registered.",
                        number=vals.get("name"),
                        employer=employer.display_name,
                    )
                )
            seen.add(key)

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_register(self):
        for receipt in self:
            request = receipt.relation_request_id
            if request and request.state not in RECEIPT_REQUEST_STATES:
                raise UserError(
                    self.env._(
                        "Receipts are registered on an approved relationship request; %(request)s is not.",
                        request=request.display_name,
                    )
                )
            if not request and receipt.contract_id.state not in RECEIPT_CONTRACT_STATES:
                raise UserError(
                    self.env._(
                        "Receipts are registered on a signed, open contract; %(contract)s is not.",
                        contract=receipt.contract_id.display_name,
                    )
                )
        self._kam_check_may("action_register")
        self._kam_check_period_open()
        self._kam_move("action_register", {"registered_by_id": self.env.uid, "registered_date": fields.Datetime.now()})
        self._kam_on_registered()
        return True

    def action_void(self):
        for receipt in self:
            if not (receipt.void_reason or "").strip():
                raise UserError(
                    self.env._("Give the reason why receipt %(number)s is void.", number=receipt.display_name)
                )
        self._kam_check_may("action_void")
        self._kam_check_period_open()
        self._kam_check_voidable()
        self._kam_move("action_void", {"voided_by_id": self.env.uid, "voided_date": fields.Datetime.now()})
        return True

    def action_collect_finance_copy(self):
        """Key-account staff collected the finance copy from the employer's office."""
        if not any(self.env.user.has_group(group) for group in RECEIPT_STAFF):
            raise AccessError(
                self.env._("You are not allowed to do this on %(document)s.", document=self._kam_model_label())
            )
        for receipt in self:
            if receipt.state != "registered" or receipt.copy_collected_date:
                raise UserError(
                    self.env._(
                        "The finance copy of %(number)s can be collected once, after registration.",
                        number=receipt.display_name,
                    )
                )
        self._kam_action_write({"copy_collected_by_id": self.env.uid, "copy_collected_date": fields.Datetime.now()})
        return True

    def action_receive_finance_copy(self):
        """The sales accountant confirms receiving the finance copy (a second person: SEC3)."""
        if not self.env.user.has_group("kam_management.group_kam_finance"):
            raise UserError(self.env._("Only a finance accountant confirms receiving the finance copy."))
        for receipt in self:
            if receipt.state != "registered" or not receipt.copy_collected_date or receipt.copy_received_date:
                raise UserError(
                    self.env._(
                        "The finance copy of %(number)s must be collected, and is handed over once.",
                        number=receipt.display_name,
                    )
                )
        self._kam_check_four_eyes("copy_collected_by_id", "registered_by_id")
        self._kam_action_write({"copy_received_by_id": self.env.uid, "copy_received_date": fields.Datetime.now()})
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _kam_check_period_open(self):
        """AC4 (issue 18): a contract's receipt dated in a signed period of its joint account is neither
        registered nor voided: under the joint account's lock, as the sign-off reads them."""
        self.env["account.journal"]._kam_check_open(
            [
                (receipt.contract_id.joint_journal_id, receipt.date,
                 self.env._("Receipt %(number)s", number=receipt.name))
                for receipt in self.sudo().filtered("contract_id")
            ]
        )

    def _kam_check_voidable(self):
        """A receipt allocated in a submitted or signed reconciliation stays: that period is frozen. Draft
        reconciliations lose its allocations (they are matched again)."""
        allocations = self.env["kam.joint.allocation"].sudo().search([("receipt_id", "in", self.ids)])
        frozen = allocations.filtered(lambda a: a.reconciliation_id.state in ("submitted", "signed"))
        if frozen:
            raise UserError(
                self.env._(
                    "Receipt %(number)s is allocated in reconciliation %(reconciliation)s, which is submitted or "
                    "signed: it cannot be voided.",
                    number=frozen[0].receipt_id.display_name,
                    reconciliation=frozen[0].reconciliation_id.display_name,
                )
            )
        allocations.filtered(lambda a: a.reconciliation_id.state == "draft").unlink()

    def _kam_on_registered(self):
        """Hook: the selection desk issues the voucher once the registered receipts cover what is due."""

    @api.model
    def _kam_registered_totals(self, payers):
        """Registered receipt totals per payer — contract buyers or relationship requests:
        ``{payer_id: amount}`` (one aggregate query)."""
        field = "relation_request_id" if payers._name == "kam.relation.request" else "buyer_id"
        return {
            payer.id: amount
            for payer, amount in self.sudo()._read_group(
                [(field, "in", payers.ids), ("state", "=", "registered")], [field], ["amount:sum"]
            )
        }
