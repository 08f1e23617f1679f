from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_amount, format_date

from ..rules import pricing as pricing_rules
from ..rules.errors import RuleError
from .kam_housing_buyer import ID_NUMBER_GROUPS

RELATION_STATE = [
    ("draft", "Draft"),
    ("emergency", "Approved by Phone"),
    ("approved", "Approved"),
    ("paid", "Paid"),
    ("cancel", "Cancelled"),
]
DOCUMENTATION_WORKING_DAYS = 5


class KamRelationRequest(models.Model):
    """Relationship housing (关系房) requested by a department (HS16).

    The request names its average price, payment ratio and payment deadline
    and is approved like a contract (``kam.approval.mixin``: the last
    reviewer's validation approves it and holds the units). In an emergency a
    general manager or above approves by phone; the request is then held
    ("Approved by Phone") and must be documented — its approval chain
    completed — within five working days, or its department can file no
    new request. Paying after the deadline re-prices the units by the
    request's late-payment policy.
    """

    _name = "kam.relation.request"
    _description = "Relationship-Housing Request"
    _inherit = ["kam.approval.mixin"]
    _kam_transitions = {
        "action_emergency_approve": (("draft",), "emergency", ("kam_management.group_kam_executive",)),
        "action_approve": (("draft", "emergency"), "approved", ()),
        "action_register_payment": (("approved",), "paid", ("kam_management.group_kam_finance",)),
        "action_cancel": (("draft",), "cancel", ("kam_management.group_kam_user",)),
        # a request holding units (by phone or approved) is withdrawn by the director, who releases them
        "cancel_holding": (("emergency", "approved"), "cancel", ("kam_management.group_kam_manager",)),
    }
    # set by the buttons only: who filed it, the phone approval and its documentation, the payment
    _kam_action_fields = (
        "requester_id",
        "emergency_approver_id",
        "emergency_date",
        "documented_date",
        "payment_date",
        "final_average_price",
        "cancel_date",
    )
    _order = "id desc"
    _check_company_auto = True

    _state_from = ["draft", "emergency"]
    _state_to = ["approved"]
    _cancel_state = "cancel"
    # what the general manager approved by phone is what gets documented
    _kam_locked_states = ("emergency", "paid")

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="/")
    state = fields.Selection(RELATION_STATE, required=True, default="draft", tracking=True, copy=False)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    department_id = fields.Many2one("kam.department", required=True, tracking=True, check_company=True, index=True)
    requester_id = fields.Many2one("res.users", string="Filed By", default=lambda self: self.env.user, readonly=True, index=True)
    project_id = fields.Many2one("kam.housing.project", required=True, tracking=True, check_company=True)
    unit_ids = fields.Many2many("kam.housing.unit", string="Units", check_company=True)
    buyer_name = fields.Char(required=True, tracking=True)
    buyer_id_number = fields.Char(string="Buyer's Resident ID Number", groups=ID_NUMBER_GROUPS)
    average_price = fields.Monetary(string="Average Price (per m²)", required=True, tracking=True)
    payment_ratio = fields.Float(string="Payment Ratio (%)", digits=(5, 2), default=50.0, tracking=True)
    payment_deadline = fields.Date(required=True, tracking=True)
    late_increase_percent = fields.Float(
        string="Late-Payment Increase (% per Month)", default=1.0, digits=(5, 2), tracking=True,
        help="Re-pricing policy: the average price rises by this share for each started month paid late.",
    )
    reason = fields.Text()
    # emergency approval by phone
    emergency_approver_id = fields.Many2one("res.users", string="Approved by Phone By", readonly=True, copy=False)
    emergency_date = fields.Date(string="Approved by Phone On", readonly=True, copy=False)
    documentation_deadline = fields.Date(
        compute="_compute_documentation_deadline", store=True,
        help="Five working days after the phone approval, on the company's working calendar (public holidays do "
        "not count, make-up working days do).",
    )
    documented_date = fields.Date(readonly=True, copy=False, tracking=True)
    documentation_overdue = fields.Boolean(compute="_compute_documentation_overdue")
    # payment
    payment_date = fields.Date(tracking=True, copy=False)
    final_average_price = fields.Monetary(
        string="Final Average Price (per m²)", readonly=True, copy=False, tracking=True,
        help="The average price after the late-payment policy.",
    )
    cancel_date = fields.Date(readonly=True, copy=False, help="A phone approval cancelled after its documentation "
                              "deadline still blocks its department.")
    holding_ids = fields.One2many("kam.unit.holding", "relation_request_id", string="Held Units")

    # "a department with an overdue documentation files nothing" searches these
    _overdue_idx = models.Index("(department_id, documentation_deadline) WHERE documented_date IS NULL")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("emergency_date")
    def _compute_documentation_deadline(self):
        """Five working days on the company's calendar: weekends and public holidays do not count, make-up
        working days (调休) do."""
        for request in self:
            calendar = request.company_id.sudo().resource_calendar_id
            request.documentation_deadline = (
                calendar._kam_add_working_days(request.emergency_date, DOCUMENTATION_WORKING_DAYS)
                if request.emergency_date and calendar
                else False
            )

    @api.depends("documentation_deadline", "documented_date", "state")
    def _compute_documentation_overdue(self):
        today = fields.Date.context_today(self)
        for request in self:
            request.documentation_overdue = bool(
                request.state == "emergency"
                and not request.documented_date
                and request.documentation_deadline
                and request.documentation_deadline < today
            )

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("payment_ratio", "average_price")
    def _check_terms(self):
        for request in self:
            if request.currency_id.compare_amounts(request.average_price, 0) <= 0:
                raise ValidationError(self.env._("The average price must be positive."))
            try:
                pricing_rules.check_payment_ratio(request.payment_ratio, request.company_id.kam_min_payment_ratio)
            except RuleError as error:
                raise ValidationError(error.translated(self.env)) from None

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        departments = self.env["kam.department"].browse({vals.get("department_id") for vals in vals_list})
        self._check_filing_department(departments)
        self._check_no_overdue_documentation(departments)
        self._kam_take_references(vals_list, "kam.relation.request")
        return super().create(vals_list)

    def _check_filing_department(self, departments):
        """SEC1: staff file for a department they belong to; directors file for any."""
        if self.env.su or self.env.user.has_group("kam_management.group_kam_manager"):
            return
        user = self.env.user
        foreign = departments.sudo().filtered(lambda d: user not in d.member_ids and d.manager_id != user)
        if foreign:
            raise AccessError(
                self.env._(
                    "You are not a member of %(department)s: only its members file its relationship-housing "
                    "requests.",
                    department=foreign[0].name,
                )
            )

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_emergency_approve(self):
        """A general manager (or above) approved by phone: hold the units now, document later."""
        if not self.env.user.has_group("kam_management.group_kam_executive"):
            raise AccessError(self.env._("Only a general manager or above approves by phone."))
        for request in self:
            if request.state != "draft":
                raise UserError(self.env._("Only a draft request can be approved by phone."))
        self._kam_move(
            "action_emergency_approve",
            {
                "emergency_approver_id": self.env.uid,
                "emergency_date": fields.Date.context_today(self),
            },
        )
        self._hold_units()
        return True

    def action_approve(self):
        for request in self:
            if request.state not in self._state_from:
                raise UserError(self.env._("This request is not waiting for approval."))
        # completing the chain of a phone approval documents it, in the same write that approves it
        documented = self.filtered(lambda r: r.state == "emergency")
        (self - documented)._kam_move("action_approve")
        documented._kam_move("action_approve", {"documented_date": fields.Date.context_today(self)})
        self._hold_units()
        return True

    def action_register_payment(self, payment_date=None):
        """Finance records the payment: on the day it names, else on the day the registered receipts were
        completed (the latest receipt's date; today when none is registered). Past the deadline the price
        follows the late-payment policy, and the request's live ticket is re-priced with it."""
        self._kam_check_may("action_register_payment")
        today = fields.Date.context_today(self)
        payment_date = fields.Date.to_date(payment_date)
        if payment_date and payment_date > today:
            raise UserError(self.env._("A payment cannot be registered before it is made (%(date)s).", date=payment_date))
        paid_on = self._kam_receipts_paid_on()
        if payment_date:
            # issue 18: the money was not complete before its last receipt: no earlier date escapes the late price
            early = [request for request in self if request in paid_on and payment_date < paid_on[request]]
            if early:
                raise UserError(
                    self.env._(
                        "The receipts of %(request)s were completed on %(completed)s: its payment cannot be "
                        "registered on an earlier day (%(date)s).",
                        request=early[0].display_name,
                        completed=format_date(self.env, paid_on[early[0]]),
                        date=format_date(self.env, payment_date),
                    )
                )
            self._kam_record_payment(payment_date)
        else:
            for request in self:
                request._kam_record_payment(paid_on.get(request, today))
        return True

    def action_cancel(self):
        if any(r.state == "paid" for r in self):
            raise UserError(self.env._("A paid request cannot be cancelled."))
        holding = self.filtered(lambda r: r.state in ("emergency", "approved"))
        self._kam_move_any("action_cancel", "cancel_holding", vals={"cancel_date": fields.Date.context_today(self)})
        holding.sudo().holding_ids.action_release()
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _check_no_overdue_documentation(self, departments):
        if not departments:
            return
        overdue = self.sudo().search(
            [
                ("department_id", "in", departments.ids),
                ("state", "in", ("emergency", "cancel")),
                ("documented_date", "=", False),
                ("documentation_deadline", "<", fields.Date.context_today(self)),
            ]
        ).filtered(
            # cancelling a phone approval once it is overdue does not undo the breach
            lambda r: r.state == "emergency" or (r.cancel_date and r.cancel_date > r.documentation_deadline)
        )[:1]
        if overdue:
            raise UserError(
                self.env._(
                    "Department %(department)s has not documented the phone approval of %(request)s "
                    "(due %(deadline)s); it can file no new request until it does.",
                    department=overdue.department_id.display_name,
                    request=overdue.name,
                    deadline=overdue.documentation_deadline,
                )
            )

    def _kam_record_payment(self, payment_date):
        """The payment of ``action_register_payment`` (its rights checked by the caller): paid, re-priced by
        the late-payment policy past the deadline; the request's ticket not vouchered yet takes the final
        price, and its voucher is issued when the receipts equal the new due."""
        for request in self:
            if request.state != "approved":
                raise UserError(self.env._("Only an approved request is paid."))
            final = request._kam_repriced_average(payment_date)
            request._kam_move("action_register_payment", {"payment_date": payment_date, "final_average_price": final})
            if request.currency_id.compare_amounts(final, request.average_price) != 0:
                request.sudo().message_post(
                    body=self.env._(
                        "Paid %(days)s days after the deadline: the average price is re-priced from "
                        "%(old)s to %(new)s.",
                        days=(payment_date - request.payment_deadline).days,
                        old=request._kam_money(request.average_price),
                        new=request._kam_money(request.final_average_price),
                    )
                )
        tickets = self.env["kam.room.ticket"].sudo().search(
            [("basis", "=", "relation"), ("relation_request_id", "in", self.ids), ("state", "in", ("issued", "reviewed"))]
        )
        for ticket in tickets:
            ticket._kam_reprice(ticket.relation_request_id.final_average_price)
        tickets._kam_try_auto_voucher()

    def _kam_repriced_average(self, paid_on):
        """The average price (per m², rounded) the late-payment policy asks of a payment made on ``paid_on``."""
        self.ensure_one()
        days_late = (paid_on - self.payment_deadline).days
        repriced = pricing_rules.repriced_average(self.average_price, days_late, self.late_increase_percent)
        return self.currency_id.round(float(repriced))

    def _kam_receipts_paid_on(self):
        """``{request: date}``: the day the registered receipts of each request were completed, i.e. the
        latest receipt's date (today at most); requests without a registered receipt are left out."""
        today = fields.Date.context_today(self)
        latest = self.env["kam.housing.receipt"].sudo()._read_group(
            [("relation_request_id", "in", self.ids), ("state", "=", "registered")],
            ["relation_request_id"],
            ["date:max"],
        )
        return {request: min(date, today) for request, date in latest}

    def _kam_awaiting_repricing(self):
        """The approved requests whose payment, made on the day their receipts were completed (today when
        there is none), came so late that the late-payment policy re-prices them: what is due is not the
        ticket's amount any more, so no voucher is issued until finance registers the payment (seed 001
        §十二 (二)). ``{request: (paid on, re-priced average)}``."""
        requests = self.filtered(lambda r: r.state == "approved")
        if not requests:
            return {}
        today = fields.Date.context_today(self)
        paid_on = requests._kam_receipts_paid_on()
        late = {}
        for request in requests:
            day = paid_on.get(request, today)
            repriced = request._kam_repriced_average(day)
            if request.currency_id.compare_amounts(repriced, request.average_price) != 0:
                late[request] = (day, repriced)
        return late

    def _kam_check_voucher_allowed(self):
        """The one check of every voucher issue of a relationship ticket (automatic or by hand, sudo or
        not): refused while the late-payment policy re-prices the request and finance has not registered
        the payment."""
        late = self._kam_awaiting_repricing()
        if late:
            request, (day, repriced) = next(iter(late.items()))
            raise UserError(
                self.env._(
                    "The money of relationship request %(request)s came %(days)s days after its payment deadline: "
                    "its late-payment policy re-prices the average price from %(old)s to %(new)s, so what is due is "
                    "not the ticket's amount. Finance registers the payment first (which re-prices the ticket); "
                    "then the voucher is issued.",
                    request=request.display_name,
                    days=(day - request.payment_deadline).days,
                    old=request._kam_money(request.average_price),
                    new=request._kam_money(repriced),
                )
            )

    def _kam_note_awaiting_repricing(self, ticket, paid_on, repriced):
        """Tell finance why the receipts that cover ``ticket`` issued no voucher (the values of
        ``_kam_awaiting_repricing``): a to-do for the finance user who reviewed the ticket, else a note."""
        self.ensure_one()
        body = self.env._(
            "The receipts cover the ticket, but the last came %(days)s days after the payment deadline: the "
            "late-payment policy re-prices the average price to %(price)s, and what is due to %(due)s. No "
            "voucher is issued until finance registers the payment, which re-prices the ticket.",
            days=(paid_on - self.payment_deadline).days,
            price=self._kam_money(repriced),
            due=self._kam_money(ticket._kam_priced_values(repriced)["amount_due"]),
        )
        if ticket.reviewed_by_id:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Register the late payment"),
                note=body,
                user_id=ticket.reviewed_by_id.id,
            )
        else:
            self.sudo().message_post(body=body)

    def _kam_money(self, amount):
        return format_amount(self.env, amount, self.currency_id)

    def _kam_paid_by_receipts(self):
        """HS16: the requests whose ticket's voucher is issued are paid, on the day their receipts were
        completed (today when none is registered), and their reminders stop. Called by every voucher issue
        (``kam.room.voucher._issue_now``), after ``_kam_check_voucher_allowed``: the policy does not re-price
        them, so this records the request's own average price."""
        requests = self.filtered(lambda r: r.state == "approved")
        if not requests:
            return
        vouchered = (
            self.env["kam.room.ticket"]
            .sudo()
            .search([("relation_request_id", "in", requests.ids), ("state", "=", "vouchered")])
            .relation_request_id
        )
        requests = requests.filtered(lambda r: r in vouchered)
        paid_on = requests._kam_receipts_paid_on()
        today = fields.Date.context_today(self)
        for request in requests.sudo():
            request._kam_record_payment(paid_on.get(request, today))

    def _hold_units(self):
        for request in self:
            free = request.unit_ids - request.holding_ids.filtered(lambda h: h.state == "active").unit_id
            if free:
                self.env["kam.unit.holding"].sudo().create(
                    [
                        {
                            "unit_id": unit.id,
                            "channel": "relation",
                            "relation_request_id": request.id,
                            "holder_name": request.buyer_name,
                        }
                        for unit in free
                    ]
                )
