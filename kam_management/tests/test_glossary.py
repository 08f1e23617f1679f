"""What a Chinese user is shown reads as the glossary (i18n/glossary.csv, i18n/GLOSSARY.md) defines it."""

import csv

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path


@tagged("post_install", "-at_install")
class TestGlossary(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        # the shipped translations of the modules whose words are on our screens, in their order (overwrite:
        # a database installed before a correction keeps the old words until its terms are reloaded)
        cls.env["ir.module.module"]._load_module_terms(
            ["base_tier_validation", "account_statement_import_file", "kam_management"], ["zh_CN"],
            overwrite=True,
        )
        with open(file_path("kam_management/i18n/glossary.csv"), encoding="utf-8") as glossary:
            cls.glossary = list(csv.DictReader(glossary))

    def _field(self, model, field):
        return self.env[model].with_context(lang="zh_CN").fields_get([field])[field]

    def _buttons(self, view_xmlid, name):
        """The buttons of a form with the views that inherit it, in Chinese (every department's buttons)."""
        arch = self.env.ref(view_xmlid).with_context(lang="zh_CN")._get_combined_arch()
        return arch.xpath(f"//button[@name='{name}' or @special='{name}']")

    def test_screens_read_as_the_glossary_defines(self):
        checked = 0
        for row in self.glossary:
            with self.subTest(term=row["en"], kind=row["kind"], target=row["target"]):
                if row["kind"] == "field":
                    model, field = row["target"].split(":")
                    self.assertEqual(self._field(model, field)["string"], row["zh"])
                elif row["kind"] == "selection":
                    model, field, value = row["target"].split(":")
                    self.assertEqual(dict(self._field(model, field)["selection"])[value], row["zh"])
                elif row["kind"] == "button":
                    view, name = row["target"].split(":")
                    buttons = self._buttons(view, name)
                    self.assertTrue(buttons, f"no button {name} on the form {view}")
                    self.assertEqual({button.get("string") for button in buttons}, {row["zh"]})
                else:
                    continue
                checked += 1
        self.assertGreater(checked, 25)

    def test_approval_states_of_every_document_are_chinese(self):
        """OCA's Validated / Without validation / Pending on each of our documents (not only the glossary's)."""
        models = self.env["ir.model.fields"].search(
            [("name", "=", "validation_status"), ("model", "=like", "kam.%")]
        ).mapped("model")
        self.assertIn("kam.unit.allocation", models)
        for model in models:
            if self.env[model]._abstract:
                continue
            labels = dict(self._field(model, "validation_status")["selection"])
            with self.subTest(model=model):
                self.assertEqual(
                    labels,
                    {"no": "无需审批", "waiting": "等待中", "pending": "待审批", "rejected": "已驳回", "validated": "已批准"},
                )

    def test_activity_states_of_every_document_are_chinese(self):
        """mail's activity states (grouping a list by them) on each of our documents."""
        models = self.env["ir.model.fields"].search(
            [("name", "=", "activity_state"), ("model", "=like", "kam.%")]
        ).mapped("model")
        self.assertIn("kam.complaint", models)
        for model in models:
            if self.env[model]._abstract:
                continue
            with self.subTest(model=model):
                self.assertEqual(
                    dict(self._field(model, "activity_state")["selection"]),
                    {"overdue": "逾期", "today": "今天", "planned": "已安排"},
                )

    def test_the_call_number_shows_the_number(self):
        """A ticket's 叫号序号 shows the buyer's number in the order, not only a name."""
        line = self.env["kam.selection.draw.line"].with_context(lang="zh_CN").new({"position": 12})
        self.assertTrue(line.display_name.startswith("12 号"), line.display_name)
