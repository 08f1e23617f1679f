from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .kam_display_name import join_name


class KamHousingMarketPrice(models.Model):
    """The market price of another of our projects at the same construction stage (HS14, seed 001:L304).

    A rename against the fee charges fee % × (this price − the contract price): "我公司其他楼盘同进度市场价格".
    Finance records it for the project whose units are renamed, naming the reference project, which must be
    another of the company's projects at that project's construction stage. The desk picks nothing: a rename
    takes the latest record of its unit's project and is refused when the reference is no longer at the same
    stage. Records are never edited: a new price is a new record, so every fee can show what it was priced on.
    """

    _name = "kam.housing.market.price"
    _description = "Market Price of a Same-Stage Project"
    _order = "project_id, date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    project_id = fields.Many2one(
        "kam.housing.project", string="Priced For", required=True, index=True, check_company=True,
        help="The project whose renames are priced against this reference.",
    )
    reference_project_id = fields.Many2one(
        "kam.housing.project", string="Reference Project", required=True, check_company=True,
        help="Another of our projects at the same construction stage.",
    )
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    stage = fields.Selection(
        related="reference_project_id.stage", string="Reference Stage",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    price_per_m2 = fields.Monetary(string="Market Price (per m²)", required=True)
    note = fields.Char(string="Source", help="Where the price comes from: price list, listing, appraisal.")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("project_id.name", "reference_project_id.name", "date")
    def _compute_display_name(self):
        for price in self:
            price.display_name = join_name(price.project_id.name, price.reference_project_id.name, price.date)

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("project_id", "reference_project_id", "price_per_m2")
    def _check_reference(self):
        for price in self:
            if price.reference_project_id == price.project_id:
                raise ValidationError(self.env._("The reference price comes from another of our projects."))
            if price.reference_project_id.stage != price.project_id.stage:
                raise ValidationError(price._kam_stage_message())
            if price.currency_id.compare_amounts(price.price_per_m2, 0) <= 0:
                raise ValidationError(self.env._("A market price must be positive."))

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _kam_stage_message(self):
        self.ensure_one()
        stages = dict(self.project_id._fields["stage"]._description_selection(self.env))
        return self.env._(
            "%(reference)s is at the stage %(reference_stage)s, %(project)s at %(stage)s: the rename fee is priced "
            "on another of our projects at the same construction stage.",
            reference=self.reference_project_id.display_name,
            reference_stage=stages.get(self.reference_project_id.stage),
            project=self.project_id.display_name,
            stage=stages.get(self.project_id.stage),
        )

    @api.model
    def _kam_latest_for(self, project, date):
        """The latest price finance recorded for ``project`` on or before ``date``, checked against the stages."""
        return self.sudo().search([("project_id", "=", project.id), ("date", "<=", date)], limit=1)
