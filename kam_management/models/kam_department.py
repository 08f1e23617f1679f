from odoo import fields, models


class KamDepartment(models.Model):
    """A company department that files relationship-housing requests (HS16).

    Kept here rather than depending on ``hr``: the rule only needs to know
    which department filed a request and whether it has an overdue one.
    """

    _name = "kam.department"
    _description = "Requesting Department"
    _order = "name"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    manager_id = fields.Many2one("res.users", string="Head of Department")
    # SEC1: staff read and file the relationship requests of their own department only
    member_ids = fields.Many2many(
        "res.users", "kam_department_member_rel", "department_id", "user_id", string="Members",
        help="Staff who file and follow this department's relationship-housing requests.",
    )

    _name_company_uniq = models.Constraint("unique(company_id, name)", "A department name must be unique.")
