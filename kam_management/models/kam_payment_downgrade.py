import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..rules import late_payment
from .kam_display_name import join_name

_logger = logging.getLogger(__name__)

# What the late-payer job found and did: the evidence of the downgrade, written by the job only.
DOWNGRADE_JOB_FIELDS = {"partner_id", "company_id", "quarter", "late_count", "from_tier_id", "to_tier_id"}

KAM_PAYMENT_DOWNGRADE_STATE = [
    ("downgraded", "Downgraded"),
    ("restored", "Restored"),
    ("cancel", "Cancelled"),
]


class KamPaymentDowngrade(models.Model):
    """A key account moved one payment-term level down for paying late (KA6).

    Created by the daily job, one per customer and calendar quarter; the
    customer gets its level back only through the approval of the restore.
    """

    _name = "kam.payment.downgrade"
    _description = "Late-Payer Downgrade"
    _inherit = ["kam.approval.mixin"]
    _order = "quarter desc, id desc"
    _check_company_auto = True
    _kam_approve_action = "action_restore"
    # the form has no button of its own: OCA's request/validate buttons go next to the status bar
    _tier_validation_buttons_xpath = "/form/header/field[@name='state']"

    _state_from = ["downgraded"]
    _state_to = ["restored"]
    _cancel_state = "cancel"
    _kam_transitions = {
        "action_restore": (("downgraded",), "restored", ()),
    }
    _kam_deletable_states = ()  # the record of a downgrade is kept, restored or not
    # what the job found: nobody types it
    _kam_action_fields = ("partner_id", "company_id", "quarter", "late_count", "from_tier_id", "to_tier_id")

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    quarter = fields.Char(required=True, readonly=True, help="The calendar quarter of the late payments, e.g. 2026-Q1.")
    late_count = fields.Integer(string="Late Invoices", readonly=True)
    from_tier_id = fields.Many2one("kam.tier", string="From Level", readonly=True)
    to_tier_id = fields.Many2one("kam.tier", string="To Level", readonly=True)
    from_payment_term_id = fields.Many2one(related="from_tier_id.payment_term_id", string="From Payment Term")
    to_payment_term_id = fields.Many2one(related="to_tier_id.payment_term_id", string="To Payment Term")
    state = fields.Selection(KAM_PAYMENT_DOWNGRADE_STATE, default="downgraded", required=True, tracking=True)
    restore_reason = fields.Text(help="Why the customer deserves its payment terms back.")

    # the job runs daily: one downgrade per customer and quarter, enforced by the database
    _partner_quarter_uniq = models.Constraint(
        "unique(partner_id, company_id, quarter)", "A customer is downgraded at most once per quarter."
    )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Late-payer downgrades are recorded by the daily job only."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and DOWNGRADE_JOB_FIELDS & set(vals):
            raise AccessError(
                self.env._(
                    "The customer, quarter, late invoices and levels of a downgrade are what the late-payer job "
                    "found; they cannot be changed."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def request_validation(self):
        for downgrade in self:
            if not downgrade.restore_reason:
                raise UserError(self.env._("Say why the payment terms are restored."))
        return super().request_validation()

    def action_restore(self):
        for downgrade in self:
            if not downgrade.restore_reason:
                raise UserError(self.env._("Say why the payment terms are restored."))
        self._kam_move("action_restore")
        for downgrade in self:
            partner = downgrade.partner_id.sudo().with_company(downgrade.company_id)
            values = {"kam_payment_tier_id": downgrade.from_tier_id.id}
            if downgrade.from_tier_id.payment_term_id:
                values["property_payment_term_id"] = downgrade.from_tier_id.payment_term_id.id
            partner.write(values)
            partner.message_post(
                body=self.env._(
                    "Payment terms restored to %(level)s after approval.", level=downgrade.from_tier_id.display_name
                )
            )
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _cron_downgrade_late_payers(self):
        today = fields.Date.context_today(self)
        for company in self.env["res.company"].search([]):
            self.with_company(company)._downgrade_late_payers(company, today)

    def _late_payments(self, company, date_from, date_to):
        """(partner, due date, paid date) of key accounts' invoices paid in the window: one query.

        It starts from the partials matched in the window (``account_partial_reconcile`` by company
        and ``max_date``, indexed), so it reads that quarter's invoices only, not the company's history.
        """
        return self.env.execute_query(
            SQL(
                """
                SELECT m.commercial_partner_id, m.invoice_date_due, MAX(p.max_date)
                  FROM account_move m
                  JOIN res_partner rp ON rp.id = m.commercial_partner_id AND rp.kam_tier_id IS NOT NULL
                  JOIN account_move_line l ON l.move_id = m.id AND l.display_type = 'payment_term'
                  JOIN account_partial_reconcile p ON p.debit_move_id = l.id
                 WHERE m.id IN (
                        -- only invoices with a payment matched in the window (index on company, max_date)
                        SELECT wl.move_id
                          FROM account_partial_reconcile wp
                          JOIN account_move_line wl ON wl.id = wp.debit_move_id
                         WHERE wp.company_id = %(company)s
                           AND wp.max_date BETWEEN %(date_from)s AND %(date_to)s
                       )
                   AND m.company_id = %(company)s
                   AND m.state = 'posted'
                   AND m.move_type = 'out_invoice'
                 GROUP BY m.id, m.commercial_partner_id, m.invoice_date_due
                HAVING BOOL_AND(l.reconciled) AND MAX(p.max_date) BETWEEN %(date_from)s AND %(date_to)s
                """,
                company=company.id,
                date_from=date_from,
                date_to=date_to,
            )
        )

    def _downgrade_late_payers(self, company, today):
        """Look at this quarter and the previous one, so a late payment of the last day counts."""
        self.env.flush_all()
        window_start, _end = late_payment.quarter_bounds(late_payment.previous_quarter(late_payment.quarter_of(today)))
        late = late_payment.late_quarters(self._late_payments(company, window_start, today))
        if not late:
            return self.browse()
        done = {
            (d.partner_id.id, d.quarter)
            for d in self.sudo().search([("company_id", "=", company.id), ("partner_id", "in", [p for p, _q in late])])
        }
        partners = self.env["res.partner"].sudo().with_company(company).browse([p for p, _q in late])
        downgrades = self.browse()
        for (partner_id, quarter), count in sorted(late.items()):
            if (partner_id, quarter) in done:
                continue
            partner = partners.browse(partner_id)
            current = partner.kam_payment_tier_id or partner.kam_tier_id
            levels = current.scheme_id._payment_levels()
            target_id = late_payment.next_level_down(levels.ids, current.id)
            target = self.env["kam.tier"].browse(target_id) if target_id else current
            downgrade = self.sudo().create(
                {
                    "partner_id": partner_id,
                    "company_id": company.id,
                    "quarter": quarter,
                    "late_count": count,
                    "from_tier_id": current.id,
                    "to_tier_id": target.id,
                }
            )
            downgrade._apply_downgrade()
            downgrades |= downgrade
        _logger.info("late payers: %s customers downgraded in %s", len(downgrades), company.name)
        return downgrades

    def _apply_downgrade(self):
        self.ensure_one()
        partner = self.partner_id.sudo().with_company(self.company_id)
        if self.to_tier_id != self.from_tier_id:
            values = {"kam_payment_tier_id": self.to_tier_id.id}
            if self.to_tier_id.payment_term_id:
                values["property_payment_term_id"] = self.to_tier_id.payment_term_id.id
            partner.write(values)
            body = self.env._(
                "%(count)s invoices paid late in %(quarter)s: payment terms moved down from %(from)s to %(to)s "
                "(%(term)s). Restoring them needs approval.",
                count=self.late_count,
                quarter=self.quarter,
                **{"from": self.from_tier_id.display_name},
                to=self.to_tier_id.display_name,
                term=self.to_tier_id.payment_term_id.name or "",
            )
        else:
            body = self.env._(
                "%(count)s invoices paid late in %(quarter)s; the payment terms are already at the lowest level.",
                count=self.late_count,
                quarter=self.quarter,
            )
        partner.message_post(body=body)
        manager = partner.kam_manager_id or self.env.user
        partner.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=manager.id,
            summary=self.env._("Late payer: talk to the customer"),
            note=body,
        )

    @api.depends("partner_id.name", "quarter")
    def _compute_display_name(self):
        for record in self:
            record.display_name = join_name(record.partner_id.name, record.quarter)
