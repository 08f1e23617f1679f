from odoo import api, models
from odoo.exceptions import AccessError, UserError

# What still changes on a locked document: its chatter and its activities.
ALWAYS_EDITABLE_PREFIXES = ("message_", "activity_", "website_message")
# Context keys a client could send to silence the trail of its change: dropped for everyone but sudo.
SILENCING_CONTEXT_KEYS = ("tracking_disable", "mail_notrack", "mail_create_nolog", "mail_auto_subscribe_no_notify")


class KamLifecycleMixin(models.AbstractModel):
    """One lifecycle for every document with states (ARCHITECTURE.md).

    A model declares its transitions as data::

        _kam_transitions = {
            # action method: (states it starts from, state it reaches, groups allowed (any of; empty: anyone))
            "action_submit": (("draft",), "submitted", ("kam_management.group_kam_user",)),
            "action_cancel": (("draft", "submitted"), "cancel", ("kam_management.group_kam_manager",)),
        }

    and each ``action_*`` method does its checks, then calls ``self._kam_move("action_submit", extra_vals)``.
    That is the only way the state (and the fields in ``_kam_action_fields``: sign-offs, dates, who did
    what) change for a user: ``write`` refuses them, ``create`` starts in the first state. The move
    itself writes under ``sudo()`` after checking the from-state and the groups; no context key opens
    any of it. A document in one of ``_kam_locked_states`` refuses every other change except the
    fields in ``_kam_editable_when_locked``; its lines (``kam.lifecycle.line.mixin``) follow it. Only
    documents in ``_kam_deletable_states`` can be deleted: the rest are evidence, corrected by
    reversal or cancellation. The record rules hold after a write too: nobody moves a document (or a line)
    to a contract, department or manager they may not write for.
    """

    _name = "kam.lifecycle.mixin"
    _description = "Key-Account Document Lifecycle"

    _kam_state_field = "state"
    _kam_transitions = {}
    _kam_action_fields = ()
    _kam_locked_states = ()
    _kam_editable_when_locked = ()
    _kam_deletable_states = None  # None: the first state of the selection only

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self = self._kam_without_silencing_context()
            initial = self._kam_initial_state()
            for vals in vals_list:
                state = vals.get(self._kam_state_field)
                if state and state != initial:
                    self._kam_raise_action_only([self._kam_state_field])
                vals.pop(self._kam_state_field, None)
                forced = [name for name in self._kam_action_fields if vals.get(name)]
                if forced:
                    self._kam_raise_action_only(forced)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self = self._kam_without_silencing_context()
            forced = [name for name in (self._kam_state_field, *self._kam_action_fields) if name in vals]
            if forced:
                self._kam_raise_action_only(forced)
            self._kam_check_unlocked(vals)
            result = super().write(vals)
            # Odoo checks the record rules before a write only: a document moved to another contract, department
            # or manager must still be one its author may write
            self.check_access("write")
            return result
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            deletable = self._kam_deletable_states
            if deletable is None:
                deletable = (self._kam_initial_state(),)
            kept = self.filtered(lambda record: record[self._kam_state_field] not in deletable)
            if kept:
                raise UserError(
                    self.env._(
                        "%(document)s has gone past its first step and is kept as a record: cancel or reverse it "
                        "instead of deleting it.",
                        document=kept[0].display_name,
                    )
                )
            self._kam_check_unlocked()
        return super().unlink()

    # ------------------------------------------------------------
    # TRANSITIONS
    # ------------------------------------------------------------

    def _kam_move(self, action, vals=None):
        """Move ``self`` through the declared transition ``action`` and write ``vals`` with it."""
        if not self:
            return True
        to_state = self._kam_get_transition(action)[1]
        if not self.env.su:
            # the move writes under sudo: a document the user cannot see is not theirs to move
            self.check_access("read")
        self._kam_check_may(action)
        self._kam_check_from_states(action)
        return self.sudo().write({self._kam_state_field: to_state, **(vals or {})})

    def _kam_check_from_states(self, action):
        """Refuse ``action`` on a record that is not in one of the states it starts from."""
        from_states, to_state, _groups = self._kam_get_transition(action)
        wrong = self.filtered(lambda record: record[self._kam_state_field] not in from_states)
        if wrong:
            selection = dict(self._fields[self._kam_state_field]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(document)s is %(state)s: it cannot be moved to %(target)s.",
                    document=wrong[0].display_name,
                    state=selection.get(wrong[0][self._kam_state_field]),
                    target=selection.get(to_state),
                )
            )

    def _kam_move_any(self, *actions, vals=None):
        """Move each record through the first of ``actions`` that starts from its state: one button, two
        transitions (a cancel that is the staff's in draft and the director's once approved)."""
        batches = []
        remaining = self
        for action in actions:
            from_states = self._kam_get_transition(action)[0]
            batch = remaining.filtered(lambda record, states=from_states: record[self._kam_state_field] in states)
            batch._kam_check_may(action)
            batches.append((action, batch))
            remaining -= batch
        # what no transition starts from gets the state error of the first one
        remaining._kam_move(actions[0], vals)
        for action, batch in batches:
            batch._kam_move(action, vals)
        return True

    def _kam_check_may(self, action):
        """Refuse ``action`` to a user outside its groups (the views hide it; the server decides)."""
        groups = self._kam_get_transition(action)[2]
        if self.env.su or not groups or not self:
            return
        if not any(self.env.user.has_group(group) for group in groups):
            raise AccessError(
                self.env._(
                    "You are not allowed to do this on %(document)s.",
                    document=self._kam_model_label(),
                )
            )

    def _kam_check_four_eyes(self, *user_fields):
        """Refuse the current user when they are the one recorded in any of ``user_fields`` (the preparer, the
        issuer, an earlier signer): a second person must do this step."""
        for record in self:
            for name in user_fields:
                if record[name] and record[name] == self.env.user:
                    raise UserError(
                        self.env._(
                            "%(document)s: %(user)s is already its %(role)s; another person must do this step.",
                            document=record.display_name,
                            user=self.env.user.name,
                            role=record._fields[name].get_description(self.env)["string"],
                        )
                    )

    def _kam_action_write(self, vals):
        """Write action fields (a sign-off, a date) from an action method after its checks, without a state
        change."""
        forbidden = set(vals) - set(self._kam_action_fields)
        if forbidden:
            raise UserError(self.env._("Only action fields can be written this way: %s", ", ".join(forbidden)))
        return self.sudo().write(vals)

    def _kam_set_todo(self, activity_type_xmlid, users_of, summary=None):
        """Whoever must act next is told: on each record (with activities) an activity of that type for each of
        ``users_of(record)``; the others' go (the current user's are marked done, the rest removed)."""
        activity_type = self.env.ref(activity_type_xmlid)
        for record in self.sudo():
            users = users_of(record)
            activities = record.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
            for user in users - activities.user_id:
                record.activity_schedule(activity_type_id=activity_type.id, user_id=user.id, summary=summary)
            stale = activities.filtered(lambda a, users=users: a.user_id not in users)
            mine = stale.filtered(lambda a: a.user_id == self.env.user)
            (stale - mine).unlink()
            mine.action_feedback()

    # ------------------------------------------------------------
    # LOCKS
    # ------------------------------------------------------------

    def _kam_is_locked(self):
        return self[self._kam_state_field] in self._kam_locked_states

    def _kam_check_unlocked(self, vals=None):
        """Refuse to change a locked document (SEC2); its lines call this with ``vals=None``."""
        if self.env.su:
            return
        if vals is not None:
            editable = self._kam_editable_fields()
            changed = [name for name in vals if name not in editable and not name.startswith(ALWAYS_EDITABLE_PREFIXES)]
            if not changed:
                return
        locked = self.filtered(lambda record: record._kam_is_locked())
        if locked:
            raise UserError(
                self.env._(
                    "%(document)s is locked: it is under review or approved. Cancel it (or withdraw the request) "
                    "to change it.",
                    document=locked[0].display_name,
                )
            )

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _kam_get_transition(self, action):
        """(from states, to state, groups) of ``action``; an undeclared action moves nothing."""
        try:
            return self._kam_transitions[action]
        except KeyError:
            raise UserError(
                self.env._("%(action)s is not a step of %(document)s.", action=action, document=self._kam_model_label())
            ) from None

    def _kam_editable_fields(self):
        """Fields that still change on a locked document."""
        return set(self._kam_editable_when_locked)

    def _kam_without_silencing_context(self):
        if any(self.env.context.get(key) for key in SILENCING_CONTEXT_KEYS):
            return self.with_context(**dict.fromkeys(SILENCING_CONTEXT_KEYS, False))
        return self

    def _kam_model_label(self):
        return self.env["ir.model"]._get(self._name).name  # translated, unlike _description

    def _kam_initial_state(self):
        return self._fields[self._kam_state_field].selection[0][0]

    def _kam_raise_action_only(self, names, line_fields=()):
        raise UserError(
            self.env._(
                "%(fields)s of %(document)s change only through the document's buttons.",
                fields=", ".join(
                    [self._fields[name].get_description(self.env)["string"] for name in names] + list(line_fields)
                ),
                document=self._kam_model_label(),
            )
        )


class KamLifecycleLineMixin(models.AbstractModel):
    """Lines of a lifecycle document: created, changed and deleted only while the document is unlocked."""

    _name = "kam.lifecycle.line.mixin"
    _description = "Key-Account Document Line"

    _kam_document_field = None  # the Many2one to the document, e.g. "review_id"
    # values the document's actions store on its lines (prices frozen at approval): never sent by a client
    _kam_action_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            forced = [name for vals in vals_list for name in self._kam_action_fields if vals.get(name)]
            if forced:
                self.env[self._fields[self._kam_document_field].comodel_name]._kam_raise_action_only(
                    [], line_fields=[self._fields[name].get_description(self.env)["string"] for name in forced]
                )
        # refused before the insert: a locked document gets no new line, not even for a rolled-back moment
        document_model = self.env[self._fields[self._kam_document_field].comodel_name]
        document_model.browse(
            {vals[self._kam_document_field] for vals in vals_list if vals.get(self._kam_document_field)}
        )._kam_check_unlocked()
        lines = super().create(vals_list)
        lines._kam_document()._kam_check_unlocked()
        return lines

    def write(self, vals):
        if not self.env.su:
            forced = [name for name in self._kam_action_fields if name in vals]
            if forced:
                self.env[self._fields[self._kam_document_field].comodel_name]._kam_raise_action_only(
                    [], line_fields=[self._fields[name].get_description(self.env)["string"] for name in forced]
                )
        self._kam_document()._kam_check_unlocked()
        result = super().write(vals)
        if self._kam_document_field in vals:
            self._kam_document()._kam_check_unlocked()
        if not self.env.su:
            self.check_access("write")  # as on documents: the rules hold for the values written
        return result

    def unlink(self):
        self._kam_document()._kam_check_unlocked()
        return super().unlink()

    def _kam_document(self):
        return self.mapped(self._kam_document_field)
