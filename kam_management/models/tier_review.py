from odoo import api, fields, models
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

    Reviews are also a to-do list: which document, of which kind, opened in one click.

    The approvals screen and its report (approvals waiting per approver)
    group the reviews by ``kam_model``, whose label is the model's translated
    name, where OCA only keeps the technical ``model``.
    """

    _inherit = "tier.review"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # a Selection, not a Many2one to ir.model: approvers may not read ir.model, and the label is
    # the model's name in the reader's language
    kam_model = fields.Selection(
        selection="_kam_selection_models", string="Document Type", compute="_compute_kam_model", store=True,
        index=True,
    )
    kam_document_name = fields.Char(string="Document", compute="_compute_kam_document_name")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.model
    def _kam_selection_models(self):
        names = self.env["tier.definition"]._get_tier_validation_model_names()
        models = self.env["ir.model"].sudo().search([("model", "in", names)])
        return [(model.model, model.name) for model in models]

    @api.depends("model")
    def _compute_kam_model(self):
        known = {code for code, _label in self._kam_selection_models()}
        for review in self:
            review.kam_model = review.model if review.model in known else False

    def _compute_todo_by(self):
        # OCA's "Group %s" is a code term of base_tier_validation, untranslated in its zh_CN: ours
        super()._compute_todo_by()
        for review in self.filtered("reviewer_group_id"):
            review.todo_by = self.env._("Group %s", review.reviewer_group_id.name)

    @api.depends("model", "res_id")
    def _compute_kam_document_name(self):
        for model_name, reviews in self.grouped("model").items():
            if not model_name or model_name not in self.env:
                reviews.kam_document_name = False
                continue
            documents = self.env[model_name].browse(reviews.mapped("res_id")).exists()
            # only what the reader may read is named
            names = dict(documents._filtered_access("read").mapped(lambda d: (d.id, d.display_name)))
            for review in reviews:
                review.kam_document_name = names.get(review.res_id, False)

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_kam_open_document(self):
        self.ensure_one()
        document = self.env[self.model].browse(self.res_id)
        document.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": self.model,
            "res_id": self.res_id,
            "views": [(False, "form")],
            "target": "current",
        }

    # ------------------------------------------------------------
    # CRUD METHODS (reviews are evidence)
    # ------------------------------------------------------------

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
