from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.misc import format_amount

from ..rules import credit
from .kam_tier import CREDIT_GRADE_SELECTION

# KA1 registration (申报注册): a prospect is registered and approved before it is developed.
KAM_REGISTRATION_STATE = [
    ("none", "Not Registered"),
    ("pending", "Registration Pending"),
    ("approved", "Registration Approved"),
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
# The terms a tier sets (KA2, KA5): on a tiered customer only a key-account director changes them
# directly; the review, the late-payer job and approved restores write them under sudo().
KAM_TIERED_TERM_FIELDS = {
    "property_payment_term_id",
    "property_product_pricelist",
    "credit_limit",
    "use_partner_credit_limit",
}
# What a downgrade moved (KA6): restored only by approving the downgrade's restore, by nobody directly.
KAM_DOWNGRADED_FIELDS = {"property_payment_term_id", "kam_payment_tier_id"}


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
    kam_downgrade_ids = fields.One2many(
        "kam.payment.downgrade", "partner_id", string="Late-Payer Downgrades", groups=KAM_READ_GROUPS
    )
    # KA5 on the key-account page: computed for the whole recordset in two queries, never stored
    kam_credit_currency_id = fields.Many2one(
        "res.currency", compute="_compute_kam_credit", string="Credit Currency", groups=KAM_READ_GROUPS
    )
    kam_credit_limit = fields.Monetary(
        compute="_compute_kam_credit", currency_field="kam_credit_currency_id", string="Credit Limit (KA)",
        groups=KAM_READ_GROUPS, help="The partner credit limit after the grade's policy (D: prepayment only).",
    )
    kam_credit_exposure = fields.Monetary(
        compute="_compute_kam_credit", currency_field="kam_credit_currency_id", string="Credit Exposure",
        groups=KAM_READ_GROUPS, help="Receivable plus confirmed sale orders not invoiced yet.",
    )
    kam_credit_available = fields.Monetary(
        compute="_compute_kam_credit", currency_field="kam_credit_currency_id", string="Available Credit",
        groups=KAM_READ_GROUPS,
        help="Limit plus approved exceptions valid today, minus the exposure (0 when no limit is set).",
    )
    kam_credit_covered = fields.Monetary(
        compute="_compute_kam_credit", currency_field="kam_credit_currency_id", string="Approved Exceptions",
        groups=KAM_READ_GROUPS,
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends_context("company")
    def _compute_kam_credit(self):
        """Grouped: one exposure query and one exception read-group for every partner shown."""
        company = self.env.company
        commercial = self.sudo().commercial_partner_id
        exposures = self._kam_exposure_by_partner(company, commercial.ids)
        today = fields.Date.context_today(self)
        covered = {
            partner.id: amount
            for partner, amount in self.env["kam.credit.exception"].sudo()._read_group(
                [
                    ("partner_id", "in", commercial.ids),
                    ("company_id", "=", company.id),
                    ("state", "=", "approved"),
                    ("date_from", "<=", today),
                    ("date_to", ">=", today),
                ],
                ["partner_id"],
                ["amount:sum"],
            )
        }
        for partner in self:
            root = partner.sudo().with_company(company).commercial_partner_id
            grade = root.kam_credit_grade or root.kam_tier_id.credit_grade
            limit = credit.effective_limit(root.credit_limit, grade)
            partner.kam_credit_currency_id = company.currency_id
            partner.kam_credit_limit = limit
            partner.kam_credit_exposure = exposures.get(root.id, 0.0)
            partner.kam_credit_covered = covered.get(root.id, 0.0)
            # no limit and not prepayment-only: nothing is checked, so nothing is "available" either
            limited = grade == "D" or bool(limit)
            partner.kam_credit_available = (
                limit + partner.kam_credit_covered - partner.kam_credit_exposure if limited else 0.0
            )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    def write(self, vals):
        self._check_kam_tiered_terms(vals)
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

    def _check_kam_tiered_terms(self, vals):
        """KA2/KA5/KA6: the terms of a tiered customer come from its tier, not from the partner form.

        Checked on the commercial entity, so a contact of the account cannot carry other terms.
        """
        if self.env.su or not (KAM_TIERED_TERM_FIELDS | KAM_DOWNGRADED_FIELDS) & set(vals):
            return
        roots = self.sudo().commercial_partner_id
        downgraded = self.env["kam.payment.downgrade"].sudo().search_count(
            [("partner_id", "in", roots.ids), ("state", "=", "downgraded")], limit=1
        )
        if downgraded and KAM_DOWNGRADED_FIELDS & set(vals):
            raise AccessError(
                self.env._(
                    "This customer's payment terms were moved down for paying late: they come back only "
                    "when the restore of the downgrade is approved."
                )
            )
        tiered = roots.filtered("kam_tier_id")
        if tiered and KAM_TIERED_TERM_FIELDS & set(vals) and not self.env.user.has_group(
            "kam_management.group_kam_manager"
        ):
            raise AccessError(
                self.env._(
                    "%(partner)s is a %(tier)s key account: its payment term, pricelist and credit limit "
                    "come from its tier. Only a key-account director changes them.",
                    partner=tiered[0].name,
                    tier=tiered[0].kam_tier_id.display_name,
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
        return partner._kam_exposure_by_partner(company, partner.ids).get(partner.id, 0.0) - exclude_amount

    @api.model
    def _kam_exposure_by_partner(self, company, partner_ids):
        """{commercial partner id: receivable + to invoice} in the company currency, in two queries.

        The receivable is Odoo's ``credit`` (one grouped query for all). What confirmed orders
        still have to invoice is read from the stored ``untaxed_amount_to_invoice`` of their lines,
        grossed up by each order's stored tax ratio (``amount_total / amount_untaxed``), instead of
        recomputing ``amount_to_invoice`` of every confirmed order.
        """
        if not partner_ids:
            return {}
        partners = self.sudo().with_company(company).browse(partner_ids)
        partners.invalidate_recordset(["credit"])
        result = {partner.id: partner.credit for partner in partners}
        self.env["sale.order.line"].flush_model(["untaxed_amount_to_invoice", "order_id"])
        self.env["sale.order"].flush_model(
            ["state", "company_id", "partner_invoice_id", "currency_id", "amount_total", "amount_untaxed"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT ip.commercial_partner_id, o.currency_id,
                       SUM(l.untaxed_amount_to_invoice
                           * CASE WHEN o.amount_untaxed <> 0 THEN o.amount_total / o.amount_untaxed ELSE 1 END)
                  FROM sale_order o
                  JOIN res_partner ip ON ip.id = o.partner_invoice_id
                  JOIN sale_order_line l ON l.order_id = o.id
                 WHERE o.state = 'sale'
                   AND o.company_id = %(company)s
                   AND ip.commercial_partner_id IN %(partners)s
                   AND l.untaxed_amount_to_invoice > 0
                 GROUP BY ip.commercial_partner_id, o.currency_id
                """,
                company=company.id,
                partners=tuple(partner_ids),
            )
        )
        today = fields.Date.context_today(self)
        currencies = self.env["res.currency"].browse({currency_id for _p, currency_id, _a in rows})
        for partner_id, currency_id, amount in rows:
            currency = currencies.browse(currency_id)
            result[partner_id] += currency._convert(amount or 0.0, company.currency_id, company, today)
        return result

    def _kam_lock_credit(self):
        """Serialize the credit checks of one customer (KA5).

        Two confirmations for the same customer must not both read the exposure before the
        other's order counts. ``SELECT ... FOR UPDATE`` makes the second wait for the first; the
        no-op update then gives the row a new version, so under Odoo's REPEATABLE READ the waiting
        transaction fails with a serialization error (the RPC layer retries it on a fresh snapshot
        that includes the first order) instead of reading its stale exposure.
        """
        partner_ids = tuple(self.sudo().commercial_partner_id.ids)
        if not partner_ids:
            return
        # NO KEY: orders and invoices being created for the customer (foreign keys) are not blocked
        self.env.cr.execute("SELECT id FROM res_partner WHERE id IN %s FOR NO KEY UPDATE", (partner_ids,))
        self.env.cr.execute("UPDATE res_partner SET write_date = write_date WHERE id IN %s", (partner_ids,))

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
        partner._kam_lock_credit()
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
