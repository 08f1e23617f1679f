import datetime

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

REMINDER_SCOPE = [
    ("contract", "Commissioned-Housing Contracts"),
    ("relation", "Relationship Housing"),
]
REMINDER_CHANNEL = [
    ("activity", "Activity"),
    ("email", "E-mail"),
]
# which deadline each scope is reminded of, and the document model
SCOPE_MODELS = {"contract": "kam.housing.contract", "relation": "kam.relation.request"}


class KamCollectionReminderLevel(models.Model):
    """A level of payment reminders (AC5): so many days before (negative) or after the payment deadline.

    The daily job ``_cron_send_reminders`` gives every open document (a
    contract still waiting for money, an approved relationship request not
    paid) each level once: the claim is a row of ``kam.collection.reminder``
    with a unique (level, document), inserted before the activity or e-mail
    goes out, so two runs on one day, or two workers, never send a level
    twice.
    """

    _name = "kam.collection.reminder.level"
    _description = "Payment Reminder Level"
    _order = "scope, days_offset, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    scope = fields.Selection(REMINDER_SCOPE, required=True, default="contract")
    days_offset = fields.Integer(
        string="Days from Deadline", required=True,
        help="Negative: days before the payment deadline; 0: on the day; positive: days after it.",
    )
    channel = fields.Selection(REMINDER_CHANNEL, required=True, default="activity")
    activity_type_id = fields.Many2one(
        "mail.activity.type", default=lambda self: self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
    )
    mail_template_id = fields.Many2one("mail.template", string="E-mail Template")
    user_id = fields.Many2one(
        "res.users", string="Responsible",
        help="Who gets the activity; empty: the contract's key-account manager or the request's filer.",
    )
    summary = fields.Char(translate=True)

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("channel", "mail_template_id", "scope")
    def _check_mail_template(self):
        for level in self.filtered(lambda lvl: lvl.channel == "email"):
            if level.mail_template_id.model != SCOPE_MODELS[level.scope]:
                raise ValidationError(
                    self.env._(
                        "The e-mail reminder %(level)s needs an e-mail template of %(model)s.",
                        level=level.name,
                        model=self.env["ir.model"]._get(SCOPE_MODELS[level.scope]).name,
                    )
                )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _cron_send_reminders(self):
        today = fields.Date.context_today(self)
        for level in self.sudo().search([]):
            level._kam_send(today)

    def _kam_send(self, today):
        self.ensure_one()
        documents = self._kam_due_documents(today)
        claimed = self._kam_claim(documents, today)
        if claimed and self.channel == "email":
            # one batch: the template renders its recipients (e.g. the employer) for every document
            self.mail_template_id.send_mail_batch(claimed.ids)
        for document in claimed:
            self._kam_remind(document)

    def _kam_due_documents(self, today):
        """Open documents whose deadline + offset has come (before-deadline levels stop at the deadline)."""
        Model = self.env[SCOPE_MODELS[self.scope]].sudo()
        latest = today - datetime.timedelta(days=self.days_offset)
        domain = [("payment_deadline", "<=", latest)]
        if self.days_offset < 0:
            domain.append(("payment_deadline", ">=", today))
        if self.company_id:
            domain.append(("company_id", "=", self.company_id.id))
        if self.scope == "contract":
            domain.append(("state", "in", ("allocated", "selection")))
            return Model.search(domain)._kam_awaiting_money()
        # a request not paid yet, or one paid but re-priced by its late payment and still owing (ledger)
        requests = Model.search(domain + [("state", "in", ("approved", "paid"))])
        owing = {
            request
            for (request,) in self.env["kam.housing.receipt.ledger"].sudo()._read_group(
                [("relation_request_id", "in", requests.ids), ("outstanding", ">", 0)], ["relation_request_id"]
            )
        }
        return requests.filtered(lambda r: (r.state == "approved" and not r.payment_date) or r in owing)

    def _kam_claim(self, documents, today):
        """Insert the (level, document) rows first; only the rows this run inserted are reminded."""
        if not documents:
            return documents
        self.env.cr.execute(
            """
            INSERT INTO kam_collection_reminder (level_id, res_model, res_id, reminder_date, create_uid, create_date,
                                                write_uid, write_date)
            SELECT %s, %s, unnest(%s::int[]), %s, %s, now() at time zone 'UTC', %s, now() at time zone 'UTC'
            ON CONFLICT (level_id, res_model, res_id) DO NOTHING
            RETURNING res_id
            """,
            [self.id, documents._name, documents.ids, today, self.env.uid, self.env.uid],
        )
        return documents.browse([row[0] for row in self.env.cr.fetchall()])

    def _kam_remind(self, document):
        user = self.user_id or (document.user_id if self.scope == "contract" else document.requester_id)
        summary = self.summary or self.name
        if self.channel == "activity":
            document.activity_schedule(
                activity_type_id=self.activity_type_id.id or False,
                summary=summary,
                note=self.env._(
                    "Payment deadline %(deadline)s (%(level)s): chase the money.",
                    deadline=format_date(self.env, document.payment_deadline),
                    level=self.name,
                ),
                user_id=(user or self.env.user).id,
            )
        document.message_post(body=self.env._("Payment reminder sent: %(level)s.", level=self.name))
