import datetime

from odoo import Command

from .common import KamCommon

KAM_APPROVAL_MODELS = (
    "kam.account.registration",
    "kam.tier.review",
    "kam.credit.exception",
    "kam.discount.approval",
    "kam.payment.downgrade",
)


class KamAccountsCommon(KamCommon):
    """Key accounts of ``cls.env.company`` with invoices at known dates.

    The preset approval chains are switched off: each test names its own
    reviewers with :meth:`_definition`, so who approves is explicit.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the tests' own user runs the department like the administrator does: as its director
        cls.env.user.group_ids += cls.env.ref("kam_management.group_kam_manager") + cls.env.ref(
            "sales_team.group_sale_salesman_all_leads"
        )
        cls.env["tier.definition"].search([("model_id.model", "in", KAM_APPROVAL_MODELS)]).active = False
        cls.scheme_abcd = cls.env.ref("kam_management.kam_tier_scheme_abcd")
        cls.tier_a = cls.env.ref("kam_management.kam_tier_a")
        cls.tier_b = cls.env.ref("kam_management.kam_tier_b")
        cls.tier_c = cls.env.ref("kam_management.kam_tier_c")
        cls.tier_d = cls.env.ref("kam_management.kam_tier_d")
        cls.ka_user = cls.kam_users["user"]
        cls.ka_manager = cls.kam_users["manager"]

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    @classmethod
    def _definition(cls, model, reviewer, domain="[]"):
        return cls.env["tier.definition"].create(
            {
                "model_id": cls.env["ir.model"]._get_id(model),
                "review_type": "individual",
                "reviewer_id": reviewer.id,
                "definition_domain": domain,
            }
        )

    @classmethod
    def _key_accounts(cls, names, manager=None, backup=None):
        """Companies registered (and approved) to ``manager`` in ``cls.env.company``."""
        partners = cls.env["res.partner"].create([{"name": name, "is_company": True} for name in names])
        registrations = cls.env["kam.account.registration"].create(
            [
                {
                    "partner_id": partner.id,
                    "user_id": (manager or cls.kam_users["user"]).id,
                    "backup_user_id": backup.id if backup else False,
                    "company_id": cls.env.company.id,
                }
                for partner in partners
            ]
        )
        cls._approve_by_reviewers(registrations)
        return partners

    @classmethod
    def _set_tier(cls, partner, tier, credit_limit=None):
        values = {
            "kam_tier_id": tier.id,
            "kam_payment_tier_id": tier.id,
            "kam_credit_grade": tier.credit_grade,
            "credit_limit": tier.credit_limit if credit_limit is None else credit_limit,
        }
        if tier.payment_term_id:
            values["property_payment_term_id"] = tier.payment_term_id.id
        partner.sudo().with_company(cls.env.company).write(values)

    @classmethod
    def _invoices(cls, specs, post=True):
        """``specs``: (partner, untaxed amount, invoice date, due date or None) → posted invoices."""
        moves = cls.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": invoice_date,
                    "date": invoice_date,
                    "invoice_payment_term_id": False,
                    "invoice_date_due": due or invoice_date,
                    "invoice_line_ids": [
                        Command.create({"name": "商品房", "quantity": 1, "price_unit": amount, "tax_ids": False})
                    ],
                }
                for partner, amount, invoice_date, due in specs
            ]
        )
        if post:
            moves.action_post()
        return moves

    @classmethod
    def _pay(cls, invoices, payment_date):
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create({"payment_date": payment_date, "group_payment": False})
            ._create_payments()
        )

    @staticmethod
    def _d(text):
        return datetime.date.fromisoformat(text)
