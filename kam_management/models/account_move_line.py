from markupsafe import escape

from odoo import api, models
from odoo.exceptions import ValidationError
from odoo.tools.mail import generate_tracking_message_id

INCOME_ACCOUNT_TYPES = ("income", "income_other")
# AC4: what of a frozen bank line's journal items changes no more after the sign-off (reconciling them still works)
KAM_FROZEN_LINE_FIELDS = {"account_id", "partner_id", "debit", "credit", "balance", "amount_currency", "currency_id",
                          "move_id", "date"}
# AC6 (issue 18): and what prices an item of a posted desk fee invoice or credit note
KAM_KEPT_LINE_FIELDS = KAM_FROZEN_LINE_FIELDS | {
    "price_unit", "quantity", "discount", "tax_ids", "product_id", "product_uom_id", "price_subtotal", "price_total",
    "display_type", "tax_line_id", "tax_repartition_line_id", "name",
}


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        moves = self.env["account.move"].browse({vals["move_id"] for vals in vals_list if vals.get("move_id")})
        moves.statement_line_id._kam_check_not_frozen()
        moves._kam_check_kept({"line_ids": [True]})
        moves._kam_check_period_open()
        return super().create(vals_list)

    def write(self, vals):
        moves = self.move_id
        changed = self.filtered(
            lambda line: any(moves._kam_field_changes(name, vals, line) for name in KAM_KEPT_LINE_FIELDS & set(vals))
        )
        if changed:
            changed.move_id._kam_check_kept({"line_ids": [True]})
        if KAM_FROZEN_LINE_FIELDS & set(vals):
            self.move_id.statement_line_id._kam_check_not_frozen()
            if changed:
                changed.move_id._kam_check_period_open()
        return super().write(vals)

    def unlink(self):
        self.move_id.statement_line_id._kam_check_not_frozen()
        self.move_id._kam_check_kept({"line_ids": [True]})
        self.move_id._kam_check_period_open()
        return super().unlink()

    def _kam_write_booking(self, vals):
        """The sign-off's booking of frozen bank lines' suspense items (private: no client calls it).

        The audit trail stays Odoo's: each changed item of a posted entry is logged on its entry ("Journal Item
        #id updated", with the old and new account and partner). Odoo logs them one message at a time (a create
        of two rows per line, half the booking's time); the booking writes the same messages in one create."""
        tracked = [name for name in vals if getattr(self._fields[name], "tracking", False) and not self._fields[name].related]
        logged = self.filtered(lambda line: line.move_id.posted_before)
        initial = {line: {name: line[name] for name in tracked} for line in logged}
        result = super(AccountMoveLine, self.with_context(tracking_disable=True)).write(vals)
        ref_fields = self.fields_get(tracked)
        bodies, trackings = [], []
        for line, values in initial.items():
            tracking = line._mail_track(ref_fields, values)[1]
            if tracking:
                bodies.append((line.move_id, self.env._("Journal Item %s updated", line._get_html_link(title=f"#{line.id}"))))
                trackings.append(tracking)
        if bodies:
            Move = self.env["account.move"]
            author_id, email_from = Move._message_compute_author()
            base = {
                "author_id": author_id,
                "email_from": email_from,
                "model": Move._name,
                "record_alias_domain_id": False,
                "record_company_id": False,
                "message_type": "notification",
                "is_internal": True,
                "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                "email_add_signature": False,
                "reply_to": Move._notify_get_reply_to(default=email_from, author_id=author_id)[False],
            }
            messages = Move.sudo()._message_create(
                [
                    dict(base, res_id=move.id, body=escape(body), message_id=generate_tracking_message_id("message-notify"))
                    for move, body in bodies
                ]
            )
            # the tracking values too in one create (through the messages' one2many they would be one INSERT each)
            self.env["mail.tracking.value"].sudo().create(
                [
                    dict(values, mail_message_id=message.id)
                    for message, tracking in zip(messages, trackings, strict=True)
                    for _command, _id, values in tracking
                ]
            )
        return result

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("account_id", "journal_id", "parent_state")
    def _check_kam_joint_no_income(self):
        # AC2: money on a joint account is the employer's entrusted loan; an edited
        # statement entry must not turn it into revenue either (posting is checked on the move)
        for line in self:
            if line.parent_state == "posted" and line.journal_id.kam_is_joint and line.account_id.account_type in INCOME_ACCOUNT_TYPES:
                raise ValidationError(
                    self.env._(
                        "%(journal)s is a joint account: its entries cannot book income (%(account)s). "
                        "Transfers in are entrusted loans.",
                        journal=line.journal_id.display_name,
                        account=line.account_id.display_name,
                    )
                )
