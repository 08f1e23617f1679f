from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

KAM_HANDOVER_ROLE = [
    ("primary", "Primary Manager"),
    ("backup", "Backup Manager"),
    ("all", "All Roles"),
]
OPEN_COMPLAINT_STATES = ("received", "handling", "follow_up")


class KamHandoverWizard(models.TransientModel):
    """Hand a manager's key accounts over to a successor in one transaction (KA9).

    Moves the accounts (primary or backup role, or both and every service
    role), their registrations, the open activities, housing contracts and
    open complaints, the cadence responsibility and the followers; gives
    the outgoing manager (or, when they have left, the successor) an
    "introduce your successor" activity per account, notes the handover on
    every account and optionally e-mails the customer. Any failure leaves
    everything as it was: the wizard writes inside the one request.
    """

    _name = "kam.handover.wizard"
    _description = "Key-Account Handover"
    _rec_name = "from_user_id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    from_user_id = fields.Many2one("res.users", string="Outgoing Manager", required=True,
                                   context={"active_test": False})
    to_user_id = fields.Many2one("res.users", string="Successor", required=True)
    role = fields.Selection(KAM_HANDOVER_ROLE, required=True, default="all")
    partner_ids = fields.Many2many(
        "res.partner", string="Accounts", help="Leave empty to hand over every account of the outgoing manager."
    )
    notify_customer = fields.Boolean(string="E-mail the Customers")
    note = fields.Text(string="Handover Note")

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_handover(self):
        self.ensure_one()
        self._check_handover()
        partners = self._kam_accounts()
        if not partners:
            raise UserError(
                self.env._("%(user)s manages no key account in this role.", user=self.from_user_id.name)
            )
        # the director's check is done: the moves below write protected fields in sudo
        sudo_self = self.sudo()
        sudo_self._kam_move_accounts(partners)
        sudo_self._kam_move_documents(partners)
        sudo_self._kam_move_followers(partners)
        sudo_self._kam_introduce_successor(partners)
        self.env["kam.cadence.status"].sudo()._kam_refresh_cadence(partners)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s accounts handed over to %(user)s.", count=len(partners), user=self.to_user_id.name
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_handover(self):
        if not self.env.user.has_group("kam_management.group_kam_manager"):
            raise AccessError(self.env._("Only a key-account director may hand accounts over."))
        # the moves below run in sudo over every company: a director hands over the people of their own companies
        if (self.from_user_id | self.to_user_id).company_ids - self.env.user.company_ids:
            raise AccessError(self.env._("A director hands over accounts only between people of their own companies."))
        if self.from_user_id == self.to_user_id:
            raise UserError(self.env._("The successor must be another person."))
        if not self.to_user_id.active or not self.to_user_id.has_group("kam_management.group_kam_user"):
            raise UserError(
                self.env._(
                    "%(user)s is not an active member of the key-account department and cannot take over accounts.",
                    user=self.to_user_id.name,
                )
            )

    def _kam_role_fields(self):
        return {
            "primary": ["kam_manager_id"],
            "backup": ["kam_backup_manager_id"],
            "all": [
                "kam_manager_id",
                "kam_backup_manager_id",
                "kam_executive_user_id",
                "kam_technical_user_id",
                "kam_quality_user_id",
            ],
        }[self.role]

    def _kam_accounts(self):
        domain = ["|"] * (len(self._kam_role_fields()) - 1) + [
            (name, "=", self.from_user_id.id) for name in self._kam_role_fields()
        ]
        partners = self.env["res.partner"].sudo().with_context(active_test=False).search(domain)
        if self.partner_ids:
            partners &= self.partner_ids.sudo()
        return partners

    def _kam_move_accounts(self, partners):
        old, new = self.from_user_id, self.to_user_id
        for name in self._kam_role_fields():
            partners.filtered(lambda partner, name=name: partner[name] == old).write({name: new.id})
        Registration = self.env["kam.account.registration"].with_context(active_test=False)
        if self.role in ("primary", "all"):
            Registration.search([("partner_id", "in", partners.ids), ("user_id", "=", old.id)]).write(
                {"user_id": new.id}
            )
        if self.role in ("backup", "all"):
            Registration.search([("partner_id", "in", partners.ids), ("backup_user_id", "=", old.id)]).write(
                {"backup_user_id": new.id}
            )

    def _kam_move_documents(self, partners):
        old, new = self.from_user_id, self.to_user_id
        complaints = self.env["kam.complaint"].search(
            [("partner_id", "in", partners.ids), ("user_id", "=", old.id), ("state", "in", OPEN_COMPLAINT_STATES)]
        )
        complaints.write({"user_id": new.id})
        # the outgoing user may be archived already: read their memberships including inactive users
        contracts = self.env["kam.housing.contract"].with_context(active_test=False)
        if self.role in ("primary", "all"):
            contracts = contracts.search(
                [("partner_id", "in", partners.ids), ("state", "not in", ("closed", "cancel")),
                 "|", "|", ("user_id", "=", old.id), ("team_leader_id", "=", old.id), ("team_member_ids", "in", old.id)]
            )
            contracts.filtered(lambda contract: contract.user_id == old).write({"user_id": new.id})
            contracts.filtered(lambda contract: contract.team_leader_id == old).write({"team_leader_id": new.id})
            contracts.filtered(lambda contract: old in contract.team_member_ids).write(
                {"team_member_ids": [Command.unlink(old.id), Command.link(new.id)]}
            )
        # open activities of the outgoing manager on the accounts and their documents
        targets = Domain.OR(
            Domain([("res_model", "=", model), ("res_id", "in", records.ids)])
            for model, records in (("res.partner", partners), ("kam.complaint", complaints),
                                   ("kam.housing.contract", contracts))
        )
        self.env["mail.activity"].search(Domain("user_id", "=", old.id) & targets).write({"user_id": new.id})

    def _kam_move_followers(self, partners):
        old_partner, new_partner = self.from_user_id.partner_id, self.to_user_id.partner_id
        for model, records in (
            ("res.partner", partners),
            ("kam.complaint", self.env["kam.complaint"].search([("partner_id", "in", partners.ids)])),
            ("kam.housing.contract", self.env["kam.housing.contract"].search([("partner_id", "in", partners.ids)])),
        ):
            followed = self.env["mail.followers"].search(
                [("res_model", "=", model), ("res_id", "in", records.ids), ("partner_id", "=", old_partner.id)]
            )
            if not followed:
                continue
            records.browse(followed.mapped("res_id")).message_subscribe(partner_ids=new_partner.ids)
            followed.unlink()

    def _kam_introduce_successor(self, partners):
        old, new = self.from_user_id, self.to_user_id
        # a departed manager cannot introduce anyone: the successor introduces themself
        introducer = old if old.active else new
        activity_type = self.env.ref("kam_management.mail_activity_type_kam_introduce_successor")
        today = fields.Date.context_today(self)
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "user_id": introducer.id,
                    "date_deadline": fields.Date.add(today, days=7),
                    "summary": self.env._("Introduce %(successor)s to the customer's contact", successor=new.name),
                }
                for partner in partners
            ]
        )
        body = Markup("<p>%s</p>") % self.env._(
            "Key-account handover: %(old)s → %(new)s (%(role)s).",
            old=old.name,
            new=new.name,
            role=dict(self._fields["role"]._description_selection(self.env))[self.role],
        )
        if self.note:
            body += Markup("<p>%s</p>") % self.note
        for partner in partners:
            partner.message_post(body=body, subtype_xmlid="mail.mt_note")
            if self.notify_customer and partner.email:
                partner.message_post(
                    body=Markup("<p>%s</p>") % self.env._(
                        "Dear customer, from now on %(new)s is your key-account manager and will contact you "
                        "shortly. Thank you for your trust.",
                        new=new.name,
                    ),
                    subject=self.env._("Your new key-account manager"),
                    partner_ids=partner.ids,
                    subtype_xmlid="mail.mt_comment",
                    message_type="comment",
                )

    @api.onchange("from_user_id")
    def _onchange_from_user_id(self):
        self.partner_ids = False
