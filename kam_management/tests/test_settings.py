from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestSettings(KamCommon):
    def test_defaults_follow_the_regulation(self):
        company = self.env.company
        self.assertEqual(company.kam_min_screened_candidates, 3)
        self.assertAlmostEqual(company.kam_min_payment_ratio, 50.0)
        self.assertAlmostEqual(company.kam_blind_price_min_ratio, 80.0)
        self.assertAlmostEqual(company.kam_cost_plus_min_factor, 1.30)
        self.assertAlmostEqual(company.kam_swap_concession_max_ratio, 70.0)

    def test_settings_save_on_the_company(self):
        advance_account = self.env["account.account"].create(
            {"name": "委建房预收款", "code": "220301", "account_type": "liability_current"}
        )
        with Form(self.env["res.config.settings"]) as settings:
            settings.kam_min_screened_candidates = 5
            settings.kam_min_payment_ratio = 60.0
            settings.kam_cost_plus_min_factor = 1.35
            settings.kam_joint_account_liability_account_id = advance_account
        settings.save().execute()
        company = self.env.company
        self.assertEqual(company.kam_min_screened_candidates, 5)
        self.assertAlmostEqual(company.kam_min_payment_ratio, 60.0)
        self.assertAlmostEqual(company.kam_cost_plus_min_factor, 1.35)
        self.assertEqual(company.kam_joint_account_liability_account_id, advance_account)
        # a second settings form shows what was saved
        self.assertEqual(Form(self.env["res.config.settings"]).kam_min_screened_candidates, 5)

    def test_bad_settings_are_refused_and_change_nothing(self):
        company = self.env.company
        bad_values = [
            ({"kam_min_payment_ratio": 0.0}, "above 0 %"),
            ({"kam_min_payment_ratio": 120.0}, "at most 100 %"),
            ({"kam_cost_plus_min_factor": 0.9}, "at least 1"),
            ({"kam_min_screened_candidates": 0}, "At least one screened candidate"),
        ]
        for values, message in bad_values:
            with self.subTest(values=values):
                with self.assertRaises(ValidationError) as raised:
                    self.env["res.config.settings"].create(values).execute()
                self.assertIn(message, str(raised.exception))
                company.invalidate_recordset()
                self.assertEqual(company.kam_min_screened_candidates, 3)
                self.assertAlmostEqual(company.kam_min_payment_ratio, 50.0)
                self.assertAlmostEqual(company.kam_cost_plus_min_factor, 1.30)
