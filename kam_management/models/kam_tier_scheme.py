from contextlib import contextmanager

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..rules import scorecard, tiering
from ..rules.errors import RuleError

# How a scheme proposes tiers in a review (KA2, KA4).
# cursor attribute: how many scheme saves are running (their lines are checked at the end of the save)
SCHEME_SAVING_ATTRIBUTE = "_kam_tier_scheme_saving"
TIER_SCHEME_METHOD = [
    ("threshold", "Thresholds"),
    ("forced", "Forced Distribution on Score"),
]
# The metric thresholds are read on.
TIER_SCHEME_BASIS = [
    ("revenue", "Yearly Revenue"),
    ("revenue_share", "Share of Company Revenue (%)"),
    ("purchases", "Yearly Purchases"),
    ("score", "Score"),
]


class KamTierScheme(models.Model):
    _name = "kam.tier.scheme"
    _description = "Key-Account Tier Scheme"
    _order = "sequence, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    method = fields.Selection(TIER_SCHEME_METHOD, required=True, default="threshold")
    basis = fields.Selection(
        TIER_SCHEME_BASIS,
        string="Threshold Basis",
        required=True,
        default="revenue",
        help="The yearly figure compared with the tiers' thresholds (threshold schemes only).",
    )
    tier_ids = fields.One2many("kam.tier", "scheme_id", string="Tiers", copy=True)
    criterion_ids = fields.One2many("kam.score.criterion", "scheme_id", string="Scorecard", copy=True)
    criteria_weight_total = fields.Float(compute="_compute_criteria_weight_total", string="Total Weight")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("criterion_ids.weight")
    def _compute_criteria_weight_total(self):
        for scheme in self:
            scheme.criteria_weight_total = sum(scheme.criterion_ids.mapped("weight"))

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("method", "basis")
    def _check_tiers(self):
        if self._kam_scheme_checks_deferred():
            return
        self._check_tiers_now()

    def _check_tiers_now(self):
        """Thresholds must not overlap and forced quotas must total 100 %."""
        for scheme in self:
            if not scheme.tier_ids:
                continue
            try:
                if scheme.method == "forced":
                    tiering.check_distribution(scheme._tier_specs())
                else:
                    tiering.check_thresholds(scheme._tier_specs())
            except RuleError as error:
                raise ValidationError(
                    self.env._("Tier scheme %(scheme)s: %(error)s", scheme=scheme.name, error=error.translated(self.env))
                ) from None

    @api.constrains("method")
    def _check_weights(self):
        if self._kam_scheme_checks_deferred():
            return
        for scheme in self:
            scheme._check_scorecard_weights()

    def _check_scorecard_weights(self):
        """Weights of a scheme's active criteria total 100 (when it has any)."""
        self.ensure_one()
        criteria = self.criterion_ids.filtered("active")
        if not criteria and self.method != "forced":
            return
        try:
            scorecard.check_weights(criteria.mapped("weight"))
        except RuleError as error:
            raise ValidationError(
                self.env._("Scorecard of %(scheme)s: %(error)s", scheme=self.name, error=error.translated(self.env))
            ) from None

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # criteria and tiers arrive line by line: check their totals once, at the end of this very call
        with self._kam_saving_scheme():
            schemes = super().create(vals_list)
        if not self._kam_scheme_checks_deferred():
            schemes._check_all()
        return schemes

    def write(self, vals):
        with self._kam_saving_scheme():
            result = super().write(vals)
        if not self._kam_scheme_checks_deferred() and {"tier_ids", "criterion_ids", "method", "basis", "active"} & set(vals):
            self._check_all()
        return result

    # ------------------------------------------------------------
    # DEFERRED CHECKS
    # ------------------------------------------------------------

    @contextmanager
    def _kam_saving_scheme(self):
        """While a scheme's own create/write runs, its lines' checks wait for the end of that call.

        The flag is an attribute of the request's cursor (not a context key, and not in the cursor's cache,
        which a rolled-back savepoint clears): nothing a client sends can set it.
        """
        cr = self.env.cr
        setattr(cr, SCHEME_SAVING_ATTRIBUTE, getattr(cr, SCHEME_SAVING_ATTRIBUTE, 0) + 1)
        try:
            yield
        finally:
            setattr(cr, SCHEME_SAVING_ATTRIBUTE, getattr(cr, SCHEME_SAVING_ATTRIBUTE) - 1)

    def _kam_scheme_checks_deferred(self):
        """True inside a scheme's save, and while the module's own data files load the presets line by line
        (as superuser, before the registry is ready; ``_check_presets`` checks them at the end of the file)."""
        return getattr(self.env.cr, SCHEME_SAVING_ATTRIBUTE, 0) > 0 or (self.env.su and not self.env.registry.ready)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_all(self):
        self._check_tiers_now()
        for scheme in self:
            scheme._check_scorecard_weights()

    def _tier_specs(self):
        """The tiers as plain values for rules/tiering, best first."""
        self.ensure_one()
        return [
            tiering.TierSpec(
                key=tier.id,
                name=tier.name,
                minimum=tier.min_value,
                maximum=tier.max_value or None,
                percent=tier.distribution_percent,
            )
            for tier in self.tier_ids.sorted(lambda t: (t.sequence, t.id))
        ]

    def _payment_levels(self):
        """Payment-term levels (KA6): the scheme's tiers that carry a payment term, best first."""
        self.ensure_one()
        return self.tier_ids.sorted(lambda t: (t.sequence, t.id)).filtered("payment_term_id")

    @api.model
    def _check_presets(self):
        """After loading presets line by line: check them, and give companies the A/B/C/D scheme."""
        self.search([])._check_all()
        default = self.env.ref("kam_management.kam_tier_scheme_abcd", raise_if_not_found=False)
        if default:
            self.env["res.company"].search([("kam_tier_scheme_id", "=", False)]).write({"kam_tier_scheme_id": default.id})
