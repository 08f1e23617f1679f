import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import mute_logger

HOLDING_CHANNEL = [
    ("ka", "Key-Account Contract"),
    ("relation", "Relationship Housing"),
    ("retail", "Retail"),
]
HOLDING_STATE = [
    ("active", "Active"),
    ("released", "Released"),
]
# What a user may still change on a holding: its chatter. Everything else is history, written by the
# flows that hold and release (allocations, requests, the retail reserve and release actions).
HOLDING_FREE_PREFIXES = ("message_", "activity_", "website_message")
RETAIL_GROUPS = ("kam_management.group_kam_sales", "kam_management.group_kam_manager")


class KamUnitHolding(models.Model):
    """Who holds a unit of the sales control table (HS2, SEC4).

    A unit has at most one *active* holding, whichever the channel: a
    key-account contract (through an approved allocation), a relationship
    request, or a retail reservation. The guarantee is the partial unique
    index below, so two transactions cannot both commit a holder; ``create``
    also locks the units without waiting, so the second of two concurrent
    requests is refused at once with a clear message instead of hanging.
    Releasing keeps the row (history), it never deletes it.

    Users never create or write holdings directly: allocations and requests
    hold their units when approved (under ``sudo()``), retail sales use the
    reserve and release actions of the unit (``action_kam_reserve_retail``,
    ``action_kam_release_retail``). Unit, channel, references, dates and who
    released are immutable.
    """

    _name = "kam.unit.holding"
    _description = "Unit Holding"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _rec_name = "unit_id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    unit_id = fields.Many2one("kam.housing.unit", required=True, ondelete="restrict", index=True)
    project_id = fields.Many2one(related="unit_id.project_id", store=True)
    company_id = fields.Many2one(related="unit_id.company_id", store=True, index=True)
    channel = fields.Selection(HOLDING_CHANNEL, required=True, tracking=True)
    state = fields.Selection(HOLDING_STATE, required=True, default="active", tracking=True)
    contract_id = fields.Many2one("kam.housing.contract", ondelete="restrict", index="btree_not_null")
    allocation_id = fields.Many2one("kam.unit.allocation", ondelete="restrict", index="btree_not_null")
    relation_request_id = fields.Many2one(
        "kam.relation.request", ondelete="restrict", index="btree_not_null"
    )
    ticket_id = fields.Many2one(
        "kam.room.ticket", ondelete="restrict", index="btree_not_null",
        help="The room-selection ticket of the buyer who chose the unit (HS11).",
    )
    holder_name = fields.Char(help="Retail customer or reference of the holder.")
    date_start = fields.Datetime(default=fields.Datetime.now, required=True)
    date_released = fields.Datetime()
    released_by_id = fields.Many2one("res.users")

    # 一房多卖 is impossible: the database keeps one active holder per unit.
    _one_active_holder = models.UniqueIndex(
        "(unit_id) WHERE state = 'active'",
        "This unit already has an active holder in the sales control table.",
    )
    _channel_reference = models.Constraint(
        "CHECK(channel != 'ka' OR contract_id IS NOT NULL)",
        "A key-account holding must name its contract.",
    )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Units are held by approved allocations and relationship requests, or reserved by retail "
                    "sales with the Reserve action of the unit; a holding cannot be created directly."
                )
            )
        unit_ids = [vals["unit_id"] for vals in vals_list if vals.get("state", "active") == "active"]
        if unit_ids:
            self._lock_units_for_holding(unit_ids)
            self._check_units_free(unit_ids)
        try:
            with self.env.cr.savepoint():
                holdings = super().create(vals_list)
                self.flush_model()
        except psycopg2.errors.UniqueViolation:
            raise ValidationError(
                self.env._("One of these units already has an active holder in the sales control table.")
            ) from None
        holdings.unit_id._kam_notify_sales_control()
        return holdings

    def write(self, vals):
        if not self.env.su and any(not name.startswith(HOLDING_FREE_PREFIXES) for name in vals):
            raise AccessError(
                self.env._(
                    "A holding of the sales control table is history: its unit, holder, dates and release "
                    "cannot be edited. Release it with the Release action and reserve again."
                )
            )
        if vals.get("state") == "active":
            reactivated = self.filtered(lambda h: h.state != "active")
            if reactivated:
                raise ValidationError(self.env._("A released holding cannot be reactivated; create a new one."))
        result = super().write(vals)
        if "state" in vals:
            self.unit_id._kam_notify_sales_control()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        raise ValidationError(
            self.env._("Holdings of the sales control table are history: release them, do not delete them.")
        )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_channel_rights(self, channels):
        """Retail sales (and directors) reserve and release retail holdings only; key-account and
        relationship holdings are taken and released by their allocations, contracts and requests."""
        if self.env.su:
            return
        if channels - {"retail"}:
            raise AccessError(
                self.env._("Only approved allocations and requests hold or release key-account and relationship units.")
            )
        if not any(self.env.user.has_group(group) for group in RETAIL_GROUPS):
            raise AccessError(self.env._("Only retail sales reserve and release retail units."))

    def _lock_units_for_holding(self, unit_ids):
        """Lock the unit rows without waiting: a concurrent taker fails at once."""
        try:
            # the refusal is expected under concurrency: no "bad query" error in the log
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "SELECT id FROM kam_housing_unit WHERE id IN %s FOR NO KEY UPDATE NOWAIT",
                    (tuple(unit_ids),),
                )
        except psycopg2.errors.LockNotAvailable:
            raise ValidationError(
                self.env._(
                    "Another user is taking one of these units right now. "
                    "Refresh the sales control table and try again."
                )
            ) from None

    def _check_units_free(self, unit_ids):
        if len(set(unit_ids)) != len(unit_ids):
            raise ValidationError(self.env._("The same unit cannot be taken twice in one request."))
        taken = self.sudo().search([("unit_id", "in", unit_ids), ("state", "=", "active")])
        if taken:
            holding = taken[0]
            raise ValidationError(
                self.env._(
                    "Unit %(unit)s is already held (%(channel)s%(holder)s); it cannot be sold twice.",
                    unit=holding.unit_id.display_name,
                    channel=dict(self._fields["channel"]._description_selection(self.env))[holding.channel],
                    holder=f": {holding.contract_id.display_name}" if holding.contract_id else "",
                )
            )

    @api.model
    def _kam_hand_over(self, unit, expected_holder, vals):
        """Replace ``unit``'s active holding, which must satisfy ``expected_holder`` (a predicate), by a new
        holding of ``vals``: the desk hands a contract's unit to a buyer's ticket and back (HS11).

        The unit row is locked without waiting first, so two desks cannot hand the same unit over at once;
        the one-active-holder index stays the guarantee. Internal: callers check the user's rights.
        """
        holdings = self.sudo()
        holdings._lock_units_for_holding([unit.id])
        current = holdings.search([("unit_id", "=", unit.id), ("state", "=", "active")])
        if not current or not expected_holder(current):
            raise ValidationError(
                self.env._(
                    "Unit %(unit)s is not free in this contract's stock (held: %(holder)s); it cannot be sold twice.",
                    unit=unit.display_name,
                    holder=current.ticket_id.display_name or current.holder_name or self.env._("nobody"),
                )
            )
        current.action_release()
        return holdings.create([{"unit_id": unit.id, **vals}])

    def action_release(self):
        self._check_channel_rights(set(self.mapped("channel")))
        active = self.filtered(lambda h: h.state == "active")
        # the release is recorded by the action itself: who and when cannot be typed in
        active.sudo().write(
            {"state": "released", "date_released": fields.Datetime.now(), "released_by_id": self.env.uid}
        )
        return True

    @api.model
    def _reserve_retail(self, units, holder_name):
        """The retail reserve action (HS2): checks the rights, then holds ``units`` for ``holder_name``."""
        self._check_channel_rights({"retail"})
        units.check_access("read")
        return self.sudo().create(
            [{"unit_id": unit.id, "channel": "retail", "holder_name": holder_name} for unit in units]
        ).sudo(False)
