from odoo import api, models
from odoo.exceptions import UserError


class KamWorkflowMixin(models.AbstractModel):
    """Fields that only a document's own buttons set.

    ``readonly=True`` only keeps a field out of the form: a user with write
    access could still send ``state`` (or a sign-off) over RPC and skip the
    checks of the ``action_*`` method that normally sets it. The fields named
    in ``_kam_workflow_fields`` are therefore written only through
    :meth:`_kam_workflow_write` (or as superuser); on create they take their
    defaults.
    """

    _name = "kam.workflow.mixin"
    _description = "Key-Account Workflow Fields"
    _kam_workflow_fields = ("state",)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                for name in self._kam_workflow_fields:
                    vals.pop(name, None)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and not self.env.context.get("kam_workflow"):
            forced = [name for name in self._kam_workflow_fields if name in vals]
            if forced:
                raise UserError(
                    self.env._(
                        "%(fields)s of %(document)s change only through the document's buttons.",
                        fields=", ".join(self._fields[name].get_description(self.env)["string"] for name in forced),
                        document=self.env["ir.model"]._get(self._name).name,  # translated, unlike _description
                    )
                )
        return super().write(vals)

    def _kam_workflow_write(self, vals):
        """Write workflow fields from an action method, after its checks."""
        return self.with_context(kam_workflow=True).write(vals)
