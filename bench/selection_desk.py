# Run by bench/run.sh inside `odoo-bin shell` (``env`` is given).
# ruff: noqa: F821
# The selection desk under load (HS11, HS12): 8 desk workers, each on its own database connection,
# issue tickets on 100 free units of a contract with 5,000 verified buyers, then their vouchers.
# Checks: 100 tickets, no unit with two holders or two live tickets, voucher numbers without a gap.
import base64
import collections
import datetime
import threading
import time

import psycopg2
from stdnum.cn import ric

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user

WORKERS, UNITS, BUYERS = 8, 100, 5000
company = env.company
# the approvals themselves are not measured here: their preset chains are switched off in this database
env["tier.definition"].search([("model", "in", ("kam.housing.pricing", "kam.unit.allocation"))]).active = False
run = int(time.time())  # a reused database (KAM_BENCH_DB) gets a new set each run
clerk = new_test_user(env, login=f"bench_clerk_{run}", groups="kam_management.group_kam_ticket_clerk")
finance = new_test_user(env, login=f"bench_finance_{run}", groups="kam_management.group_kam_finance")
project = env["kam.housing.project"].create({"name": "Desk Benchmark", "code": f"DESK{run}"})
building = env["kam.housing.building"].create({"name": "1#", "project_id": project.id, "floor_count": 20})
units = env["kam.housing.unit"].create(
    [{"building_id": building.id, "floor": 1 + i // 5, "number": f"{1 + i // 5}{i % 5 + 1:02d}", "area": 100.0}
     for i in range(UNITS)]
)
partner = env["res.partner"].create({"name": "Bench Employer", "is_company": True})
journal = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
contract = env["kam.housing.contract"].create(
    {"partner_id": partner.id, "project_id": project.id, "joint_journal_id": journal.id, "payment_ratio": 50.0,
     "selection_deadline": datetime.date(2026, 12, 31), "payment_deadline": datetime.date(2027, 1, 31)}
)
contract.sudo().write({"state": "contract"})  # benchmark fixture
pricing = env["kam.housing.pricing"].create(
    {"contract_id": contract.id, "basis": "blind", "average_price": 6000.0, "payment_ratio": 50.0,
     "market_reference_price": 7000.0, "reference_floor": 1, "floor_step": 0.0}
)
pricing.with_context(skip_validation_check=True).write({"state": "approved"})  # benchmark fixture
contract._on_pricing_approved()
env["kam.financing.target"].create({"project_id": project.id, "period_type": "year", "year": 2026, "amount": 1e9})
allocation = env["kam.unit.allocation"].create(
    {"contract_id": contract.id, "date": datetime.date(2026, 6, 1),
     "line_ids": [Command.create({"unit_id": unit.id}) for unit in units]}
)
allocation.sudo().with_context(skip_validation_check=True).write({"state": "approved"})
allocation._hold_units()
contract._on_allocation_approved()
ids = []
for index in range(BUYERS):
    body = f"110105{datetime.date(1960, 1, 1) + datetime.timedelta(days=index):%Y%m%d}{index % 1000:03d}"
    ids.append(body + ric.calc_check_digit(body + "0"))
env.flush_all()
env.cr.execute(
    """
    INSERT INTO kam_housing_buyer (contract_id, company_id, sequence, name, id_number, relation,
                                   create_uid, write_uid, create_date, write_date)
    SELECT %s, %s, n, 'Buyer ' || n, (%s)[n], 'employee', 1, 1, now(), now() FROM generate_series(1, %s) n
    """,
    (contract.id, company.id, ids, BUYERS),
)
contract.sudo().write({"buyer_audit_date": datetime.datetime.now(), "buyer_finance_date": datetime.datetime.now(),
                       "buyer_lawyer_date": datetime.datetime.now()})
contract.sudo().write({"state": "selection"})  # benchmark fixture
# the draw (the desk freezes, audit enters the seed, the desk draws); the first buyers of the order are called
# and ID-checked at the desk before the desks work in parallel: a ticket stands on its buyer's called number
auditor = new_test_user(env, login=f"bench_audit_{run}", groups="kam_management.group_kam_audit")
draw = env["kam.selection.draw"].with_user(clerk).create({"contract_id": contract.id})
draw.action_freeze()
draw.with_user(auditor).action_enter_seed("bench 2026")
draw.action_draw()
lines = draw.line_ids.sorted("position")[: UNITS + 2]
for line in lines:
    draw.action_call_next()
    buyer = line.sudo().buyer_id
    line.with_user(clerk).action_check_id(buyer.name, buyer.id_number)
called = [(line.id, line.sudo().buyer_id.name, line.sudo().buyer_id.id_number) for line in lines]
env.cr.commit()
print(f"contract {contract.name}: {BUYERS} verified buyers, {UNITS} units held by the contract")

registry = env.registry
retries = {"ticket": 0, "voucher": 0}
causes = collections.Counter()  # (step, error class) of each retry
lock = threading.Lock()
SIGNED = base64.b64encode(b"%PDF signed")


def run_worker(worker, jobs, step):
    """One desk: its own cursor; a refused (concurrent) step is rolled back and tried again."""
    with registry.cursor() as cr:
        for job in jobs:
            while True:
                try:
                    step(cr, job)
                    cr.commit()
                    break
                except (psycopg2.errors.LockNotAvailable, psycopg2.errors.SerializationFailure, ValidationError) as error:
                    cr.rollback()
                    if isinstance(error, ValidationError) and "right now" not in str(error):
                        raise
                    with lock:
                        retries[step.__name__] += 1
                        causes[step.__name__, type(error).__name__] += 1
                    time.sleep(0.01 * (1 + worker))


def ticket(cr, index):
    wenv = env(cr=cr, user=clerk.id)
    line_id, name, id_number = called[index]
    record = wenv["kam.room.ticket"].create(
        {"contract_id": contract.id, "draw_line_id": line_id, "buyer_name": name, "id_number": id_number,
         "unit_id": units[index].id, "payment_ratio": 50.0, "deposit_amount": 20000.0, "signed_copy": SIGNED}
    )
    record.action_issue()
    record.with_user(finance).action_review()


def voucher(cr, ticket_id):
    wenv = env(cr=cr, user=clerk.id)
    draft = wenv["kam.room.voucher"].create({"ticket_id": ticket_id})
    draft.with_user(finance).action_issue()


def in_parallel(step, jobs):
    threads = [threading.Thread(target=run_worker, args=(w, jobs[w::WORKERS], step)) for w in range(WORKERS)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start


# every worker tries the units in its own order: the first units are contended
elapsed = in_parallel(ticket, list(range(UNITS)))
env.cr.rollback()  # a fresh snapshot after the workers' commits
env.invalidate_all()
tickets = env["kam.room.ticket"].search([("contract_id", "=", contract.id), ("state", "=", "reviewed")])
print(f"tickets: {len(tickets)} issued and reviewed by {WORKERS} workers in {elapsed:.2f} s, {retries['ticket']} retries")
env.cr.execute(
    "SELECT count(*) FROM (SELECT unit_id FROM kam_unit_holding WHERE state = 'active' GROUP BY unit_id HAVING count(*) > 1) d"
)
print(f"units with two active holders: {env.cr.fetchone()[0]}")
# a double sale attempt: every unit is taken now
try:
    with env.cr.savepoint():
        line_id, name, id_number = called[UNITS]
        extra = env["kam.room.ticket"].with_user(clerk).create(
            {"contract_id": contract.id, "draw_line_id": line_id, "buyer_name": name, "id_number": id_number,
             "unit_id": units[0].id, "payment_ratio": 50.0, "deposit_amount": 20000.0}
        )
        extra.action_issue()
    print("DOUBLE SALE NOT REFUSED")
except (UserError, ValidationError) as error:
    print(f"double sale refused: {error}")
env.cr.commit()

elapsed = in_parallel(voucher, tickets.ids)
env.cr.rollback()
env.invalidate_all()
vouchers = env["kam.room.voucher"].search([("ticket_id.contract_id", "=", contract.id), ("state", "=", "issued")])
numbers = sorted(int(v.name.rsplit("-", 1)[1]) for v in vouchers)
gapless = numbers == list(range(numbers[0], numbers[0] + len(numbers)))
print(f"vouchers: {len(vouchers)} in {elapsed:.2f} s = {len(vouchers) / elapsed:.1f} vouchers/s with {WORKERS} workers, "
      f"{retries['voucher']} retries; numbers {numbers[0]}..{numbers[-1]}, gapless: {gapless}")
print("retries by cause: " + (", ".join(f"{step} {name}: {count}" for (step, name), count in sorted(causes.items())) or "none"))

# one voucher issue on the 5,000-buyer contract (the name/ID check searches the list)
extra_unit = env["kam.housing.unit"].create({"building_id": building.id, "floor": 20, "number": "2099", "area": 100.0})
allocation_2 = env["kam.unit.allocation"].create(
    {"contract_id": contract.id, "date": datetime.date(2026, 6, 1), "line_ids": [Command.create({"unit_id": extra_unit.id})]}
)
allocation_2.sudo().with_context(skip_validation_check=True).write({"state": "approved"})
allocation_2._hold_units()
line_id, name, id_number = called[UNITS + 1]
last = env["kam.room.ticket"].with_user(clerk).create(
    {"contract_id": contract.id, "draw_line_id": line_id, "buyer_name": name, "id_number": id_number,
     "unit_id": extra_unit.id, "payment_ratio": 50.0, "deposit_amount": 20000.0, "signed_copy": SIGNED}
)
last.action_issue()
last.with_user(finance).action_review()
draft = env["kam.room.voucher"].with_user(clerk).create({"ticket_id": last.id})
env.invalidate_all()
start = time.perf_counter()
draft.with_user(finance).action_issue()
env.flush_all()
print(f"one manual voucher issue on a contract with {BUYERS} buyers: {1000 * (time.perf_counter() - start):.1f} ms")
env.cr.rollback()

# the desk screen on the 5,000-buyer contract: the clerk opens the open draw's desk (its figures and the
# first page of 20 buyers, as the form reads them) after calling the next buyer (a draw with tickets issued is
# never drawn again: the desk's own draw)
draw.action_call_next()
env.flush_all()
line_spec = {name: {} for name in (
    "position", "buyer_name", "id_number_masked", "called_date", "id_check_result", "desk_ticket_state",
    "desk_amount_due", "desk_amount_received", "desk_voucher_name", "company_currency_id")}
line_spec["desk_ticket_id"] = {"fields": {"display_name": {}}}
spec = {name: {} for name in (
    "current_position", "current_id_number_masked", "current_id_check_result", "current_ticket_state",
    "next_position", "next_id_number_masked", "line_count", "desk_called_count", "desk_ticket_count",
    "desk_voucher_count", "desk_remaining_count")}
spec.update({
    "contract_id": {"fields": {"display_name": {}}},
    "current_line_id": {"fields": {"display_name": {}}},
    "next_line_id": {"fields": {"display_name": {}}},
    "line_ids": {"fields": line_spec, "limit": 20, "order": "position"},
})
timings = []
for _attempt in range(5):
    env.invalidate_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    values = draw.with_user(clerk).web_read(spec)[0]
    timings.append(time.perf_counter() - start)
    queries = env.cr.sql_log_count - queries
timings.sort()
print(f"desk screen of a draw with {values['line_count']} buyers (figures + a page of 20): "
      f"median {1000 * timings[2]:.1f} ms, {queries} queries; called {values['desk_called_count']}, "
      f"remaining {values['desk_remaining_count']}")
env.cr.rollback()
