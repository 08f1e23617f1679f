from odoo import api, fields, models
from odoo.tools import SQL

from .kam_housing_receipt_desk import LIVE_TICKET_STATES

AGEING = [
    ("no_ticket", "No Ticket Yet"),
    ("paid", "Paid"),
    ("not_due", "Not Due Yet"),
    ("1_30", "1–30 Days Late"),
    ("31_60", "31–60 Days Late"),
    ("61_90", "61–90 Days Late"),
    ("over_90", "Over 90 Days Late"),
]
# a relationship request owes money once approved (HS16); paid, it stays in the ledger with its receipts
LEDGER_REQUEST_STATES = ("approved", "paid")


class KamHousingReceiptLedger(models.Model):
    """The receipt ledger and collections analysis (AC1, AC5): one row per payer — a buyer of a contract, or an
    approved relationship request (HS16, paid to us with no employer between).

    Every figure is a column of one SQL query, so the ledger is searched, grouped and pivoted like any table:
    due (the payer's live tickets: total × ratio), received (registered receipts), still due and its ageing
    against the payer's payment deadline (the contract's, or the request's) as of the user's today (amounts are
    stored rounded to the currency, so their differences compare exactly), and what the employer received but
    has not transferred to the joint account (receipts less their allocated transfers; relationship money is
    not entrusted, so none). The payers' figures are one UNION ALL, and the buyers' sub-totals are grouped by
    (contract, buyer) so that a filter on the contract reaches them. Ids: a buyer's row is 2 × its id, a
    request's 2 × its id + 1.
    """

    _name = "kam.housing.receipt.ledger"
    _description = "Receipt Ledger"
    _auto = False
    _order = "contract_id, buyer_id, relation_request_id"
    _rec_name = "payer_name"
    _depends = {
        "kam.housing.buyer": ["contract_id", "name"],
        "kam.housing.contract": ["company_id", "partner_id", "user_id", "payment_deadline"],
        "kam.relation.request": ["company_id", "requester_id", "payment_deadline", "buyer_name", "state"],
        "kam.housing.receipt": [
            "amount", "kind", "date", "state", "buyer_id", "contract_id", "relation_request_id",
        ],
        "kam.room.ticket": ["amount_due", "state", "buyer_id", "contract_id", "basis", "relation_request_id"],
        "kam.joint.allocation": ["amount", "receipt_id", "reconciliation_id"],
        "kam.joint.reconciliation": ["state"],
    }

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    contract_id = fields.Many2one("kam.housing.contract", readonly=True)
    relation_request_id = fields.Many2one("kam.relation.request", string="Relationship Request", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Employer", readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Key-Account Manager", readonly=True,
        help="The contract's key-account manager, or who filed the relationship request.",
    )
    buyer_id = fields.Many2one("kam.housing.buyer", string="Buyer", readonly=True)
    payer_name = fields.Char(string="Payer", readonly=True, help="The buyer, or the relationship request's buyer.")
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    receipt_count = fields.Integer(string="Receipts", readonly=True)
    due = fields.Monetary(readonly=True, help="Ticket total × the buyer's payment ratio (live tickets).")
    received = fields.Monetary(string="Received", readonly=True, help="Registered receipts, voided ones excluded.")
    deposit_received = fields.Monetary(string="Of Which Reservation Deposit", readonly=True)
    outstanding = fields.Monetary(string="Still Due", readonly=True, help="Due less received; negative when overpaid.")
    arrears = fields.Monetary(readonly=True, help="What is still due once the payment deadline has passed.")
    transferred = fields.Monetary(
        string="Transferred", readonly=True, help="Receipts the employer has transferred to the joint account."
    )
    not_transferred = fields.Monetary(
        string="Received, Not Transferred", readonly=True,
        help="Registered receipts the employer still holds: not yet allocated to a joint-account transfer.",
    )
    last_receipt_date = fields.Date(readonly=True)
    payment_deadline = fields.Date(readonly=True)
    days_overdue = fields.Integer(
        string="Days Overdue", readonly=True, help="Days past the payment deadline with money still due.",
        aggregator="max",
    )
    ageing = fields.Selection(AGEING, readonly=True, help="Where the buyer's money stands against the deadline.")
    ticket_returned = fields.Boolean(string="Ticket Returned", readonly=True)

    # ------------------------------------------------------------
    # SQL VIEW
    # ------------------------------------------------------------

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        return SQL(
            """
            SELECT payer.id AS id,
                   payer.contract_id AS contract_id,
                   payer.relation_request_id AS relation_request_id,
                   payer.partner_id AS partner_id,
                   payer.user_id AS user_id,
                   payer.buyer_id AS buyer_id,
                   payer.payer_name AS payer_name,
                   payer.company_id AS company_id,
                   company.currency_id AS currency_id,
                   COALESCE(payer.receipt_count, 0) AS receipt_count,
                   COALESCE(payer.due, 0) AS due,
                   COALESCE(payer.received, 0) AS received,
                   COALESCE(payer.deposit_received, 0) AS deposit_received,
                   CASE WHEN payer.due IS NULL THEN 0 ELSE payer.due - COALESCE(payer.received, 0) END AS outstanding,
                   CASE WHEN late.days > 0 THEN payer.due - COALESCE(payer.received, 0) ELSE 0 END AS arrears,
                   COALESCE(payer.transferred, 0) AS transferred,
                   CASE WHEN payer.contract_id IS NULL THEN 0
                        ELSE COALESCE(payer.received, 0) - COALESCE(payer.transferred, 0) END AS not_transferred,
                   payer.last_receipt_date AS last_receipt_date,
                   payer.payment_deadline AS payment_deadline,
                   COALESCE(late.days, 0) AS days_overdue,
                   CASE WHEN payer.due IS NULL THEN 'no_ticket'
                        WHEN payer.due - COALESCE(payer.received, 0) <= 0 THEN 'paid'
                        WHEN COALESCE(late.days, 0) = 0 THEN 'not_due'
                        WHEN late.days <= 30 THEN '1_30'
                        WHEN late.days <= 60 THEN '31_60'
                        WHEN late.days <= 90 THEN '61_90'
                        ELSE 'over_90' END AS ageing,
                   COALESCE(payer.returned, FALSE) AS ticket_returned
              FROM (
                    -- the buyers of the contracts
                    SELECT buyer.id * 2 AS id,
                           buyer.contract_id AS contract_id,
                           NULL::integer AS relation_request_id,
                           contract.partner_id AS partner_id,
                           contract.user_id AS user_id,
                           buyer.id AS buyer_id,
                           buyer.name AS payer_name,
                           contract.company_id AS company_id,
                           contract.payment_deadline AS payment_deadline,
                           rec.receipt_count, rec.received, rec.deposit_received, rec.last_receipt_date,
                           tk.due, tk.returned, tr.transferred
                      FROM kam_housing_buyer buyer
                      JOIN kam_housing_contract contract ON contract.id = buyer.contract_id
                 LEFT JOIN (SELECT contract_id, buyer_id, COUNT(*) AS receipt_count, SUM(amount) AS received,
                                   SUM(amount) FILTER (WHERE kind = 'deposit') AS deposit_received,
                                   MAX(date) AS last_receipt_date
                              FROM kam_housing_receipt
                             WHERE state = 'registered'
                          GROUP BY contract_id, buyer_id) rec
                        ON rec.contract_id = buyer.contract_id AND rec.buyer_id = buyer.id
                 LEFT JOIN (SELECT contract_id, buyer_id, SUM(amount_due) AS due,
                                   BOOL_OR(state = 'vouchered') AS returned
                              FROM kam_room_ticket
                             WHERE state IN %(live)s
                          GROUP BY contract_id, buyer_id) tk
                        ON tk.contract_id = buyer.contract_id AND tk.buyer_id = buyer.id
                 LEFT JOIN (SELECT receipt.contract_id, receipt.buyer_id, SUM(allocation.amount) AS transferred
                              FROM kam_joint_allocation allocation
                              JOIN kam_joint_reconciliation reconciliation
                                ON reconciliation.id = allocation.reconciliation_id
                               AND reconciliation.state != 'cancel'
                              JOIN kam_housing_receipt receipt
                                ON receipt.id = allocation.receipt_id AND receipt.state = 'registered'
                          GROUP BY receipt.contract_id, receipt.buyer_id) tr
                        ON tr.contract_id = buyer.contract_id AND tr.buyer_id = buyer.id
                 UNION ALL
                    -- the approved relationship requests (HS16): paid to us, nothing entrusted
                    SELECT request.id * 2 + 1,
                           NULL::integer,
                           request.id,
                           NULL::integer,
                           request.requester_id,
                           NULL::integer,
                           request.buyer_name,
                           request.company_id,
                           request.payment_deadline,
                           rec.receipt_count, rec.received, rec.deposit_received, rec.last_receipt_date,
                           tk.due, tk.returned, NULL::numeric
                      FROM kam_relation_request request
                 LEFT JOIN (SELECT relation_request_id, COUNT(*) AS receipt_count, SUM(amount) AS received,
                                   SUM(amount) FILTER (WHERE kind = 'deposit') AS deposit_received,
                                   MAX(date) AS last_receipt_date
                              FROM kam_housing_receipt
                             WHERE state = 'registered' AND relation_request_id IS NOT NULL
                          GROUP BY relation_request_id) rec
                        ON rec.relation_request_id = request.id
                 LEFT JOIN (SELECT relation_request_id, SUM(amount_due) AS due,
                                   BOOL_OR(state = 'vouchered') AS returned
                              FROM kam_room_ticket
                             WHERE state IN %(live)s AND basis = 'relation'
                          GROUP BY relation_request_id) tk
                        ON tk.relation_request_id = request.id
                     WHERE request.state IN %(request_states)s
                   ) payer
              JOIN res_company company ON company.id = payer.company_id
         LEFT JOIN LATERAL (
                    SELECT CASE WHEN COALESCE(payer.due, 0) - COALESCE(payer.received, 0) > 0
                                 AND payer.payment_deadline < %(today)s::date
                                THEN %(today)s::date - payer.payment_deadline ELSE 0 END AS days) late ON TRUE
            """,
            live=LIVE_TICKET_STATES,
            request_states=LEDGER_REQUEST_STATES,
            today=today,
        )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _kam_document_figures(self, document):
        """Due, received, still due and received-not-transferred of a contract (its buyers) or a relationship
        request, as the ledger has them: the figures a payment reminder quotes."""
        field = "relation_request_id" if document._name == "kam.relation.request" else "contract_id"
        [(due, received, outstanding, not_transferred)] = self.sudo()._read_group(
            [(field, "=", document.id)], [], ["due:sum", "received:sum", "outstanding:sum", "not_transferred:sum"]
        )
        return {"due": due, "received": received, "outstanding": outstanding, "not_transferred": not_transferred}
