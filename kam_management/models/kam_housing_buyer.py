from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..rules import cn_id
from ..rules.errors import RuleError

BUYER_RELATION = [
    ("employee", "Employee"),
    ("spouse", "Spouse"),
    ("parent", "Parent"),
    ("child", "Child"),
    ("other", "Other Allowed Relation"),
]
# SPEC SEC1: retail sales (and cost) never read buyer ID numbers.
ID_NUMBER_GROUPS = (
    "kam_management.group_kam_user,kam_management.group_kam_finance,"
    "kam_management.group_kam_audit,kam_management.group_kam_executive"
)


class KamHousingBuyer(models.Model):
    """An eligible buyer on a contract's verified list (HS9).

    The employer supplies the list with proof of employment; the resident ID
    number is checksum-validated and unique per contract. Audit/legal,
    finance and the lawyer sign the list off on the contract; from then on
    the list is locked. The selection desk matches tickets against it by
    name and ID number.
    """

    _name = "kam.housing.buyer"
    _description = "Eligible Buyer"
    _order = "contract_id, sequence, id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    contract_id = fields.Many2one(
        "kam.housing.contract", required=True, ondelete="restrict", index=True, check_company=True
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    id_number = fields.Char(string="Resident ID Number", required=True, groups=ID_NUMBER_GROUPS, copy=False)
    relation = fields.Selection(BUYER_RELATION, required=True, default="employee")
    employee_name = fields.Char(string="Employee", help="The employee a relative buys through.")
    employee_proof = fields.Char(string="Employee Proof", help="Reference of the employer's proof of employment.")
    phone = fields.Char()
    verified = fields.Boolean(related="contract_id.buyers_verified", string="Verified")

    # the selection desk looks buyers up by contract and ID
    _id_contract_uniq = models.Constraint(
        "unique(contract_id, id_number)", "This resident ID number is already on the contract's buyer list."
    )

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("id_number")
    def _check_id_number(self):
        for buyer in self.sudo():
            try:
                cn_id.normalize_resident_id(buyer.id_number)
            except RuleError as error:
                raise ValidationError(error.translated(self.env)) from None

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.update(self._normalize_vals(vals))
        contracts = self.env["kam.housing.contract"].browse({vals.get("contract_id") for vals in vals_list})
        contracts._check_buyer_list_open()
        self._check_unique_ids([(vals.get("contract_id"), vals.get("id_number")) for vals in vals_list])
        return super().create(vals_list)

    def write(self, vals):
        self.contract_id._check_buyer_list_open()
        if "contract_id" in vals:
            self.env["kam.housing.contract"].browse(vals["contract_id"])._check_buyer_list_open()
        vals = self._normalize_vals(vals)
        if "id_number" in vals or "contract_id" in vals:
            self._check_unique_ids(
                [(vals.get("contract_id", b.contract_id.id), vals.get("id_number", b.sudo().id_number)) for b in self],
                exclude=self.ids,
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_verified(self):
        self.contract_id._check_buyer_list_open()

    @api.model
    def _check_unique_ids(self, pairs, exclude=None):
        """Refuse an ID number twice on one contract, naming it (the SQL constraint is the backstop)."""
        seen = set()
        for contract_id, number in pairs:
            if (contract_id, number) in seen or self.sudo().search_count(
                [("contract_id", "=", contract_id), ("id_number", "=", number), ("id", "not in", exclude or [])],
                limit=1,
            ):
                raise ValidationError(
                    self.env._("The resident ID number %(number)s is already on the contract's buyer list.", number=number)
                )
            seen.add((contract_id, number))

    @api.model
    def _normalize_vals(self, vals):
        vals = dict(vals)
        if vals.get("id_number"):
            try:
                vals["id_number"] = cn_id.normalize_resident_id(vals["id_number"])
            except RuleError as error:
                raise ValidationError(error.translated(self.env)) from None
        if vals.get("name"):
            vals["name"] = vals["name"].strip()
        return vals

