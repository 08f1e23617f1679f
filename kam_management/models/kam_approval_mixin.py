from odoo import api, models
from odoo.exceptions import UserError

# What may still change on an approved document: its state (cancel, restore) and its chatter.
EDITABLE_AFTER_APPROVAL_PREFIXES = ("message_", "activity_", "review_")


class KamApprovalMixin(models.AbstractModel):
    """OCA tier validation whose approval moves the document on.

    ``base_tier_validation`` blocks the transition from ``_state_from`` to
    ``_state_to`` until every review is approved, but leaves the document
    where it is afterwards (a known user ask, server-ux#196). Our documents
    name the transition in ``_kam_approve_action``; when the last reviewer
    approves, that action runs, so approving *is* applying.
    """

    _name = "kam.approval.mixin"
    _description = "Key-Account Approval"
    _inherit = ["mail.thread", "mail.activity.mixin", "tier.validation"]
    _tier_validation_manual_config = False
    _kam_approve_action = "action_approve"
    # Fields the document itself still writes once approved (a later payment, say); everything else is locked.
    _kam_editable_after_approval = ()
    # States after the approval (paid, say) that stay locked like ``_state_to``.
    _kam_locked_after_approval_states = ()

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # a document starts in its first state: nobody creates it approved, or past a step
            for vals in vals_list:
                if vals.get(self._state_field, self._state_from[0]) != self._state_from[0]:
                    vals.pop(self._state_field)
        return super().create(vals_list)

    def write(self, vals):
        self._check_approved_locked(vals)
        if self._state_field in vals:
            # a state write may validate the writer's own reviews: do not re-enter the action
            self = self.with_context(kam_state_write=True)
        return super().write(vals)

    def _validate_tier(self, tiers=False):
        result = super()._validate_tier(tiers)
        if (
            not self.env.context.get("kam_state_write")
            and self.validation_status == "validated"
            and self[self._state_field] in self._state_from
        ):
            # the reviewer approved; the document moves on even if the reviewer may not edit it
            getattr(self.sudo(), self._kam_approve_action)()
        return result

    def _check_approved_locked(self, vals):
        """An approved document is evidence: only its state, its chatter and the fields the model names in
        ``_kam_editable_after_approval`` move (SEC2)."""
        if self.env.su:
            return
        changed = [
            name
            for name in vals
            if name not in (self._state_field, "validation_status", *self._kam_editable_after_approval)
            and not name.startswith(EDITABLE_AFTER_APPROVAL_PREFIXES)
        ]
        if changed:
            self._kam_check_not_approved()

    def _kam_check_not_approved(self):
        """Refuse to change an approved document; its lines call this on their document too."""
        locked_states = (*self._state_to, *self._kam_locked_after_approval_states)
        approved = self.filtered(lambda record: record[self._state_field] in locked_states)
        if approved:
            raise UserError(
                self.env._(
                    "%(document)s is approved and can no longer be changed; cancel it and ask again.",
                    document=approved[0].display_name,
                )
            )
