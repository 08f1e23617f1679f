import datetime

from odoo import Command
from odoo.tests import new_test_user

from .common import KamCommon, sudo_force_state_for_fixture

HOUSING_TIER_MODELS = ("kam.housing.pricing", "kam.unit.allocation", "kam.relation.request")


def make_resident_id(region, birth, serial):
    """A checksum-valid 18-digit resident ID (GB 11643-1999) for fixtures."""
    from stdnum.cn import ric

    body = f"{region}{birth:%Y%m%d}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


class KamHousingCommon(KamCommon):
    """A project with two buildings of 4 floors × 5 units, an employer, a joint
    account, a financing target for 2026 and five approvers.

    The preset approval chains are archived: each test builds the chain it
    checks with ``_create_chain`` and known reviewers.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the test user is the key-account and finance director, and an executive (reads costs)
        cls.env.user.group_ids += (
            cls.env.ref("kam_management.group_kam_manager")
            + cls.env.ref("kam_management.group_kam_finance_manager")
            + cls.env.ref("kam_management.group_kam_executive")
        )
        cls.env["tier.definition"].search([("model", "in", HOUSING_TIER_MODELS)]).active = False
        company = cls.env.company
        company.kam_min_screened_candidates = 3
        cls.currency = company.currency_id
        approver_groups = {
            "marketing_director": "kam_management.group_kam_manager",
            "finance_director": "kam_management.group_kam_finance_manager",
            "project_gm": "kam_management.group_kam_executive",
            "gm": "kam_management.group_kam_executive",
            "chairman": "kam_management.group_kam_executive",
        }
        cls.approvers = {
            role: new_test_user(
                cls.env, login=f"kam_test_{role}", name=f"Approver {role}", groups=group,
                company_id=company.id, company_ids=[company.id],
            )
            for role, group in approver_groups.items()
        }
        cls.project = cls.env["kam.housing.project"].create({"name": "Lakeside Garden", "code": "LG"})
        cls.building_1, cls.building_2 = cls.env["kam.housing.building"].create(
            [
                {"name": "B1", "project_id": cls.project.id, "floor_count": 4, "sequence": 1},
                {"name": "B2", "project_id": cls.project.id, "floor_count": 4, "sequence": 2},
            ]
        )
        cls.units = cls.env["kam.housing.unit"].create(
            [
                {
                    "building_id": building.id,
                    "floor": floor,
                    "number": f"{floor}{position:02d}",
                    "layout": "A" if position <= 3 else "B",
                    "area": 100.0 if position <= 3 else 80.0,
                    "list_price": 1_000_000.0,
                    "cost_price": 500_000.0,
                }
                for building in (cls.building_1, cls.building_2)
                for floor in range(1, 5)
                for position in range(1, 6)
            ]
        )
        cls.employer = cls.env["res.partner"].create({"name": "Jiangcheng Power Supply Bureau", "is_company": True})
        cls.employer_account = cls.env["res.partner.bank"].create(
            {"acc_number": "6222 0000 1111 2222", "partner_id": cls.employer.id}
        )
        cls.joint_journal = cls.env["account.journal"].create(
            {"name": "Joint Account LG", "code": "JLG", "type": "bank"}
        )
        cls.target_2026 = cls.env["kam.financing.target"].create(
            {"project_id": cls.project.id, "period_type": "year", "year": 2026, "amount": 50_000_000.0}
        )

    # ------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------

    @classmethod
    def _create_chain(cls, model, roles=("marketing_director", "finance_director", "project_gm", "gm", "chairman")):
        """Tier definitions for ``model``: ``roles`` approve in this order."""
        model_id = cls.env["ir.model"]._get_id(model)
        return cls.env["tier.definition"].create(
            [
                {
                    "name": f"{model} {role}",
                    "model_id": model_id,
                    "review_type": "individual",
                    "reviewer_id": cls.approvers[role].id,
                    "definition_domain": "[]",
                    "approve_sequence": True,
                    "sequence": (len(roles) - index) * 10,
                }
                for index, role in enumerate(roles)
            ]
        )

    @classmethod
    def _create_contract(cls, state="contract", prepare=None, **values):
        """A contract brought to ``state`` through its own buttons (prospects screened with their analysis,
        negotiation, intent, contract; the price and the first units approved by reviewers)."""
        vals = {
            "partner_id": cls.employer.id,
            "project_id": cls.project.id,
            "user_id": cls.kam_users["user"].id,
            "team_leader_id": cls.kam_users["manager"].id,
            "team_member_ids": [Command.set([cls.kam_users["user"].id, cls.approvers["finance_director"].id])],
            "employer_account_id": cls.employer_account.id,
            "joint_journal_id": cls.joint_journal.id,
            "payment_ratio": 60.0,
            "selection_deadline": datetime.date(2026, 12, 31),
            "payment_deadline": datetime.date(2027, 1, 31),
        }
        if state != "draft":
            # the screened candidates of a round of the fixtures' own, so tests counting round 1 see none
            vals["round"] = "fixture"
        vals.update(values)
        contract = cls.env["kam.housing.contract"].create(vals)
        if prepare:
            prepare(contract)  # e.g. finance opens the joint account before the contract is signed
        steps = ["negotiation", "intent", "contract", "priced", "allocated", "selection"]
        if state == "draft":
            return contract
        cls._screened_candidates(contract)
        for step in steps[: steps.index(state) + 1]:
            if step == "negotiation":
                contract.action_start_negotiation()
            elif step == "intent":
                contract.action_sign_intent()
            elif step == "contract":
                missing = {
                    name: value
                    for name, value in (
                        ("joint_journal_id", cls.joint_journal.id),
                        ("employer_account_id", cls.employer_account.id),
                    )
                    if not contract[name] and name not in values
                }
                contract.write(missing)
                contract.action_sign_contract()
            elif step == "priced":
                pricing = cls.env["kam.housing.pricing"].create(cls._pricing_vals(contract))
                cls._approve_by_reviewers(pricing, cls.approvers["chairman"])
            elif step == "allocated":
                allocation = cls.env["kam.unit.allocation"].create(
                    {
                        "contract_id": contract.id,
                        "line_ids": [
                            Command.create({"unit_id": cls.units.filtered(lambda u: u.state == "available")[-1].id})
                        ],
                    }
                )
                cls._approve_by_reviewers(allocation, cls.approvers["gm"])
            elif step == "selection":
                # the buyer-list sign-offs and the opening are tested in test_housing_contract/test_housing_buyers;
                # tests of what comes after add their own buyers to an open selection
                sudo_force_state_for_fixture(contract, "selection")
        return contract

    @classmethod
    def _screened_candidates(cls, contract):
        """Three candidates of the contract's round, the employer among them, screened with their analysis."""
        Prospect = cls.env["kam.housing.prospect"]
        existing = Prospect.search([("project_id", "=", contract.project_id.id), ("round", "=", contract.round)])
        partners = contract.partner_id | cls.env["res.partner"].create(
            [{"name": f"Candidate {contract.round} {index}", "is_company": True} for index in range(2)]
        )
        prospects = Prospect.create(
            [
                dict(cls._analysis_vals(), partner_id=partner.id, project_id=contract.project_id.id, round=contract.round)
                for partner in partners - existing.partner_id
            ]
        )
        prospects.action_screen()

    @staticmethod
    def _analysis_vals():
        return {
            "first_contact_result": "Interested, asks for a site visit.",
            "mode_acceptance": "high",
            "price_max": 9500.0,
            "payment_ratio": 60.0,
            "expected_buyers": 40,
        }

    @classmethod
    def _pricing_vals(cls, contract, **values):
        vals = {
            "contract_id": contract.id,
            "basis": "blind",
            "average_price": 9000.0,
            "payment_ratio": 60.0,
            "market_reference_price": 10000.0,
            "reference_floor": 1,
            "floor_step": 50.0,
            "layout_line_ids": [Command.create({"layout": "B", "delta": 200.0})],
        }
        vals.update(values)
        return vals

    def _approve_through_chain(self, record, roles=("marketing_director", "finance_director", "project_gm", "gm", "chairman")):
        """Request the validation and let ``roles`` validate in turn; the last validation approves the record."""
        record.request_validation()
        record.invalidate_recordset()
        for role in roles:
            record.with_user(self.approvers[role]).validate_tier()
        record.invalidate_recordset()
        return record

    @classmethod
    def _priced_contract(cls, **values):
        """A signed contract whose price is approved by a reviewer (the chairman where no chain is set)."""
        contract = cls._create_contract(state="priced", **values)
        return contract, contract.approved_pricing_id
