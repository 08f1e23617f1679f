from odoo import api, fields, models
from odoo.exceptions import UserError

from ..rules import prospect_ranking
from .kam_display_name import join_name

PROSPECT_STATE = [
    ("draft", "To Screen"),
    ("screened", "Screened"),
    ("selected", "Selected"),
    ("rejected", "Rejected"),
]
MODE_ACCEPTANCE = [
    ("low", "Hesitant"),
    ("medium", "Open to It"),
    ("high", "Keen"),
]
INCOME_LEVEL = [
    ("low", "Lower Income"),
    ("middle", "Middle Income"),
    ("high", "Higher Income"),
]
# States that count as "screened candidates on record" for HS4.
SCREENED_STATES = ("screened", "selected")
# What screening means (section 六): the analysis model is filled in, not only a name on a list.
SCREENING_FIELDS = ("first_contact_result", "mode_acceptance", "price_max", "payment_ratio", "expected_buyers")


class KamHousingProspect(models.Model):
    """A candidate employer for a commissioned-housing round (HS4).

    Holds the customer analysis model of section 六 of the regulation and is
    ranked by its selection principles (price, payment ratio, resource swap,
    owner-occupiers). A contract reaches negotiation only with enough
    screened candidates for its project round.
    """

    _name = "kam.housing.prospect"
    _description = "Housing Prospect"
    _inherit = ["kam.lifecycle.mixin", "mail.thread", "mail.activity.mixin"]
    _kam_transitions = {
        "action_screen": (("draft",), "screened", ("kam_management.group_kam_user",)),
        "action_select": (("screened",), "selected", ("kam_management.group_kam_user",)),
        "action_reject": (("draft", "screened"), "rejected", ("kam_management.group_kam_user",)),
        "action_reset": (("screened", "selected", "rejected"), "draft", ("kam_management.group_kam_user",)),
    }
    _kam_deletable_states = ("draft",)
    _order = "project_id, round, id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_id = fields.Many2one("res.partner", string="Employer", required=True, tracking=True, check_company=True)
    project_id = fields.Many2one(
        "kam.housing.project", required=True, ondelete="restrict", index=True, check_company=True
    )
    round = fields.Char(required=True, default="1", tracking=True, help="The project's sales round, e.g. 2026-1.")
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users", string="Key-Account Manager", default=lambda self: self.env.user, index=True  # record rules
    )
    state = fields.Selection(PROSPECT_STATE, required=True, default="draft", tracking=True)
    # the analysis model (客户分析模型)
    first_contact_result = fields.Text(string="First Contact Result")
    mode_acceptance = fields.Selection(MODE_ACCEPTANCE, string="Acceptance of Commissioned Building")
    past_purchases = fields.Text(string="Past Group Purchases", help="Location and price of earlier group purchases.")
    strengths = fields.Text(string="Our Project's Strengths")
    weaknesses = fields.Text(string="Our Project's Weaknesses")
    income_level = fields.Selection(INCOME_LEVEL, string="Participants' Income Level")
    housing_situation = fields.Text(string="Participants' Current Housing")
    price_min = fields.Monetary(string="Acceptable Price From (per m²)")
    price_max = fields.Monetary(string="Acceptable Price To (per m²)", tracking=True)
    payment_ratio = fields.Float(string="Payment Ratio Offered (%)", digits=(5, 2), tracking=True)
    resource_swap = fields.Boolean(string="Offers a Resource Swap", tracking=True)
    owner_occupier_ratio = fields.Float(string="Owner-Occupiers (%)", digits=(5, 2))
    expected_buyers = fields.Integer(string="Expected Buyers")
    rank = fields.Integer(compute="_compute_rank", help="1 is the best candidate of the round.")

    # HS4 counts screened prospects per project round
    _project_round_idx = models.Index("(project_id, round, state)")
    _partner_round_uniq = models.Constraint(
        "unique(project_id, round, partner_id)", "This employer is already a candidate of this project round."
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("project_id", "round", "state", "price_max", "payment_ratio", "resource_swap", "owner_occupier_ratio")
    def _compute_rank(self):
        self.rank = 0
        groups = {(p.project_id.id, p.round) for p in self if p.project_id}
        for project_id, round_ in groups:
            # the rank is within the whole round, whoever manages the other candidates
            siblings = self.sudo().search([("project_id", "=", project_id), ("round", "=", round_)])
            ranked_ids = prospect_ranking.rank(
                prospect_ranking.Candidate(
                    key=p.id,
                    max_price=p.price_max,
                    payment_ratio=p.payment_ratio,
                    resource_swap=p.resource_swap,
                    owner_occupier_ratio=p.owner_occupier_ratio,
                )
                for p in siblings
                if p.state != "rejected"
            )
            positions = {key: index for index, key in enumerate(ranked_ids, start=1)}
            for prospect in self.filtered(lambda p, pid=project_id, r=round_: p.project_id.id == pid and p.round == r):
                prospect.rank = positions.get(prospect.id, 0)

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_screen(self):
        for prospect in self:
            missing = [
                prospect._fields[name].get_description(self.env)["string"]
                for name in SCREENING_FIELDS
                if not prospect[name]
            ]
            if missing:
                raise UserError(
                    self.env._(
                        "%(prospect)s cannot be screened without its analysis: fill in %(fields)s.",
                        prospect=prospect.partner_id.display_name,
                        fields=", ".join(missing),
                    )
                )
        self._kam_move("action_screen")
        return True

    def action_select(self):
        self._kam_move("action_select")
        return True

    def action_reject(self):
        self._kam_move("action_reject")
        return True

    def action_reset(self):
        self._kam_move("action_reset")
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _count_screened(self, project, round_):
        return self.sudo().search_count(
            [("project_id", "=", project.id), ("round", "=", round_), ("state", "in", SCREENED_STATES)]
        )

    @api.depends("partner_id.name", "project_id.name", "round")
    def _compute_display_name(self):
        for record in self:
            record.display_name = join_name(record.partner_id.name, record.project_id.name, record.round)
