from odoo import api, fields, models
from odoo.exceptions import UserError

from .kam_display_name import join_name

SNAPSHOT_SOURCE = [
    ("bank_query", "Bank Balance Query"),
    ("bank_statement", "Bank Statement"),
    ("employer", "Employer's Statement"),
]


class KamJointBalanceSnapshot(models.Model):
    """The balance of the employer's special account on a date (AC2): monitored, never booked.

    Key accounts help finance query the employer's bank (seed §十(二)2);
    finance records what it saw. The three-way reconciliation compares the
    latest snapshot with receipts registered minus transfers received. A
    snapshot is evidence: it is not edited or deleted, a wrong one is
    superseded by a later one.
    """

    _name = "kam.joint.balance.snapshot"
    _description = "Employer Special-Account Balance"
    _order = "date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # no check_company: the company is the contract's (see kam.joint.reconciliation.contract_id)
    contract_id = fields.Many2one("kam.housing.contract", required=True, ondelete="restrict", index=True)
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    employer_account_id = fields.Many2one(related="contract_id.employer_account_id", string="Special Account")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    balance = fields.Monetary(required=True)
    source = fields.Selection(SNAPSHOT_SOURCE, required=True, default="bank_query")
    reference = fields.Char(help="Query slip or statement reference.")
    recorded_by_id = fields.Many2one(
        "res.users", string="Recorded By", required=True, readonly=True, default=lambda self: self.env.user
    )
    note = fields.Text()

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                vals["recorded_by_id"] = self.env.uid  # who recorded it is not for the client to say
        snapshots = super().create(vals_list)
        # AC4 (issue 18): a balance dated in a signed period would change what that period read
        self.env["account.journal"]._kam_check_open(
            [
                (snapshot.contract_id.joint_journal_id, snapshot.date,
                 self.env._("A balance of the employer's special account"))
                for snapshot in snapshots.sudo()
            ]
        )
        return snapshots

    def write(self, vals):
        if not self.env.su and set(vals) - {"note"}:
            raise UserError(self.env._("A recorded balance is evidence: record a new one instead of changing it."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_recorded(self):
        raise UserError(self.env._("A recorded balance is evidence and cannot be deleted."))

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _kam_balance_at(self, contract, date):
        """The latest snapshot of ``contract`` on or before ``date`` (empty if none)."""
        return self.sudo().search([("contract_id", "=", contract.id), ("date", "<=", date)], order="date desc, id desc", limit=1)

    @api.depends("contract_id.name", "date")
    def _compute_display_name(self):
        for record in self:
            record.display_name = join_name(record.contract_id.name, record.date)
