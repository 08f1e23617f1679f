from odoo import api, fields, models

from .kam_display_name import join_name


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
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        assignments = super().create(vals_list)
        # the department's responsible person gets the task, due on the department's own date
        for assignment in assignments.filtered("user_id"):
            assignment.complaint_id.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=assignment.due_date,
                user_id=assignment.user_id.id,
                summary=self.env._(
                    "%(department)s: %(task)s",
                    department=assignment.department_id.name,
                    task=assignment.task or assignment.complaint_id.name,
                ),
            )
        return assignments

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    def _compute_overdue(self):
        today = fields.Date.context_today(self)
        for assignment in self:
            assignment.overdue = not assignment.done and assignment.due_date and assignment.due_date < today

    @api.depends("complaint_id.name", "department_id.name")
    def _compute_display_name(self):
        for record in self:
            record.display_name = join_name(record.complaint_id.name, record.department_id.name)
