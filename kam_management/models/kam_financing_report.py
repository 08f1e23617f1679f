from odoo import fields, models, tools
from odoo.tools import SQL

from .kam_financing_target import QUARTERS, TARGET_PERIOD


class KamFinancingReport(models.Model):
    """Financing targets against the approved allocations of their period (HS3), for pivot and graph.

    One row per target, read from a SQL view: the target amount and the value
    of the allocations approved in the target's period, so that Odoo's
    pivot sums and groups them (by project, year, quarter) without a query
    per target. The money collected is the targets' own figure (the joint
    accounts' transfers, ``kam.financing.target._collected_per_target_sql``).
    """

    _name = "kam.financing.report"
    _description = "Financing Target Report"
    _auto = False
    _order = "date_from desc, project_id"
    _rec_name = "target_id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    target_id = fields.Many2one("kam.financing.target", string="Financing Target", readonly=True)
    project_id = fields.Many2one("kam.housing.project", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    period_type = fields.Selection(TARGET_PERIOD, string="Period", readonly=True)
    year = fields.Integer(readonly=True, aggregator=None)
    quarter = fields.Selection(QUARTERS, readonly=True)
    date_from = fields.Date(readonly=True)
    date_to = fields.Date(readonly=True)
    target_amount = fields.Monetary(string="Target Amount", readonly=True)
    allocated_amount = fields.Monetary(string="Allocated", readonly=True)
    remaining_amount = fields.Monetary(string="Still to Allocate", readonly=True)
    allocation_count = fields.Integer(string="Allocated Units", readonly=True)
    collected_amount = fields.Monetary(string="Collected", readonly=True)

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %s AS (
                    SELECT t.id, t.id AS target_id, t.project_id, t.company_id, c.currency_id,
                           t.period_type, t.year, t.quarter, t.date_from, t.date_to,
                           t.amount AS target_amount,
                           COALESCE(a.amount, 0) AS allocated_amount,
                           t.amount - COALESCE(a.amount, 0) AS remaining_amount,
                           COALESCE(a.units, 0) AS allocation_count,
                           COALESCE(collected.amount, 0) AS collected_amount
                      FROM kam_financing_target t
                      JOIN res_company c ON c.id = t.company_id
                 LEFT JOIN LATERAL (
                               SELECT SUM(l.amount) AS amount, COUNT(l.id) AS units
                                 FROM kam_unit_allocation_line l
                                 JOIN kam_unit_allocation al ON al.id = l.allocation_id
                                WHERE al.project_id = t.project_id
                                  AND al.state = 'approved'
                                  AND l.allocation_date BETWEEN t.date_from AND t.date_to
                           ) a ON TRUE
                 LEFT JOIN (%s) collected ON collected.target_id = t.id
                )
                """,
                SQL.identifier(self._table),
                self.env["kam.financing.target"]._collected_per_target_sql(),
            )
        )
