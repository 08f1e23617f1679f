from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..rules import cadence
from ..rules.errors import RuleError

KAM_CADENCE_PERIOD = [
    ("month", "Month"),
    ("quarter", "Quarter"),
    ("half_year", "Half Year"),
    ("year", "Year"),
]
# Who is responsible for the contact: the partner field holding that person (KA7).
KAM_CADENCE_ROLE = [
    ("manager", "Key-Account Manager"),
    ("executive", "Executive in Charge"),
    ("technical", "Technical Contact"),
    ("quality", "Quality Contact"),
]
KAM_CADENCE_ROLE_FIELD = {
    "manager": "kam_manager_id",
    "executive": "kam_executive_user_id",
    "technical": "kam_technical_user_id",
    "quality": "kam_quality_user_id",
}


class KamCadenceRule(models.Model):
    """At least ``min_count`` satisfying contacts per period with every account of a tier (KA7)."""

    _name = "kam.cadence.rule"
    _description = "Key-Account Service Cadence Rule"
    _order = "tier_id, sequence, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    tier_id = fields.Many2one("kam.tier", required=True, ondelete="cascade", index=True)
    scheme_id = fields.Many2one(related="tier_id.scheme_id", store=True)
    contact_kind_id = fields.Many2one(
        "kam.contact.kind", string="Contact Kind", required=True, help="The kind of contact the rule asks for."
    )
    kind_ids = fields.Many2many(
        "kam.contact.kind",
        "kam_cadence_rule_kind_rel",
        "rule_id",
        "kind_id",
        string="Satisfied By",
        help="Contact kinds that count for this rule (a phone call may count for a follow-up, not for a visit).",
    )
    min_count = fields.Integer(string="Minimum Contacts", default=1, required=True)
    period = fields.Selection(KAM_CADENCE_PERIOD, required=True, default="month")
    responsible_role = fields.Selection(
        KAM_CADENCE_ROLE,
        string="Responsible",
        required=True,
        default="manager",
        help="Who gets the reminder; the key-account manager when the account names nobody in that role.",
    )

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("min_count", "period", "kind_ids", "contact_kind_id")
    def _check_rule(self):
        for rule in self:
            try:
                cadence.check_min_count(rule.min_count)
            except RuleError as error:
                raise ValidationError(error.translated(self.env)) from None
            if rule.contact_kind_id not in rule.kind_ids:
                raise ValidationError(
                    self.env._(
                        "Cadence rule %(rule)s: its own contact kind %(kind)s must be among the kinds that satisfy it.",
                        rule=rule.name,
                        kind=rule.contact_kind_id.name,
                    )
                )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _responsible_user(self, partner):
        """The user in the rule's role on ``partner`` (sudo-read), else the partner's manager."""
        self.ensure_one()
        partner = partner.sudo()
        return partner[KAM_CADENCE_ROLE_FIELD[self.responsible_role]] or partner.kam_manager_id
