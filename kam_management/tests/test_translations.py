import polib
from lxml import etree
from markupsafe import Markup

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader

from odoo.addons.kam_management.rules import amount_words, cn_id
from odoo.addons.kam_management.rules.errors import RuleError

from .kam_accounts_common import KamAccountsCommon


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


@tagged("post_install", "-at_install")
class TestPaymentTermNotesInChinese(TransactionCase):
    """The notes are <p> markup in the data file, so their term is the same with every lxml version."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["kam_management"], ["zh_CN"], overwrite=True)

    def test_payment_term_notes_are_shown_in_chinese(self):
        for xmlid, chinese in (
            ("kam_management.kam_payment_term_90days", "付款条件：交货后 90 天内付款"),
            ("kam_management.kam_payment_term_prepayment", "付款条件：款到发货"),
        ):
            term = self.env.ref(xmlid)
            self.assertEqual(term.with_context(lang="zh_CN").note, Markup(f"<p>{chinese}</p>"))
            self.assertIn("Payment terms", term.with_context(lang="en_US").note)


@tagged("post_install", "-at_install")
class TestTierValidationInChinese(KamAccountsCommon):
    """What OCA base_tier_validation puts on our forms reaches a Chinese user in Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        # what --load-language=zh_CN does for the two modules: their i18n/ and i18n_extra/ files
        cls.env["ir.module.module"]._load_module_terms(["base_tier_validation", "kam_management"], ["zh_CN"])
        cls.executive = cls.kam_users["executive"]
        cls._definition("kam.tier.review", cls.executive).write(
            {"notify_on_create": True, "notify_on_pending": True, "notify_on_accepted": True}
        )
        (cls.ka_manager | cls.executive).lang = "zh_CN"
        cls.partner = cls._key_accounts(["译文审批客户"])
        cls._invoices([(cls.partner, 10000, "2025-03-01", "2025-04-01")])

    def _review(self):
        review = self.env["kam.tier.review"].create(
            {"scheme_id": self.scheme_abcd.id, "date_from": "2025-01-01", "date_to": "2025-12-31"}
        )
        review.action_compute()
        return review

    def test_our_form_shows_the_approval_buttons_in_chinese(self):
        views = self.env["kam.tier.review"].with_context(lang="zh_CN").get_views([(False, "form")])
        arch = etree.fromstring(views["views"]["form"]["arch"])

        def button(name):
            return arch.xpath(f"//button[@name='{name}']")[0].get("string")

        self.assertEqual(button("request_validation"), "提交审批")
        self.assertEqual(button("restart_validation"), "重新发起审批")
        self.assertEqual(button("validate_tier"), "通过")
        self.assertEqual(button("reject_tier"), "驳回")
        text = etree.tostring(arch, encoding="unicode")
        self.assertIn("审批已", text)
        self.assertNotIn("Request Validation", text)
        self.assertNotIn("Operation has been", text)
        # English users keep the English labels: the translation is zh_CN only
        views_en = self.env["kam.tier.review"].with_context(lang="en_US").get_views([(False, "form")])
        self.assertIn("Request Validation", str(views_en["views"]["form"]["arch"]))

    def test_review_banner_and_chatter_are_chinese(self):
        review = self._review()
        review.with_user(self.ka_manager).with_context(lang="zh_CN").request_validation()
        review.invalidate_recordset()
        banner = review.with_user(self.executive).with_context(lang="zh_CN").to_validate_message
        self.assertIn("待", banner)
        self.assertIn("审批", banner)
        self.assertNotIn("validation", banner)
        review.with_user(self.executive).with_context(lang="zh_CN").validate_tier()
        bodies = review.message_ids.mapped(lambda m: str(m.body))
        self.assertTrue(any("审批已通过" in body for body in bodies), bodies)
        self.assertTrue(any("发起人" in body or "已提交审批" in body for body in bodies), bodies)
        self.assertFalse([body for body in bodies if "A review was" in body or "requested by" in body], bodies)
        self.assertIn("审批已", review.with_context(lang="zh_CN").validated_message)
