import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# HS11/HS12: each company numbers its own tickets and vouchers; vouchers without a gap
# ticket numbers may have gaps (a cancelled ticket keeps its number); the gapless voucher series is not an
# ir.sequence at all (kam.gapless.number): any internal user can advance an ir.sequence over RPC
KAM_DESK_SEQUENCES = {
    "kam.room.ticket": {"name": "Room-Selection Ticket", "prefix": "XP%(year)s-", "padding": 5},
}
VOUCHER_SERIES = "kam.room.voucher"


class ResCompany(models.Model):
    _inherit = "res.company"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # HS13: reminders some days before the selection and payment deadlines.
    kam_deadline_lead_days = fields.Integer(
        string="Deadline Reminder Lead (Days)",
        default=7,
        help="The contract's manager gets a to-do this many days before its selection and payment deadlines.",
    )
    # AC6: what the desk's rename and mortgage-conversion fees are invoiced with
    kam_rename_fee_product_id = fields.Many2one("product.product", string="Rename Fee Product")
    kam_mortgage_fee_product_id = fields.Many2one("product.product", string="Mortgage-Conversion Fee Product")
    kam_fee_journal_id = fields.Many2one(
        "account.journal", string="Fee Journal", domain="[('type', '=', 'sale')]",
        help="Sales journal of the desk's fee invoices, never the joint account.",
    )
    # HS4: how many screened candidates a housing round needs before negotiation.
    kam_min_screened_candidates = fields.Integer(
        string="Minimum Screened Candidates",
        default=3,
        help="A commissioned-housing contract can reach negotiation only with at least "
        "this many screened prospects on record for the project round.",
    )
    # HS7 pricing guards, in percent (and a factor for cost-plus pricing).
    kam_min_payment_ratio = fields.Float(
        string="Minimum Payment Ratio (%)",
        default=50.0,
        digits=(5, 2),
        help="Pricing proposals with a lower first-payment ratio are refused.",
    )
    kam_blind_price_min_ratio = fields.Float(
        string="Blind Price Floor (% of Market Reference)",
        default=80.0,
        digits=(5, 2),
        help="A blind average price below this share of the nearby market reference is refused.",
    )
    kam_cost_plus_min_factor = fields.Float(
        string="Cost-Plus Minimum Factor",
        default=1.30,
        digits=(4, 2),
        help="A cost-plus price below unit cost times this factor is refused.",
    )
    kam_swap_concession_max_ratio = fields.Float(
        string="Resource-Swap Concession Cap (% of Assessed Value)",
        default=70.0,
        digits=(5, 2),
        help="A resource-swap concession above this share of the assessed value is refused.",
    )
    # AC2: joint-account money is a customer advance, never revenue.
    kam_joint_account_liability_account_id = fields.Many2one(
        "account.account",
        string="Joint-Account Advance Account",
        check_company=True,
        domain="[('account_type', 'in', ('liability_current', 'liability_non_current'))]",
        help="Liability account that receives money arriving on joint (co-managed) accounts "
        "as customer advances or entrusted loans.",
    )
    # KA2: one tier scheme is in force per company; tier reviews start from it.
    kam_tier_scheme_id = fields.Many2one(
        "kam.tier.scheme",
        string="Key-Account Tier Scheme",
        default=lambda self: self.env.ref("kam_management.kam_tier_scheme_abcd", raise_if_not_found=False),
        help="The scheme in force: tier reviews propose its tiers.",
    )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._kam_create_desk_sequences()
        return companies

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains(
        "kam_min_screened_candidates",
        "kam_min_payment_ratio",
        "kam_blind_price_min_ratio",
        "kam_cost_plus_min_factor",
        "kam_swap_concession_max_ratio",
    )
    def _check_kam_housing_settings(self):
        for company in self:
            if company.kam_min_screened_candidates < 1:
                raise ValidationError(
                    self.env._("At least one screened candidate is required before negotiation.")
                )
            for field_name in (
                "kam_min_payment_ratio",
                "kam_blind_price_min_ratio",
                "kam_swap_concession_max_ratio",
            ):
                value = company[field_name]
                if not 0 < value <= 100:
                    raise ValidationError(
                        self.env._(
                            "%(setting)s must be above 0 %% and at most 100 %%; %(value)s was given.",
                            setting=company._fields[field_name].get_description(self.env)["string"],
                            value=value,
                        )
                    )
            if company.kam_cost_plus_min_factor < 1:
                raise ValidationError(
                    self.env._(
                        "The cost-plus minimum factor must be at least 1; %(value)s was given.",
                        value=company.kam_cost_plus_min_factor,
                    )
                )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _kam_tz(self):
        """The company's time zone, for the times on its documents: its address's, else its working hours'."""
        self.ensure_one()
        return self.partner_id.tz or self.resource_calendar_id.tz or "UTC"

    def _kam_joint_liability_account(self):
        """AC2: the entrusted-loan liability of joint-account money: the setting, else the Chinese chart's
        2241 其他应付款 (where 委托借款 from the employer is kept) when the company uses l10n_cn."""
        self.ensure_one()
        account = self.kam_joint_account_liability_account_id
        if not account and (self.chart_template or "").startswith("cn"):
            account = self.env["account.account"].with_company(self).search(
                [*self.env["account.account"]._check_company_domain(self), ("code", "=", "2241")], limit=1
            )
        if not account:
            raise UserError(
                self.env._(
                    "Choose the entrusted-loan liability account of joint accounts in the settings of %(company)s.",
                    company=self.display_name,
                )
            )
        return account

    def _kam_local_now(self):
        """Now in the company's time zone, for what it prints."""
        return pytz.utc.localize(fields.Datetime.now()).astimezone(pytz.timezone(self._kam_tz()))

    @api.model
    def _kam_install_desk_sequences(self):
        """Run by the module's data at install and update: every company gets its desk sequences, and the
        voucher ``ir.sequence`` of an older install is retired into the gapless series."""
        companies = self.with_context(active_test=False).search([])
        companies._kam_create_desk_sequences()
        companies._kam_retire_voucher_sequences()

    def _kam_retire_voucher_sequences(self):
        """The gapless voucher numbers of an older install lived in an ``ir.sequence`` (its own per company,
        else one shared): each company's series continues after the last number it issued, and the
        sequence is deleted, so that no one can advance it any more."""
        sequences = self.env["ir.sequence"].sudo().with_context(active_test=False).search([("code", "=", VOUCHER_SERIES)])
        Number = self.env["kam.gapless.number"].sudo()
        last = {sequence.company_id.id: sequence.number_next_actual - 1 for sequence in sequences}
        for company in self:
            if company.id in last or False in last:
                Number._kam_carry_over(company, VOUCHER_SERIES, last.get(company.id, last.get(False)))
        sequences.unlink()

    def _kam_create_desk_sequences(self):
        """HS11: the company's own ticket sequence. A sequence shared by all companies
        (an older install) hands its next number on, so no number is issued twice, and is archived."""
        Sequence = self.env["ir.sequence"].sudo().with_context(active_test=False)
        codes = list(KAM_DESK_SEQUENCES)
        existing = {
            (sequence.code, sequence.company_id.id)
            for sequence in Sequence.search([("code", "in", codes), ("company_id", "in", self.ids)])
        }
        shared = Sequence.search([("code", "in", codes), ("company_id", "=", False), ("active", "=", True)])
        next_numbers = {sequence.code: sequence.number_next_actual for sequence in shared}
        Sequence.create(
            [
                {**values, "code": code, "company_id": company.id, "number_next": next_numbers.get(code, 1)}
                for company in self
                for code, values in KAM_DESK_SEQUENCES.items()
                if (code, company.id) not in existing
            ]
        )
        shared.write({"active": False})

    def _kam_desk_sequence(self, code):
        """The company's own sequence of ``code`` (looked up by code and company, never another's)."""
        self.ensure_one()
        sequence = self.env["ir.sequence"].sudo().search([("code", "=", code), ("company_id", "=", self.id)], limit=1)
        if not sequence:
            raise UserError(
                self.env._(
                    "%(company)s has no %(code)s numbering: update the Key Account Management module to create it.",
                    company=self.display_name,
                    code=code,
                )
            )
        return sequence

    @api.model
    def _kam_load_demo_terms(self, overwrite=False):
        """Demo only (demo/*.xml, whose root context is Chinese).

        First call: the module's Chinese terms are loaded now (Odoo loads them only after the demo) and the
        transaction flushes in Chinese (savepoints flush in its default environment: the stored computed
        fields and the tracking values written then, e.g. a unit's status, would be English).
        Last call (``overwrite``): the demo records created in Chinese took their English names as their
        Chinese ones: the terms are put back over them, and the transaction flushes as before.
        """
        self.env.flush_all()
        self.env["ir.module.module"]._load_module_terms(["kam_management"], ["zh_CN"], overwrite=overwrite)
        # the terms are written in SQL: labels read before (records' cache, the 'stable' cache) are read again
        self.env.invalidate_all()
        self.env.registry.clear_cache("stable")
        lang = None if overwrite else "zh_CN"
        self.env.transaction.default_env = self.env(context=dict(self.env.context, lang=lang), su=True)
