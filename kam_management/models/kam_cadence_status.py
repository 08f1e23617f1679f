"""Where every key account stands against every cadence rule of its tier (KA7).

What
    One row per account and rule: the last satisfying contact, the day the
    next one is due, the responsible user and the reminder activity. The
    daily job ``_cron_refresh_cadence`` keeps the rows current; logging a
    visit refreshes its account at once.

How it works
    For a batch of accounts, one SQL statement ranks their satisfying visits
    per rule (only the ``min_count`` latest are read back), one reads their
    existing rows; ``rules/cadence.py`` computes the due dates; new rows are
    created in one batch and changed rows updated by one ``UPDATE … FROM
    (VALUES …)``. Reminders are created in one batch for rows that became
    due and were not reminded for that due date (never twice), and are
    marked done when a contact moved the due date into the future. The
    number of queries does not grow with the number of accounts.

How to use
    ``env["kam.cadence.status"]._kam_refresh_cadence(partners, today)`` —
    the job calls it per batch and commits its progress between batches.

Caveat
    The reminder is created under the job's user (OdooBot) and sends no
    assignment e-mail: the responsible user sees it in their activities.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..rules import cadence

CADENCE_BATCH_SIZE = 1000


class KamCadenceStatus(models.Model):
    _name = "kam.cadence.status"
    _description = "Key-Account Cadence Status"
    _order = "next_due_date, id"
    _rec_name = "rule_id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, ondelete="cascade", index=True)
    rule_id = fields.Many2one("kam.cadence.rule", required=True, ondelete="cascade", index=True)
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True, index="btree_not_null")
    last_contact_date = fields.Date(string="Last Satisfying Contact", readonly=True)
    next_due_date = fields.Date(string="Next Contact Due", readonly=True, index=True)
    is_due = fields.Boolean(string="Due", readonly=True)
    activity_id = fields.Many2one("mail.activity", string="Reminder", readonly=True, ondelete="set null")
    reminded_due_date = fields.Date(
        string="Reminded For", readonly=True, help="The due date the current reminder was created for."
    )

    _partner_rule_uniq = models.Constraint(
        "unique(partner_id, rule_id)", "An account has one cadence status per rule."
    )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    def write(self, vals):
        if not self.env.su:
            # the rows are the job's record of what is due: nobody edits them
            raise AccessError(self.env._("The cadence status is kept by the cadence job only."))
        return super().write(vals)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _cron_refresh_cadence(self, batch_size=CADENCE_BATCH_SIZE):
        """Daily job: refresh every key account in batches, committing progress between them."""
        partner_ids = self._kam_cadence_partner_ids()
        today = fields.Date.context_today(self)
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(partner_ids))
        for start in range(0, len(partner_ids), batch_size):
            chunk = self.env["res.partner"].browse(partner_ids[start : start + batch_size])
            self._kam_refresh_cadence(chunk, today)
            cron._commit_progress(len(chunk))

    @api.model
    def _kam_refresh_all(self, today=None):
        """Refresh every key account at once, without committing (demo data, tests)."""
        partners = self.env["res.partner"].browse(self._kam_cadence_partner_ids())
        return self._kam_refresh_cadence(partners, today)

    @api.model
    def _kam_cadence_partner_ids(self):
        tiers = self.env["kam.cadence.rule"].sudo().search([]).tier_id
        if not tiers:
            return []
        return (
            self.env["res.partner"]
            .sudo()
            .search([("kam_tier_id", "in", tiers.ids), ("kam_registration_state", "=", "approved")], order="id")
            .ids
        )

    @api.model
    def _kam_refresh_cadence(self, partners, today=None):
        """Bring the rows, reminders and no-contact flags of ``partners`` up to ``today``."""
        today = today or fields.Date.context_today(self)
        self = self.sudo()
        partners = partners.sudo().filtered("kam_tier_id")
        rules_by_tier = {}
        for rule in self.env["kam.cadence.rule"].search([("tier_id", "in", partners.kam_tier_id.ids)]):
            rules_by_tier.setdefault(rule.tier_id.id, []).append(rule)
        dates = self._kam_satisfying_dates(partners, today)
        existing = {
            (row.partner_id.id, row.rule_id.id): row for row in self.search([("partner_id", "in", partners.ids)])
        }
        to_create, to_update, to_remind, to_close = [], [], [], self.env["mail.activity"]
        for partner in partners:
            # the account counts from its registration (a stable date: later writes to it do not move it)
            start = (partner.kam_registration_id.create_date or partner.create_date).date()
            for rule in rules_by_tier.get(partner.kam_tier_id.id, ()):
                contacts = dates.get((partner.id, rule.id), [])
                due = cadence.next_due_date(contacts, rule.min_count, rule.period, start)
                values = {
                    "user_id": rule._responsible_user(partner).id or False,
                    "last_contact_date": contacts[0] if contacts else False,
                    "next_due_date": due,
                    "is_due": cadence.is_due(due, today),
                }
                row = existing.pop((partner.id, rule.id), None)
                if row is None:
                    to_create.append({"partner_id": partner.id, "rule_id": rule.id, **values})
                    continue
                if row.activity_id and not values["is_due"]:
                    to_close |= row.activity_id  # a contact was logged: the reminder is done
                if any(row[name] != (values[name] or False) for name in ("last_contact_date", "next_due_date")) or (
                    row.user_id.id != values["user_id"] or row.is_due != values["is_due"]
                ):
                    to_update.append((row, values))
                if values["is_due"] and row.reminded_due_date != due:
                    to_remind.append(row)
        rows = self.create(to_create)
        to_remind += [row for row in rows if row.is_due]
        self._kam_update_rows(to_update)
        # rows of rules that no longer apply (the account changed tier) go, with their reminders
        stale = self.browse([row.id for row in existing.values()])
        (stale.activity_id | to_close).filtered("active")._action_done(
            feedback=self.env._("A satisfying contact was logged (or the rule no longer applies).")
        )
        stale.unlink()
        self._kam_remind(self.browse([row.id for row in to_remind]))
        self._kam_flag_no_contact(partners, today)
        return True

    def _kam_satisfying_dates(self, partners, today):
        """{(partner id, rule id): [dates, newest first]} — the ``min_count`` latest satisfying contacts."""
        if not partners:
            return {}
        self.env["kam.visit"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT partner_id, rule_id, date
                  FROM (
                    SELECT v.partner_id, r.id AS rule_id, v.date, r.min_count,
                           ROW_NUMBER() OVER (PARTITION BY v.partner_id, r.id ORDER BY v.date DESC, v.id DESC) AS rank
                      FROM kam_visit v
                      JOIN res_partner p ON p.id = v.partner_id
                      JOIN kam_cadence_rule r ON r.tier_id = p.kam_tier_id AND r.active
                      JOIN kam_cadence_rule_kind_rel k ON k.rule_id = r.id AND k.kind_id = v.kind_id
                     WHERE v.partner_id = ANY(%(partners)s)
                       AND v.date <= %(today)s
                  ) ranked
                 WHERE rank <= min_count
                 ORDER BY partner_id, rule_id, date DESC
                """,
                partners=partners.ids,
                today=today,
            )
        )
        dates = {}
        for partner_id, rule_id, date in self.env.cr.fetchall():
            dates.setdefault((partner_id, rule_id), []).append(date)
        return dates

    def _kam_update_rows(self, updates):
        """One UPDATE for all changed rows (a write per row would be a query per account)."""
        if not updates:
            return
        values = SQL(", ").join(
            SQL(
                "(%s, %s::int, %s::date, %s::date, %s::bool)",
                row.id,
                vals["user_id"] or None,
                vals["last_contact_date"] or None,
                vals["next_due_date"],
                vals["is_due"],
            )
            for row, vals in updates
        )
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                UPDATE kam_cadence_status s
                   SET user_id = v.user_id, last_contact_date = v.last_contact, next_due_date = v.due, is_due = v.is_due,
                       write_date = NOW() AT TIME ZONE 'UTC', write_uid = %(uid)s
                  FROM (VALUES %(values)s) AS v(id, user_id, last_contact, due, is_due)
                 WHERE s.id = v.id
                """,
                values=values,
                uid=self.env.uid,
            )
        )
        self.invalidate_model(["user_id", "last_contact_date", "next_due_date", "is_due"])

    def _kam_remind(self, rows):
        """One reminder per row and due date, created in one batch."""
        rows = rows.filtered("user_id")
        if not rows:
            return
        activity_type = self.env.ref("kam_management.mail_activity_type_kam_contact_due")
        partner_model = self.env["ir.model"]._get_id("res.partner")
        activities = (
            self.env["mail.activity"]
            .with_context(mail_activity_quick_update=True)  # no assignment e-mail per reminder from the job
            .create(
                [
                    {
                        "res_model_id": partner_model,
                        "res_id": row.partner_id.id,
                        "activity_type_id": activity_type.id,
                        "summary": row.rule_id.name,
                        "date_deadline": row.next_due_date,
                        "user_id": row.user_id.id,
                    }
                    for row in rows
                ]
            )
        )
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                UPDATE kam_cadence_status s SET activity_id = v.activity_id, reminded_due_date = s.next_due_date
                  FROM (VALUES %s) AS v(id, activity_id) WHERE s.id = v.id
                """,
                SQL(", ").join(SQL("(%s, %s)", row.id, activity.id) for row, activity in zip(rows, activities, strict=True)),
            )
        )
        self.invalidate_model(["activity_id", "reminded_due_date"])

    def _kam_flag_no_contact(self, partners, today):
        """Flag the accounts without any contact for the company's number of days, in one UPDATE."""
        days = self.env.company.kam_no_contact_days
        limit = fields.Date.subtract(today, days=days) if days > 0 else None
        self.env["res.partner"].flush_model(["kam_last_contact_date"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner
                   SET kam_no_contact = (%(limit)s::date IS NOT NULL
                                         AND (kam_last_contact_date IS NULL OR kam_last_contact_date <= %(limit)s))
                 WHERE id = ANY(%(partners)s)
                   AND kam_no_contact IS DISTINCT FROM (%(limit)s::date IS NOT NULL
                                         AND (kam_last_contact_date IS NULL OR kam_last_contact_date <= %(limit)s))
                """,
                limit=limit,
                partners=partners.ids,
            )
        )
        self.env["res.partner"].invalidate_model(["kam_no_contact"])
