from odoo import api, fields, models, tools


class KamHousingReceiptLedger(models.Model):
    """The per-contract receipt ledger (AC1): one row per eligible buyer.

    ``received`` is summed by SQL from the registered receipts. ``due`` and
    ``ticket_returned`` come from the room-selection tickets, which the
    selection desk adds: it overrides ``_compute_due`` and
    ``_compute_ticket_returned`` (batched over ``self``). Without tickets,
    nothing is due and no ticket came back.
    """

    _name = "kam.housing.receipt.ledger"
    _description = "Receipt Ledger"
    _auto = False
    _order = "contract_id, buyer_id"
    _rec_name = "buyer_id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    contract_id = fields.Many2one("kam.housing.contract", readonly=True)
    buyer_id = fields.Many2one("kam.housing.buyer", string="Buyer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    receipt_count = fields.Integer(string="Receipts", readonly=True)
    received = fields.Monetary(string="Received", readonly=True, help="Registered receipts, voided ones excluded.")
    deposit_received = fields.Monetary(string="Of Which Reservation Deposit", readonly=True)
    last_receipt_date = fields.Date(readonly=True)
    due = fields.Monetary(compute="_compute_due", help="Ticket total × the buyer's payment ratio.")
    outstanding = fields.Monetary(compute="_compute_due", string="Still Due")
    ticket_returned = fields.Boolean(compute="_compute_ticket_returned", string="Ticket Returned")
    payment_deadline = fields.Date(readonly=True)
    days_overdue = fields.Integer(
        compute="_compute_due", string="Days Overdue", help="Days past the payment deadline with money still due."
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    def _compute_due(self):
        due_by_buyer = self._kam_due_by_buyer()
        today = fields.Date.context_today(self)
        for row in self:
            row.due = due_by_buyer.get(row.buyer_id.id, 0.0)
            row.outstanding = row.currency_id.round(row.due - row.received) if row.due else 0.0
            late = row.payment_deadline and row.currency_id.compare_amounts(row.outstanding, 0) > 0
            row.days_overdue = max((today - row.payment_deadline).days, 0) if late else 0

    def _compute_ticket_returned(self):
        returned = self._kam_returned_buyer_ids()
        for row in self:
            row.ticket_returned = row.buyer_id.id in returned

    def _kam_due_by_buyer(self):
        """Hook for the selection desk: ``{buyer_id: amount due}`` for the buyers of ``self``."""
        return {}

    def _kam_returned_buyer_ids(self):
        """Hook for the selection desk: ids of the buyers of ``self`` whose ticket came back."""
        return set()

    # ------------------------------------------------------------
    # SQL VIEW
    # ------------------------------------------------------------

    @api.model
    def _table_query_sql(self):
        return """
            SELECT buyer.id AS id,
                   buyer.contract_id AS contract_id,
                   buyer.id AS buyer_id,
                   contract.company_id AS company_id,
                   company.currency_id AS currency_id,
                   COUNT(receipt.id) AS receipt_count,
                   COALESCE(SUM(receipt.amount), 0) AS received,
                   COALESCE(SUM(receipt.amount) FILTER (WHERE receipt.kind = 'deposit'), 0) AS deposit_received,
                   MAX(receipt.date) AS last_receipt_date,
                   contract.payment_deadline AS payment_deadline
              FROM kam_housing_buyer buyer
              JOIN kam_housing_contract contract ON contract.id = buyer.contract_id
              JOIN res_company company ON company.id = contract.company_id
         LEFT JOIN kam_housing_receipt receipt ON receipt.buyer_id = buyer.id AND receipt.state = 'registered'
          GROUP BY buyer.id, buyer.contract_id, contract.company_id, company.currency_id, contract.payment_deadline
        """

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"CREATE OR REPLACE VIEW {self._table} AS ({self._table_query_sql()})")
