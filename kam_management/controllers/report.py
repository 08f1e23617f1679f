import json

from werkzeug.urls import url_decode

from odoo.http import content_disposition, request, route
from odoo.tools.safe_eval import safe_eval, time

from odoo.addons.report_xlsx.controllers.main import ReportController

# the XLSX reports printed from their options alone (company and month): nothing to write, so a replica serves them
READ_ONLY_REPORTS = ("kam_management.monthly_xlsx", "kam_management.credit_xlsx")


def _read_only_report(data):
    """``(report name, url arguments)`` when a download is one of ``READ_ONLY_REPORTS`` printed from its options
    (kam.service.report._kam_print_action), else ``None``."""
    try:
        url, report_type = json.loads(data or "null")
        path, query = url.split("?", 1)
        arguments = dict(url_decode(query).items())
        options = json.loads(arguments.get("options") or "{}")
    except (TypeError, ValueError):
        return None
    name = path.removeprefix("/report/xlsx/")
    if report_type != "xlsx" or name not in READ_ONLY_REPORTS or "kam_company_id" not in options:
        return None
    return name, arguments


class KamReportController(ReportController):
    def _kam_download_readonly(self, rule, args):
        return _read_only_report(request.httprequest.values.get("data")) is not None

    @route(readonly=_kam_download_readonly)
    def report_download(self, data, context=None, token=None, readonly=True):
        """Odoo's download of a print, on a read-only cursor (a read replica, ``db_replica_host``) for the monthly
        and credit reports; a refusal is answered as one (report_xlsx answers any error with a 200)."""
        found = _read_only_report(data)
        if not found:
            return super().report_download(data, context=context, token=token, readonly=readonly)
        name, arguments = found
        if "context" in arguments:
            context = json.dumps({**json.loads(context or "{}"), **json.loads(arguments.pop("context"))})
        response = self.report_routes(name, converter="xlsx", context=context, **arguments)
        report = request.env["ir.actions.report"]._get_report_from_name(name)
        printed = request.env["kam.service.report"]._kam_from_options(json.loads(arguments["options"]))
        filename = safe_eval(report.print_report_name, {"object": printed, "time": time})
        response.headers["Content-Disposition"] = content_disposition(f"{filename}.xlsx")
        return response
