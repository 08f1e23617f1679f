import base64
import csv
import io

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError

from ..models.kam_housing_buyer import BUYER_RELATION
from ..rules import cn_id
from ..rules.errors import RuleError

# Column headers the import understands, English and Chinese (as employers send them).
HEADER_ALIASES = {
    "name": {"name", "姓名"},
    "id_number": {"id number", "resident id number", "身份证号", "身份证号码"},
    "relation": {"relation", "关系"},
    "employee_name": {"employee", "职工姓名", "职工"},
    "employee_proof": {"employee proof", "proof", "工作证明", "在职证明"},
    "phone": {"phone", "电话", "手机"},
}
RELATION_ALIASES = {
    "employee": "employee", "职工": "employee", "本人": "employee",
    "spouse": "spouse", "配偶": "spouse",
    "parent": "parent", "父母": "parent",
    "child": "child", "子女": "child",
    "other": "other", "其他": "other",
}
assert set(RELATION_ALIASES.values()) == {key for key, _label in BUYER_RELATION}


class KamBuyerImport(models.TransientModel):
    """Import an employer's buyer list from XLSX or CSV (HS9).

    Every row is checked first — name present, resident ID valid, no ID twice
    in the file or already on the contract, relation known — and every bad
    row is reported with its row number and reason. Nothing is imported
    until the whole file is valid.
    """

    _name = "kam.buyer.import"
    _description = "Import Eligible Buyers"
    _rec_name = "contract_id"

    contract_id = fields.Many2one("kam.housing.contract", required=True)
    file = fields.Binary(required=True, string="File (XLSX or CSV)")
    filename = fields.Char()
    # the bad rows of the last attempt, one list item each, shown on the wizard
    error_html = fields.Html(string="Rows to Correct", readonly=True, sanitize=True)
    error_count = fields.Integer(readonly=True)

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_import(self):
        self.ensure_one()
        self.contract_id._check_buyer_list_open()
        rows = self._read_rows()
        vals_list, errors = self._validate_rows(rows)
        if errors:
            # nothing is imported; the wizard stays open with every bad row listed
            self.write({
                "error_count": len(errors),
                "error_html": Markup("<p>%s</p><ul>%s</ul>") % (
                    self.env._("Nothing was imported; correct these rows and import the file again:"),
                    Markup().join(Markup("<li>%s</li>") % error for error in errors),
                ),
            })
            return {
                "type": "ir.actions.act_window",
                "res_model": self._name,
                "res_id": self.id,
                "views": [(False, "form")],
                "target": "new",
                "name": self.env._("Import Eligible Buyers"),
            }
        if not vals_list:
            raise UserError(self.env._("The file holds no buyer."))
        buyers = self.env["kam.housing.buyer"].create(vals_list)
        self.contract_id.message_post(
            body=self.env._("%(count)s eligible buyers imported from %(file)s.", count=len(buyers), file=self.filename or "")
        )
        return {"type": "ir.actions.act_window_close"}

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _read_rows(self):
        """[(row number as the user sees it, {column: text})] from the uploaded file."""
        content = base64.b64decode(self.file or b"")
        name = (self.filename or "").lower()
        try:
            if name.endswith(".csv"):
                text = content.decode("utf-8-sig")
                table = list(csv.reader(io.StringIO(text)))
            else:
                import openpyxl  # an Odoo requirement, needed only here

                book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
                table = [
                    ["" if cell is None else str(cell) for cell in row]
                    for row in book.worksheets[0].iter_rows(values_only=True)
                ]
        except Exception as error:  # any unreadable file gets the same clear message
            raise UserError(
                self.env._("The file could not be read as XLSX or CSV (%(error)s).", error=str(error))
            ) from None
        if not table:
            raise UserError(self.env._("The file is empty."))
        columns = {}
        for index, header in enumerate(table[0]):
            label = (header or "").strip().lower()
            for field_name, aliases in HEADER_ALIASES.items():
                if label in aliases:
                    columns[field_name] = index
        missing = [f for f in ("name", "id_number") if f not in columns]
        if missing:
            raise UserError(
                self.env._(
                    "The first row must name the columns; missing: %(columns)s.",
                    columns=", ".join(" / ".join(sorted(HEADER_ALIASES[f])) for f in missing),
                )
            )
        rows = []
        for row_number, row in enumerate(table[1:], start=2):
            if not any((cell or "").strip() for cell in row):
                continue
            rows.append(
                (
                    row_number,
                    {
                        field_name: (row[index] if index < len(row) else "").strip()
                        for field_name, index in columns.items()
                    },
                )
            )
        return rows

    def _validate_rows(self, rows):
        existing = set(self.env["kam.housing.buyer"].sudo().search([("contract_id", "=", self.contract_id.id)]).mapped("id_number"))
        seen = {}
        vals_list, errors = [], []
        for row_number, values in rows:
            reasons = []
            if not values.get("name"):
                reasons.append(self.env._("the name is empty"))
            number = None
            try:
                number = cn_id.normalize_resident_id(values.get("id_number", ""))
            except RuleError as error:
                reasons.append(error.translated(self.env))
            if number:
                if number in existing:
                    reasons.append(
                        self.env._("ID number %(number)s is already on the contract's list", number=number)
                    )
                elif number in seen:
                    reasons.append(
                        self.env._(
                            "ID number %(number)s also appears in row %(row)s", number=number, row=seen[number]
                        )
                    )
                else:
                    seen[number] = row_number
            relation_text = (values.get("relation") or "employee").strip().lower()
            relation = RELATION_ALIASES.get(relation_text)
            if not relation:
                reasons.append(self.env._("unknown relation %(relation)s", relation=values.get("relation")))
            if reasons:
                errors.append(
                    self.env._("Row %(row)s: %(reasons)s", row=row_number, reasons="; ".join(str(r) for r in reasons))
                )
                continue
            vals_list.append(
                {
                    "contract_id": self.contract_id.id,
                    "sequence": row_number,
                    "name": values["name"],
                    "id_number": number,
                    "relation": relation,
                    "employee_name": values.get("employee_name") or False,
                    "employee_proof": values.get("employee_proof") or False,
                    "phone": values.get("phone") or False,
                }
            )
        return vals_list, errors

