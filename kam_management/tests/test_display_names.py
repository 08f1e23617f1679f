"""No screen shows a technical name such as ``kam.account.registration,11`` (issue 19): every model of the
module, generated from the registry, has a display name that reads as a name."""

import re

from odoo import fields
from odoo.tests import TransactionCase, tagged

# what Odoo shows for a record without a name: "model,id" (a new record: "model,NewId_...")
TECHNICAL_NAME = re.compile(r"^[a-z_]+(\.[a-z_]+)+,")
LOG_FIELDS = {"id", "create_uid", "create_date", "write_uid", "write_date", "display_name"}


@tagged("post_install", "-at_install")
class TestDisplayNames(TransactionCase):
    def _module_models(self):
        """Every model of kam_management that has records: the kam.* models, wizards included."""
        return sorted(
            name
            for name, model in self.env.registry.items()
            if name.startswith("kam.") and not model._abstract
        )

    def _sample_values(self, model, depth=1):
        """Values for an in-memory record: a name for each text field, a record of each comodel."""
        values = {}
        for name, field in model._fields.items():
            if not field.store or field.compute or field.related or name in LOG_FIELDS:
                continue
            if field.type == "char":
                values[name] = f"样例 {name}"
            elif field.type == "date":
                values[name] = fields.Date.to_date("2026-03-01")
            elif field.type == "datetime":
                values[name] = fields.Datetime.to_datetime("2026-03-01 09:00:00")
            elif field.type == "integer":
                values[name] = 7
            elif field.type == "selection":
                values[name] = next(iter(field._description_selection(self.env)), (False, ""))[0]
            elif field.type == "many2one" and depth > 0:
                comodel = self.env[field.comodel_name].sudo()
                values[name] = comodel.search([], limit=1) or comodel.new(self._sample_values(comodel, depth - 1))
        return values

    def _records(self, model_name):
        """The records of the database (up to 50), else one built in memory from sample values."""
        model = self.env[model_name].sudo().with_context(lang="zh_CN" if self._zh else "en_US")
        records = model.search([], limit=50) if not model._transient else model.browse()
        return records or model.new(self._sample_values(model))

    def test_every_model_has_a_readable_display_name(self):
        self._zh = bool(self.env["res.lang"]._lang_get("zh_CN"))
        names = self._module_models()
        self.assertGreater(len(names), 60, "the registry lists the module's models")
        technical = []
        for name in names:
            for record in self._records(name):
                shown = record.display_name
                if not shown or TECHNICAL_NAME.match(shown) or "NewId" in shown:
                    technical.append(f"{name}: {shown!r}")
        self.assertFalse(technical, "records shown by their technical name:\n" + "\n".join(technical))

    def test_registration_reads_as_the_company(self):
        partner = self.env["res.partner"].create({"name": "深圳显示名称科技有限公司", "is_company": True})
        registration = self.env["kam.account.registration"].create({"partner_id": partner.id})
        self.assertEqual(registration.display_name, "深圳显示名称科技有限公司")

