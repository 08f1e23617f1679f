import datetime

from odoo import Command, api, fields, models
from odoo.tools import format_amount

from .kam_housing_unit import DESK_STATE_OF_TICKET, KA_PRICE_GROUPS

PROJECT_STAGE = [
    ("land_talks", "Land Talks"),
    ("demolition", "Demolition"),
    ("listing", "Land Listing"),
    ("land_certificate", "Land Certificate"),
    ("construction", "Construction"),
    ("topping_out", "Topping Out"),
    ("completion", "Completion"),
]


class KamHousingProject(models.Model):
    _name = "kam.housing.project"
    _description = "Housing Project"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, name, id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    stage = fields.Selection(
        PROJECT_STAGE, required=True, default="land_talks", tracking=True,
        help="Development stage; key-account prices rise stage by stage.",
    )
    address = fields.Char()
    building_ids = fields.One2many("kam.housing.building", "project_id", string="Buildings")
    unit_ids = fields.One2many("kam.housing.unit", "project_id", string="Units")
    building_count = fields.Integer(compute="_compute_counts")
    unit_count = fields.Integer(compute="_compute_counts")
    available_unit_count = fields.Integer(compute="_compute_counts", string="Available Units")
    financing_target_ids = fields.One2many("kam.financing.target", "project_id", string="Financing Targets")
    contract_ids = fields.One2many("kam.housing.contract", "project_id", string="Contracts")

    _code_company_uniq = models.Constraint(
        "unique(company_id, code)", "A project code must be unique in its company."
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("building_ids", "unit_ids.state")
    def _compute_counts(self):
        buildings = dict(
            self.env["kam.housing.building"]._read_group(
                [("project_id", "in", self.ids)], ["project_id"], ["__count"]
            )
        )
        units = {}
        available = {}
        for project, state, count in self.env["kam.housing.unit"]._read_group(
            [("project_id", "in", self.ids)], ["project_id", "state"], ["__count"]
        ):
            units[project] = units.get(project, 0) + count
            if state == "available":
                available[project] = count
        for project in self:
            project.building_count = buildings.get(project, 0)
            project.unit_count = units.get(project, 0)
            project.available_unit_count = available.get(project, 0)

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_open_sales_control(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("kam_management.action_kam_sales_control_grid")
        action["context"] = {"default_project_id": self.id}
        action["display_name"] = self.env._("Sales Control Table: %(project)s", project=self.display_name)
        return action

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.readonly
    def get_sales_control_grid(self):
        """The sales control table of one project as plain data for a grid (read-only: served by a read
        replica where Odoo has one, ``db_replica_host``).

        One query over the units (no query per unit), shaped as
        ``{"buildings": [{"id", "name", "floors": {floor: [cells]}}]}`` where a
        cell is ``{"id", "number", "state", "layout", "area", "desk_state",
        "price_display", "ticket_total_display"}`` (the desk state of its
        ticket: chosen, ticketed, vouchered; its retail list price; the
        ticket's total only to key-account price readers), and
        ``"summary"``, the legend: per state the units, their area and their
        retail list value, summed from the same rows, and ``"desk_summary"``,
        the units per desk state. Used by the XLSX export
        and the benchmark; sales see states and public list values, never
        key-account prices.
        """
        self.ensure_one()
        # the SQL below bypasses record rules: check them on the project (company) first
        self.check_access("read")
        self.env["kam.housing.unit"].check_access("read")
        # the SQL reads what the desk has just written
        self.env["kam.housing.unit"].flush_model(["project_id", "building_id", "state", "floor", "number", "area"])
        self.env["kam.room.ticket"].flush_model(["unit_id", "state", "amount_total"])
        self.env.cr.execute(
            """
            SELECT b.id, b.name, u.id, u.floor, u.number, u.state, u.layout, u.area, u.list_price,
                   t.state, t.amount_total
              FROM kam_housing_unit u
              JOIN kam_housing_building b ON b.id = u.building_id
         LEFT JOIN LATERAL (
                       SELECT ticket.state, ticket.amount_total
                         FROM kam_room_ticket ticket
                        WHERE ticket.unit_id = u.id AND ticket.state IN %s AND u.state IN ('ka', 'relation')
                     ORDER BY ticket.state = 'draft', ticket.id DESC
                        LIMIT 1
                   ) t ON TRUE
             WHERE u.project_id = %s
          ORDER BY b.sequence, b.name, b.id, u.floor DESC, u.number
            """,
            (tuple(DESK_STATE_OF_TICKET), self.id),
        )
        rows = self.env.cr.fetchall()  # before any other query on the cursor
        buildings = {}
        states = self.env["kam.housing.unit"]._fields["state"]._description_selection(self.env)
        totals = {code: {"state": code, "label": label, "count": 0, "area": 0.0, "value": 0.0} for code, label in states}
        desk_states = self.env["kam.housing.unit"]._fields["desk_state"]._description_selection(self.env)
        desk_totals = {code: {"state": code, "label": label, "count": 0} for code, label in desk_states}
        currency = self.currency_id or self.env.company.currency_id
        # the ticket's price is a key-account price (SEC1): only to who may read those
        ka_prices = self.env.user.has_groups(KA_PRICE_GROUPS)
        for row in rows:
            building_id, building_name, unit_id, floor, number, state, layout, area, list_price = row[:9]
            ticket_state, ticket_total = row[9:]
            building = buildings.setdefault(
                building_id, {"id": building_id, "name": building_name, "floors": {}}
            )
            desk_state = DESK_STATE_OF_TICKET.get(ticket_state, False)
            building["floors"].setdefault(floor, []).append(
                {
                    "id": unit_id, "number": number, "state": state, "layout": layout, "area": area,
                    "desk_state": desk_state,
                    "price_display": format_amount(self.env, list_price, currency) if list_price else "",
                    "ticket_total_display": (
                        format_amount(self.env, ticket_total, currency) if ka_prices and ticket_total else ""
                    ),
                }
            )
            total = totals[state]
            total["count"] += 1
            total["area"] += area or 0.0
            total["value"] += list_price or 0.0
            if desk_state:
                desk_totals[desk_state]["count"] += 1
        summary = []
        for total in totals.values():
            total["area"] = round(total["area"], 2)
            total["value"] = currency.round(total["value"])
            total["value_display"] = format_amount(self.env, total["value"], currency)
            summary.append(total)
        return {
            "project": self.display_name,
            "states": states,
            "buildings": list(buildings.values()),
            "summary": summary,
            "desk_states": desk_states,
            "desk_summary": list(desk_totals.values()),
            "summary_value_display": format_amount(
                self.env, currency.round(sum(total["value"] for total in summary)), currency
            ),
        }

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    @api.model
    def _load_housing_demo(self, project_id):
        """Demo data (SPEC UX5) through the real flows: units, targets, an approved contract, 150 buyers."""
        from stdnum.cn import ric

        project = self.browse(project_id)
        if project.unit_ids:
            return
        env = self.env
        admin = env.ref("base.user_admin")
        layouts = [("A", 128.5), ("B", 96.3), ("B", 96.3), ("C", 89.6), ("A", 128.5)]
        env["kam.housing.unit"].create(
            [
                {
                    "building_id": building.id,
                    "floor": floor,
                    "number": f"{floor}{position + 1:02d}",
                    "layout": layout,
                    "area": area,
                    "list_price": round((12000 + 60 * floor) * area, -2),
                    "cost_price": round(6900 * area, 2),
                }
                for building in project.building_ids
                for floor in range(1, 21)
                for position, (layout, area) in enumerate(layouts)
            ]
        )
        year = fields.Date.context_today(self).year
        env["kam.financing.target"].create(
            [
                {"project_id": project.id, "period_type": "year", "year": year, "amount": 150_000_000},
                {"project_id": project.id, "period_type": "year", "year": year + 1, "amount": 120_000_000},
            ]
        )
        journal = env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", project.company_id.id)], limit=1
        )
        contract = env["kam.housing.contract"].with_user(admin).create(
            {
                "partner_id": env.ref("kam_management.demo_partner_power").id,
                "project_id": project.id,
                "round": "2026-1",
                "user_id": env.ref("kam_management.user_kam_user").id,
                "team_leader_id": env.ref("kam_management.user_kam_manager").id,
                "team_member_ids": [Command.set([env.ref("kam_management.user_kam_user").id, admin.id])],
                "employer_account_id": env.ref("kam_management.demo_bank_power_office").id,
                "joint_account_number": "6228 4800 1234 5678 901",
                "payment_ratio": 70.0,
                "selection_deadline": datetime.date(year, 12, 20),
                "payment_deadline": datetime.date(year + 1, 1, 31),
                "rename_policy": "fee",
                "mortgage_conversion_fee": 2000.0,
            }
        )
        contract.action_start_negotiation()
        env["kam.negotiation.memo"].with_user(admin).create(
            {"contract_id": contract.id, "subject": "第一次谈判：付款比例与交房时间", "body": "<p>对方接受七成首付，希望年内选房。</p>"}
        )
        contract.action_sign_intent()
        if journal:
            # finance opens the contract's own joint account (a journal of its own, issue 18) before the signature
            contract.with_user(env.ref("kam_management.user_kam_finance")).action_create_joint_journal()
            contract.action_sign_contract()
        else:  # a database without a chart of accounts has no bank journal: stop at the letter of intent
            return
        pricing = env["kam.housing.pricing"].with_user(admin).create(
            {
                "contract_id": contract.id,
                "basis": "blind",
                "average_price": 9200.0,
                "payment_ratio": 70.0,
                "market_reference_price": 11000.0,
                "retail_reference_price": 12600.0,
                "peer_group_price": 8900.0,
                "loan_rate": 3.45,
                "customer_risk": "low",
                "reference_floor": 10,
                "floor_step": 40.0,
                "layout_line_ids": [
                    Command.create({"layout": "A", "delta": 150.0}),
                    Command.create({"layout": "C", "delta": -100.0}),
                ],
            }
        )
        # the cost department enters the cost, which the key-account department does not see
        pricing.with_user(env.ref("kam_management.user_kam_cost")).unit_cost = 6900.0
        self._demo_approve(pricing, admin)
        allocation = env["kam.unit.allocation"].with_user(admin).create(
            {
                "contract_id": contract.id,
                "line_ids": [
                    Command.create({"unit_id": unit.id})
                    for unit in project.unit_ids.filtered(lambda u: u.building_id == project.building_ids[0])
                ],
            }
        )
        self._demo_approve(allocation, admin)
        env["kam.unit.holding"].create(
            [
                {"unit_id": unit.id, "channel": "retail", "holder_name": "零售客户"}
                for unit in project.unit_ids.filtered(lambda u: u.building_id == project.building_ids[1] and u.floor > 16)
            ]
        )
        surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
        given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛"]
        regions = ["420102", "420103", "420106", "420111", "420115"]
        buyers = []
        for index in range(150):
            birth = datetime.date(1970 + index % 30, 1 + index % 12, 1 + index % 28)
            body = f"{regions[index % 5]}{birth:%Y%m%d}{index:03d}"
            buyers.append(
                {
                    "contract_id": contract.id,
                    "sequence": index + 1,
                    "name": surnames[index % 20] + given[index % 15] + ("" if index < 20 else given[(index // 20) % 15]),
                    "id_number": body + ric.calc_check_digit(body + "0"),
                    "relation": "employee" if index % 5 else "spouse",
                    "employee_proof": f"GD-{2026}{index + 1:04d}",
                }
            )
        env["kam.housing.buyer"].with_user(admin).create(buyers)
        contract.buyer_lawyer_id = env.ref("kam_management.demo_partner_lawyer")
        contract.with_user(env.ref("kam_management.user_kam_audit")).action_signoff_buyers_audit()
        contract.with_user(env.ref("kam_management.user_kam_finance")).action_signoff_buyers_finance()
        contract.with_user(env.ref("kam_management.user_kam_audit_legal")).action_signoff_buyers_lawyer()
        contract.with_user(admin).action_open_selection()

    @api.model
    def _demo_approve(self, record, reviewer):
        record = record.with_user(reviewer)
        record.request_validation()
        record.invalidate_recordset()
        for _step in record.review_ids:  # the presets name the administrator at every step
            record.validate_tier()
            record.invalidate_recordset()
        # the last validation approved it (kam.approval.mixin)
