from odoo import api, fields, models


class TierReview(models.Model):
    """OCA's review lines, readable as a to-do list: which document, of which kind, opened in one click.

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
