from odoo import api, fields, models
from odoo.exceptions import UserError

from ..rules import complaint_sla

KAM_COMPLAINT_STATE = [
    ("received", "Received"),
    ("handling", "Handling"),
    ("follow_up", "Follow-Up"),
    ("closed", "Closed"),
    ("cancel", "Cancelled"),
]
KAM_COMPLAINT_CHANNEL = [
    ("phone", "Phone"),
    ("hotline", "Hotline"),
    ("online", "Online"),
    ("letter", "Letter"),
    ("visit", "Visit"),
]
KAM_COMPLAINT_CAUSE = [
    ("quality", "Product Quality"),
    ("delivery", "Delivery"),
    ("service", "Service"),
    ("price", "Price and Billing"),
    ("documents", "Documents and Contracts"),
    ("other", "Other"),
]
KAM_COMPLAINT_SEVERITY = [("normal", "Normal"), ("serious", "Serious")]
KAM_COMPLAINT_RESPONSIBILITY = [
    ("ours", "Our Company"),
    ("customer", "Customer"),
    ("supplier", "Supplier"),
    ("carrier", "Carrier"),
    ("shared", "Shared"),
    ("none", "No Fault Found"),
]
KAM_COMPLAINT_SLA_RESULT = [("met", "SLA Met"), ("late", "SLA Missed"), ("open", "Not Answered Yet")]
KAM_COMPLAINT_ESCALATION = [("breach", "Response Deadline Breached"), ("manager", "Beyond the Manager's Reach")]
KAM_SATISFACTION = [
    ("1", "Very Dissatisfied"),
    ("2", "Dissatisfied"),
    ("3", "Neutral"),
    ("4", "Satisfied"),
    ("5", "Very Satisfied"),
]
KAM_USER = "kam_management.group_kam_user"
KAM_MANAGER = "kam_management.group_kam_manager"
OPEN_STATES = ("received", "handling", "follow_up")


class KamComplaint(models.Model):
    """A key account's complaint, from receipt to the customer's confirmation (KA8).

    The response deadline is the tier's SLA from the time of receipt, which
    the system records when the complaint is created: in clock hours (the
    seeds' "within 24 hours"), or in the working time of the company's
    calendar when the company chooses it; the job escalates an unanswered complaint past it to the
    supervising leader, and the manager may escalate one beyond their reach.
    Handling comes first ("先处理后分清责任"): responsibility is settled
    after it. It closes only with the customer's confirmation and score.
    """

    _name = "kam.complaint"
    _description = "Key-Account Complaint"
    _inherit = ["kam.lifecycle.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "received_at desc, id desc"
    _check_company_auto = True

    _kam_transitions = {
        "action_start": (("received",), "handling", (KAM_USER,)),
        "action_resolve": (("handling",), "follow_up", (KAM_USER,)),
        "action_close": (("follow_up",), "closed", (KAM_USER,)),
        "action_cancel": (("received", "handling"), "cancel", (KAM_MANAGER,)),
    }
    _kam_action_fields = (
        "tier_id",
        "response_deadline",
        "responded_at",
        "resolved_at",
        "closed_at",
        "escalated",
        "escalated_at",
        "escalation_reason",
        "escalated_to_id",
        "sla_breached",
        "satisfaction",
        "confirmed_by_id",
        "confirmation_note",
    )
    _kam_locked_states = ("closed", "cancel")

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    state = fields.Selection(KAM_COMPLAINT_STATE, default="received", required=True, tracking=True, copy=False, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True,
        domain=[("is_company", "=", True), ("kam_tier_id", "!=", False)],
    )
    contact_id = fields.Many2one("res.partner", string="Complainant", domain="[('parent_id', '=', partner_id)]")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    tier_id = fields.Many2one(
        "kam.tier", string="Tier", compute="_compute_tier_id", store=True, readonly=True,
        help="The customer's tier when the complaint came in: it sets the response SLA.",
    )
    channel = fields.Selection(KAM_COMPLAINT_CHANNEL, required=True, default="phone")
    # recorded by the system: the deadline measures the manager handling it, who must not re-date it
    received_at = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True, tracking=True)
    cause = fields.Selection(KAM_COMPLAINT_CAUSE, required=True, default="quality", tracking=True)
    severity = fields.Selection(KAM_COMPLAINT_SEVERITY, required=True, default="normal", tracking=True)
    description = fields.Html(required=True)
    user_id = fields.Many2one(
        "res.users", string="Handled By", required=True, default=lambda self: self.env.user, tracking=True
    )
    department_id = fields.Many2one(
        "kam.department", string="Lead Department", check_company=True, tracking=True, index="btree_not_null"
    )
    assignment_ids = fields.One2many("kam.complaint.assignment", "complaint_id", string="Assigned Departments")
    # task force of the top tiers (营销、业务、技术、服务)
    task_force_required = fields.Boolean(related="tier_id.kam_complaint_task_force")
    task_force_marketing_id = fields.Many2one("res.users", string="Task Force: Marketing")
    task_force_business_id = fields.Many2one("res.users", string="Task Force: Business")
    task_force_technical_id = fields.Many2one("res.users", string="Task Force: Technical")
    task_force_service_id = fields.Many2one("res.users", string="Task Force: Service")
    response_deadline = fields.Datetime(
        compute="_compute_response_deadline", store=True, readonly=True, index=True,
        help="Received at + the tier's response SLA: clock hours, or the company's working time when its "
        "settings say so.",
    )
    sla_time_left = fields.Float(
        string="Time Left", compute="_compute_sla_time_left",
        help="Hours until the response deadline of an unanswered complaint; negative once it is past.",
    )
    responded_at = fields.Datetime(string="Answered At", readonly=True, copy=False)
    sla_result = fields.Selection(
        KAM_COMPLAINT_SLA_RESULT, string="SLA", compute="_compute_sla_result", store=True, readonly=True
    )
    sla_breached = fields.Boolean(string="Deadline Breached", readonly=True, copy=False)
    escalated = fields.Boolean(readonly=True, copy=False, tracking=True)
    escalated_at = fields.Datetime(readonly=True, copy=False)
    escalation_reason = fields.Selection(KAM_COMPLAINT_ESCALATION, readonly=True, copy=False)
    escalated_to_id = fields.Many2one("res.users", string="Escalated To", readonly=True, copy=False)
    resolution = fields.Html()
    resolved_at = fields.Datetime(readonly=True, copy=False)
    responsibility = fields.Selection(KAM_COMPLAINT_RESPONSIBILITY, tracking=True)
    responsibility_note = fields.Text(string="Responsibility Findings")
    concession_ids = fields.One2many("kam.complaint.concession", "complaint_id", string="Price Concessions")
    followup_ids = fields.One2many("kam.complaint.followup", "complaint_id", string="Follow-Up Notes")
    satisfaction = fields.Selection(KAM_SATISFACTION, readonly=True, copy=False, tracking=True)
    satisfaction_score = fields.Integer(compute="_compute_satisfaction_score", store=True, aggregator="avg")
    confirmed_by_id = fields.Many2one("res.partner", string="Confirmed By", readonly=True, copy=False)
    confirmation_note = fields.Text(readonly=True, copy=False)
    closed_at = fields.Datetime(readonly=True, copy=False)
    cancel_reason = fields.Text()

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("partner_id")
    def _compute_tier_id(self):
        for complaint in self:
            complaint.tier_id = complaint.partner_id.sudo().commercial_partner_id.kam_tier_id

    @api.depends("received_at", "tier_id", "company_id")
    def _compute_response_deadline(self):
        for complaint in self:
            complaint.response_deadline = complaint._kam_plan_deadline()

    @api.depends("state", "response_deadline")
    def _compute_sla_time_left(self):
        now = fields.Datetime.now()
        for complaint in self:
            deadline = complaint.response_deadline
            complaint.sla_time_left = (
                (deadline - now).total_seconds() / 3600 if deadline and complaint.state == "received" else 0.0
            )

    @api.depends("responded_at", "response_deadline")
    def _compute_sla_result(self):
        for complaint in self:
            status = complaint_sla.sla_status(
                complaint.response_deadline, complaint.responded_at, complaint.responded_at or fields.Datetime.now()
            )
            complaint.sla_result = {"met": "met", "late": "late"}.get(status, "open")

    @api.depends("satisfaction")
    def _compute_satisfaction_score(self):
        for complaint in self:
            complaint.satisfaction_score = int(complaint.satisfaction or 0)

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("received_at") for vals in vals_list):
            raise UserError(self._kam_received_at_message())
        self._kam_take_references(vals_list, "kam.complaint")
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if "name" in vals:
                raise UserError(self.env._("A complaint's reference is given by its sequence and cannot be changed."))
            if "received_at" in vals:
                raise UserError(self._kam_received_at_message())
            if "company_id" in vals and any(complaint.company_id.id != vals["company_id"] for complaint in self):
                raise UserError(
                    self.env._("A complaint stays in the company that received it: its response deadline is "
                               "planned on that company's working calendar.")
                )
            if "partner_id" in vals and any(c.state != "received" for c in self):
                # the customer sets the tier, the SLA and the deadline already measured
                raise UserError(self.env._("The customer cannot change once the complaint is answered."))
        result = super().write(vals)
        if "partner_id" in vals and not self.env.su:
            self.check_access("write")  # moved to another account: the user must still be allowed on it
        return result

    def _kam_received_at_message(self):
        return self.env._(
            "The time a complaint is received is recorded by the system when it is entered; it sets the response "
            "deadline and cannot be chosen or changed."
        )

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_start(self):
        """Answer the customer and start handling: the SLA is met or missed now."""
        for complaint in self:
            if complaint.task_force_required and not all(
                complaint[name]
                for name in (
                    "task_force_marketing_id",
                    "task_force_business_id",
                    "task_force_technical_id",
                    "task_force_service_id",
                )
            ):
                raise UserError(
                    self.env._(
                        "%(complaint)s comes from a %(tier)s customer: name its task force (marketing, business, "
                        "technical and service) before handling starts.",
                        complaint=complaint.name,
                        tier=complaint.tier_id.display_name,
                    )
                )
        now = fields.Datetime.now()
        for complaint in self:
            complaint._kam_move(
                "action_start",
                {"responded_at": now, "sla_breached": complaint.sla_breached or (
                    bool(complaint.response_deadline) and now > complaint.response_deadline)},
            )
        return True

    def action_resolve(self):
        for complaint in self:
            if not complaint.resolution or complaint.resolution == "<p><br></p>":
                raise UserError(self.env._("%(complaint)s: describe the resolution first.", complaint=complaint.name))
        self._kam_move("action_resolve", {"resolved_at": fields.Datetime.now()})
        return True

    def action_close(self):
        """Closing needs the customer's confirmation and score: the button opens the confirmation."""
        self.ensure_one()
        self._kam_check_may("action_close")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer Confirmation"),
            "res_model": "kam.complaint.close.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    def action_cancel(self):
        self._kam_check_may("action_cancel")
        for complaint in self:
            if not complaint.cancel_reason:
                raise UserError(self.env._("%(complaint)s: give the reason for cancelling it.", complaint=complaint.name))
        self._kam_move("action_cancel")
        return True

    def action_escalate(self):
        """The manager escalates a complaint beyond their reach to the supervising leader."""
        for complaint in self:
            if complaint.state not in OPEN_STATES:
                raise UserError(self.env._("%(complaint)s is no longer open.", complaint=complaint.name))
            if complaint.escalated:
                raise UserError(self.env._("%(complaint)s is already escalated.", complaint=complaint.name))
        self._kam_check_may("action_start")
        self._kam_escalate("manager")
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _kam_close_confirmed(self, confirmed_by, satisfaction, note=False):
        """Close on the customer's confirmation (called by the confirmation wizard)."""
        self.ensure_one()
        if not confirmed_by or not satisfaction:
            raise UserError(
                self.env._("A complaint closes only when the customer confirms it and scores their satisfaction.")
            )
        if confirmed_by.commercial_partner_id != self.partner_id.commercial_partner_id:
            raise UserError(self.env._("The confirmation must come from the customer %(customer)s.",
                                       customer=self.partner_id.display_name))
        return self._kam_move(
            "action_close",
            {
                "confirmed_by_id": confirmed_by.id,
                "satisfaction": satisfaction,
                "confirmation_note": note or False,
                "closed_at": fields.Datetime.now(),
            },
        )

    def _kam_plan_deadline(self):
        """Received at + SLA hours (naive UTC, as stored): clock hours, or the working time of the company's
        calendar (public holidays and make-up days included) when the company counts in working time."""
        self.ensure_one()
        if not self.received_at:
            return False
        hours = complaint_sla.sla_hours(self.tier_id.response_sla_hours)
        company = self.company_id.sudo()
        if company.kam_complaint_sla_basis == "working" and company.resource_calendar_id:
            return company.resource_calendar_id._kam_plan_hours(self.received_at, hours)
        return fields.Datetime.add(self.received_at, hours=hours)

    def _kam_escalation_leader(self):
        self.ensure_one()
        leader = self.company_id.kam_complaint_leader_id
        if leader:
            return leader
        directors = self.env.ref("kam_management.group_kam_manager").sudo().all_user_ids.filtered(
            lambda user: self.company_id in user.company_ids and user.active and not user.share and user.id != 1
        )
        return directors[:1]

    def _kam_escalate(self, reason):
        """Flag, notify the supervising leader with an activity, and say so in the chatter."""
        now = fields.Datetime.now()
        activity_type = self.env.ref("kam_management.mail_activity_type_kam_complaint_escalated")
        for complaint in self:
            leader = complaint._kam_escalation_leader()
            vals = {"escalated": True, "escalated_at": now, "escalation_reason": reason, "escalated_to_id": leader.id}
            if reason == "breach":
                vals["sla_breached"] = True
            complaint._kam_action_write(vals)
            if leader:
                complaint.sudo().activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=leader.id,
                    summary=self.env._("Escalated complaint %(complaint)s", complaint=complaint.name),
                )
            complaint.sudo().message_post(
                body=self.env._(
                    "Escalated to %(leader)s: %(reason)s.",
                    leader=leader.name or self.env._("nobody (no leader configured)"),
                    reason=dict(self._fields["escalation_reason"]._description_selection(self.env))[reason],
                ),
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _cron_follow_up_reminders(self):
        """Daily job: a complaint in follow-up without a note for a month gets a follow-up reminder (月度回访)."""
        month_ago = fields.Date.subtract(fields.Date.context_today(self), months=1)
        activity_type = self.env.ref("kam_management.mail_activity_type_kam_complaint_follow_up")
        complaints = self.sudo().search([("state", "=", "follow_up"), ("resolved_at", "<=", month_ago)])
        groups = self.env["kam.complaint.followup"].sudo()._read_group(
            [("complaint_id", "in", complaints.ids)], ["complaint_id"], ["date:max"]
        )
        last_note = {complaint.id: date for complaint, date in groups}
        reminded = set(
            self.env["mail.activity"].sudo().search(
                [("res_model", "=", self._name), ("res_id", "in", complaints.ids),
                 ("activity_type_id", "=", activity_type.id)]
            ).mapped("res_id")
        )
        due = complaints.filtered(
            lambda c: c.id not in reminded and (last_note.get(c.id) or c.resolved_at.date()) <= month_ago
        )
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": self.env["ir.model"]._get_id(self._name),
                    "res_id": complaint.id,
                    "activity_type_id": activity_type.id,
                    "user_id": complaint.user_id.id,
                    "date_deadline": fields.Date.context_today(self),
                    "summary": self.env._("Monthly follow-up of %(complaint)s", complaint=complaint.name),
                }
                for complaint in due
            ]
        )
        return len(due)

    @api.model
    def _cron_escalate_breached(self):
        """Daily/hourly job: escalate every unanswered complaint past its response deadline."""
        breached = self.sudo().search(
            [
                ("state", "=", "received"),
                ("escalated", "=", False),
                ("response_deadline", "<", fields.Datetime.now()),
            ]
        )
        breached._kam_escalate("breach")
        return len(breached)
