from odoo import api, fields, models

from .kam_display_name import join_name, selection_label
from .kam_housing_buyer import BUYER_RELATION

RELATION_PRICE_POLICY = [
    ("contract", "Keep the Contract Price"),
    ("fee", "Charge the Rename Fee"),
]


class KamContractRelationTerm(models.Model):
    """A relation the contract allows to take over a unit, its accepted proofs and its price (HS14, 001:L306).

    "如果协议非要更名,必须在合同中非常清楚的列明允许哪种关系,我公司认可的证明是哪些,对各种关系执行的价格政策是
    什么": a rename to a relation is refused unless the contract lists it; it needs one of the listed proofs
    attached; it keeps the contract price or pays the rename fee, as the line says. The lines are terms of the
    contract: they change only while the contract does.
    """

    _name = "kam.contract.relation.term"
    _description = "Allowed Rename Relation"
    _inherit = ["kam.lifecycle.line.mixin"]
    _kam_document_field = "contract_id"
    _order = "contract_id, id"
    _check_company_auto = True

    contract_id = fields.Many2one(
        "kam.housing.contract", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    relation = fields.Selection(BUYER_RELATION, required=True)
    proof_kind_ids = fields.Many2many(
        "kam.relation.proof.kind", string="Accepted Proofs", required=True,
        help="A rename to this relation needs one of these proofs attached.",
    )
    price_policy = fields.Selection(RELATION_PRICE_POLICY, required=True, default="contract")

    _relation_contract_uniq = models.Constraint(
        "unique(contract_id, relation)", "A contract lists each relation once."
    )

    @api.depends("contract_id.name", "relation")
    def _compute_display_name(self):
        for term in self:
            term.display_name = join_name(term.contract_id.name, selection_label(term, "relation"))
