import base64
import csv
import io

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..rules import selection_draw
from ..rules.errors import RuleError
from .kam_housing_buyer import ID_NUMBER_GROUPS
from .kam_room_ticket import ROOM_TICKET_STATE
from .kam_selection_draw_line import ID_CHECK_RESULT

SELECTION_DRAW_STATE = [
    ("draft", "Draft"),
    ("frozen", "List Frozen"),
    ("done", "Done"),
    ("superseded", "Superseded"),
]
SELECTION_DRAW_METHOD = [
    ("module", "Drawn in the Module"),
    ("notary", "Notary's Order Imported"),
]
DESK_GROUPS = ("kam_management.group_kam_ticket_clerk", "kam_management.group_kam_manager")
# the public seed is entered by someone other than the desk (issue 18): audit, from the lottery or notary's record
SEED_GROUPS = ("kam_management.group_kam_audit",)


class KamSelectionDraw(models.Model):
    """The order in which a contract's verified buyers choose their units (HS10).

    Either the notary's drawn order is imported (its reference and file, one
    number per verified buyer) or the module draws verifiably: *Freeze*
    records the verified list and shows its SHA-256 commitment, then audit
    (not the desk) enters the public seed, final once entered, and *Draw*
    sorts the buyers by SHA-256(commitment ‖ seed ‖ ID number)
    (``rules/selection_draw``). A finished draw is read-only; a re-draw is a
    new draw with a reason, which supersedes the old one (kept), and only
    while no ticket was issued on the contract. The desk calls the buyers in
    this order.
    """

    _name = "kam.selection.draw"
    _description = "Selection Draw"
    _inherit = ["mail.thread", "kam.lifecycle.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _rec_names_search = ["contract_id.name"]

    _kam_transitions = {
        "action_freeze": (("draft",), "frozen", DESK_GROUPS),
        "action_draw": (("frozen",), "done", DESK_GROUPS),
        "action_import_notary_order": (("draft",), "done", DESK_GROUPS),
        "action_back_to_draft": (("frozen",), "draft", DESK_GROUPS),
        "action_enter_seed": (("frozen",), "frozen", SEED_GROUPS),
        "_supersede": (("done",), "superseded", DESK_GROUPS),
    }
    _kam_action_fields = (
        "commitment", "frozen_date", "frozen_by_id", "drawn_date", "drawn_by_id", "previous_draw_id",
        "seed", "seed_entered_by_id", "seed_entered_date",
    )
    _kam_locked_states = ("frozen", "done", "superseded")
    _kam_deletable_states = ("draft",)

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # not stored: each reader sees it in their own language
    name = fields.Char(compute="_compute_name")
    contract_id = fields.Many2one(
        "kam.housing.contract", required=True, ondelete="restrict", index=True, check_company=True, tracking=True
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    state = fields.Selection(SELECTION_DRAW_STATE, required=True, default="draft", tracking=True, copy=False)
    method = fields.Selection(SELECTION_DRAW_METHOD, required=True, default="module", tracking=True)
    previous_draw_id = fields.Many2one(
        "kam.selection.draw", string="Replaces Draw", readonly=True, copy=False, check_company=True
    )
    redraw_reason = fields.Text(string="Reason for the Re-Draw", tracking=True)
    commitment = fields.Char(
        string="List Commitment (SHA-256)", readonly=True, copy=False, tracking=True,
        help="Fingerprint of the frozen verified list, published before the seed is entered.",
    )
    seed = fields.Char(
        string="Public Seed", tracking=True, copy=False, readonly=True,
        help="Digits typed by buyers' representatives or a lottery result, entered by audit after the commitment "
             "is shown; final once entered.",
    )
    seed_entered_by_id = fields.Many2one("res.users", string="Seed Entered By", readonly=True, copy=False)
    seed_entered_date = fields.Datetime(string="Seed Entered On", readonly=True, copy=False)
    frozen_date = fields.Datetime(string="Frozen On", readonly=True, copy=False)
    frozen_by_id = fields.Many2one("res.users", string="Frozen By", readonly=True, copy=False)
    drawn_date = fields.Datetime(string="Finished On", readonly=True, copy=False)
    drawn_by_id = fields.Many2one("res.users", string="Finished By", readonly=True, copy=False)
    notary_reference = fields.Char(tracking=True, help="Reference of the notary's certificate of the draw.")
    notary_file = fields.Binary(string="Notary's File", attachment=True, copy=False)
    notary_filename = fields.Char()
    line_ids = fields.One2many("kam.selection.draw.line", "draw_id", string="Order", copy=False)
    line_count = fields.Integer(compute="_compute_line_count")
    next_line_id = fields.Many2one(
        "kam.selection.draw.line", compute="_compute_next_line", string="Next to Call"
    )
    # the desk screen: the buyer now at the desk and the day's figures (SQL-grouped, fast on 5,000 buyers)
    current_line_id = fields.Many2one(
        "kam.selection.draw.line", compute="_compute_next_line", string="At the Desk",
        help="The buyer called last.",
    )
    current_position = fields.Integer(compute="_compute_next_line", string="No. at the Desk")
    current_id_number_masked = fields.Char(
        compute="_compute_next_line", string="ID Number at the Desk", groups=ID_NUMBER_GROUPS
    )
    current_id_check_result = fields.Selection(
        ID_CHECK_RESULT, compute="_compute_next_line", string="ID Check at the Desk"
    )
    current_ticket_id = fields.Many2one("kam.room.ticket", compute="_compute_next_line", string="Ticket at the Desk")
    current_ticket_state = fields.Selection(
        ROOM_TICKET_STATE, compute="_compute_next_line", string="Ticket Status at the Desk"
    )
    next_position = fields.Integer(compute="_compute_next_line", string="Next No.")
    next_id_number_masked = fields.Char(compute="_compute_next_line", string="Next ID Number", groups=ID_NUMBER_GROUPS)
    desk_called_count = fields.Integer(compute="_compute_desk_counts", string="Called")
    desk_ticket_count = fields.Integer(compute="_compute_desk_counts", string="Tickets Issued")
    desk_voucher_count = fields.Integer(compute="_compute_desk_counts", string="Vouchers Issued")
    desk_remaining_count = fields.Integer(compute="_compute_desk_counts", string="Still to Call")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("contract_id.name")
    @api.depends_context("lang")
    def _compute_name(self):
        for draw in self:
            draw.name = self.env._("Selection order of %(contract)s", contract=draw.contract_id.name or "")

    @api.depends_context("lang")
    def _compute_display_name(self):
        super()._compute_display_name()

    def _compute_line_count(self):
        counts = dict(self.env["kam.selection.draw.line"]._read_group([("draw_id", "in", self.ids)], ["draw_id"], ["__count"]))
        for draw in self:
            draw.line_count = counts.get(draw, 0)

    @api.depends("line_ids.called_date")
    def _compute_next_line(self):
        # two queries for all the draws (the first uncalled line, the last called one), not two searches per draw
        Line = self.env["kam.selection.draw.line"]
        Line.flush_model(["draw_id", "called_date", "position"])
        draw_ids = [draw_id for draw_id in self._origin.ids if draw_id]
        self.env.cr.execute(
            """
            SELECT DISTINCT ON (draw_id) draw_id, id FROM kam_selection_draw_line
             WHERE draw_id = ANY(%s) AND called_date IS NULL ORDER BY draw_id, position
            """,
            [draw_ids],
        )
        next_ids = dict(self.env.cr.fetchall())
        self.env.cr.execute(
            """
            SELECT DISTINCT ON (draw_id) draw_id, id FROM kam_selection_draw_line
             WHERE draw_id = ANY(%s) AND called_date IS NOT NULL ORDER BY draw_id, called_date DESC, position DESC
            """,
            [draw_ids],
        )
        current_ids = dict(self.env.cr.fetchall())
        for draw in self:
            draw.next_line_id = Line.browse(next_ids.get(draw._origin.id))
            draw.current_line_id = Line.browse(current_ids.get(draw._origin.id))
            current, following = draw.current_line_id.sudo(), draw.next_line_id.sudo()
            draw.current_position = current.position
            draw.current_id_number_masked = current.id_number_masked
            draw.current_id_check_result = current.id_check_result
            draw.current_ticket_id = current.desk_ticket_id
            draw.current_ticket_state = current.desk_ticket_id.state
            draw.next_position = following.position
            draw.next_id_number_masked = following.id_number_masked

    def _compute_desk_counts(self):
        """One grouped query for all the draws' figures (a buyer has at most one live ticket)."""
        self.env["kam.selection.draw.line"].flush_model(["draw_id", "called_date"])
        self.env["kam.room.ticket"].flush_model(["draw_line_id", "state"])
        self.env.cr.execute(
            """
            SELECT line.draw_id,
                   COUNT(DISTINCT line.id) FILTER (WHERE line.called_date IS NULL),
                   COUNT(DISTINCT line.id) FILTER (WHERE line.called_date IS NOT NULL),
                   COUNT(ticket.id),
                   COUNT(ticket.id) FILTER (WHERE ticket.state = 'vouchered')
              FROM kam_selection_draw_line line
         LEFT JOIN kam_room_ticket ticket
                ON ticket.draw_line_id = line.id AND ticket.state IN ('issued', 'reviewed', 'vouchered')
             WHERE line.draw_id = ANY(%s)
          GROUP BY line.draw_id
            """,
            [list(self._origin.ids)],
        )
        figures = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for draw in self:
            remaining, called, tickets, vouchers = figures.get(draw._origin.id, (0, 0, 0, 0))
            draw.desk_remaining_count = remaining
            draw.desk_called_count = called
            draw.desk_ticket_count = tickets
            draw.desk_voucher_count = vouchers

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # refused before the insert: a re-draw is checked against the contract's draws as they stand
        for vals in vals_list:
            contract = self.env["kam.housing.contract"].browse(vals.get("contract_id"))
            others = self.sudo().search([("contract_id", "=", contract.id)])
            if others.filtered(lambda d: d.state == "done") and not (vals.get("redraw_reason") or "").strip():
                raise ValidationError(
                    self.env._("The contract already has a finished draw: a re-draw needs its reason.")
                )
            if others.filtered(lambda d: d.state == "frozen" and d.seed):
                raise ValidationError(
                    self.env._("The public seed of this contract's draw is entered and final: finish that draw.")
                )
            self._check_no_ticket_issued(contract)
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_drawn(self):
        if any(draw.state != "draft" for draw in self):
            raise UserError(self.env._("A frozen or finished draw is evidence: it cannot be deleted."))

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_freeze(self):
        """Freeze the verified list: its order is fixed by ID and its commitment published."""
        for draw in self:
            draw._check_method("module")
            buyers = draw._verified_buyers()
            ids = buyers.mapped("id_number")
            try:
                commitment = selection_draw.list_commitment(ids)
            except RuleError as error:
                raise UserError(error.translated(self.env)) from None
            draw._kam_move(
                "action_freeze",
                {"commitment": commitment, "frozen_date": fields.Datetime.now(), "frozen_by_id": self.env.uid},
            )
            draw.message_post(body=self.env._("List frozen, commitment %(commitment)s.", commitment=commitment))
        return True

    def action_back_to_draft(self):
        if any(draw.seed for draw in self):
            raise UserError(self.env._("The public seed is entered: the frozen list stays as it is until the draw."))
        self._kam_move("action_back_to_draft", {"commitment": False, "frozen_date": False, "frozen_by_id": False})
        return True

    def action_enter_seed(self, seed):
        """Audit enters the public seed (the lottery result, the representatives' digits or the notary's record)
        once the commitment is shown: someone other than the desk that froze the list, and final once entered."""
        self.ensure_one()
        self._kam_check_may("action_enter_seed")
        if self.state != "frozen":
            raise UserError(self.env._("The seed is entered once the list is frozen, and cannot change after the draw."))
        if self.seed:
            raise UserError(self.env._("The public seed of this draw is entered and final."))
        self._kam_check_four_eyes("frozen_by_id")
        try:
            seed = selection_draw.normalize_seed(seed)
        except RuleError as error:
            raise UserError(error.translated(self.env)) from None
        self._kam_move(
            "action_enter_seed",
            {"seed": seed, "seed_entered_by_id": self.env.uid, "seed_entered_date": fields.Datetime.now()},
        )
        return True

    def action_draw(self):
        """Sort the frozen list by SHA-256(commitment ‖ seed ‖ ID number)."""
        for draw in self:
            draw._kam_check_may("action_draw")
            draw._kam_check_four_eyes("seed_entered_by_id")
            buyers = draw._verified_buyers()
            by_id = {buyer.id_number: buyer for buyer in buyers}
            try:
                if selection_draw.list_commitment(list(by_id)) != draw.commitment:
                    raise UserError(
                        self.env._("The verified list changed since it was frozen: start a new draw.")
                    )
                order = selection_draw.draw_order(draw.commitment, draw.seed, list(by_id))
            except RuleError as error:
                raise UserError(error.translated(self.env)) from None
            draw._finish([(position, by_id[number]) for position, number in enumerate(order, start=1)])
            draw._kam_move("action_draw", {"drawn_date": fields.Datetime.now(), "drawn_by_id": self.env.uid})
        return True

    def action_import_notary_order(self):
        """Import the notary's order: a CSV file ``position,id_number``; every bad row is listed, nothing kept."""
        for draw in self:
            draw._check_method("notary")
            if not draw.notary_reference or not draw.notary_file:
                raise UserError(self.env._("Enter the notary's reference and attach the notary's file."))
            rows = draw._read_notary_rows()
            buyers = draw._verified_buyers()
            by_id = {buyer.id_number: buyer for buyer in buyers}
            problems = selection_draw.check_notary_order(rows, set(by_id))
            if problems:
                lines = [
                    (self.env._("row %(row)s: ", row=row) if row else "") + problem.translated(self.env)
                    for row, problem in problems
                ]
                raise UserError(
                    self.env._("The notary's order is refused:\n%(problems)s", problems="\n".join(lines))
                )
            draw._finish([(position, by_id[number]) for position, number in sorted(rows)])
            draw._kam_move(
                "action_import_notary_order", {"drawn_date": fields.Datetime.now(), "drawn_by_id": self.env.uid}
            )
        return True

    def action_export_for_verification(self):
        """The draw's list and seed as the CSV ``tools/verify_draw.py`` re-checks."""
        self.ensure_one()
        if self.state not in ("done", "superseded") or self.method != "module":
            raise UserError(self.env._("Only a finished draw made in the module can be exported for verification."))
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{self.contract_id.name}-draw-{self.id}.csv",
                "raw": self._export_text().encode("utf-8"),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "text/csv",
            }
        )
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "new"}

    def action_call_next(self):
        """Call the next buyer of the order to the desk (叫号)."""
        self.ensure_one()
        if self.state != "done":
            raise UserError(self.env._("Buyers are called from a finished draw."))
        self._kam_check_may("action_draw")
        line = self.next_line_id
        if not line:
            raise UserError(self.env._("Every buyer of this order has been called."))
        line.sudo().write({"called_date": fields.Datetime.now(), "called_by_id": self.env.uid})
        return line.action_desk_check_id()

    def action_desk_check_id(self):
        """Check the ID of the buyer at the desk."""
        self.ensure_one()
        # the desk's line is computed in SQL and read as superuser: the caller must read the draw first
        self.check_access("read")
        if not self.current_line_id:
            raise UserError(self.env._("Call the next buyer first."))
        return self.current_line_id.action_desk_check_id()

    def action_desk_open_ticket(self):
        """Issue (or open) the ticket of the buyer at the desk."""
        self.ensure_one()
        self.check_access("read")  # as action_desk_check_id
        if not self.current_line_id:
            raise UserError(self.env._("Call the next buyer first."))
        return self.current_line_id.action_desk_open_ticket()

    @api.model
    def _kam_desk_action(self):
        """The selection desk (the ticket clerks' home): the open draw's desk when there is one, else the list."""
        action = self.env["ir.actions.act_window"]._for_xml_id("kam_management.action_kam_selection_desk_draws")
        # the web client finds the app of the opened action by its id: the menu's (server) action keeps the
        # navigation bar of Key Accounts, and a reload of the page opens the desk again
        action["id"] = self.env.ref("kam_management.action_kam_selection_desk").id
        draws = self.search([("state", "=", "done")], limit=2)
        if len(draws) == 1:
            action.update({"res_id": draws.id, "view_mode": "form", "views": [(self.env.ref("kam_management.kam_selection_draw_view_form_desk").id, "form")]})
        return action

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_method(self, method):
        self.ensure_one()
        if self.method != method:
            raise UserError(self.env._("This step belongs to the other way of drawing."))

    def _verified_buyers(self):
        self.ensure_one()
        contract = self.contract_id
        if not contract.buyers_verified:
            raise UserError(self.env._("Only a verified buyer list can be drawn."))
        return contract.sudo().buyer_ids

    def _read_notary_rows(self):
        try:
            text = base64.b64decode(self.notary_file).decode("utf-8-sig")
        except (ValueError, UnicodeDecodeError):
            raise UserError(self.env._("The notary's file must be a UTF-8 CSV file: position,id_number.")) from None
        rows = []
        for record in csv.reader(io.StringIO(text)):
            if not record or not "".join(record).strip():
                continue
            position = record[0].strip()
            if not position.isdigit() and not rows and position.lower() in ("position", "number", "序号"):
                continue  # header row
            id_number = (record[1] if len(record) > 1 else "").strip().upper()
            rows.append((int(position) if position.isdigit() else position, id_number))
        return rows

    @api.model
    def _check_no_ticket_issued(self, contract):
        """A draw whose order tickets were issued on is never re-drawn (issue 18)."""
        issued = self.env["kam.room.ticket"].sudo().search_count(
            [("contract_id", "=", contract.id), ("basis", "=", "buyer"), ("state", "!=", "draft")], limit=1
        )
        if issued:
            raise UserError(
                self.env._("Tickets were issued on the order of %(contract)s: it is never drawn again.",
                           contract=contract.sudo().display_name)
            )

    def _finish(self, ordered_buyers):
        """Write the order and supersede the contract's earlier finished draw."""
        self.ensure_one()
        self._check_no_ticket_issued(self.contract_id)
        earlier = self.sudo().search([("contract_id", "=", self.contract_id.id), ("state", "=", "done")])
        if earlier:
            earlier._kam_move("_supersede")
            self.sudo().previous_draw_id = earlier[:1]
        self.env["kam.selection.draw.line"].sudo().create(
            [
                {"draw_id": self.id, "position": position, "buyer_id": buyer.id}
                for position, buyer in ordered_buyers
            ]
        )

    @api.model
    def _load_desk_demo(self, project_id):
        """Demo data through the real flows: the demo contract's draw, three buyers called, ticketed,
        reviewed by finance and paid in full on the employer's receipts, so their vouchers are issued."""
        contract = self.env["kam.housing.contract"].search(
            [("project_id", "=", project_id), ("state", "=", "selection")], limit=1
        )
        if not contract or contract.draw_ids:
            return
        clerk = self.env.ref("kam_management.user_kam_ticket_clerk")
        finance = self.env.ref("kam_management.user_kam_finance")
        staff = self.env.ref("kam_management.user_kam_user")
        draw = self.with_user(clerk).create({"contract_id": contract.id})
        draw.action_freeze()
        draw.with_user(self.env.ref("kam_management.user_kam_audit")).action_enter_seed("2026-12-01 福彩3D 379")
        draw.action_draw()
        units = contract.holding_ids.filtered(lambda h: h.state == "active").unit_id.sorted("name")[:3]
        for number, (line, unit) in enumerate(zip(draw.line_ids.sorted("position"), units, strict=False), start=1):
            draw.action_call_next()
            buyer = line.sudo().buyer_id
            line.with_user(clerk).action_check_id(buyer.name, buyer.id_number)
            ratio = 100.0 if number == 1 else contract.payment_ratio
            ticket = self.env["kam.room.ticket"].with_user(clerk).create(
                {
                    "contract_id": contract.id,
                    "draw_line_id": line.id,
                    "buyer_name": buyer.name,
                    "id_number": buyer.id_number,
                    "unit_id": unit.id,
                    "payment_ratio": ratio,
                    "deposit_amount": 0.0 if ratio >= 100 else 20_000.0,
                }
            )
            ticket.action_issue()
            ticket.write({"signed_copy": base64.b64encode(b"%PDF-1.4 demo signed ticket"), "signed_copy_name": "签字联.pdf"})
            ticket.with_user(finance).action_review()
            receipt = self.env["kam.housing.receipt"].with_user(staff).create(
                {
                    "name": f"WJB-{number:04d}",
                    "contract_id": contract.id,
                    "buyer_id": buyer.id,
                    "amount": ticket.amount_due,
                    "kind": "house",
                }
            )
            receipt.with_user(finance).action_register()  # finance registers what staff prepared

    def _export_text(self):
        lines = [f"# commitment: {self.commitment}", f"# seed: {(self.seed or '').strip()}", "position,id_number"]
        lines += [f"{line.position},{line.sudo().buyer_id.id_number}" for line in self.line_ids.sorted("position")]
        return "\n".join(lines) + "\n"
