from odoo import api, fields, models


class TierReview(models.Model):
    """OCA's review lines, readable as a to-do list: which document, of which kind, opened in one click.

    The approvals screen and its report (approvals waiting per approver)
    group the reviews by ``kam_model_id``, a stored Many2one whose label is
    the model's translated name, where OCA only keeps the technical ``model``.
    """

    _inherit = "tier.review"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    kam_model_id = fields.Many2one(
        "ir.model", string="Document Type", compute="_compute_kam_model_id", store=True, index=True,
        ondelete="cascade",
    )
    kam_document_name = fields.Char(string="Document", compute="_compute_kam_document_name")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("model")
    def _compute_kam_model_id(self):
        models_by_name = {model.model: model for model in self.env["ir.model"].sudo().search(
            [("model", "in", list(set(self.mapped("model"))))]
        )}
        for review in self:
            review.kam_model_id = models_by_name.get(review.model, False)

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
