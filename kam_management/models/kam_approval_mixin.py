from lxml import etree

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

# OCA context keys that open base_tier_validation's own checks: a client never gets them through.
TIER_VALIDATION_BYPASS_KEYS = ("skip_validation_check", "skip_check_state_condition")

# the states of a document that is simply requested, approved or cancelled
KAM_APPROVAL_STATE = [
    ("draft", "Requested"),
    ("approved", "Approved"),
    ("cancel", "Cancelled"),
]


class KamApprovalMixin(models.AbstractModel):
    """A lifecycle document approved through an OCA tier-validation chain.

    ``kam.lifecycle.mixin`` moves the document; ``base_tier_validation`` keeps
    the reviews. The two meet here:

    * ``request_validation`` refuses a document no ``tier.definition`` applies
      to — no chain, no approval (never a one-click approval by the requester);
    * from the request on, the header and its lines are locked
      (``_kam_is_locked``), whatever OCA context key the client sends;
    * a review is validated or rejected only by one of its ``reviewer_ids``,
      through ``validate_tier`` / ``reject_tier``; the reviews are written
      under ``sudo()`` after that check (``tier.review`` refuses every other
      write, see ``tier_review.py``);
    * when the last review is approved, ``_kam_approve_action`` runs (under
      ``sudo()``: the reviewer may not be allowed to edit the document); that
      action moves the document with ``_kam_move`` which, for the approval,
      checks again that every review was approved by one of its reviewers.

    Models name ``_state_from`` (the states that wait for approval),
    ``_state_to`` (the approved state, first item), ``_cancel_state`` and
    ``_kam_approve_action``; the approval transition is declared for them
    unless ``_kam_transitions`` declares it itself.
    """

    _name = "kam.approval.mixin"
    _description = "Key-Account Approval"
    _inherit = ["kam.lifecycle.mixin", "tier.validation", "mail.thread", "mail.activity.mixin"]
    _tier_validation_manual_config = False
    _kam_approve_action = "action_approve"
    # groups that may ask for the approval (empty: whoever may edit the document)
    _kam_request_groups = ()

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    kam_can_request = fields.Boolean(
        compute="_compute_kam_can_request",
        string="May Request Approval",
        help="The current user may request or withdraw the approval (the server checks it again).",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends_context("uid")
    def _compute_kam_can_request(self):
        # the user-level part of _kam_check_may_request / restart_validation: write access and request groups
        allowed = self._filtered_access("write")
        if self._kam_request_groups and not self.env.su:
            if not any(self.env.user.has_group(group) for group in self._kam_request_groups):
                allowed = self.browse()
        for record in self:
            record.kam_can_request = record in allowed

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if not self.env.su:
            self = self._kam_without_tier_bypass()
        return super().write(vals)

    def _compute_next_review(self):
        # OCA's "Next: %s" is a code term of base_tier_validation, untranslated in its zh_CN: ours
        super()._compute_next_review()
        for record in self.filtered("next_review"):
            review = record.review_ids.sorted("sequence").filtered(lambda r: r.status == "pending")[:1]
            record.next_review = self.env._("Next: %s", review.name)

    @api.model
    def get_view(self, view_id=None, view_type="form", **options):
        """OCA's Request / Restart Validation buttons are hidden from the users the server would refuse."""
        res = super().get_view(view_id=view_id, view_type=view_type, **options)
        if view_type != "form":
            return res
        doc = etree.XML(res["arch"])
        buttons = doc.xpath("//header/button[@name='request_validation' or @name='restart_validation']")
        if not buttons:
            return res
        for button in buttons:
            invisible = button.get("invisible")
            button.set("invisible", f"({invisible}) or not kam_can_request" if invisible else "not kam_can_request")
        buttons[0].addprevious(etree.Element("field", name="kam_can_request", invisible="1"))
        res["arch"] = etree.tostring(doc, encoding="unicode")
        models_fields = dict(res["models"])
        models_fields[self._name] = tuple({*models_fields.get(self._name, ()), "kam_can_request"})
        res["models"] = models_fields
        return res

    # ------------------------------------------------------------
    # LIFECYCLE
    # ------------------------------------------------------------

    def _kam_get_transition(self, action):
        if action == self._kam_approve_action and action not in self._kam_transitions:
            return (tuple(self._state_from), self._state_to[0], ())
        return super()._kam_get_transition(action)

    def _kam_move(self, action, vals=None):
        if action == self._kam_approve_action:
            self._kam_check_validated()
            # OCA's need_validation has no dependencies: a value cached before the request would make its
            # write ask for a second validation
            self.invalidate_recordset(["need_validation", "validation_status"])
        return super()._kam_move(action, vals)

    def _kam_is_locked(self):
        state = self[self._state_field]
        if state in self._kam_locked_states or state in self._state_to:
            return True
        # what the reviewers see does not change under them: locked from the request on
        return state in self._state_from and bool(self.sudo().review_ids)

    # ------------------------------------------------------------
    # TIER VALIDATION
    # ------------------------------------------------------------

    def request_validation(self):
        for record in self:
            record._kam_check_may_request()
        # tier.review is written by the validation methods only, under sudo (uid stays the requester's)
        created = super(KamApprovalMixin, self.sudo()).request_validation()
        self._kam_tell_reviewers()
        return created.with_env(self.env)

    def restart_validation(self):
        """Withdraw the request (before the approval): the reviews go, the document can be edited again."""
        for record in self:
            if record[self._state_field] not in self._state_from:
                raise UserError(self.env._("%(document)s is no longer waiting for approval.", document=record.display_name))
            record.check_access("write")
        result = super(KamApprovalMixin, self.sudo()).restart_validation()
        self._kam_tell_reviewers()
        return result

    def validate_tier(self):
        self.ensure_one()
        self._kam_check_reviewer()
        return super(KamApprovalMixin, self.sudo()).validate_tier()

    def reject_tier(self):
        self.ensure_one()
        self._kam_check_reviewer()
        return super(KamApprovalMixin, self.sudo()).reject_tier()

    def _validate_tier(self, tiers=False):
        self.ensure_one()
        if not self.env.su:
            # the comment wizard calls this with review ids sent by the client
            tiers = self._kam_reviews_of_current_user(tiers)
            self = self.sudo()
        result = super()._validate_tier(tiers and tiers.sudo())
        if self.validation_status == "validated" and self[self._state_field] in self._state_from:
            # the last reviewer approved: the document moves on even if that reviewer may not edit it
            getattr(self.sudo(), self._kam_approve_action)()
        self._kam_tell_reviewers()
        return result

    def _rejected_tier(self, tiers=False):
        self.ensure_one()
        if not self.env.su:
            tiers = self._kam_reviews_of_current_user(tiers)
            self = self.sudo()
        result = super()._rejected_tier(tiers and tiers.sudo())
        self._kam_tell_reviewers()
        return result

    def _kam_tell_reviewers(self):
        """An activity for each reviewer whose turn it is (the pending reviews); done or withdrawn ones go."""
        self.sudo().review_ids._update_review_status()
        self._kam_set_todo(
            "kam_management.mail_activity_type_kam_review",
            lambda record: record.review_ids.filtered(lambda r: r.status == "pending").reviewer_ids,
            self.env._("Approve or reject"),
        )

    @api.model
    def _update_counter(self, review_counter):
        return super(KamApprovalMixin, self.sudo())._update_counter(review_counter)

    def _check_state_from_condition(self):
        # OCA lets the context key ``skip_check_state_condition`` pretend the document waits for approval
        return (
            self._state_field in self._fields
            and self._tier_validation_get_current_state_value() in self._state_from
        )

    def _tier_validation_check_write_allowed(self, vals):
        if not self.env.su:
            self = self._kam_without_tier_bypass()
        return super()._tier_validation_check_write_allowed(vals)

    # ------------------------------------------------------------
    # CHECKS
    # ------------------------------------------------------------

    def _kam_check_may_request(self):
        self.ensure_one()
        if self[self._state_field] not in self._state_from:
            raise UserError(self.env._("%(document)s is not waiting for approval.", document=self.display_name))
        self.check_access("write")
        if self._kam_request_groups and not self.env.su:
            if not any(self.env.user.has_group(group) for group in self._kam_request_groups):
                raise AccessError(
                    self.env._("You are not allowed to ask for the approval of %(document)s.", document=self.display_name)
                )
        if self.sudo().review_ids:
            raise UserError(self.env._("The approval of %(document)s is already requested.", document=self.display_name))
        if not self._kam_applicable_definitions():
            raise UserError(self._kam_no_chain_message())

    def _kam_applicable_definitions(self):
        """The tier definitions that apply to this document now (its company's and the shared ones)."""
        self.ensure_one()
        definitions = (
            self.env["tier.definition"]
            .sudo()
            .with_context(active_test=True)
            .search(Domain("model", "=", self._name) & Domain("company_id", "in", [False, *self._get_company().ids]))
        )
        return definitions.filtered(lambda definition: self.sudo().evaluate_tier(definition))

    def _kam_no_chain_message(self):
        return self.env._(
            "No approval chain applies to %(document)s: it cannot be approved. Ask the administrator to set up "
            "its tier definitions.",
            document=self.display_name,
        )

    def _kam_check_reviewer(self):
        """The current user must have a review of this document to do at this step."""
        if self.env.su:
            return
        if not self.sudo()._get_sequences_to_approve(self.env.user):
            raise AccessError(
                self.env._("You have no review of %(document)s to do at this step.", document=self.display_name)
            )

    def _kam_reviews_of_current_user(self, tiers):
        """Of ``tiers`` (the document's reviews when empty), those the current user may do now."""
        self._kam_check_reviewer()
        document = self.sudo()
        sequences = document._get_sequences_to_approve(self.env.user)
        reviews = document.review_ids.filtered(
            lambda review: review.sequence in sequences
            and review.status in ("waiting", "pending")
            and self.env.user in review.reviewer_ids
        )
        if tiers:
            reviews &= tiers.sudo()
        if not reviews:
            raise AccessError(
                self.env._("You have no review of %(document)s to do at this step.", document=self.display_name)
            )
        return reviews

    def _kam_check_validated(self):
        """The approval happens only when every review was approved by one of its reviewers."""
        for record in self.sudo():
            reviews = record.review_ids
            if not reviews:
                if not record._kam_applicable_definitions():
                    raise ValidationError(record._kam_no_chain_message())
                raise ValidationError(
                    self.env._(
                        "%(document)s needs its approval chain: request the validation and wait for the reviewers.",
                        document=record.display_name,
                    )
                )
            unreviewed = reviews.filtered(
                lambda review: review.status != "approved" or not review.done_by or review.done_by not in review.reviewer_ids
            )
            if unreviewed:
                raise ValidationError(
                    self.env._(
                        "%(document)s is not approved by all its reviewers yet (%(review)s).",
                        document=record.display_name,
                        review=unreviewed[0].name or unreviewed[0].display_name,
                    )
                )

    def _kam_without_tier_bypass(self):
        if any(self.env.context.get(key) for key in TIER_VALIDATION_BYPASS_KEYS):
            return self.with_context(**dict.fromkeys(TIER_VALIDATION_BYPASS_KEYS, False))
        return self
