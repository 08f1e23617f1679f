"""Defences by class (issue 18): the declared access matrix (``access_matrix.MATRIX``) checked against what every user
of it can really do to every stored field of every model of the module, and of every field it adds to Odoo's
models; generated from the registry, so a new model or field that nobody put in the matrix fails here."""

import datetime
import re
from contextlib import closing, contextmanager
from unittest.mock import patch

import psycopg2

from odoo import Command, fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import get_public_method
from odoo.sql_db import Cursor
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .access_matrix import KNOWN_OPEN, MATRIX, METHODS_ALLOWED, METHODS_READ_ONLY, ORM_METHODS, ROUTES
from .common import KamJsonRpcMixin
from .desk_common import BUYERS
from .matrix_common import KamMatrixCommon, matrix_binary

MODULE = "kam_management"
# the ORM's own bookkeeping: nobody writes it, the ORM does
LOG_FIELDS = {"id", "create_uid", "create_date", "write_uid", "write_date", "display_name"}
# the chatter and activities are mail's, with mail's own access rules (a reader may post)
CHATTER_PREFIXES = ("message_", "activity_", "website_message", "rating_", "has_message")
# what a client sends to create one more record like the fixture's: the values only the server (or another
# department) sets are left out (None), so that the cell shows who may create such a record, not who may set them
CREATE_VALUES = {
    "kam.complaint": {"received_at": None},  # stamped by the server when the complaint comes in
    "kam.housing.contract": {"joint_journal_id": None},  # finance designates the joint account (issue 18, hole 8)
    "kam.contract.relation.term": {"relation": "parent"},  # a contract lists each relation once
}
REFUSALS = (AccessError, UserError, ValidationError, psycopg2.Error, ValueError, TypeError, KeyError)


def matrix_fields(env):
    """``{model: [field names]}``: what the matrix must declare.

    Every model of the module that is stored (not a wizard: a wizard's record is its user's scratch pad, what it
    does goes through its action, see test_public_methods), with each stored field that is not the ORM's log, the
    chatter or a one2many (a one2many writes its lines, which are rows of their own model here); and every such
    field the module adds to one of Odoo's models.
    """
    result = {}
    for name in sorted(env.registry):
        model = env[name]
        if model._abstract or model._transient:
            continue
        own = model._original_module == MODULE
        names = [
            field.name
            for field in model._fields.values()
            if field.store
            and field.type != "one2many"
            and field.name not in LOG_FIELDS
            and not field.name.startswith(CHATTER_PREFIXES)
            and (own or MODULE in field._modules)
        ]
        if own or names:
            result[name] = sorted(names)
    return result


def _users(text):
    return set(text.split())


class MatrixProbe:
    """Tries each act in a savepoint that is always rolled back: the fixture is the same for every try."""

    def _try(self, act):
        """``None`` when ``act()`` went through (and flushed), else the refusal's message."""
        try:
            with closing(self.env.cr.savepoint()):
                act()
                self.env.flush_all()
        except REFUSALS as error:
            self.last_refusal = error
            return str(error) or type(error).__name__
        finally:
            self.env.invalidate_all()
        return None

    def _new_value(self, record, name):
        """A value for ``record.name`` that differs from the current one and that the superuser may write."""
        field = record._fields[name]
        value = record.sudo()[name]
        kind = field.type
        if kind in ("char", "text", "html"):
            return f"{value or ''} matrix"
        if kind == "integer":
            return (value or 0) + 1
        if kind in ("float", "monetary"):
            return (value or 0.0) + 1.0
        if kind == "boolean":
            return not value
        if kind == "date":
            return (value or fields.Date.today()) - datetime.timedelta(days=1)
        if kind == "datetime":
            return (value or fields.Datetime.now()) - datetime.timedelta(hours=1)
        if kind == "selection":
            options = [key for key, _label in field._description_selection(self.env) if key != value]
            return options[0] if options else value
        if kind == "binary":
            return matrix_binary()
        if kind in ("many2one", "many2many"):
            comodel = self.env[field.comodel_name].sudo()
            domain = [("id", "not in", value.ids)]
            if "company_id" in comodel._fields and comodel._fields["company_id"].store:
                domain.append(("company_id", "in", (False, self.env.company.id)))
            other = comodel.search(domain, limit=1, order="id desc")
            return other.id if kind == "many2one" else [Command.set(other.ids)]
        if kind in ("json", "properties", "many2one_reference", "reference"):
            return value
        raise AssertionError(f"no test value for {record._name}.{name} ({kind})")

    def _observed(self, model, names):
        """``{"create": users, "unlink": users, "write": {field: users}}`` as they really are, plus the fields the
        superuser could not write either (their test value is not a valid one)."""
        record = self.matrix_records.get(model)
        self.assertTrue(record, f"no fixture record for {model}: add one to KamMatrixCommon._matrix_fixture")
        # a user without the model's write right is refused every field by the first check of write(): not retried
        users = {
            key: user for key, user in self.matrix_users.items()
            if self.env["ir.model.access"].with_user(user).check(model, "write", raise_exception=False)
        }
        observed = {"write": {}, "create": set(), "unlink": set()}
        invalid = []
        self.refusals = {}  # (act, field, user key): the refusal's message, to tell why a cell does not hold

        def allowed(act, field, key, attempt):
            refusal = self._try(attempt)
            if refusal is not None:
                self.refusals[act, field, key] = refusal
            return refusal is None

        for name in names:
            vals = {name: self._new_value(record, name)}
            if self._try(lambda vals=vals: record.sudo().write(vals)) is not None:
                invalid.append(name)
            observed["write"][name] = {
                key
                for key, user in users.items()
                if allowed("write", name, key, lambda user=user, vals=vals: record.with_user(user).write(vals))
            }
        users = self.matrix_users
        create_vals = self._create_vals(record)
        observed["create"] = {
            key for key, user in users.items()
            # a copy each time: a model's create puts its reference into the values it is given
            if allowed("create", "", key, lambda user=user: record.with_user(user).create(dict(create_vals)))
        }
        observed["unlink"] = {
            key for key, user in users.items()
            if allowed("unlink", "", key, lambda user=user: record.with_user(user).unlink())
        }
        return observed, invalid

    def _create_vals(self, record):
        """The fixture record's own values (as a copy would take them), without its lines."""
        vals = record.sudo().copy_data()[0]
        vals = {
            name: value for name, value in vals.items()
            if record._fields[name].type != "one2many" and not name.startswith(CHATTER_PREFIXES)
        }
        vals.update(CREATE_VALUES.get(record._name, {}))
        return {name: value for name, value in vals.items() if value is not None}


@tagged("post_install", "-at_install")
class TestAccessMatrix(MatrixProbe, KamMatrixCommon):
    def test_every_model_and_field_is_declared(self):
        missing = []
        for model, names in matrix_fields(self.env).items():
            rights = MATRIX.get(model)
            if rights is None:
                missing.append(f"{model}: the whole model")
                continue
            listed = [name for text in rights["write"].values() for name in text.split()]
            missing += [f"{model}.{name}" for name in names if name not in listed]
            missing += [f"{model}.{name}: listed twice" for name in set(listed) if listed.count(name) > 1]
            missing += [f"{model}.{name}: no such field (any more)" for name in set(listed) - set(names)]
        missing += [f"{model}: no such model (any more)" for model in set(MATRIX) - set(matrix_fields(self.env))]
        self.assertFalse(missing, "not in access_matrix.MATRIX:\n" + "\n".join(missing))

    @mute_logger("odoo.sql_db", "odoo.models.unlink", "odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_the_matrix_holds_for_every_user(self):
        """Every user of the matrix tries to create, write each field of, and delete one record of every model."""
        wrong, fixed = [], []
        for model, names in matrix_fields(self.env).items():
            observed, invalid = self._observed(model, names)
            rights = MATRIX.get(model)
            if rights is None:
                continue  # test_every_model_and_field_is_declared names it
            cells = [("create", model, "", observed["create"], _users(rights["create"])),
                     ("unlink", model, "", observed["unlink"], _users(rights["unlink"]))]
            declared_writers = {name: _users(users) for users, text in rights["write"].items() for name in text.split()}
            cells += [
                ("write", model, name, observed["write"][name], declared_writers.get(name, set()))
                for name in names
            ]
            for act, model_name, field, got, expected in cells:
                for key in sorted(got ^ expected):
                    cell = (act, model_name, field, key)
                    what = f"{act} {model_name}{'.' + field if field else ''} as {key}: " + (
                        "went through, the matrix refuses it" if key in got
                        else f"refused, the matrix allows it ({self.refusals.get((act, field, key), 'no write right')})"
                    )
                    if cell not in KNOWN_OPEN:
                        wrong.append(what + (" (the superuser is refused too)" if field in invalid else ""))
                for key, why in KNOWN_OPEN.items():
                    if key[:3] == (act, model_name, field) and (key[3] in got) == (key[3] in expected):
                        fixed.append(f"{key} ({why}) holds now: remove it from KNOWN_OPEN")
        self.assertFalse(wrong, "the access matrix does not hold:\n" + "\n".join(wrong))
        self.assertFalse(fixed, "\n".join(fixed))


def public_methods(env):
    """``{(model, method): defining model}``: every public method (no leading underscore) that a class of the module
    defines or overrides, on every model of the registry that has it (a mixin's method on each model using it)."""
    result = {}
    for name in sorted(env.registry):
        for cls in type(env[name]).__mro__:
            if not cls.__module__.startswith(f"odoo.addons.{MODULE}."):
                continue
            for attr, value in vars(cls).items():
                if attr.startswith("_") or not callable(value) or isinstance(value, type):
                    continue
                result.setdefault((name, attr), cls._name)
    return result


DATA_CHANGE = re.compile(r"^\\s*(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+\"?(\\w+)", re.IGNORECASE)


@contextmanager
def recorded_changes():
    """The tables the database statements inside the block change (``INSERT``/``UPDATE``/``DELETE``)."""
    tables = []
    execute = Cursor.execute

    def recording(cr, query, params=None, log_exceptions=True):
        match = DATA_CHANGE.match(str(getattr(query, "code", query)))
        if match:
            tables.append(match.group(2))
        return execute(cr, query, params, log_exceptions)

    with patch.object(Cursor, "execute", recording):
        yield tables


def _declared(table, model, method, owner):
    return table.get(f"{model}.{method}") or table.get(f"{owner}.{method}")


@tagged("post_install", "-at_install")
class TestPublicMethods(MatrixProbe, KamMatrixCommon):
    """Every public method of the module (what any client may call over RPC) is either declared read-only, and
    changes nothing when called, or refuses a plain internal user and the second company's user (who holds every
    key-account group there) on a record of the first company; a few are declared allowed, with the reason."""

    def _method_args(self):
        units = self.units
        return {
            "kam.room.ticket.action_swap": (units[2],),
            "kam.room.ticket.action_top_up": (60.0,),
            "kam.selection.draw.action_enter_seed": ("matrix 1 2 3",),
            "kam.selection.draw.line.action_check_id": BUYERS[0],
            "kam.ticket.amendment.action_refund_fee": ("matrix",),
        }

    def _wizard_vals(self):
        """What an attacker puts in a wizard to reach the first company's records."""
        records = self.matrix_records
        satisfaction = self.env["kam.complaint.close.wizard"]._fields["satisfaction"]
        return {
            "kam.buyer.import": {"contract_id": records["kam.housing.contract"].id, "file": matrix_binary()},
            "kam.complaint.close.wizard": {
                "complaint_id": records["kam.complaint"].id,
                "confirmed_by_id": records["res.partner"].id,
                "satisfaction": satisfaction._description_selection(self.env)[0][0],
            },
            "kam.desk.id.check": {
                "line_id": records["kam.selection.draw.line"].id, "name": BUYERS[0][0], "id_number": BUYERS[0][1],
            },
            "kam.draw.seed": {"draw_id": records["kam.selection.draw"].id, "seed": "matrix 1 2 3"},
            "kam.fee.refund": {"amendment_id": records["kam.ticket.amendment"].id, "reason": "matrix"},
            "kam.handover.wizard": {"from_user_id": self.kam_users["user"].id, "to_user_id": self.kam_users["manager"].id},
            "kam.room.ticket.change": {"ticket_id": records["kam.room.ticket"].id, "mode": "cancel"},
            "kam.unit.reserve": {"unit_ids": [Command.set(self.units[16:17].ids)], "holder_name": "Matrix"},
            "kam.service.report": {"company_id": self.env.company.id},
            "account.statement.import": {"statement_file": matrix_binary(), "statement_filename": "matrix.csv"},
        }

    def _target(self, model, user):
        """The record ``user`` calls the method on: the fixture's, or a wizard ``user`` fills in themselves."""
        if model in self.matrix_records:
            return self.matrix_records[model].with_user(user)
        vals = self._wizard_vals().get(model)
        self.assertIsNotNone(vals, f"{model}: add what an attacker puts in it to _wizard_vals")
        return self.env[model].with_user(user).create(vals)

    def _call(self, model, method, user):
        """``None`` when the call went through, else the refusal."""
        args = self._method_args().get(f"{model}.{method}", ())

        def act():
            getattr(self._target(model, user), method)(*args)

        return self._try(act)

    @mute_logger("odoo.sql_db", "odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_every_public_method_is_read_only_or_checks_its_caller(self):
        problems = []
        attackers = {key: self.matrix_users[key] for key in ("plain", "other")}
        reader = self.matrix_users["audit"]  # reads everything of the module
        found = public_methods(self.env)
        for (model, method), owner in sorted(found.items()):
            try:
                get_public_method(self.env[model], method)
            except AccessError:
                continue  # @api.private: no client reaches it
            if method in ORM_METHODS or _declared(METHODS_ALLOWED, model, method, owner):
                continue
            if self.env[model]._abstract:
                if not self.env[model]._inherit_children:  # a mixin's methods are tried on the models using it
                    problems.append(f"{model}.{method}: no record to call it on: declare it in METHODS_ALLOWED")
                continue
            if _declared(METHODS_READ_ONLY, model, method, owner):
                for key, user in {"audit": reader, **attackers}.items():
                    with recorded_changes() as tables:
                        self._call(model, method, user)
                    if tables:
                        problems.append(f"{model}.{method} as {key}: declared read-only, it changed {sorted(set(tables))}")
                continue
            for key, user in attackers.items():
                if self._call(model, method, user) is None:
                    problems.append(f"{model}.{method} as {key}: went through")
                elif not isinstance(self.last_refusal, (AccessError, UserError)):
                    # a crash is no refusal: the method must reach its checks (give it its arguments in _method_args)
                    problems.append(f"{model}.{method} as {key}: crashed with {self.last_refusal!r}")
        declared = {*METHODS_READ_ONLY, *METHODS_ALLOWED}
        known = {f"{model}.{method}" for model, method in found} | {f"{owner}.{method}" for (_m, method), owner in found.items()}
        problems += [f"{key}: declared, but no such public method" for key in sorted(declared - known)]
        self.assertFalse(problems, "\n".join(problems))


def _json(value):
    if isinstance(value, datetime.datetime):
        return fields.Datetime.to_string(value)
    if isinstance(value, datetime.date):
        return fields.Date.to_string(value)
    if isinstance(value, bytes):
        return value.decode()
    return value


@tagged("post_install", "-at_install")
class TestAccessMatrixOverHttp(KamJsonRpcMixin, MatrixProbe, KamMatrixCommon, HttpCase):
    """The same matrix as a hostile client meets it (a sample of it over ``/web/dataset/call_kw``), and every report
    and route of the module refused to who cannot read its records."""

    def _rpc_cells(self):
        """Per model, the first field of each group of writers of the matrix, tried by one user the matrix lets
        write it (if any), the plain user and the second company's user."""
        cells = {}
        for model, rights in MATRIX.items():
            record = self.matrix_records.get(model)
            if not record:
                continue
            for users, text in rights["write"].items():
                name = text.split()[0]
                for key in {*sorted(_users(users))[:1], "plain", "other"}:
                    cells.setdefault(key, []).append((record, name, key in _users(users)))
        return cells

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_a_sample_of_the_matrix_holds_over_json_rpc(self):
        wrong = []
        for key, cells in sorted(self._rpc_cells().items()):
            user = self.matrix_users[key]
            self.authenticate(user.login, user.login)
            for record, name, allowed in cells:
                if ("write", record._name, name, key) in KNOWN_OPEN:
                    continue
                value = _json(self._new_value(record, name))
                with closing(self.env.cr.savepoint()):
                    response = self._call(record._name, "write", [record.ids, {name: value}])
                self.env.invalidate_all()
                if ("error" not in response) != allowed:
                    wrong.append(
                        f"write {record._name}.{name} as {key} over JSON-RPC: "
                        + ("went through" if allowed is False else response["error"]["data"]["message"])
                    )
        self.assertFalse(wrong, "\n".join(wrong))

    def _module_reports(self):
        data = self.env["ir.model.data"].search([("module", "=", MODULE), ("model", "=", "ir.actions.report")])
        return self.env["ir.actions.report"].browse(data.mapped("res_id"))

    def _report_record(self, report):
        if report.model == "kam.service.report":
            # the monthly and credit reports' wizard, as the director who prints them fills it in
            return self.env["kam.service.report"].with_user(self.kam_users["manager"]).create({})
        return self.matrix_records[report.model]

    @mute_logger("odoo.http")
    def test_every_report_refuses_who_cannot_read_its_records(self):
        reports = self._module_reports()
        self.assertGreaterEqual(len(reports), 6)
        went_through = []
        for report in reports:
            record = self._report_record(report)
            kinds = ("pdf", "html") if report.report_type == "qweb-pdf" else (report.report_type,)
            for key in ("plain", "other"):
                user = self.matrix_users[key]
                self.authenticate(user.login, user.login)
                for kind in kinds:
                    url = f"/report/{kind}/{report.report_name}/{record.id}"
                    refused = self.url_open(url).status_code != 200
                    known = KNOWN_OPEN.get(("report", report.report_name, kind, key))
                    if known and refused:
                        went_through.append(f"{url} as {key} ({known}) is refused now: remove it from KNOWN_OPEN")
                    elif not known and not refused:
                        went_through.append(f"{url} as {key}: printed the document")
        self.assertFalse(went_through, "\n".join(went_through))

    def test_every_route_of_the_module_is_declared_and_refused(self):
        routes = {
            f"{cls.__module__}.{cls.__name__}.{name}"
            for classes in http.Controller.children_classes.values()
            for cls in classes
            if cls.__module__.startswith(f"odoo.addons.{MODULE}.")
            for name, function in vars(cls).items()
            if hasattr(function, "original_routing")
        }
        self.assertEqual(routes, set(ROUTES), "declare each route of the module in access_matrix.ROUTES")
        for key in ("plain", "other"):
            user = self.matrix_users[key]
            self.authenticate(user.login, user.login)
            for url in ROUTES.values():
                self.assertNotEqual(self.url_open(url(self)).status_code, 200, url)

    # ------------------------------------------------------------
    # the holes the matrix found, attacked as the role that found them
    # ------------------------------------------------------------

    def test_a_read_only_field_is_refused_to_every_client(self):
        """SEC6: totals, references and who-did-what are the server's (the allocation's total under review, the
        tier review's application, a reconciliation's reference), whoever sends them."""
        allocation = self.matrix_records["kam.unit.allocation"]
        review = self.matrix_records["kam.tier.review"]
        reconciliation = self.matrix_records["kam.joint.reconciliation"]
        before = (allocation.amount_total, allocation.name, review.apply_state, reconciliation.name)
        buttons, numbering = "change only through the document's buttons", "is given by its numbering"
        attacks = [
            ("manager", allocation, {"amount_total": 1.0, "unit_count": 99}, buttons),
            ("manager", allocation, {"name": "MINE-001"}, buttons),
            ("manager", review, {"apply_state": "done", "applied_count": 7}, buttons),
            ("finance", reconciliation, {"name": "MINE-REC"}, numbering),
        ]
        for key, record, vals, message in attacks:
            with self.subTest(model=record._name, fields=list(vals)):
                user = self.matrix_users[key]
                with self.assertRaisesRegex(UserError, message):
                    record.with_user(user).write(vals)
                self.authenticate(user.login, user.login)
                self._assert_refused(self._call(record._name, "write", [record.ids, vals]), message)
        # nor at creation: a reconciliation's reference is the sequence's
        vals = {"contract_id": reconciliation.contract_id.id, "date_from": "2026-04-01", "date_to": "2026-04-30",
                "name": "MINE-REC"}
        finance = self.matrix_users["finance"]
        with self.assertRaisesRegex(UserError, numbering):
            reconciliation.with_user(finance).create(vals)
        self.authenticate(finance.login, finance.login)
        self._assert_refused(self._call(reconciliation._name, "create", [vals]), numbering)
        # nor a computed total or a reference sent with a new document, in the values or as a default
        manager = self.matrix_users["manager"]
        self.authenticate(manager.login, manager.login)
        for forged, message in (({"amount_total": 1.0}, buttons), ({"name": "MINE-002"}, numbering)):
            forged = dict(forged, contract_id=allocation.contract_id.id)
            with self.subTest(create=forged), self.assertRaisesRegex(UserError, message):
                allocation.with_user(manager).create(dict(forged))
            self._assert_refused(self._call(allocation._name, "create", [forged]), message)
        defaults = {"default_amount_total": 1.0, "default_unit_count": 99, "default_name": "MINE-003"}
        answer = self._call(allocation._name, "create", [{"contract_id": allocation.contract_id.id}], context=defaults)
        self.assertIn("result", answer, answer.get("error"))
        created = allocation.browse(answer["result"])
        self.assertEqual((created.amount_total, created.unit_count), (0.0, 0), "the server's totals, not the client's")
        self.assertNotIn("MINE", created.name)
        self.env.invalidate_all()
        self.assertEqual((allocation.amount_total, allocation.name, review.apply_state, reconciliation.name), before)
        self.assertFalse(reconciliation.search_count([("name", "=", "MINE-REC")]))
        self.assertFalse(allocation.search_count([("name", "like", "MINE")]))

    def test_the_cost_department_writes_only_the_cost_of_a_unit(self):
        unit = self.matrix_records["kam.housing.unit"]
        cost = self.matrix_users["cost"]
        price = unit.list_price
        with self.assertRaisesRegex(AccessError, "The cost department changes only the cost of a unit."):
            unit.with_user(cost).write({"list_price": 1.0})
        self.authenticate(cost.login, cost.login)
        self._assert_refused(
            self._call(unit._name, "write", [unit.ids, {"list_price": 1.0, "cost_price": 1.0}]),
            "The cost department changes only the cost of a unit.",
        )
        self._result(self._call(unit._name, "write", [unit.ids, {"cost_price": 450_000.0}]))
        unit.invalidate_recordset()
        self.assertEqual(unit.list_price, price)
        self.assertEqual(self.currency.compare_amounts(unit.cost_price, 450_000.0), 0)

    def test_a_director_of_another_company_hands_over_nobody_here(self):
        other = self.matrix_users["other"]
        account = self.matrix_records["res.partner"]
        manager = account.kam_manager_id
        vals = {"from_user_id": manager.id, "to_user_id": self.kam_users["manager"].id}
        message = "A director hands over accounts only between people of their own companies."
        wizard = self.env["kam.handover.wizard"].with_user(other).create(vals)
        with self.assertRaisesRegex(AccessError, message):
            wizard.action_handover()
        self.authenticate(other.login, other.login)
        wizard_id = self._result(self._call("kam.handover.wizard", "create", [vals]))
        # over RPC the outgoing manager, a user of the first company, is not even readable: refused before the check
        self._assert_refused(self._call("kam.handover.wizard", "action_handover", [[wizard_id]]), "", AccessError)
        account.invalidate_recordset()
        self.assertEqual(account.kam_manager_id, manager)

    def test_a_building_with_held_units_stays_in_its_project(self):
        """Found by the matrix: the director moved a building whose units the contract holds to another project,
        and its units with it (their project follows the building)."""
        building = self.matrix_records["kam.housing.building"]
        project = building.project_id
        other = self.env["kam.housing.project"].create({"name": "Matrix Elsewhere", "code": "MEW"})
        manager = self.matrix_users["manager"]
        message = "has units that were held or sold in"
        with self.assertRaisesRegex(UserError, message):
            building.with_user(manager).write({"project_id": other.id})
        self.authenticate(manager.login, manager.login)
        self._assert_refused(self._call(building._name, "write", [building.ids, {"project_id": other.id}]), message)
        self.env.invalidate_all()
        self.assertEqual(building.project_id, project)
        self.assertEqual(building.unit_ids.project_id, project)
        # a building none of whose units was ever held is moved as before
        spare = self.env["kam.housing.building"].create({"name": "Matrix Spare", "project_id": project.id})
        spare.with_user(manager).write({"project_id": other.id})
        self.assertEqual(spare.project_id, other)

    def test_the_desk_of_another_company_shows_nobody_here(self):
        """Found by the public-method test: the second company's clerk opened the ID check of the buyer at this
        company's desk (the desk's line is computed as superuser), with the buyer's name in its title."""
        draw = self.matrix_records["kam.selection.draw"]
        other = self.matrix_users["other"]
        for method in ("action_desk_check_id", "action_desk_open_ticket"):
            with self.subTest(method=method):
                with self.assertRaises(AccessError):
                    getattr(draw.with_user(other), method)()
                self.authenticate(other.login, other.login)
                response = self._call(draw._name, method, [draw.ids])
                self._assert_refused(response, "", AccessError)
                self.assertNotIn(BUYERS[0][0], str(response))
