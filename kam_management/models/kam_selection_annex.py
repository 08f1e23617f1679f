import base64
import csv
import io

from odoo import fields, models
from odoo.exceptions import UserError

SELECTION_ANNEX_STATE = [
    ("draft", "Received"),
    ("checked", "Re-Checked by Audit"),
    ("sealed", "Sealed"),
]
AUDIT = "kam_management.group_kam_audit"
MANAGER = "kam_management.group_kam_manager"


class KamSelectionAnnex(models.Model):
    """The employer's stamped list of the selection, the contract's annex (seed §九 5, HS13).

    The employer stamps the list of who chose which unit; audit re-checks it
    against the issued vouchers (every difference is listed); only a
    re-checked annex without differences gets the company seal date, and
    only a contract with a sealed annex closes.

    The attached list is a CSV file ``id_number,unit`` (the unit as named on
    the sales control table, e.g. ``B1-101``), next to the stamped scan.
    """

    _name = "kam.selection.annex"
    _description = "Selection Annex"
    _inherit = ["mail.thread", "kam.lifecycle.mixin"]
    _order = "id desc"
    _check_company_auto = True

    _kam_transitions = {
        "action_recheck": (("draft",), "checked", (AUDIT,)),
        "action_seal": (("checked",), "sealed", (MANAGER,)),
    }
    _kam_action_fields = ("differences", "checked_by_id", "check_date", "seal_date", "sealed_by_id")
    _kam_locked_states = ("checked", "sealed")
    _kam_deletable_states = ("draft",)

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, default=lambda self: self.env._("Selection annex"))
    contract_id = fields.Many2one(
        "kam.housing.contract", required=True, ondelete="restrict", index=True, check_company=True
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    state = fields.Selection(SELECTION_ANNEX_STATE, required=True, default="draft", tracking=True, copy=False)
    stamped_scan = fields.Binary(string="Stamped Annex", attachment=True, copy=False)
    stamped_scan_name = fields.Char()
    list_file = fields.Binary(string="Annex List (CSV)", attachment=True, copy=False)
    list_file_name = fields.Char()
    differences = fields.Text(readonly=True, copy=False, help="What audit found between the annex and the vouchers.")
    checked_by_id = fields.Many2one("res.users", string="Re-Checked By", readonly=True, copy=False)
    check_date = fields.Datetime(string="Re-Checked On", readonly=True, copy=False)
    seal_date = fields.Date(string="Company Seal Date", readonly=True, copy=False, tracking=True)
    sealed_by_id = fields.Many2one("res.users", string="Seal Recorded By", readonly=True, copy=False)

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_recheck(self):
        """Audit compares the annex with the issued vouchers; with differences it stays to be corrected."""
        for annex in self:
            annex._kam_check_may("action_recheck")
            if not annex.stamped_scan or not annex.list_file:
                raise UserError(self.env._("Attach the stamped annex and its list before the re-check."))
            differences = annex._differences()
            stamp = {"checked_by_id": self.env.uid, "check_date": fields.Datetime.now()}
            if differences:
                annex._kam_action_write({**stamp, "differences": "\n".join(differences)})
            else:
                annex._kam_move("action_recheck", {**stamp, "differences": False})
        return True

    def action_seal(self, seal_date=None):
        """Record the company seal date, only after a clean audit re-check."""
        for annex in self:
            annex._kam_check_may("action_seal")
            date = seal_date or fields.Date.context_today(self)
            if annex.check_date and fields.Date.to_date(date) < annex.check_date.date():
                raise UserError(self.env._("The company seal comes after the audit re-check."))
            annex._kam_move("action_seal", {"seal_date": date, "sealed_by_id": self.env.uid})
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _annex_pairs(self):
        try:
            text = base64.b64decode(self.list_file).decode("utf-8-sig")
        except (ValueError, UnicodeDecodeError):
            raise UserError(self.env._("The annex list must be a UTF-8 CSV file: id_number,unit.")) from None
        pairs = set()
        for row in csv.reader(io.StringIO(text)):
            if len(row) < 2 or row[0].strip().lower() in ("id_number", "身份证号"):
                continue
            pairs.add((row[0].strip().upper(), row[1].strip()))
        return pairs

    def _differences(self):
        self.ensure_one()
        vouchers = self.env["kam.room.voucher"].sudo().search(
            [("contract_id", "=", self.contract_id.id), ("state", "=", "issued"), ("is_red", "=", False)]
        )
        issued = {(v.ticket_id.id_number, v.unit_id.name): v for v in vouchers}
        annex = self._annex_pairs()
        lines = [
            self.env._("In the annex, no issued voucher: %(id)s, unit %(unit)s", id=number, unit=unit)
            for number, unit in sorted(annex - set(issued))
        ]
        lines += [
            self.env._("Issued voucher %(voucher)s missing from the annex: %(id)s, unit %(unit)s",
                       voucher=issued[pair].name, id=pair[0], unit=pair[1])
            for pair in sorted(set(issued) - annex)
        ]
        return lines
