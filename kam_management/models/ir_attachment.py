from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

# files kept as evidence: (model, field) of the records that keep them
KEPT_FILES = (("kam.joint.reconciliation", "report_attachment_id"),)


class IrAttachment(models.Model):
    """A kept file (the signed reconciliation's XLSX, whose SHA-256 the record shows) is never replaced or
    deleted: the attachment's own form, ``write`` and ``unlink`` are refused to everyone but ``sudo()``."""

    _inherit = "ir.attachment"

    def write(self, vals):
        if not self.env.su:
            self._kam_check_not_kept()
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            self._kam_check_not_kept()
        return super().unlink()

    def _kam_check_not_kept(self):
        if not self.ids:
            return
        queries = []
        for model_name, field_name in KEPT_FILES:
            model = self.env[model_name]
            column = SQL.identifier(model._table, field_name, to_flush=model._fields[field_name])
            queries.append(SQL("SELECT %s FROM %s WHERE %s = ANY(%s)", column, SQL.identifier(model._table), column,
                               list(self.ids)))
        kept = self.env.execute_query(SQL("%s LIMIT 1", SQL(" UNION ALL ").join(queries)))
        if kept:
            raise UserError(
                self.env._(
                    "%(file)s is a signed document's kept file: it cannot be changed or deleted.",
                    file=self.browse(kept[0][0]).sudo().name,
                )
            )
