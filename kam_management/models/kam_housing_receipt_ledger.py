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
# a relationship request's ledger row is its id plus this (a buyer's row is the buyer's id): far above any buyer id,
# and the buyers' ids stay plain so that reading rows by id reaches the buyers' movements by their indexes
REQUEST_ID_OFFSET = 2**30


class KamHousingReceiptLedger(models.Model):
    """The receipt ledger and collections analysis (AC1, AC5): one row per payer — a buyer of a contract, or an
    approved relationship request (HS16, paid to us with no employer between).

    Every figure is a column of one SQL query, so the ledger is searched, grouped and pivoted like any table:
    due (the payer's live tickets: total × ratio), received (registered receipts), still due and its ageing
    against the payer's payment deadline (the contract's, or the request's) as of the user's today (amounts are
    stored rounded to the currency, so their differences compare exactly), and what the employer received but
    has not transferred to the joint account (receipts less their allocated transfers; relationship money is
    not entrusted, so none). The payers are one UNION ALL of buyers and requests; each payer's figures are one
    GROUP BY over its movements (itself, its live tickets, its registered receipts, their allocations), grouped by
    the keys the ORM filters on (contract and buyer, or request), so that a filter on a contract, a buyer, a
    request or a buyer row's id (the record rules' check of every page read) reaches each table through its index
    instead of summing the whole ledger. Ids: a buyer's row is the buyer's id, a request's its id +
    ``REQUEST_ID_OFFSET``.
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
    received = fields.Monetary(string="Amount Received", readonly=True, help="Registered receipts, voided ones excluded.")
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
                    -- the buyers of the contracts: one row per buyer, its figures summed over its movements
                    SELECT fig.buyer_id AS id,
                           fig.contract_id AS contract_id,
                           NULL::integer AS relation_request_id,
                           contract.partner_id AS partner_id,
                           contract.user_id AS user_id,
                           buyer.id AS buyer_id,
                           buyer.name AS payer_name,
                           contract.company_id AS company_id,
                           contract.payment_deadline AS payment_deadline,
                           fig.receipt_count, fig.received, fig.deposit_received, fig.last_receipt_date,
                           fig.due, fig.returned, fig.transferred
                      FROM (SELECT move.contract_id, move.buyer_id,
                                   COUNT(move.received) AS receipt_count, SUM(move.received) AS received,
                                   SUM(move.received) FILTER (WHERE move.kind = 'deposit') AS deposit_received,
                                   MAX(move.date) AS last_receipt_date, SUM(move.due) AS due,
                                   BOOL_OR(move.returned) AS returned, SUM(move.transferred) AS transferred
                              FROM (SELECT buyer.contract_id, buyer.id AS buyer_id,
                                           NULL::varchar AS kind, NULL::date AS date, NULL::numeric AS received,
                                           NULL::numeric AS due, NULL::boolean AS returned,
                                           NULL::numeric AS transferred
                                      FROM kam_housing_buyer buyer
                                 UNION ALL
                                    SELECT ticket.contract_id, ticket.buyer_id,
                                           NULL, NULL, NULL, ticket.amount_due, ticket.state = 'vouchered', NULL
                                      FROM kam_room_ticket ticket
                                     WHERE ticket.state IN %(live)s AND ticket.buyer_id IS NOT NULL
                                 UNION ALL
                                    SELECT receipt.contract_id, receipt.buyer_id,
                                           receipt.kind, receipt.date, receipt.amount, NULL, NULL, NULL
                                      FROM kam_housing_receipt receipt
                                     WHERE receipt.state = 'registered' AND receipt.buyer_id IS NOT NULL
                                 UNION ALL
                                    SELECT receipt.contract_id, receipt.buyer_id,
                                           NULL, NULL, NULL, NULL, NULL, allocation.amount
                                      FROM kam_joint_allocation allocation
                                      JOIN kam_joint_reconciliation reconciliation
                                        ON reconciliation.id = allocation.reconciliation_id
                                       AND reconciliation.state != 'cancel'
                                      JOIN kam_housing_receipt receipt
                                        ON receipt.id = allocation.receipt_id AND receipt.state = 'registered'
                                     WHERE receipt.buyer_id IS NOT NULL
                                   ) move
                          GROUP BY move.contract_id, move.buyer_id) fig
                      -- a movement filed on another contract than its buyer's is not the buyer's
                      JOIN kam_housing_buyer buyer ON buyer.id = fig.buyer_id AND buyer.contract_id = fig.contract_id
                      JOIN kam_housing_contract contract ON contract.id = fig.contract_id
                 UNION ALL
                    -- the approved relationship requests (HS16): paid to us, nothing entrusted
                    SELECT fig.relation_request_id + %(request_offset)s,
                           NULL::integer,
                           request.id,
                           NULL::integer,
                           request.requester_id,
                           NULL::integer,
                           request.buyer_name,
                           request.company_id,
                           request.payment_deadline,
                           fig.receipt_count, fig.received, fig.deposit_received, fig.last_receipt_date,
                           fig.due, fig.returned, NULL::numeric
                      FROM (SELECT move.relation_request_id,
                                   COUNT(move.received) AS receipt_count, SUM(move.received) AS received,
                                   SUM(move.received) FILTER (WHERE move.kind = 'deposit') AS deposit_received,
                                   MAX(move.date) AS last_receipt_date, SUM(move.due) AS due,
                                   BOOL_OR(move.returned) AS returned
                              FROM (SELECT request.id AS relation_request_id,
                                           NULL::varchar AS kind, NULL::date AS date, NULL::numeric AS received,
                                           NULL::numeric AS due, NULL::boolean AS returned
                                      FROM kam_relation_request request
                                     WHERE request.state IN %(request_states)s
                                 UNION ALL
                                    SELECT ticket.relation_request_id,
                                           NULL, NULL, NULL, ticket.amount_due, ticket.state = 'vouchered'
                                      FROM kam_room_ticket ticket
                                     WHERE ticket.state IN %(live)s AND ticket.basis = 'relation'
                                       AND ticket.relation_request_id IS NOT NULL
                                 UNION ALL
                                    SELECT receipt.relation_request_id,
                                           receipt.kind, receipt.date, receipt.amount, NULL, NULL
                                      FROM kam_housing_receipt receipt
                                     WHERE receipt.state = 'registered' AND receipt.relation_request_id IS NOT NULL
                                   ) move
                          GROUP BY move.relation_request_id) fig
                      JOIN kam_relation_request request
                        ON request.id = fig.relation_request_id AND request.state IN %(request_states)s
                   ) payer
              JOIN res_company company ON company.id = payer.company_id
         LEFT JOIN LATERAL (
                    SELECT CASE WHEN COALESCE(payer.due, 0) - COALESCE(payer.received, 0) > 0
                                 AND payer.payment_deadline < %(today)s::date
                                THEN %(today)s::date - payer.payment_deadline ELSE 0 END AS days) late ON TRUE
            """,
            live=LIVE_TICKET_STATES,
            request_states=LEDGER_REQUEST_STATES,
            request_offset=REQUEST_ID_OFFSET,
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
