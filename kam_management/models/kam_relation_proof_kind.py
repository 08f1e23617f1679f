from odoo import fields, models


class KamRelationProofKind(models.Model):
    """A kind of proof of a relation the company accepts (结婚证, 户口簿, 出生医学证明, 亲属关系公证书 ...)."""

    _name = "kam.relation.proof.kind"
    _description = "Relation Proof Kind"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
