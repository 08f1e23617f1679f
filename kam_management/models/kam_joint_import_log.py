from odoo import fields, models


class KamJointImportLog(models.Model):
    """One statement file imported on a joint account (AC3): what it created and skipped, and who imported it."""

    _name = "kam.joint.import.log"
    _description = "Joint-Account Statement Import"
    _order = "id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    journal_id = fields.Many2one("account.journal", required=True, readonly=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="journal_id.company_id", store=True, index=True)
    file_name = fields.Char(readonly=True)
    file_sha256 = fields.Char(string="File SHA-256", readonly=True, index=True)
    line_count = fields.Integer(string="Lines in File", readonly=True)
    created_count = fields.Integer(string="Lines Created", readonly=True)
    skipped_count = fields.Integer(string="Already Imported", readonly=True)
    statement_id = fields.Many2one("account.bank.statement", readonly=True)
    user_id = fields.Many2one("res.users", string="Imported By", required=True, readonly=True)
    date = fields.Datetime(string="Imported On", required=True, readonly=True)
