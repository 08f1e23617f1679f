from odoo import api, fields, models

from .kam_display_name import join_name


class KamCollectionReminder(models.Model):
    """One reminder level given to one document (AC5): the proof it was sent, and the lock against a second."""

    _name = "kam.collection.reminder"
    _description = "Payment Reminder Sent"
    _order = "reminder_date desc, id desc"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    level_id = fields.Many2one("kam.collection.reminder.level", required=True, ondelete="cascade", index=True)
    res_model = fields.Char(string="Document Model", required=True)
    res_id = fields.Many2oneReference(string="Document", model_field="res_model", required=True)
    reminder_date = fields.Date(string="Sent On", required=True)

    _level_document_uniq = models.Constraint(
        "unique(level_id, res_model, res_id)", "A reminder level is sent once per document."
    )

    @api.depends("level_id.name", "reminder_date")
    def _compute_display_name(self):
        for record in self:
            record.display_name = join_name(record.level_id.name, record.reminder_date)
