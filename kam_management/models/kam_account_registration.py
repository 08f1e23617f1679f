from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from .kam_approval_mixin import KAM_APPROVAL_STATE

# States in which a registration holds the company for its owner.
OPEN_STATES = ("draft", "approved")


class KamAccountRegistration(models.Model):
    """申报注册 (KA1): a prospect is registered to a manager and approved before it is developed."""

    _name = "kam.account.registration"
    _description = "Key-Account Registration"
    _rec_name = "partner_id"
    _inherit = ["kam.approval.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    _state_from = ["draft"]
    _state_to = ["approved"]
    _cancel_state = "cancel"
    _kam_transitions = {
        "action_approve": (("draft",), "approved", ()),
        "action_cancel": (("draft",), "cancel", ("kam_management.group_kam_user",)),
        # the director's withdrawal of an approved registration: the partner stops being a key account
        "cancel_approved": (("approved",), "cancel", ("kam_management.group_kam_manager",)),
    }

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # a company typed into the field is created as a company (a person is never a key account)
    partner_id = fields.Many2one(
        "res.partner", string="Prospect", required=True, index=True, tracking=True,
        domain=[("is_company", "=", True)], context={"default_is_company": True},
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    user_id = fields.Many2one(
        "res.users", string="Primary Manager", required=True, default=lambda self: self.env.user, tracking=True,
        index=True,  # record rules
    )
    backup_user_id = fields.Many2one("res.users", string="Backup Manager", tracking=True, index="btree_not_null")
    team_id = fields.Many2one("crm.team", string="Team")
    territory = fields.Char(help="属地: the office that signs and serves the account.")
    reason = fields.Text(string="Development Plan")
    state = fields.Selection(KAM_APPROVAL_STATE, default="draft", required=True, tracking=True, copy=False)

    # the database, not only Python, refuses two open registrations of one partner (concurrent requests)
    _partner_open_uniq = models.UniqueIndex(
        "(partner_id, company_id) WHERE state IN ('draft', 'approved')",
        "This company is already registered.",
    )

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("partner_id", "state", "company_id")
    def _check_registered_once(self):
        for registration in self.filtered(lambda r: r.state in OPEN_STATES):
            self._raise_if_registered(registration.partner_id, registration.company_id, registration)

    @api.model
    def _raise_if_registered(self, partner, company, current=None):
        other = self._find_open_registration(partner, company, current)
        if other:
            raise ValidationError(
                self.env._(
                    "%(company)s is already registered to %(owner)s (registration of %(date)s); "
                    "ask %(owner)s or the key-account director to hand it over.",
                    company=other.partner_id.display_name,
                    owner=other.user_id.name,
                    date=fields.Date.to_date(other.create_date),
                )
            )

    @api.constrains("user_id", "backup_user_id")
    def _check_backup(self):
        for registration in self:
            if registration.backup_user_id and registration.backup_user_id == registration.user_id:
                raise ValidationError(self.env._("The backup manager must be another person than the primary manager."))

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # before the insert: the unique index would refuse a duplicate without naming the owner
        for vals in vals_list:
            if vals.get("partner_id") and vals.get("state", "draft") in OPEN_STATES:
                self._raise_if_registered(
                    self.env["res.partner"].browse(vals["partner_id"]),
                    self.env["res.company"].browse(vals.get("company_id") or self.env.company.id),
                )
        registrations = super().create(vals_list)
        registrations.partner_id.sudo().filtered(lambda p: p.kam_registration_state == "none").write(
            {"kam_registration_state": "pending"}
        )
        return registrations

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_approve(self):
        self._kam_move("action_approve")
        self._apply_to_partners()
        return True

    def action_cancel(self):
        partners = self.partner_id
        self._kam_move_any("action_cancel", "cancel_approved")
        partners.sudo().filtered(lambda p: p.kam_registration_id in self or p.kam_registration_state == "pending").write(
            {"kam_registration_state": "none", "kam_registration_id": False}
        )
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _apply_to_partners(self):
        """The approved registration makes the partner a key account of its managers."""
        for registration in self.filtered(lambda r: r.state == "approved"):
            registration.partner_id.sudo().write(registration._prepare_partner_values())
            registration.partner_id.message_post(
                body=self.env._("Registered to %(owner)s.", owner=registration.user_id.name)
            )

    def _prepare_partner_values(self):
        # the approved prospect is a key account: a company, shown in 我的大客户 (is_company)
        return {
            "is_company": True,
            "kam_registration_state": "approved",
            "kam_registration_id": self.id,
            "kam_manager_id": self.user_id.id,
            "kam_backup_manager_id": self.backup_user_id.id,
            "kam_team_id": self.team_id.id,
            "kam_territory": self.territory,
        }

    @api.model
    def _find_open_registration(self, partner, company, current=None):
        """Another open registration of the same company: same partner, same tax ID or same name."""
        partner = partner.sudo().commercial_partner_id
        same_company = Domain("partner_id.commercial_partner_id", "=", partner.id)
        if partner.vat:
            same_company |= Domain("partner_id.vat", "=", partner.vat)
        same_company |= Domain("partner_id.name", "=ilike", (partner.name or "").strip())
        return self.sudo().search(
            Domain("id", "not in", (current or self.browse()).ids)
            & Domain("company_id", "=", company.id)
            & Domain("state", "in", OPEN_STATES)
            & same_company,
            limit=1,
        )
