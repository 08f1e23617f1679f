from odoo import fields, models


class KamComplaintAssignment(models.Model):
    """A department assigned to a complaint, with its own due date (KA8)."""

    _name = "kam.complaint.assignment"
    _description = "Complaint Department Assignment"
    _inherit = ["kam.lifecycle.line.mixin"]
    _order = "due_date, id"
    _kam_document_field = "complaint_id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    complaint_id = fields.Many2one("kam.complaint", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    department_id = fields.Many2one("kam.department", string="Department", required=True)
    user_id = fields.Many2one("res.users", string="Responsible")
    due_date = fields.Date(required=True)
    task = fields.Text(string="Assigned Task")
    done = fields.Boolean()
    overdue = fields.Boolean(compute="_compute_overdue")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    def _compute_overdue(self):
        today = fields.Date.context_today(self)
        for assignment in self:
            assignment.overdue = not assignment.done and assignment.due_date and assignment.due_date < today
