"""Yearly figures of every tier-review candidate, in one grouped query (KA4).

What
    Revenue (untaxed, company currency, invoices less credit notes),
    purchases (vendor bills less refunds), number of customer invoices,
    average days late and number of late invoices, per commercial partner,
    over posted documents of one company and one date range; plus the
    company's total customer revenue for the share of revenue.

How it works
    Two SQL statements, whatever the number of partners: one aggregate over
    ``account_move`` grouped by ``commercial_partner_id``, joined to the
    payment dates of the receivable lines (``account_partial_reconcile``),
    and one sum for the company total. An invoice is late by
    ``paid date − due date`` when fully reconciled, and by
    ``as-of date − due date`` when still open past its due date; invoices
    not yet due do not count. The index added on ``account_move`` in
    ``account_move.py`` serves the filter on company, state, type and date.

How to use
    Stage 1, build: ``metrics = TierMetrics(env, company, date_from, date_to)``;
    stage 2, query: ``figures = metrics.compute(partner_ids)`` returns
    ``{partner_id: PartnerFigures}`` for the given candidates (partners
    without documents get zeros); ``metrics.company_revenue`` is then set;
    stage 3, only when a scorecard scores margins:
    ``metrics.compute_margins(figures)`` adds ``margin_percent`` in one more
    grouped query over the invoices' product lines.

Caveat
    Amounts are in the company currency (``amount_untaxed_signed``); foreign
    currency invoices count at their booking rate. The margin values the
    products at their current cost (``standard_price`` of the company), the
    only cost Odoo keeps without stock valuation; lines without a product
    cost nothing.
"""

from dataclasses import dataclass

from odoo.tools import SQL

CUSTOMER_TYPES = ("out_invoice", "out_refund")
VENDOR_TYPES = ("in_invoice", "in_refund")


@dataclass
class PartnerFigures:
    revenue: float = 0.0
    purchases: float = 0.0
    invoice_count: int = 0
    avg_days_late: float = 0.0
    late_count: int = 0
    margin_percent: float = 0.0


class TierMetrics:
    def __init__(self, env, company, date_from, date_to, as_of=None):
        self.env = env
        self.company = company
        self.date_from = date_from
        self.date_to = date_to
        self.as_of = as_of or date_to
        self.company_revenue = 0.0

    def _query(self, partner_ids):
        return SQL(
            """
            WITH docs AS (
                SELECT m.id, m.commercial_partner_id AS partner_id, m.move_type,
                       m.amount_untaxed_signed AS amount, m.invoice_date_due
                  FROM account_move m
                 WHERE m.company_id = %(company)s
                   AND m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund', 'in_invoice', 'in_refund')
                   AND m.invoice_date BETWEEN %(date_from)s AND %(date_to)s
                   AND m.commercial_partner_id = ANY(%(partners)s)
            ), paid AS (
                SELECT l.move_id, MAX(p.max_date) AS paid_date, BOOL_AND(l.reconciled) AS reconciled
                  FROM account_move_line l
                  JOIN account_partial_reconcile p ON p.debit_move_id = l.id
                 WHERE l.move_id IN (SELECT id FROM docs WHERE move_type = 'out_invoice')
                   AND l.display_type = 'payment_term'
                 GROUP BY l.move_id
            ), late AS (
                SELECT docs.*,
                       CASE WHEN docs.move_type <> 'out_invoice' THEN NULL
                            WHEN paid.reconciled THEN GREATEST(paid.paid_date - docs.invoice_date_due, 0)
                            WHEN docs.invoice_date_due < %(as_of)s THEN %(as_of)s - docs.invoice_date_due
                       END AS days_late
                  FROM docs LEFT JOIN paid ON paid.move_id = docs.id
            )
            SELECT partner_id,
                   COALESCE(SUM(amount) FILTER (WHERE move_type IN ('out_invoice', 'out_refund')), 0),
                   COALESCE(-SUM(amount) FILTER (WHERE move_type IN ('in_invoice', 'in_refund')), 0),
                   COUNT(*) FILTER (WHERE move_type = 'out_invoice'),
                   COALESCE(AVG(days_late), 0),
                   COUNT(*) FILTER (WHERE days_late > 0)
              FROM late
             GROUP BY partner_id
            """,
            company=self.company.id,
            date_from=self.date_from,
            date_to=self.date_to,
            as_of=self.as_of,
            partners=list(partner_ids),
        )

    def _company_revenue_query(self):
        return SQL(
            """
            SELECT COALESCE(SUM(m.amount_untaxed_signed), 0)
              FROM account_move m
             WHERE m.company_id = %(company)s
               AND m.state = 'posted'
               AND m.move_type IN ('out_invoice', 'out_refund')
               AND m.invoice_date BETWEEN %(date_from)s AND %(date_to)s
            """,
            company=self.company.id,
            date_from=self.date_from,
            date_to=self.date_to,
        )

    def _margin_query(self, partner_ids):
        return SQL(
            """
            SELECT m.commercial_partner_id,
                   SUM(-l.balance),
                   SUM(l.quantity * COALESCE((pp.standard_price ->> %(company_key)s)::numeric, 0)
                       * CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END)
              FROM account_move m
              JOIN account_move_line l ON l.move_id = m.id AND l.display_type = 'product'
              LEFT JOIN product_product pp ON pp.id = l.product_id
             WHERE m.company_id = %(company)s
               AND m.state = 'posted'
               AND m.move_type IN ('out_invoice', 'out_refund')
               AND m.invoice_date BETWEEN %(date_from)s AND %(date_to)s
               AND m.commercial_partner_id = ANY(%(partners)s)
             GROUP BY m.commercial_partner_id
            """,
            company=self.company.id,
            company_key=str(self.company.id),
            date_from=self.date_from,
            date_to=self.date_to,
            partners=list(partner_ids),
        )

    def compute_margins(self, figures):
        """Set ``margin_percent`` on ``figures`` (gross margin of the invoiced lines, in %)."""
        for partner_id, revenue, cost in self.env.execute_query(self._margin_query(list(figures))):
            revenue, cost = float(revenue or 0), float(cost or 0)
            figures[partner_id].margin_percent = 100.0 * (revenue - cost) / revenue if revenue > 0 else 0.0
        return figures

    def compute(self, partner_ids):
        # posted moves may still sit in the ORM cache: the SQL must see them
        self.env.flush_all()
        figures = {partner_id: PartnerFigures() for partner_id in partner_ids}
        for partner_id, revenue, purchases, count, avg_late, late_count in self.env.execute_query(
            self._query(partner_ids)
        ):
            figures[partner_id] = PartnerFigures(
                float(revenue), float(purchases), count, float(avg_late), late_count
            )
        [(total,)] = self.env.execute_query(self._company_revenue_query())
        self.company_revenue = float(total)
        return figures
