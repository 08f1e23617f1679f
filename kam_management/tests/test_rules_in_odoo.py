from odoo.tests import TransactionCase, tagged

from odoo.addons.kam_management.rules import cn_id


@tagged("post_install", "-at_install")
class TestRulesInsideOdoo(TransactionCase):
    def test_resident_id_region_lookup_works_in_the_server(self):
        # Odoo's import hook for stdnum once broke the region look-up in the server only
        self.assertEqual(cn_id.parse_resident_id("11010519491231002X").region_code, "110105")
        with self.assertRaises(cn_id.RuleError) as raised:
            cn_id.normalize_resident_id("999999199001010016")
        self.assertIn("unknown region code 999999", str(raised.exception))
