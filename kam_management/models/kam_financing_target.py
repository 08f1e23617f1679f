import datetime

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

TARGET_PERIOD = [
    ("year", "Annual"),
    ("quarter", "Quarterly"),
]
QUARTERS = [("1", "Q1"), ("2", "Q2"), ("3", "Q3"), ("4", "Q4")]


class KamFinancingTarget(models.Model):
    """Financing target (融资指标) that finance sets for a project (HS3).

    Finance issues the annual target in December and the quarterly ones at
    the start of each quarter; the key-account department may offer units to
    a contract only under a target that covers the allocation date.
    ``allocated_amount`` is the approved allocations' value in the period,
    ``collected_amount`` the money received for them (filled by the
    joint-account receipts, see ``_get_collected_amounts``).
    """

    _name = "kam.financing.target"
    _description = "Financing Target"
    _inherit = ["mail.thread"]
    _order = "date_from desc, period_type, id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(compute="_compute_name", store=True)
    project_id = fields.Many2one(
        "kam.housing.project", required=True, ondelete="restrict", index=True, check_company=True
    )
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    period_type = fields.Selection(TARGET_PERIOD, required=True, default="year", tracking=True)
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year, tracking=True)
    quarter = fields.Selection(QUARTERS, tracking=True)
    date_from = fields.Date(compute="_compute_dates", store=True)
    date_to = fields.Date(compute="_compute_dates", store=True)
    amount = fields.Monetary(string="Target Amount", required=True, tracking=True)
    allocated_amount = fields.Monetary(compute="_compute_progress", string="Allocated")
    collected_amount = fields.Monetary(compute="_compute_progress", string="Collected")
    allocated_percent = fields.Float(compute="_compute_progress", string="Allocated (%)")
    collected_percent = fields.Float(compute="_compute_progress", string="Collected (%)")
    note = fields.Text()

    # allocation checks search the targets of a project by date
    _project_dates_idx = models.Index("(project_id, date_from, date_to)")
    _period_uniq = models.UniqueIndex(
        "(project_id, year, period_type, COALESCE(quarter, '0'))",
        "A project has one target per year and one per quarter.",
    )
    _amount_positive = models.Constraint("CHECK(amount > 0)", "A financing target must be positive.")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("project_id.name", "period_type", "year", "quarter")
    def _compute_name(self):
        for target in self:
            period = f"{target.year}" if target.period_type == "year" else f"{target.year} Q{target.quarter or '?'}"
            target.name = f"{target.project_id.name or ''} {period}".strip()

    @api.depends("period_type", "year", "quarter")
    def _compute_dates(self):
        for target in self:
            if not target.year or (target.period_type == "quarter" and not target.quarter):
                target.date_from = target.date_to = False
                continue
            if target.period_type == "year":
                target.date_from = datetime.date(target.year, 1, 1)
                target.date_to = datetime.date(target.year, 12, 31)
            else:
                first_month = 3 * (int(target.quarter) - 1) + 1
                target.date_from = datetime.date(target.year, first_month, 1)
                next_start = (
                    datetime.date(target.year + 1, 1, 1)
                    if first_month == 10
                    else datetime.date(target.year, first_month + 3, 1)
                )
                target.date_to = next_start - datetime.timedelta(days=1)

    def _compute_progress(self):
        """Approved allocations' value per target period: one grouped query per project."""
        allocated = {}
        for project in self.project_id:
            targets = self.filtered(lambda t, p=project: t.project_id == p)
            if not targets:
                continue
            start = min(targets.mapped("date_from") or [fields.Date.today()])
            end = max(targets.mapped("date_to") or [fields.Date.today()])
            rows = self.env["kam.unit.allocation.line"].sudo()._read_group(
                [
                    ("allocation_id.project_id", "=", project.id),
                    ("allocation_id.state", "=", "approved"),
                    ("allocation_id.date", ">=", start),
                    ("allocation_id.date", "<=", end),
                ],
                ["allocation_date:day"],
                ["amount:sum"],
            )
            for target in targets:
                allocated[target.id] = sum(
                    amount
                    for day, amount in rows
                    if target.date_from and target.date_from <= day <= target.date_to
                )
        collected = self._get_collected_amounts()
        for target in self:
            target.allocated_amount = allocated.get(target.id, 0.0)
            target.collected_amount = collected.get(target.id, 0.0)
            target.allocated_percent = 100.0 * target.allocated_amount / target.amount if target.amount else 0.0
            target.collected_percent = 100.0 * target.collected_amount / target.amount if target.amount else 0.0

    @api.model
    def _collected_per_target_sql(self):
        """Collected money per target (AC5), as ``SELECT target_id, amount``: what reached the joint
        accounts of the project's contracts within the target's dates (credits of their bank statements;
        the employer's receipts are still the employer's money until transferred). The one source of
        the figure, for the targets and for the financing report's SQL view."""
        return SQL(
            """
            SELECT target.id AS target_id, COALESCE(SUM(line.amount), 0) AS amount
              FROM kam_financing_target target
              JOIN (SELECT DISTINCT project_id, joint_journal_id FROM kam_housing_contract
                     WHERE joint_journal_id IS NOT NULL AND state != 'cancel') contract
                ON contract.project_id = target.project_id
              JOIN account_move move
                ON move.journal_id = contract.joint_journal_id AND move.state = 'posted'
               AND move.date BETWEEN target.date_from AND target.date_to
              JOIN account_bank_statement_line line ON line.move_id = move.id AND line.amount > 0
          GROUP BY target.id
            """
        )

    def _get_collected_amounts(self):
        """Collected money per target id (see ``_collected_per_target_sql``). One query for all targets."""
        targets = self.filtered("id")
        if not targets:
            return {}
        self.env["account.bank.statement.line"].flush_model(["amount", "move_id"])
        self.env["account.move"].flush_model(["date", "state", "journal_id"])
        self.env["kam.housing.contract"].flush_model(["project_id", "joint_journal_id", "state"])
        self.flush_model(["project_id", "date_from", "date_to"])
        rows = self.env.execute_query(
            SQL(
                "SELECT collected.target_id, collected.amount FROM (%s) collected WHERE collected.target_id IN %s",
                self._collected_per_target_sql(),
                tuple(targets.ids),
            )
        )
        return {target_id: float(amount) for target_id, amount in rows}

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("period_type", "quarter", "year")
    def _check_period(self):
        for target in self:
            if target.period_type == "quarter" and not target.quarter:
                raise ValidationError(self.env._("A quarterly target needs its quarter."))
            if target.period_type == "year" and target.quarter:
                raise ValidationError(self.env._("An annual target has no quarter."))
            if not 2000 <= target.year <= 2100:
                raise ValidationError(self.env._("The year %(year)s is not plausible.", year=target.year))

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _find_covering(self, project, date):
        """Targets of ``project`` whose period contains ``date``."""
        return self.sudo().search(
            [("project_id", "=", project.id), ("date_from", "<=", date), ("date_to", ">=", date)]
        )
