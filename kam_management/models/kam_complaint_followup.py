from odoo import api, fields, models

from .kam_display_name import join_name


class KamComplaintFollowup(models.Model):
    """A follow-up note on a complaint, kept monthly until the customer confirms (KA8)."""

    _name = "kam.complaint.followup"
    _description = "Complaint Follow-Up Note"
    _inherit = ["kam.lifecycle.line.mixin"]
    _order = "date desc, id desc"
    _kam_document_field = "complaint_id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    complaint_id = fields.Many2one("kam.complaint", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    user_id = fields.Many2one("res.users", string="By", required=True, default=lambda self: self.env.user)
    note = fields.Text(required=True)

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        notes = super().create(vals_list)
        # a note is the follow-up: its reminder is done
        activity_type = self.env.ref("kam_management.mail_activity_type_kam_complaint_follow_up")
        notes.complaint_id.sudo().activity_ids.filtered(
            lambda activity: activity.activity_type_id == activity_type
        )._action_done()
        return notes

    @api.depends("complaint_id.name", "date")
    def _compute_display_name(self):
        for record in self:
            record.display_name = join_name(record.complaint_id.name, record.date)
