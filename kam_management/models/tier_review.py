from odoo import api, models
from odoo.exceptions import AccessError

# What a reviewer may still type on their own open review: the comment wizard writes it.
REVIEWER_EDITABLE_FIELDS = {"comment"}


class TierReview(models.Model):
    """A review is evidence: it changes only through the document's validation methods.

    ``base_tier_validation`` gives every internal user full access to
    ``tier.review``; over RPC a user could then write ``status = "approved"``
    on their own reviews and approve the document. Here a review is created,
    written and deleted only under ``sudo()`` (by ``kam.approval.mixin``'s
    ``request_validation`` / ``validate_tier`` / ``reject_tier`` after their
    checks); a user keeps read access and may type the comment of an open
    review assigned to them.
    """

    _inherit = "tier.review"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._kam_raise_review_write()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and self:
            own_open = all(
                review.status in ("waiting", "pending") and self.env.user in review.sudo().reviewer_ids
                for review in self
            )
            if not (set(vals) <= REVIEWER_EDITABLE_FIELDS and own_open):
                self._kam_raise_review_write()
        return super().write(vals)

    def unlink(self):
        if not self.env.su and self:
            self._kam_raise_review_write()
        return super().unlink()

    def _update_review_status(self):
        # promoting the next step to pending is the workflow's own write (the systray calls it as the user)
        return super(TierReview, self.sudo())._update_review_status()

    def _kam_raise_review_write(self):
        raise AccessError(
            self.env._(
                "Reviews change only through the document's Validate and Reject buttons, by their reviewers."
            )
        )

    def _send_review_reminder(self):
        return super(TierReview, self.sudo())._send_review_reminder()
