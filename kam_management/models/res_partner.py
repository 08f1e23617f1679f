from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_amount

from ..rules import credit
from .kam_tier import CREDIT_GRADE_SELECTION

# KA1 registration (申报注册): a prospect is registered and approved before it is developed.
KAM_REGISTRATION_STATE = [
    ("none", "Not Registered"),
    ("pending", "Registration Pending"),
    ("approved", "Registered"),
]
# Who may read the key-account profile of a partner (SEC1: not retail sales).
KAM_READ_GROUPS = (
    "kam_management.group_kam_user,kam_management.group_kam_audit,"
    "kam_management.group_kam_executive,kam_management.group_kam_finance"
)
# Written only by the flows (registration, review, late-payer job) or a key-account director.
KAM_DIRECTOR_FIELDS = {
    "kam_tier_id",
    "kam_score",
    "kam_credit_grade",
    "kam_payment_tier_id",
    "kam_manager_id",
    "kam_backup_manager_id",
    "kam_registration_state",
    "kam_registration_id",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    kam_registration_state = fields.Selection(
        KAM_REGISTRATION_STATE,
        string="Registration",
        default="none",
        copy=False,
        index=True,
        tracking=True,
        # no groups=: Odoo writes defaults of every field when anybody creates a partner
    )
    kam_registration_id = fields.Many2one(
        "kam.account.registration", string="Approved Registration", copy=False, groups=KAM_READ_GROUPS
    )
    kam_manager_id = fields.Many2one(
        "res.users", string="Key-Account Manager", copy=False, index="btree_not_null", tracking=True,
        groups=KAM_READ_GROUPS, help="Primary manager (主客户经理).",
    )
    kam_backup_manager_id = fields.Many2one(
        "res.users", string="Backup Manager", copy=False, index="btree_not_null", tracking=True,
        groups=KAM_READ_GROUPS, help="Backup manager (辅助客户经理).",
    )
    kam_team_id = fields.Many2one("crm.team", string="Key-Account Team", copy=False, groups=KAM_READ_GROUPS)
    kam_territory = fields.Char(string="Territory", copy=False, groups=KAM_READ_GROUPS, help="属地: where the account is developed and served.")
    kam_tier_id = fields.Many2one(
        "kam.tier", string="Tier", copy=False, index="btree_not_null", tracking=True, groups=KAM_READ_GROUPS
    )
    kam_tier_color = fields.Integer(related="kam_tier_id.color", groups=KAM_READ_GROUPS)
    kam_score = fields.Float(string="Score", digits=(5, 2), copy=False, tracking=True, groups=KAM_READ_GROUPS)
    kam_credit_grade = fields.Selection(
        CREDIT_GRADE_SELECTION, string="Credit Grade", copy=False, tracking=True, groups=KAM_READ_GROUPS
    )
    kam_payment_tier_id = fields.Many2one(
        "kam.tier", string="Payment-Term Level", copy=False, tracking=True, groups=KAM_READ_GROUPS,
        help="The tier whose payment term applies. It is the customer's tier unless late payments moved it down.",
    )
    kam_rating_ids = fields.One2many("kam.partner.rating", "partner_id", string="Manual Ratings", groups=KAM_READ_GROUPS)
    kam_history_ids = fields.One2many("kam.tier.history", "partner_id", string="Tier History", groups=KAM_READ_GROUPS)
    kam_credit_exception_ids = fields.One2many(
        "kam.credit.exception", "partner_id", string="Credit Exceptions", groups=KAM_READ_GROUPS
    )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    def write(self, vals):
        self._check_kam_director_fields(vals)
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_kam_director_fields(vals)
        return super().create(vals_list)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_kam_director_fields(self, vals):
        """Tiers, scores, managers and registration come from the flows (SEC1)."""
        # creating a user creates its partner with every default (_inherits): only real values count
        changed = {
            name for name in KAM_DIRECTOR_FIELDS & set(vals) if vals[name] and vals[name] != "none"
        } if not self else KAM_DIRECTOR_FIELDS & set(vals)
        if self.env.su or not changed:
            return
        if not self.env.user.has_group("kam_management.group_kam_manager"):
            raise AccessError(
                self.env._(
                    "Only a key-account director may change a customer's tier, score, managers or "
                    "registration directly; staff go through registration and tier reviews."
                )
            )

    def _kam_is_key_account(self):
        """Tier policies, credit blocks and price caps apply to customers with a tier only."""
        self.ensure_one()
        return bool(self.sudo().commercial_partner_id.kam_tier_id)

    def _kam_credit_exposure(self, company, exclude_amount=0.0):
        """Receivable + confirmed orders not invoiced yet, in the company currency (sudo)."""
        self.ensure_one()
        partner = self.sudo().with_company(company).commercial_partner_id
        partner.invalidate_recordset(["credit"])
        receivable = partner.credit
        orders = self.env["sale.order"].sudo().search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "sale"),
                ("partner_invoice_id.commercial_partner_id", "=", partner.id),
            ]
        )
        to_invoice = sum(
            order.currency_id._convert(order.amount_to_invoice, company.currency_id, company, fields.Date.context_today(self))
            for order in orders
        )
        return receivable + to_invoice - exclude_amount

    def _kam_check_no_deferral(self, payment_term, document):
        """Grade C is cash on delivery and D prepayment: no deferred payment term."""
        partner = self.sudo().commercial_partner_id
        grade = partner.kam_credit_grade
        if grade not in ("C", "D") or not payment_term:
            return
        if any(line.nb_days > 0 for line in payment_term.line_ids):
            raise UserError(
                self.env._(
                    "%(partner)s has credit grade %(grade)s (%(policy)s): %(document)s cannot use the deferred "
                    "payment term %(term)s.",
                    partner=partner.name,
                    grade=grade,
                    policy=self.env._("cash on delivery") if grade == "C" else self.env._("prepayment only"),
                    document=document,
                    term=payment_term.name,
                )
            )

    def _kam_check_credit_limit(self, company, amount, date, document, exclude_amount=0.0):
        """Refuse ``document`` when it takes the exposure over the limit plus approved exceptions."""
        partner = self.sudo().with_company(company).commercial_partner_id
        grade = partner.kam_credit_grade or partner.kam_tier_id.credit_grade
        exposure = partner._kam_credit_exposure(company, exclude_amount) + amount
        covered = self.env["kam.credit.exception"]._covered_amount(partner, company, date)
        over = credit.excess(exposure, partner.credit_limit, grade, covered, company.currency_id.rounding)
        if company.currency_id.is_zero(over):
            return
        limit = credit.effective_limit(partner.credit_limit, grade)
        raise UserError(
            self.env._(
                "%(document)s would bring what %(partner)s owes to %(exposure)s, %(excess)s over its credit "
                "limit of %(limit)s (grade %(grade)s, approved exceptions %(covered)s). Ask the finance "
                "director for a credit exception.",
                document=document,
                partner=partner.name,
                exposure=format_amount(self.env, exposure, company.currency_id),
                excess=format_amount(self.env, over, company.currency_id),
                limit=format_amount(self.env, limit, company.currency_id),
                grade=grade,
                covered=format_amount(self.env, covered, company.currency_id),
            )
        )
