from odoo import models


class ReportXlsxAbstract(models.AbstractModel):
    _inherit = "report.report_xlsx.abstract"

    def create_xlsx_report(self, docids, data):
        """Issue 18: every XLSX report of the module checks that the caller may read the records it shows before
        it reads them (its sheets read the figures under sudo). OCA's route renders with the caller's env, not
        sudo; the server's own renderings (the signed report the sign-off keeps, the monthly report the job mails)
        run as their user or as the system user, whom no client is."""
        if self._name.startswith("report.kam_management.") and not (self.env.su or self.env.user._is_superuser()):
            report = self.env["ir.actions.report"].sudo()._get_report_from_name(self._name.removeprefix("report."))
            if report.model:
                # the records are the report's model, whatever model the client's context names
                self = self.with_context(active_model=report.model)
                # an unsaved record (a report printed from its options) was checked when it was made
                self._get_objs_for_report(docids, data)._origin.check_access("read")
        return super().create_xlsx_report(docids, data)
