from odoo import models


class KamApprovalMessages(models.AbstractModel):
    """The chatter and banner texts of OCA ``base_tier_validation``, spoken by our module.

    Odoo translates a Python string with the ``.po`` files of the module whose
    code holds it, and the OCA wheel's ``zh_CN.po`` leaves these texts
    empty: on our forms a Chinese user would read "A review was accepted" or
    "This Tier Review needs to be validated". The same English texts are
    written here, so our ``zh_CN.po`` translates them. Only the wording moves;
    when and to whom the messages go stays OCA's.
    """

    _inherit = "kam.approval.mixin"

    # ------------------------------------------------------------
    # BANNERS
    # ------------------------------------------------------------

    def _get_to_validate_message(self):
        icon = '<i class="fa fa-lg fa-info-circle"></i>'
        pending = self.review_ids.filtered(lambda r: r.status == "pending")[:1]
        if pending and pending.todo_by:
            return self.env._("%(icon)s Pending validation by %(todo_by)s", icon=icon, todo_by=pending.todo_by)
        return self.env._(
            "%(icon)s This %(model_name)s needs to be validated",
            icon=icon,
            model_name=self._get_to_validate_message_name(),
        )

    def _get_to_validate_message_name(self):
        # the model's description in the reader's language, not the English _description
        model = self.env["ir.model"]._get(self._name)
        return model.name or super()._get_to_validate_message_name()

    def _get_validated_message(self):
        message = '<i class="fa fa-thumbs-up"></i> %s' % self.env._("Operation has been <b>validated</b>!")
        return self.validation_status == "validated" and message or ""

    def _get_rejected_message(self):
        message = '<i class="fa fa-thumbs-down"></i> %s' % self.env._("Operation has been <b>rejected</b>.")
        return self.validation_status == "rejected" and message or ""

    # ------------------------------------------------------------
    # CHATTER
    # ------------------------------------------------------------

    def _kam_reviewer_comment(self):
        commented = self.review_ids.filtered(lambda r: self.env.user in r.reviewer_ids and r.comment)
        return commented.mapped("comment")[0] if commented else False

    def _notify_accepted_reviews_body(self):
        comment = self._kam_reviewer_comment()
        if comment:
            return self.env._("A review was accepted. (%s)", comment)
        return self.env._("A review was accepted")

    def _notify_rejected_review_body(self):
        comment = self._kam_reviewer_comment()
        if comment:
            return self.env._(
                "A review was rejected by %(user)s. (%(comment)s)", user=self.env.user.name, comment=comment
            )
        return self.env._("A review was rejected by %s.", self.env.user.name)

    def _notify_created_review_body(self):
        return self.env._("A record to be reviewed has been created by %s.", self.env.user.name)

    def _notify_requested_review_body(self, tier_reviews=None):
        if tier_reviews:
            requester = tier_reviews[:1].requested_by or self.env.user
            assignees = ", ".join(filter(None, tier_reviews.mapped("todo_by"))) or self.env._(
                "the assigned reviewer"
            )
            return self.env._(
                "Review pending for %(assignees)s, requested by %(requester)s.",
                assignees=assignees,
                requester=requester.display_name,
            )
        return self.env._("A review has been requested by %s.", self.env.user.display_name)

    def _notify_restarted_review_body(self):
        return self.env._("The review has been reset by %s.", self.env.user.name)
