import datetime

from freezegun import freeze_time

from .kam_accounts_common import KamAccountsCommon


class KamServiceCommon(KamAccountsCommon):
    """Strategic and A-class key accounts of staff members, and helpers to log contacts and complaints."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tier_strategic = cls.env.ref("kam_management.kam_tier_strategic")
        cls.kind_visit = cls.env.ref("kam_management.kam_contact_kind_visit")
        cls.kind_phone = cls.env.ref("kam_management.kam_contact_kind_phone")
        cls.kind_quality = cls.env.ref("kam_management.kam_contact_kind_quality")
        cls.rule_manager = cls.env.ref("kam_management.kam_cadence_strategic_manager")
        cls.rule_quality = cls.env.ref("kam_management.kam_cadence_strategic_quality")
        cls.rule_a = cls.env.ref("kam_management.kam_cadence_a_follow_up")
        cls.colleague = cls.env["res.users"].create(
            {
                "name": "王强",
                "login": "kam_test_service_wang",
                "email": "wang@example.com",
                "group_ids": [cls.env.ref("kam_management.group_kam_user").id],
            }
        )
        cls.strategic = cls._key_accounts(["中国建筑集团"], manager=cls.ka_user)
        cls._set_tier(cls.strategic, cls.tier_strategic)
        cls.a_account = cls._key_accounts(["万科企业"], manager=cls.ka_user)
        cls._set_tier(cls.a_account, cls.tier_a)
        cls.theirs = cls._key_accounts(["保利发展"], manager=cls.colleague)
        cls._set_tier(cls.theirs, cls.tier_b)

    @classmethod
    def _visit(cls, partner, date, kind=None, user=None, **values):
        Visit = cls.env["kam.visit"].with_user(user) if user else cls.env["kam.visit"]
        return Visit.create(
            {
                "name": values.pop("name", "拜访"),
                "partner_id": partner.id,
                "date": date,
                "kind_id": (kind or cls.kind_visit).id,
                **values,
            }
        ).with_env(cls.env)

    @classmethod
    def _complaint(cls, partner, received_at, user=None, **values):
        """A complaint entered at ``received_at`` (UTC): the system records the time of receipt, so the clock is
        set to it."""
        Complaint = cls.env["kam.complaint"].with_user(user) if user else cls.env["kam.complaint"]
        with freeze_time(received_at):
            return Complaint.create(
                {
                    "partner_id": partner.id,
                    "description": "<p>交房延期</p>",
                    "user_id": (user or cls.ka_user).id,
                    **values,
                }
            ).with_env(cls.env)

    def _reminders(self, partner, rule=None):
        domain = [
            ("res_model", "=", "res.partner"),
            ("res_id", "=", partner.id),
            ("activity_type_id", "=", self.env.ref("kam_management.mail_activity_type_kam_contact_due").id),
        ]
        if rule:
            domain.append(("summary", "=", rule.name))
        return self.env["mail.activity"].search(domain)

    @staticmethod
    def _dt(text):
        return datetime.datetime.fromisoformat(text)
