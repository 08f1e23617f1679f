from odoo import fields, models


class KamContactKind(models.Model):
    """A kind of contact with a key account (on-site visit, phone call, executive meeting…) (KA7).

    Cadence rules name the kinds that satisfy them, so a phone call can count
    for the A-class quarterly follow-up but not for a strategic manager visit.
    """

    _name = "kam.contact.kind"
    _description = "Key-Account Contact Kind"
    _order = "sequence, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Technical code used by the presets.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    on_site = fields.Boolean(string="In Person", help="The contact happened face to face (visit or meeting).")

    _code_uniq = models.Constraint("unique(code)", "A contact kind code must be unique.")
