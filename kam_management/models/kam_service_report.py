import base64

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..rules import service_report
from .kam_service_figures import ServiceFigures


class KamServiceReport(models.TransientModel):
    """The monthly key-account report and the quarterly credit report, printed on demand or sent (KA10).

    The XLSX files are ``report_xlsx`` reports on this model; the daily job
    ``_cron_send_reports`` renders them on the company's report day and mails
    them to the general manager, the executives and the key-account
    directors.
    """

    _name = "kam.service.report"
    _description = "Key-Account Monthly Report"
    _rec_name = "month"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    month = fields.Date(
        required=True,
        default=lambda self: service_report.first_day(fields.Date.subtract(fields.Date.context_today(self), months=1)),
        help="Any day of the month to report on.",
    )

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_print_monthly(self):
        return self._kam_print_action("kam_management.action_report_kam_monthly_xlsx")

    def action_print_credit(self):
        return self._kam_print_action("kam_management.action_report_kam_credit_xlsx")

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _kam_print_action(self, xml_id):
        """The download names the company and the month, not this wizard: the download is read-only (a read
        replica serves it, see controllers/report.py), and a replica may not have the wizard yet."""
        self.ensure_one()
        return self.env.ref(xml_id).report_action(
            None, data={"kam_company_id": self.company_id.id, "kam_month": fields.Date.to_string(self.month)}
        )

    @api.model
    def _kam_from_options(self, data):
        """An unsaved report of the company and month a download names, for a reader of the reports of that
        company (the records of an XLSX report are its reader's check: a new record has none to check)."""
        self.browse().check_access("read")
        company = self.env["res.company"].browse(int(data["kam_company_id"])).exists()
        if company not in self.env.user.company_ids:
            raise AccessError(self.env._("You cannot print the key-account reports of this company."))
        return self.new({"company_id": company.id, "month": fields.Date.to_date(data["kam_month"])})

    def _kam_figures(self):
        self.ensure_one()
        figures = ServiceFigures(self.env, self.company_id, self.month)
        return figures, ServiceFigures.accounts(self.env, self.company_id).ids

    def _kam_recipients(self):
        """General manager, executives and key-account directors of the company (people, not robots)."""
        self.ensure_one()
        users = self.company_id.kam_general_manager_id | (
            self.env.ref("kam_management.group_kam_executive") | self.env.ref("kam_management.group_kam_manager")
        ).sudo().all_user_ids
        return users.filtered(
            lambda user: user.active and not user.share and self.company_id in user.company_ids and user.id != 1
        )

    @api.model
    def _cron_send_reports(self):
        """Daily job: on a company's report day, mail the report of the month before (and the credit report
        after a quarter), once per month."""
        today = fields.Date.context_today(self)
        for company in self.env["res.company"].sudo().search([]):
            month = service_report.report_month_to_send(today, company.kam_report_day)
            if not month or (company.kam_report_last_month and company.kam_report_last_month >= month):
                continue
            report = self.sudo().with_company(company).create({"company_id": company.id, "month": month})
            report._kam_send(with_credit=service_report.is_quarter_end(month))
            company.kam_report_last_month = month
            self.env["ir.cron"]._commit_progress(1)

    def _kam_send(self, with_credit=False):
        self.ensure_one()
        attachments = self.env["ir.attachment"]
        actions = [self.env.ref("kam_management.action_report_kam_monthly_xlsx")]
        if with_credit:
            actions.append(self.env.ref("kam_management.action_report_kam_credit_xlsx"))
        month_label = self.month.strftime("%Y-%m")
        for action in actions:
            content, _kind = self.env["ir.actions.report"].sudo()._render(action.report_name, self.ids, {})
            attachments |= self.env["ir.attachment"].sudo().create(
                {
                    "name": f"{action.name} {month_label}.xlsx",
                    "datas": base64.b64encode(content),
                    "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "res_model": "res.company",
                    "res_id": self.company_id.id,
                }
            )
        recipients = self._kam_recipients()
        subject = self.env._("Key-account report %(month)s — %(company)s", month=month_label,
                             company=self.company_id.name)
        return self.env["mail.mail"].sudo().create(
            {
                "subject": subject,
                "body_html": Markup("<p>%s</p>") % self.env._(
                    "Attached: the key-account report of %(month)s.", month=month_label
                ),
                "email_from": self.company_id.email_formatted or self.env.user.email_formatted,
                "recipient_ids": [fields.Command.set(recipients.partner_id.ids)],
                "attachment_ids": [fields.Command.set(attachments.ids)],
                "auto_delete": False,
            }
        )
