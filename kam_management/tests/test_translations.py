import polib

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader

from odoo.addons.kam_management.rules import amount_words, cn_id
from odoo.addons.kam_management.rules.errors import RuleError


@tagged("post_install", "-at_install")
class TestChineseTranslation(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")

    def test_every_term_of_the_module_has_a_chinese_translation(self):
        po = polib.pofile(file_path("kam_management/i18n/zh_CN.po"))
        translated = {entry.msgid for entry in po.translated_entries()}
        self.assertFalse(po.fuzzy_entries(), "fuzzy translations are not shown to users")
        terms = {
            source
            for module, _type, _name, _res_id, source, _value, _comments in TranslationModuleReader(
                self.env.cr, ["kam_management"]
            )
            if module == "kam_management"
        }
        self.assertTrue(terms)
        missing = sorted(terms - translated)
        self.assertFalse(missing, "terms without a zh_CN translation:\n%s" % "\n".join(missing))

    def test_rule_errors_reach_the_user_in_chinese(self):
        env_zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        with self.assertRaises(RuleError) as raised:
            cn_id.normalize_resident_id("110105194912310021")
        self.assertEqual(
            str(raised.exception),
            "The resident ID number 110105194912310021 has a wrong check digit: "
            "a digit was probably mistyped.",
        )
        self.assertIn("校验码", raised.exception.translated(env_zh))
        self.assertIn("110105194912310021", raised.exception.translated(env_zh))
        with self.assertRaises(RuleError) as raised:
            amount_words.amount_in_capitals(-5)
        self.assertIn("负数", raised.exception.translated(env_zh))

    def test_settings_error_in_chinese(self):
        company = self.env.company.with_context(lang="zh_CN")
        with self.assertRaises(ValidationError) as raised:
            company.kam_cost_plus_min_factor = 0.5
        self.assertIn("成本加成", str(raised.exception))

    def test_housing_refusals_in_chinese(self):
        env_zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        project = env_zh["kam.housing.project"].create({"name": "译文测试项目"})
        partner = env_zh["res.partner"].create({"name": "译文测试单位"})
        with self.assertRaises(ValidationError) as raised:
            env_zh["kam.housing.contract"].create(
                {"partner_id": partner.id, "project_id": project.id, "payment_ratio": 49.0}
            )
        self.assertEqual(str(raised.exception), "付款比例 49 % 低于最低要求 50 %。")
