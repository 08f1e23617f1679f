# Run by bench/load.sh inside `odoo-bin shell` (``env`` is given) before the server starts: the data the
# external clients of bench/load.py work on, written as JSON to $KAM_BENCH_LOAD_FILE. Fixtures, not measured.
# ruff: noqa: F821
import base64
import datetime
import json
import os

from stdnum.cn import ric

from odoo import Command

DESKS = int(os.environ.get("KAM_BENCH_DESKS", "32"))
PER_DESK = int(os.environ.get("KAM_BENCH_PER_DESK", "4"))
CONTENDED_UNITS = 4
TICKET_CLIENTS = int(os.environ.get("KAM_BENCH_TICKET_CLIENTS", "16"))
IMPORT_CLIENTS = int(os.environ.get("KAM_BENCH_IMPORT_CLIENTS", "8"))
IMPORT_LINES = 16
# sign-off against imports: ROUNDS joint accounts, each a submitted period signed by DIRECTORS at once while
# IMPORTERS finance users import one-line files into it (even ones) or into the next month (odd ones)
SIGNOFF_ROUNDS = int(os.environ.get("KAM_BENCH_SIGNOFF_ROUNDS", "3"))
SIGNOFF_DIRECTORS = int(os.environ.get("KAM_BENCH_SIGNOFF_DIRECTORS", "4"))
SIGNOFF_PERIOD = (datetime.date(2026, 8, 1), datetime.date(2026, 8, 31))
SIGNED = base64.b64encode(b"%PDF signed").decode()
# the scenarios to run (bench/load.sh passes its arguments): only their data is made
SCENARIOS = set(os.environ.get("KAM_BENCH_SCENARIOS", "").split()) or {"vouchers", "tickets", "imports", "signoff", "mixed"}
company = env.company
if not company.account_journal_suspense_account_id:
    env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
company.kam_joint_account_liability_account_id = env["account.account"].create(
    {"name": "Entrusted Loans", "code": "224199", "account_type": "liability_current"}
)
env["tier.definition"].search([("model", "in", ("kam.housing.pricing", "kam.unit.allocation"))]).active = False
groups = {
    "clerk": "kam_management.group_kam_ticket_clerk",
    "finance": "kam_management.group_kam_finance",
    "reader": "kam_management.group_kam_finance",
}
users = {}
for role, group in groups.items():
    users[role] = []
    for index in range(max(DESKS, TICKET_CLIENTS, IMPORT_CLIENTS)):
        login = f"load_{role}_{index}"
        env["res.users"].with_context(no_reset_password=True).create(
            {"name": login, "login": login, "password": login, "group_ids": [Command.set([env.ref(group).id])],
             "company_id": company.id, "company_ids": [Command.set(company.ids)], "tz": "Asia/Shanghai"}
        )
        users[role].append(login)
users["director"] = [f"load_director_{index}" for index in range(SIGNOFF_DIRECTORS)]
env["res.users"].with_context(no_reset_password=True).create(
    [{"name": login, "login": login, "password": login,
      "group_ids": [Command.set([env.ref("kam_management.group_kam_finance_manager").id])],
      "company_id": company.id, "company_ids": [Command.set(company.ids)], "tz": "Asia/Shanghai"}
     for login in users["director"]]
)
clerk = env["res.users"].search([("login", "=", "load_clerk_0")])
finance = env["res.users"].search([("login", "=", "load_finance_0")])
employer = env["res.partner"].create({"name": "Load Employer", "is_company": True})
employer_account = env["res.partner.bank"].create({"acc_number": "6222000011112222", "partner_id": employer.id})
project = env["kam.housing.project"].create({"name": "Load Project", "code": "LOAD"})
building = env["kam.housing.building"].create({"name": "1#", "project_id": project.id, "floor_count": 40})
env["kam.financing.target"].create({"project_id": project.id, "period_type": "year", "year": 2026, "amount": 1e10})
id_numbers = []


def resident_id(index):
    body = f"110105{datetime.date(1960, 1, 1) + datetime.timedelta(days=index):%Y%m%d}{index % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def selling_contract(unit_count, buyer_count, account, first_floor):
    """A contract in selection with its units held and its buyers verified, as bench/selection_desk.py makes it."""
    units = env["kam.housing.unit"].create(
        [{"building_id": building.id, "floor": first_floor + i // 8, "number": f"{first_floor + i // 8}{i % 8 + 1:02d}",
          "area": 100.0} for i in range(unit_count)]
    )
    contract = env["kam.housing.contract"].create(
        {"partner_id": employer.id, "project_id": project.id, "employer_account_id": employer_account.id,
         "joint_account_number": account, "payment_ratio": 50.0, "selection_deadline": datetime.date(2027, 12, 31),
         "payment_deadline": datetime.date(2028, 1, 31)}
    )
    contract.sudo().write({"state": "contract"})  # benchmark fixture
    pricing = env["kam.housing.pricing"].create(
        {"contract_id": contract.id, "basis": "blind", "average_price": 6000.0, "payment_ratio": 50.0,
         "market_reference_price": 7000.0, "reference_floor": 1, "floor_step": 0.0}
    )
    pricing.with_context(skip_validation_check=True).write({"state": "approved"})  # benchmark fixture
    contract._on_pricing_approved()
    allocation = env["kam.unit.allocation"].create(
        {"contract_id": contract.id, "date": datetime.date(2026, 6, 1),
         "line_ids": [Command.create({"unit_id": unit.id}) for unit in units]}
    )
    allocation.sudo().with_context(skip_validation_check=True).write({"state": "approved"})
    allocation._hold_units()
    contract._on_allocation_approved()
    buyers = [(f"Buyer {len(id_numbers) + n}", resident_id(len(id_numbers) + n)) for n in range(buyer_count)]
    id_numbers.extend(buyers)
    env["kam.housing.buyer"].sudo().create(
        [{"contract_id": contract.id, "sequence": n, "name": name, "id_number": number, "relation": "employee"}
         for n, (name, number) in enumerate(buyers)]
    )
    contract.sudo().write({"buyer_audit_date": datetime.datetime.now(), "buyer_finance_date": datetime.datetime.now(),
                           "buyer_lawyer_date": datetime.datetime.now(), "state": "selection"})  # fixture
    return contract, units, buyers


auditor = env["res.users"].with_context(no_reset_password=True).create(
    {"name": "load_audit", "login": "load_audit", "password": "load_audit",
     "group_ids": [Command.set([env.ref("kam_management.group_kam_audit").id])],
     "company_id": company.id, "company_ids": [Command.set(company.ids)]}
)


def called_order(contract):
    """The contract's draw (the desk freezes it, audit enters the seed, the desk draws), every buyer called and
    ID-checked at the desk: a ticket stands on its buyer's called line (HS10). ``[(line id, name, ID number)]``."""
    draw = env["kam.selection.draw"].with_user(clerk).create({"contract_id": contract.id})
    draw.action_freeze()
    draw.with_user(auditor).action_enter_seed("load 2026")
    draw.action_draw()
    order = []
    for line in draw.line_ids.sorted("position"):
        draw.action_call_next()
        buyer = line.sudo().buyer_id
        line.with_user(clerk).action_check_id(buyer.name, buyer.id_number)
        order.append((line.id, buyer.name, buyer.id_number))
    return order


# vouchers: DESKS × PER_DESK reviewed tickets waiting for their voucher
voucher_contract = ticket_contract = None
tickets, ticket_units, ticket_buyers = [], env["kam.housing.unit"], []
if "vouchers" in SCENARIOS or "mixed" in SCENARIOS:
    voucher_contract, voucher_units, _buyers = selling_contract(
        DESKS * PER_DESK, DESKS * PER_DESK, "6222 0000 1111 0001", 1
    )
    for unit, (line_id, name, number) in zip(voucher_units, called_order(voucher_contract), strict=True):
        ticket = env["kam.room.ticket"].with_user(clerk).create(
            {"contract_id": voucher_contract.id, "draw_line_id": line_id, "buyer_name": name, "id_number": number,
             "unit_id": unit.id, "payment_ratio": 50.0, "deposit_amount": 20000.0, "signed_copy": SIGNED}
        )
        ticket.action_issue()
        ticket.with_user(finance).action_review()
        tickets.append(ticket.id)
# tickets on few units: TICKET_CLIENTS called buyers for CONTENDED_UNITS units
if "tickets" in SCENARIOS:
    ticket_contract, ticket_units, _buyers = selling_contract(CONTENDED_UNITS, TICKET_CLIENTS, "6222 0000 1111 0002", 30)
    ticket_buyers = called_order(ticket_contract)
# overlapping imports: client k imports lines k*8+1 .. k*8+16 of one joint account (each line in two files)
import_contract, _units, _buyers = selling_contract(1, 1, "6222 0000 5555 6666", 39)
journal = import_contract.sudo()._kam_link_joint_journal()
files = []
for client in range(IMPORT_CLIENTS):
    rows = ["账号：6222 0000 5555 6666", "交易日期,收入,支出,余额,对方户名,对方账号,摘要,流水号"]
    for i in range(client * IMPORT_LINES // 2 + 1, client * IMPORT_LINES // 2 + IMPORT_LINES + 1):
        balance = sum(1000 + j for j in range(1, i + 1))  # one running balance over all files
        rows.append(f"2026-07-{1 + i // 20:02d},{1000 + i}.00,,{balance}.00,Load Employer,6222000011112222,"
                    f"转房款 N{i:06d},L{i:07d}")
    files.append(base64.b64encode(("\n".join(rows) + "\n").encode("gbk")).decode())



def statement_file(account, lines):
    """A GBK statement of ``lines`` ``[(date, amount, memo, serial)]`` from the employer, with running balances."""
    rows, balance = [f"账号：{account}", "交易日期,收入,支出,余额,对方户名,对方账号,摘要,流水号"], 0
    for date, amount, memo, serial in lines:
        balance += amount
        rows.append(f"{date},{amount}.00,,{balance}.00,Load Employer,6222000011112222,{memo},{serial}")
    return base64.b64encode(("\n".join(rows) + "\n").encode("gbk")).decode()


# sign-off against imports: per round a joint account whose August is matched (every line allocated) and
# submitted by finance, waiting for a director; what the period read is kept for the check
preparer = env["res.users"].search([("login", "=", "load_finance_1")])  # prepares the receipts finance registers
signoff = []
for round_ in range(SIGNOFF_ROUNDS if "signoff" in SCENARIOS else 0):
    account = f"6222 0000 77{round_:02d} 0001"
    contract, _units, _buyers = selling_contract(1, 4, account, 32 + round_)
    signoff_journal = contract.sudo()._kam_link_joint_journal()
    receipts = env["kam.housing.receipt"].with_user(preparer).create(
        [{"name": f"SO{round_}-{n}", "contract_id": contract.id, "buyer_id": contract.buyer_ids[n].id,
          "amount": 100000.0 + 1000 * n, "date": datetime.date(2026, 8, 2 + n), "kind": "house"} for n in range(4)]
    )
    receipts.with_user(finance).action_register()
    content = statement_file(
        account, [(f"2026-08-{2 + n:02d}", 100000 + 1000 * n, f"转房款 SO{round_}-{n}", f"SO{round_}{n:03d}")
                  for n in range(4)]
    )
    env["account.statement.import"].with_user(finance).with_context(journal_id=signoff_journal.id).create(
        {"statement_file": content, "statement_filename": f"signoff{round_}.csv"}
    )._import_file()
    reconciliation = env["kam.joint.reconciliation"].with_user(finance).create(
        {"contract_id": contract.id, "date_from": SIGNOFF_PERIOD[0], "date_to": SIGNOFF_PERIOD[1]}
    )
    reconciliation.action_match()
    env["kam.joint.balance.snapshot"].with_user(finance).create(
        {"contract_id": contract.id, "date": SIGNOFF_PERIOD[1], "balance": reconciliation.expected_employer_balance,
         "source": "bank_query", "reference": f"SO{round_}"}
    )
    reconciliation.action_match()
    assert not reconciliation.open_discrepancy_count, reconciliation.discrepancy_ids.mapped("display_name")
    reconciliation.action_submit()
    late = [  # one line each: in the period being signed (even importers) or in September (odd ones)
        statement_file(account, [(f"2026-{8 + i % 2:02d}-{20 + i // 2:02d}", 5000 + i, f"转房款 LATE{i}",
                                  f"SL{round_}{i:03d}")])
        for i in range(IMPORT_CLIENTS)
    ]
    env.flush_all()
    env.cr.execute("SELECT id FROM account_bank_statement_line WHERE journal_id = %s ORDER BY id",
                   [signoff_journal.id])
    signoff.append({"journal": signoff_journal.id, "reconciliation": reconciliation.id, "files": late,
                    "lines": [row[0] for row in env.cr.fetchall()], "receipts": sorted(receipts.ids),
                    "end": str(SIGNOFF_PERIOD[1])})
env.cr.commit()
data = {
    "users": users,
    "voucher_tickets": tickets,
    "voucher_contract": voucher_contract and voucher_contract.id,
    "voucher_buyer_ids": voucher_contract.buyer_ids.ids if voucher_contract else [],
    "ticket_contract": ticket_contract and ticket_contract.id,
    "ticket_units": ticket_units.ids,
    "ticket_buyers": ticket_buyers,
    "import_journal": journal.id,
    "import_files": files,
    "import_unique_lines": IMPORT_CLIENTS * IMPORT_LINES // 2 + IMPORT_LINES // 2,
    "project": project.id,
    "signoff": signoff,
}
with open(os.environ["KAM_BENCH_LOAD_FILE"], "w") as handle:
    json.dump(data, handle)
print(f"load data: {len(tickets)} reviewed tickets, {TICKET_CLIENTS} buyers for {CONTENDED_UNITS} units, "
      f"{IMPORT_CLIENTS} overlapping files on journal {journal.name}, {len(signoff)} submitted periods to sign")
