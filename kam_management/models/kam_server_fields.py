from odoo import api, models
from odoo.exceptions import UserError

MODULE = "kam_management"
# the ORM's own bookkeeping and the chatter's: not the module's to guard
UNGUARDED = {"id", "create_uid", "create_date", "write_uid", "write_date", "display_name"}
UNGUARDED_PREFIXES = ("message_", "activity_", "website_message", "rating_")


class Base(models.AbstractModel):
    """SEC6, issue 18: a read-only stored field of the module (a computed total, a related value, a reference
    number, who did what) is the server's. No client writes it, whatever model and whoever calls; the module's
    own code writes it under ``sudo()`` after its checks. Nor at creation: sent in the values it is refused, sent
as a ``default_`` of the context it is dropped. Declared once here for every model, so a new
    read-only field is guarded without anyone listing it (``test_access_matrix`` proves it field by field)."""

    _inherit = "base"

    @api.model_create_multi
    def create(self, vals_list):
        records = self
        if not self.env.su:
            server = self._kam_server_fields()
            if server:
                # computed ones only: the model's own ``create`` may have put the others in (a reference from its
                # numbering, who did what), and a reference a client sends is refused by ``_kam_take_references``
                computed = {name for name in server if self._fields[name].compute}
                forced = set().union(*(computed.intersection(vals) for vals in vals_list))
                if forced:
                    self.check_access("create")
                    self._kam_refuse_server_fields(forced)
                # a default sent in the context is a value sent at creation too: the server's fields take their
                # own (compute or code), so such defaults are dropped, not applied
                sent = [key for key in self.env.context if key.startswith("default_") and key[8:] in server]
                if sent:
                    records = self.with_context({k: v for k, v in self.env.context.items() if k not in sent})
        return super(Base, records).create(vals_list)

    def write(self, vals):
        if not self.env.su and vals:
            forced = self._kam_server_fields().intersection(vals)
            if forced:
                self.check_access("write")  # who may not write the record at all is told so first
                self._kam_refuse_server_fields(forced)
        return super().write(vals)

    def _kam_take_references(self, vals_list, code, placeholder="/"):
        """Give each new document its reference from the ``code`` numbering of its company. The reference is the
        server's: one a client sends is refused (SEC6); data files and the module's own code (``sudo``) may."""
        for vals in vals_list:
            if vals.get("name", placeholder) == placeholder:
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).sudo().next_by_code(code) or placeholder
            elif not self.env.su:
                raise UserError(
                    self.env._("The reference of a %(document)s is given by its numbering.",
                               document=self.env["ir.model"]._get(self._name).name)
                )

    def _kam_refuse_server_fields(self, forced):
        raise UserError(
            self.env._(
                "%(fields)s of %(document)s change only through the document's buttons.",
                fields=", ".join(sorted(self._fields[name].get_description(self.env)["string"] for name in forced)),
                document=self.env["ir.model"]._get(self._name).name,
            )
        )

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
