from odoo.tests import TransactionCase, tagged


# kam_demo_db: the demo's review of last year
@tagged("post_install", "-at_install", "kam_demo_db")
class TestKeyAccountDemo(TransactionCase):
    """The demo's review of last year shows ups and downs in the A/B/C/D preset."""

    def test_demo_review_moves_accounts_both_ways(self):
        # demo data that fails to load is only a warning in Odoo's log: fail here instead
        review = self.env.ref("kam_management.tier_review_last_year")
        lines = {line.partner_id: line for line in review.line_ids}
        expected = {
            "partner_ka_huaxing": ("B", "A", "up"),
            "partner_ka_changjiang": ("A", "B", "down"),
            "partner_ka_tianfu": ("C", "B", "up"),
            "partner_ka_zijin": ("B", "C", "down"),
            "partner_ka_yuanqu": ("D", "C", "up"),
            "partner_ka_ludao": ("C", "D", "down"),
        }
        for xmlid, (old, new, movement) in expected.items():
            line = lines[self.env.ref(f"kam_management.{xmlid}")]
            with self.subTest(partner=line.partner_id.name):
                self.assertEqual(
                    (line.current_tier_id.code, line.proposed_tier_id.code, line.movement), (old, new, movement)
                )
        self.assertEqual(len(lines), 10)
        self.assertEqual({line.proposed_tier_id.code for line in lines.values()}, {"A", "B", "C", "D"})
