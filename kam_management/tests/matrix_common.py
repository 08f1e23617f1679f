"""One record of every model of the module, and of every Odoo model it adds fields to, for the generated access
tests of issue 18 (``test_access_matrix``), and one user per row of the declared matrix (``access_matrix``).

The documents are built through their real actions where the desk fixture already does it (the contract, its
approved price and allocation, the verified buyers, an issued, reviewed and vouchered ticket); the side records the
tests only need to exist are made by ``_sudo_fixture_records``, named as such. Nothing here relies on demo data.
"""

import base64
import datetime
from unittest.mock import patch

from odoo import Command
from odoo.tests import new_test_user

from .access_matrix import MATRIX_USERS
from .desk_common import BUYERS, RECOVERED, SIGNED, KamDeskCommon

D = datetime.date


class KamMatrixCommon(KamDeskCommon):
    """``cls.matrix_users[key]`` for each row key of ``access_matrix.MATRIX_USERS`` and ``cls.matrix_records[model]``
    for each model of the matrix."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.other_company = cls.env["res.company"].create({"name": "Matrix Other Company"})
        # the people who work on the fixture's documents, so that the matrix shows what each department may do on
        # its own work (not only that a stranger is kept out); the plain user and the second company's are new
        fixture_users = dict(cls.kam_users, clerk=cls.clerk)
        cls.matrix_users = {}
        for key, (groups, other) in MATRIX_USERS.items():
            if key in fixture_users:
                cls.matrix_users[key] = fixture_users[key]
                continue
            home = cls.other_company if other else company
            cls.matrix_users[key] = new_test_user(
                cls.env, login=f"kam_matrix_{key}", name=f"Matrix {key}", groups=",".join(groups),
                company_id=home.id, company_ids=[home.id],
            )
        cls.matrix_records = cls._matrix_fixture()

    # ------------------------------------------------------------
    # the records
    # ------------------------------------------------------------

    @classmethod
    def _matrix_fixture(cls):
        env = cls.env
        env.user.group_ids += env.ref("sales_team.group_sale_salesman_all_leads")  # the discount's order below
        contract = cls.contract
        clerk = cls.clerk
        # the desk: a ticket issued by one clerk, reviewed by finance, its voucher issued on the registered money
        # in the draw's order: the desk freezes, audit enters the public seed, the desk draws and calls the buyer
        line = cls._desk_line(0)
        draw = line.draw_id
        name, number = BUYERS[0]
        ticket = env["kam.room.ticket"].with_user(clerk).create(
            {"contract_id": contract.id, "buyer_name": name, "id_number": number, "unit_id": cls.units[0].id,
             "payment_ratio": 50.0, "deposit_amount": 20_000.0, "draw_line_id": line.id}
        )
        ticket.action_issue()
        ticket.signed_copy = SIGNED
        ticket.with_user(cls.finance).action_review()
        with patch.object(type(ticket), "_kam_received_amount", lambda record: record.amount_due):
            ticket._kam_try_auto_voucher()
        amendment = env["kam.ticket.amendment"].with_user(clerk).create(
            {"ticket_id": ticket.id, "kind": "rename", "new_buyer_name": BUYERS[1][0], "new_id_number": BUYERS[1][1],
             "recovered_copy": RECOVERED}
        )
        annex = env["kam.selection.annex"].with_user(cls.kam_users["user"]).create({"contract_id": contract.id})
        buyer = contract.buyer_ids[:1]
        receipt = env["kam.housing.receipt"].with_user(cls.finance).create(
            {"name": "MATRIX-R1", "contract_id": contract.id, "buyer_id": buyer.id, "amount": 10_000.0,
             "date": D(2026, 3, 1)}
        )
        receipt.action_register()
        # a draft price proposal with a layout line and a draft allocation of one more unit
        pricing = env["kam.housing.pricing"].create(cls._pricing_vals(contract))
        allocation = env["kam.unit.allocation"].create(
            {"contract_id": contract.id, "line_ids": [Command.create({"unit_id": cls.units[15].id})]}
        )
        memo = env["kam.negotiation.memo"].create({"contract_id": contract.id, "subject": "Matrix memo"})
        key_account = cls._matrix_key_account()
        department = env["kam.department"].create({"name": "Matrix Department"})
        relation = env["kam.relation.request"].create(
            {"department_id": department.id, "project_id": cls.project.id, "buyer_name": "Matrix Relative",
             "average_price": 9500.0, "payment_ratio": 50.0, "payment_deadline": D(2026, 12, 1)}
        )
        order = env["sale.order"].create({"partner_id": key_account.id})
        # finance records the market price of our other project at the same stage (HS14)
        reference_project = env["kam.housing.project"].create(
            {"name": "Matrix Riverside", "code": "MRS", "stage": cls.project.stage}
        )
        market_price = env["kam.housing.market.price"].with_user(cls.finance).create(
            {"project_id": cls.project.id, "reference_project_id": reference_project.id, "price_per_m2": 9000.0,
             "note": "Matrix price list"}
        )
        # a working calendar that follows China's public holidays gets their leaves
        calendar = env["resource.calendar"].create({"name": "Matrix Calendar", "kam_cn_public_holidays": True})
        # a contract in negotiation lists the relations it allows to take over a unit, as its key-account user
        proof_kind = env["kam.relation.proof.kind"].search([], limit=1)
        draft_contract = cls._create_contract(state="draft", joint_journal_id=False, round="matrix")
        relation_term = env["kam.contract.relation.term"].with_user(cls.kam_users["user"]).create(
            {"contract_id": draft_contract.id, "relation": "spouse", "proof_kind_ids": [Command.set(proof_kind.ids)]}
        )
        records = {
            "kam.room.ticket": ticket,
            "kam.room.voucher": ticket.voucher_id,
            "kam.gapless.number": env["kam.gapless.number"].sudo().search(
                [("company_id", "=", ticket.company_id.id), ("res_id", "=", ticket.voucher_id.id)], limit=1
            ),
            "kam.ticket.amendment": amendment,
            "kam.selection.draw": draw,
            "kam.selection.draw.line": line,
            "kam.selection.annex": annex,
            "kam.housing.receipt": receipt,
            "kam.housing.receipt.ledger": env["kam.housing.receipt.ledger"].search(
                [("contract_id", "=", contract.id)], limit=1
            ),
            "kam.housing.contract": contract,
            "kam.housing.buyer": buyer,
            "kam.housing.pricing": pricing,
            "kam.housing.pricing.layout": pricing.layout_line_ids[:1],
            "kam.unit.allocation": allocation,
            "kam.unit.allocation.line": allocation.line_ids[:1],
            "kam.unit.holding": env["kam.unit.holding"].search([("unit_id", "=", cls.units[0].id)], limit=1),
            "kam.housing.project": cls.project,
            "kam.housing.building": cls.building_1,
            "kam.housing.unit": cls.units[1],
            "kam.housing.prospect": env["kam.housing.prospect"].search(
                [("partner_id", "=", cls.employer.id), ("round", "=", contract.round)], limit=1
            ),
            "kam.financing.target": cls.target_2026,
            "kam.financing.report": env["kam.financing.report"].search([], limit=1),
            "kam.negotiation.memo": memo,
            "kam.negotiation.memo.ack": memo.ack_ids[:1],
            "kam.department": department,
            "kam.relation.request": relation,
            "kam.account.registration": key_account.kam_registration_id,
            "kam.credit.exception": env["kam.credit.exception"].create(
                {"partner_id": key_account.id, "amount": 5000.0, "date_to": D(2026, 12, 31), "reason": "Matrix"}
            ),
            "kam.discount.approval": env["kam.discount.approval"].create(
                {"sale_order_id": order.id, "discount": 8.0, "reason": "Matrix"}
            ),
            "kam.tier.review": env["kam.tier.review"].create({"date_from": D(2025, 1, 1), "date_to": D(2025, 12, 31)}),
            "kam.tier.scheme": env.ref("kam_management.kam_tier_scheme_abcd"),
            "kam.tier": env.ref("kam_management.kam_tier_b"),
            "kam.score.criterion": env["kam.score.criterion"].search([], limit=1),
            "kam.contact.kind": env.ref("kam_management.kam_contact_kind_visit"),
            "kam.cadence.rule": env.ref("kam_management.kam_cadence_strategic_manager"),
            "kam.bank.statement.format": env["kam.bank.statement.format"].search([], limit=1),
            "kam.housing.market.price": market_price,
            "kam.contract.relation.term": relation_term,
            "kam.relation.proof.kind": proof_kind,
            "kam.public.holiday": env["kam.public.holiday"].search([("kind", "=", "holiday")], limit=1),
            "resource.calendar": calendar,
            "resource.calendar.leaves": calendar.leave_ids.filtered("kam_public_holiday_id")[:1],
            "sale.order": order,
            "res.partner": key_account,
            "res.company": cls.env.company,
            "account.journal": cls.joint_journal,
            "tier.definition": cls._create_chain("kam.relation.request", ("gm",)),
        }
        records.update(cls._sudo_fixture_records(records))
        return records

    @classmethod
    def _matrix_key_account(cls):
        """A key account of the key-account user, registered and approved through its registration."""
        partner = cls.env["res.partner"].create({"name": "Matrix Key Account Co", "is_company": True})
        registration = cls.env["kam.account.registration"].create(
            {"partner_id": partner.id, "user_id": cls.kam_users["user"].id}
        )
        cls._approve_by_reviewers(registration)
        return partner

    @classmethod
    def _sudo_fixture_records(cls, records):
        """Fixture only: side records created as superuser, in the state their own flow leaves them (each flow
        has its own tests); the matrix tests only need one of each to attack."""
        env = cls.env(su=True)
        company = cls.env.company
        contract = records["kam.housing.contract"]
        partner = records["res.partner"]
        user = cls.kam_users["user"]
        complaint = env["kam.complaint"].create(
            {"partner_id": partner.id, "description": "<p>Matrix complaint</p>", "user_id": user.id}
        )
        complaint.action_start()  # a concession is offered while it is handled
        statement_line = env["account.bank.statement.line"].create(
            {"journal_id": cls.joint_journal.id, "date": D(2026, 3, 5), "amount": 10_000.0,
             "payment_ref": "MATRIX-R1", "partner_id": cls.employer.id}
        )
        reconciliation = env["kam.joint.reconciliation"].create(
            {"contract_id": contract.id, "date_from": D(2026, 3, 1), "date_to": D(2026, 3, 31)}
        )
        log = env["kam.joint.import.log"].create(
            {"journal_id": cls.joint_journal.id, "user_id": cls.finance.id, "date": datetime.datetime(2026, 3, 6),
             "state": "queued", "file_name": "matrix.csv"}
        )
        review = records["kam.tier.review"]
        # a second relationship request under review: its tier.review (the matrix's own records stay in draft)
        reviewed = cls.env["kam.relation.request"].create(
            {"department_id": records["kam.department"].id, "project_id": cls.project.id, "buyer_name": "Matrix Reviewed",
             "average_price": 9500.0, "payment_ratio": 50.0, "payment_deadline": D(2026, 12, 1)}
        )
        reviewed.request_validation()
        level = env["kam.collection.reminder.level"].create(
            {"name": "Matrix level", "days_offset": 3, "company_id": company.id}
        )
        fee_invoice = env["account.move"].create(
            {"move_type": "out_invoice", "partner_id": partner.id, "kam_amendment_id": records["kam.ticket.amendment"].id,
             "invoice_line_ids": [Command.create({"name": "Matrix fee", "quantity": 1, "price_unit": 100.0})]}
        )
        return {
            "kam.complaint": complaint,
            "kam.complaint.assignment": env["kam.complaint.assignment"].create(
                {"complaint_id": complaint.id, "department_id": records["kam.department"].id, "due_date": D(2026, 4, 1)}
            ),
            "kam.complaint.followup": env["kam.complaint.followup"].create(
                {"complaint_id": complaint.id, "user_id": user.id, "note": "Matrix follow-up"}
            ),
            "kam.complaint.concession": env["kam.complaint.concession"].create(
                {"complaint_id": complaint.id, "amount": 500.0, "reason": "Matrix concession"}
            ),
            "kam.visit": env["kam.visit"].create(
                {"name": "Matrix visit", "partner_id": partner.id, "kind_id": records["kam.contact.kind"].id,
                 "user_id": user.id}
            ),
            "kam.cadence.status": env["kam.cadence.status"].create(
                {"partner_id": partner.id, "rule_id": records["kam.cadence.rule"].id}
            ),
            "kam.partner.rating": env["kam.partner.rating"].create(
                {"partner_id": partner.id, "criterion_id": env["kam.score.criterion"].search(
                    [("method", "=", "manual")], limit=1).id, "rating": 80.0}
            ),
            "kam.tier.history": env["kam.tier.history"].create(
                {"partner_id": partner.id, "company_id": company.id, "date": D(2026, 1, 1),
                 "tier_id": records["kam.tier"].id}
            ),
            "kam.tier.review.line": env["kam.tier.review.line"].create(
                {"review_id": review.id, "partner_id": partner.id, "score": 55.0}
            ),
            "kam.payment.downgrade": env["kam.payment.downgrade"].create(
                {"partner_id": partner.id, "company_id": company.id, "quarter": "2026-Q1"}
            ),
            "kam.joint.reconciliation": reconciliation,
            "kam.joint.allocation": env["kam.joint.allocation"].create(
                {"reconciliation_id": reconciliation.id, "statement_line_id": statement_line.id,
                 "receipt_id": records["kam.housing.receipt"].id, "amount": 10_000.0}
            ),
            "kam.joint.discrepancy": env["kam.joint.discrepancy"].create(
                {"reconciliation_id": reconciliation.id, "kind": "unknown_deposit", "amount": 10_000.0,
                 "statement_line_id": statement_line.id}
            ),
            "kam.joint.balance.snapshot": env["kam.joint.balance.snapshot"].create(
                {"contract_id": contract.id, "date": D(2026, 3, 31), "balance": 10_000.0}
            ),
            "kam.joint.import.log": log,
            "kam.joint.import.line": env["kam.joint.import.line"].create(
                {"log_id": log.id, "sequence": 1, "vals": {"payment_ref": "MATRIX"}}
            ),
            "kam.collection.reminder.level": level,
            "kam.collection.reminder": env["kam.collection.reminder"].create(
                {"level_id": level.id, "res_model": contract._name, "res_id": contract.id,
                 "reminder_date": D(2026, 3, 1)}
            ),
            "account.bank.statement.line": statement_line,
            "account.move": fee_invoice,
            "account.move.line": fee_invoice.invoice_line_ids[:1],
            "tier.review": reviewed.review_ids[:1],
        }


def matrix_binary():
    return base64.b64encode(b"%PDF-1.4 matrix")
