from odoo import models
from odoo.exceptions import UserError

MODULE = "kam_management"
# the ORM's own bookkeeping and the chatter's: not the module's to guard
UNGUARDED = {"id", "create_uid", "create_date", "write_uid", "write_date", "display_name"}
UNGUARDED_PREFIXES = ("message_", "activity_", "website_message", "rating_")


class Base(models.AbstractModel):
    """SEC6, issue 18: a read-only stored field of the module (a computed total, a related value, a reference
    number, who did what) is the server's. No client writes it, whatever model and whoever calls; the module's
    own code writes it under ``sudo()`` after its checks. Declared once here for every model, so a new
    read-only field is guarded without anyone listing it (``test_access_matrix`` proves it field by field)."""

    _inherit = "base"

    def write(self, vals):
        if not self.env.su and vals:
            forced = self._kam_server_fields().intersection(vals)
            if forced:
                self.check_access("write")  # who may not write the record at all is told so first
                raise UserError(
                    self.env._(
                        "%(fields)s of %(document)s change only through the document's buttons.",
                        fields=", ".join(
                            sorted(self._fields[name].get_description(self.env)["string"] for name in forced)
                        ),
                        document=self.env["ir.model"]._get(self._name).name,
                    )
                )
        return super().write(vals)

    def _kam_server_fields(self):
        """The stored read-only fields the module defines on this model (all of them on its own models; none on a
        wizard, whose read-only fields show its own results to the user who fills it in)."""
        cls = type(self)
        names = cls.__dict__.get("_kam_server_field_names")
        if names is None:
            own = cls._original_module == MODULE
            names = frozenset() if cls._transient else frozenset(
                name
                for name, field in self._fields.items()
                if field.store
                and field.readonly
                and not field.inverse
                and name not in UNGUARDED
                and not name.startswith(UNGUARDED_PREFIXES)
                and (own or MODULE in field._modules)
            )
            cls._kam_server_field_names = names
        return names
