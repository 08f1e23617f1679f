"""Figures of the monthly key-account report and the quarterly credit report, in one query each (KA10).

What
    Per key account of a company: revenue of the month, of the previous
    month, year to date and the same period last year (untaxed, company
    currency, invoices less credit notes); receivable and overdue now;
    credit limit and the share of it in use; contacts logged in the month
    against the contacts the cadence rules expect in a month; complaints
    open at the month's end and how many of them are serious; new business
    (sale orders confirmed in the month, untaxed, company currency). The
    credit report adds grade, approved credit exceptions valid in the
    quarter and the late-payer downgrades of the quarter.

How it works
    One SQL statement with one grouped sub-query per source table
    (``account_move``, ``account_move_line``, ``kam_visit``,
    ``kam_cadence_rule``, ``kam_complaint``, ``sale_order``), LEFT JOINed to
    the accounts: the number of queries does not depend on the number of
    accounts. ``credit_limit`` is company dependent: it is read from its
    JSON column for the company.

How to use
    ``figures = ServiceFigures(env, company, month).monthly(partner_ids)``
    returns a list of dicts, one per account, ordered by tier then name;
    ``ServiceFigures(env, company, month).credit(partner_ids)`` likewise for
    the quarter of ``month``. ``ServiceFigures.accounts(env, company)`` gives
    the accounts a company reports on.

Caveat
    Receivable and overdue are the open amounts when the report is made, not
    at the month's end (Odoo keeps no history of residuals). Sale orders in
    a foreign currency count at the rate stored on the order.
"""

from odoo.tools import SQL

from ..rules import service_report
from ..rules.late_payment import quarter_bounds, quarter_of

OPEN_COMPLAINT_STATES = ["received", "handling", "follow_up"]


class ServiceFigures:
    def __init__(self, env, company, month):
        self.env = env
        self.company = company
        self.periods = service_report.report_periods(month)

    @staticmethod
    def accounts(env, company):
        """Registered key accounts with a tier of the company's scheme (every tier when it has none)."""
        domain = [("kam_tier_id", "!=", False), ("kam_registration_state", "=", "approved")]
        if company.kam_tier_scheme_id:
            domain.append(("kam_tier_id.scheme_id", "=", company.kam_tier_scheme_id.id))
        return env["res.partner"].sudo().search(domain)

    def _flush(self):
        for model in ("account.move", "account.move.line", "kam.visit", "kam.complaint", "sale.order", "res.partner"):
            self.env[model].flush_model()

    def monthly(self, partner_ids):
        self._flush()
        p = self.periods
        self.env.cr.execute(
            SQL(
                """
                WITH acc AS NOT MATERIALIZED (
                    SELECT p.id, p.name, p.kam_tier_id, t.sequence AS tier_sequence, t.code AS tier_code,
                           COALESCE((p.credit_limit ->> %(company_key)s)::numeric, 0) AS credit_limit
                      FROM res_partner p LEFT JOIN kam_tier t ON t.id = p.kam_tier_id
                     WHERE p.id = ANY(%(partners)s)
                ), inv AS (
                    SELECT m.commercial_partner_id AS pid,
                           SUM(m.amount_untaxed_signed) FILTER (WHERE m.invoice_date BETWEEN %(m0)s AND %(m1)s) AS month,
                           SUM(m.amount_untaxed_signed) FILTER (WHERE m.invoice_date BETWEEN %(pm0)s AND %(pm1)s) AS prev,
                           SUM(m.amount_untaxed_signed) FILTER (WHERE m.invoice_date BETWEEN %(y0)s AND %(y1)s) AS ytd,
                           SUM(m.amount_untaxed_signed) FILTER (WHERE m.invoice_date BETWEEN %(ly0)s AND %(ly1)s) AS last_ytd
                      FROM account_move m
                     WHERE m.company_id = %(company)s AND m.state = 'posted'
                       AND m.move_type IN ('out_invoice', 'out_refund')
                       AND m.invoice_date BETWEEN LEAST(%(ly0)s::date, %(pm0)s::date) AND %(m1)s
                       AND m.commercial_partner_id IN (SELECT id FROM acc)
                     GROUP BY m.commercial_partner_id
                ), ar AS (
                    SELECT m.commercial_partner_id AS pid,
                           SUM(l.amount_residual) AS receivable,
                           SUM(l.amount_residual) FILTER (WHERE l.date_maturity <= %(m1)s) AS overdue
                      FROM account_move_line l
                      JOIN account_move m ON m.id = l.move_id
                      JOIN account_account a ON a.id = l.account_id
                     WHERE l.company_id = %(company)s AND m.state = 'posted'
                       AND a.account_type = 'asset_receivable' AND NOT l.reconciled
                       AND m.commercial_partner_id IN (SELECT id FROM acc)
                     GROUP BY m.commercial_partner_id
                ), vis AS (
                    SELECT v.partner_id AS pid, COUNT(*) AS done
                      FROM kam_visit v
                     WHERE v.company_id = %(company)s AND v.date BETWEEN %(m0)s AND %(m1)s
                       AND v.partner_id IN (SELECT id FROM acc)
                     GROUP BY v.partner_id
                ), due AS (
                    SELECT acc.id AS pid,
                           SUM(r.min_count::numeric / CASE r.period WHEN 'month' THEN 1 WHEN 'quarter' THEN 3
                                                              WHEN 'half_year' THEN 6 ELSE 12 END) AS expected
                      FROM acc JOIN kam_cadence_rule r ON r.tier_id = acc.kam_tier_id AND r.active
                     GROUP BY acc.id
                ), cpl AS (
                    SELECT c.partner_id AS pid,
                           COUNT(*) AS open,
                           COUNT(*) FILTER (WHERE c.severity = 'serious') AS serious
                      FROM kam_complaint c
                     WHERE c.company_id = %(company)s
                       AND c.received_at < %(m1)s::date + 1
                       AND (c.state = ANY(%(open_states)s) OR c.closed_at >= %(m1)s::date + 1)
                       AND c.partner_id IN (SELECT id FROM acc)
                     GROUP BY c.partner_id
                ), so AS (
                    SELECT rp.commercial_partner_id AS pid,
                           SUM(s.amount_untaxed / COALESCE(NULLIF(s.currency_rate, 0), 1)) AS new_business
                      FROM sale_order s JOIN res_partner rp ON rp.id = s.partner_id
                     WHERE s.company_id = %(company)s AND s.state = 'sale'
                       AND s.date_order >= %(m0)s AND s.date_order < %(m1)s::date + 1
                       AND rp.commercial_partner_id IN (SELECT id FROM acc)
                     GROUP BY rp.commercial_partner_id
                )
                SELECT acc.id, acc.name, acc.tier_code,
                       COALESCE(inv.month, 0), COALESCE(inv.prev, 0), COALESCE(inv.ytd, 0), COALESCE(inv.last_ytd, 0),
                       COALESCE(ar.receivable, 0), COALESCE(ar.overdue, 0), acc.credit_limit,
                       COALESCE(vis.done, 0), COALESCE(due.expected, 0),
                       COALESCE(cpl.open, 0), COALESCE(cpl.serious, 0), COALESCE(so.new_business, 0)
                  FROM acc
                  LEFT JOIN inv ON inv.pid = acc.id
                  LEFT JOIN ar ON ar.pid = acc.id
                  LEFT JOIN vis ON vis.pid = acc.id
                  LEFT JOIN due ON due.pid = acc.id
                  LEFT JOIN cpl ON cpl.pid = acc.id
                  LEFT JOIN so ON so.pid = acc.id
                 ORDER BY acc.tier_sequence, acc.name, acc.id
                """,
                partners=list(partner_ids),
                company=self.company.id,
                company_key=str(self.company.id),
                m0=p.month[0], m1=p.month[1], pm0=p.previous_month[0], pm1=p.previous_month[1],
                y0=p.ytd[0], y1=p.ytd[1], ly0=p.last_year_ytd[0], ly1=p.last_year_ytd[1],
                open_states=OPEN_COMPLAINT_STATES,
            )
        )
        keys = ("partner_id", "name", "tier", "month", "previous_month", "ytd", "last_year_ytd", "receivable",
                "overdue", "credit_limit", "visits_done", "visits_expected", "complaints_open",
                "complaints_serious", "new_business")
        rows = []
        for values in self.env.cr.fetchall():
            row = dict(zip(keys, values, strict=True))
            for key in keys[3:]:
                row[key] = float(row[key])
            row["change_percent"] = service_report.change_percent(row["month"], row["previous_month"])
            row["credit_used_percent"] = (
                round(row["receivable"] / row["credit_limit"] * 100.0, 2) if row["credit_limit"] else None
            )
            rows.append(row)
        return rows

    def credit(self, partner_ids):
        self._flush()
        self.env["kam.credit.exception"].flush_model()
        self.env["kam.payment.downgrade"].flush_model()
        quarter = quarter_of(self.periods.month[0])
        q0, q1 = quarter_bounds(quarter)
        self.env.cr.execute(
            SQL(
                """
                WITH acc AS NOT MATERIALIZED (
                    SELECT p.id, p.name, t.code AS tier_code, t.sequence AS tier_sequence,
                           COALESCE((p.credit_limit ->> %(company_key)s)::numeric, 0) AS credit_limit,
                           COALESCE(p.kam_credit_grade, t.credit_grade) AS grade
                      FROM res_partner p LEFT JOIN kam_tier t ON t.id = p.kam_tier_id
                     WHERE p.id = ANY(%(partners)s)
                ), ar AS (
                    SELECT m.commercial_partner_id AS pid, SUM(l.amount_residual) AS receivable,
                           SUM(l.amount_residual) FILTER (WHERE l.date_maturity <= %(q1)s) AS overdue
                      FROM account_move_line l
                      JOIN account_move m ON m.id = l.move_id
                      JOIN account_account a ON a.id = l.account_id
                     WHERE l.company_id = %(company)s AND m.state = 'posted'
                       AND a.account_type = 'asset_receivable' AND NOT l.reconciled
                       AND m.commercial_partner_id IN (SELECT id FROM acc)
                     GROUP BY m.commercial_partner_id
                ), exc AS (
                    SELECT e.partner_id AS pid, COUNT(*) AS count, SUM(e.amount) AS amount
                      FROM kam_credit_exception e
                     WHERE e.company_id = %(company)s AND e.state = 'approved'
                       AND e.date_from <= %(q1)s AND e.date_to >= %(q0)s
                       AND e.partner_id IN (SELECT id FROM acc)
                     GROUP BY e.partner_id
                ), late AS (
                    SELECT d.partner_id AS pid, SUM(d.late_count) AS late_invoices
                      FROM kam_payment_downgrade d
                     WHERE d.company_id = %(company)s AND d.quarter = %(quarter)s
                       AND d.partner_id IN (SELECT id FROM acc)
                     GROUP BY d.partner_id
                )
                SELECT acc.id, acc.name, acc.tier_code, acc.grade, acc.credit_limit,
                       COALESCE(ar.receivable, 0), COALESCE(ar.overdue, 0),
                       COALESCE(exc.count, 0), COALESCE(exc.amount, 0), COALESCE(late.late_invoices, 0)
                  FROM acc
                  LEFT JOIN ar ON ar.pid = acc.id
                  LEFT JOIN exc ON exc.pid = acc.id
                  LEFT JOIN late ON late.pid = acc.id
                 ORDER BY acc.tier_sequence, acc.name, acc.id
                """,
                partners=list(partner_ids),
                company=self.company.id,
                company_key=str(self.company.id),
                q0=q0,
                q1=q1,
                quarter=quarter,
            )
        )
        keys = ("partner_id", "name", "tier", "grade", "credit_limit", "receivable", "overdue",
                "exception_count", "exception_amount", "late_invoices")
        rows = []
        for values in self.env.cr.fetchall():
            row = dict(zip(keys, values, strict=True))
            for key in ("credit_limit", "receivable", "overdue", "exception_amount"):
                row[key] = float(row[key])
            row["late_invoices"] = int(row["late_invoices"])
            rows.append(row)
        return quarter, rows
