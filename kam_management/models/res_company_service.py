from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..rules import service_report
from ..rules.errors import RuleError


class ResCompany(models.Model):
    """Key-account service settings of the company (KA7, KA8, KA10)."""

    _inherit = "res.company"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    kam_no_contact_days = fields.Integer(
        string="Flag Accounts Without Contact After (days)", default=90,
        help="The cadence job flags a key account nobody contacted for this many days; 0 switches the flag off.",
    )
    kam_complaint_leader_id = fields.Many2one(
        "res.users", string="Complaint Escalation Leader",
        help="The supervising leader who receives escalated complaints; without one, the key-account directors.",
    )
    kam_complaint_sla_basis = fields.Selection(
        [("clock", "Clock Hours"), ("working", "Working Time")], string="Complaint Deadlines In",
        required=True, default="clock",
        help="Clock hours: a complaint is answered within its hours of the clock, nights and holidays included "
        "(the seeds' \"within 24 hours\"). Working time: the hours count on the company's working calendar, "
        "without nights, weekends and public holidays, with the make-up working days.",
    )
    kam_general_manager_id = fields.Many2one(
        "res.users", string="General Manager", help="Receives the monthly key-account report."
    )
    kam_report_day = fields.Integer(
        string="Monthly Report Day", default=6,
        help="Day of the month on which the report of the previous month is sent (1–28).",
    )
    kam_report_last_month = fields.Date(
        string="Last Monthly Report Sent", readonly=True, help="First day of the last month whose report was sent."
    )

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("kam_report_day", "kam_no_contact_days")
    def _check_kam_service_settings(self):
        for company in self:
            try:
                service_report.check_send_day(company.kam_report_day)
            except RuleError as error:
                raise ValidationError(error.translated(self.env)) from None
            if company.kam_no_contact_days < 0:
                raise ValidationError(self.env._("The number of days without contact cannot be negative."))
