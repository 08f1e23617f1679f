"""The load bench's clients (run by bench/load.sh with Odoo's Python, against the prefork server it started).

Each scenario runs concurrent external JSON-RPC clients (``/web/session/authenticate`` then
``/web/dataset/call_kw``, as the web client calls), checks its invariants in SQL, and prints one row:
clients, calls, ok, refused (the server's expected refusal: a unit already taken), errors (anything else a
client sees), retries (Odoo's serialization-retry log lines during the scenario), throughput, p50/p95.
A refusal is a message the server gives a user on purpose (a unit already taken; a line in a signed period; a
sign-off whose figures changed or that another director made first).
"""

import json
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import requests

URL = os.environ["KAM_BENCH_URL"]
DB = os.environ["KAM_BENCH_DBNAME"]
LOG = os.environ["KAM_BENCH_SERVER_LOG"]
DSN = os.environ["KAM_BENCH_DSN"]
DATA = json.load(open(os.environ["KAM_BENCH_LOAD_FILE"]))
MIXED_SECONDS = float(os.environ.get("KAM_BENCH_MIXED_SECONDS", "60"))
ROWS = []
# the desk's refusals of a unit someone else holds or is taking (kam.unit.holding)
TAKEN = (
    "already has an active holder", "is taking one of these units right now", "cannot be taken twice",
    "cannot be sold twice",
)


class Client:
    """One browser session of one user."""

    def __init__(self, login):
        self.http = requests.Session()
        response = self.http.post(
            f"{URL}/web/session/authenticate",
            json={"jsonrpc": "2.0", "params": {"db": DB, "login": login, "password": login}},
            timeout=120,
        )
        response.raise_for_status()
        assert response.json().get("result"), response.text

    def call(self, model, method, args, kwargs=None):
        """(seconds, result, error message or None) of one call_kw."""
        started = time.perf_counter()
        response = self.http.post(
            f"{URL}/web/dataset/call_kw/{model}/{method}",
            json={"jsonrpc": "2.0", "method": "call", "id": 1,
                  "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}}},
            timeout=300,
        )
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            return elapsed, None, f"HTTP {response.status_code}"
        answer = response.json()
        error = answer.get("error")
        return elapsed, answer.get("result"), error and (error.get("data", {}).get("message") or error.get("message"))


def login_all(logins):
    """Sessions for ``logins``, logged in 8 at a time (password hashing is slow; not measured)."""
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(Client, logins))


def retries_since(offset):
    """Odoo's retry loop logs each replay ('..., N tries left, try again') and the last one ('maximum ...')."""
    with open(LOG, errors="replace") as handle:
        handle.seek(offset)
        text = handle.read()
    return text.count("tries left, try again") + text.count("maximum number of tries reached")


def log_offset():
    return os.path.getsize(LOG)


def sql(query, params=None):
    with psycopg2.connect(DSN) as connection, connection.cursor() as cr:
        cr.execute(query, params)
        return cr.fetchall()


def scenario(name, clients, work, check):
    """Run ``work(index, client_stats)`` in ``clients`` threads; each appends (seconds, outcome, call) rows."""
    offset = log_offset()
    stats = [[] for _i in range(clients)]
    failures = []

    def run(index):
        try:
            work(index, stats[index])
        except Exception as error:  # a client that crashed counts as an error
            failures.append(repr(error))

    threads = [threading.Thread(target=run, args=(index,)) for index in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    time.sleep(1)  # the server's last log lines
    rows = [row for client in stats for row in client]
    timed = sorted(seconds for seconds, _outcome, measured in rows if measured)
    errors = [outcome for _s, outcome, _m in rows if outcome not in ("ok", "refused")] + failures
    row = {
        "scenario": name, "clients": clients, "calls": len(rows),
        "ok": sum(outcome == "ok" for _s, outcome, _m in rows),
        "refused": sum(outcome == "refused" for _s, outcome, _m in rows),
        "errors": len(errors), "retries": retries_since(offset), "seconds": wall,
        "throughput": len(timed) / wall if wall else 0.0,
        "p50": statistics.median(timed) if timed else 0.0,
        "p95": timed[max(0, int(len(timed) * 0.95 + 0.5) - 1)] if timed else 0.0,
        "max": timed[-1] if timed else 0.0,
        "check": checked(check),
    }
    ROWS.append(row)
    print(f"{name}: {row}", flush=True)
    for message in sorted(set(errors))[:5]:
        print(f"  error: {message[:300]}", flush=True)


def checked(check):
    """The invariant's sentence; a check that crashed says so (the scenario's figures are still printed)."""
    try:
        return check()
    except Exception as error:
        return f"CHECK FAILED: {error!r}"


def outcome_of(error, refusals=()):
    if not error:
        return "ok"
    return "refused" if any(text in error for text in refusals) else error


# ---------------------------------------------------------------- vouchers: one desk = a clerk and finance
def vouchers():
    desks = int(os.environ.get("KAM_BENCH_DESKS", "32"))
    tickets = DATA["voucher_tickets"]
    sessions = list(zip(login_all(DATA["users"]["clerk"][:desks]), login_all(DATA["users"]["finance"][:desks]),
                        strict=True))
    barrier = threading.Barrier(desks)

    def work(index, stats):
        clerk, finance = sessions[index]
        barrier.wait()
        for ticket_id in tickets[index::desks]:
            seconds, voucher_id, error = clerk.call("kam.room.voucher", "create", [{"ticket_id": ticket_id}])
            stats.append((seconds, outcome_of(error), False))
            if error:
                continue
            seconds, _result, error = finance.call("kam.room.voucher", "action_issue", [[voucher_id]])
            stats.append((seconds, outcome_of(error), True))  # the voucher issue is what is timed

    def check():
        numbers = sorted(
            int(name.rsplit("-", 1)[1])
            for (name,) in sql("SELECT name FROM kam_room_voucher WHERE state = 'issued' AND contract_id = %s",
                               [DATA["voucher_contract"]])
        )
        gapless = numbers == list(range(1, len(numbers) + 1))
        return f"{len(numbers)} vouchers, numbers 1..{numbers[-1] if numbers else 0} gapless: {gapless}"

    scenario(f"vouchers ({desks} desks)", desks, work, check)


# ---------------------------------------------------------------- tickets: many buyers, four units
def tickets():
    buyers = DATA["ticket_buyers"]
    units = DATA["ticket_units"]
    clients = len(buyers)
    sessions = login_all(DATA["users"]["clerk"][:clients])
    barrier = threading.Barrier(clients)

    def work(index, stats):
        clerk = sessions[index]
        line_id, name, number = buyers[index]
        barrier.wait()
        seconds, ticket_id, error = clerk.call(
            "kam.room.ticket", "create",
            [{"contract_id": DATA["ticket_contract"], "draw_line_id": line_id, "buyer_name": name, "id_number": number,
              "unit_id": units[index % len(units)], "payment_ratio": 50.0, "deposit_amount": 20000.0}],
        )
        stats.append((seconds, outcome_of(error, TAKEN), True))
        if not error:
            seconds, _result, error = clerk.call("kam.room.ticket", "action_issue", [[ticket_id]])
            stats.append((seconds, outcome_of(error, TAKEN), True))

    def check():
        doubles = sql(
            "SELECT count(*) FROM (SELECT unit_id FROM kam_unit_holding WHERE state = 'active' AND unit_id = ANY(%s)"
            " GROUP BY unit_id HAVING count(*) > 1) d", [units]
        )[0][0]
        issued = sql("SELECT count(*) FROM kam_room_ticket WHERE state = 'issued' AND unit_id = ANY(%s)", [units])[0][0]
        return f"{issued} tickets issued on {len(units)} units, units with two holders: {doubles}"

    scenario(f"tickets on {len(units)} units", clients, work, check)


# ---------------------------------------------------------------- overlapping imports on one joint journal
def imports():
    files = DATA["import_files"]
    sessions = login_all(DATA["users"]["finance"][: len(files)])
    barrier = threading.Barrier(len(files))

    def work(index, stats):
        finance = sessions[index]
        barrier.wait()
        context = {"journal_id": DATA["import_journal"]}
        seconds, wizard_id, error = finance.call(
            "account.statement.import", "create",
            [{"statement_file": files[index], "statement_filename": f"load{index}.csv"}], {"context": context},
        )
        stats.append((seconds, outcome_of(error), False))
        if not error:
            seconds, _result, error = finance.call("account.statement.import", "import_file_button", [[wizard_id]],
                                                   {"context": context})
            stats.append((seconds, outcome_of(error), True))

    def check():
        lines, distinct = sql(
            "SELECT count(*), count(DISTINCT unique_import_id) FROM account_bank_statement_line WHERE journal_id = %s",
            [DATA["import_journal"]],
        )[0]
        return f"{lines} lines, {distinct} distinct, expected {DATA['import_unique_lines']}"

    scenario(f"overlapping imports ({len(files)} files)", len(files), work, check)


# ---------------------------------------------------------------- sign-off against imports
# the server's refusals: a line in a signed period; figures that changed after matching; a period signed already
SIGNED = ("is reconciled and signed up to",)
SIGN_REFUSED = ("changed after it was matched", "it cannot be moved to")


def signoff():
    """Per round (one joint account each, all rounds at once): the directors sign its submitted August while the
    finance users import one-line files into August (even ones) or September (odd ones). Round 0's directors
    click a second before its imports, round 2's a second after, round 1's at the same moment."""
    rounds = DATA["signoff"]
    directors = len(DATA["users"]["director"])
    importers = len(rounds[0]["files"])
    per_round = directors + importers
    director_sessions = login_all([login for _r in rounds for login in DATA["users"]["director"]])
    finance_sessions = login_all([login for _r in rounds for login in DATA["users"]["finance"][:importers]])
    barrier = threading.Barrier(len(rounds) * per_round)
    landed = []  # the imports the server accepted

    def work(index, stats):
        round_, slot = divmod(index, per_round)
        data = rounds[round_]
        if slot < directors:
            client = director_sessions[round_ * directors + slot]
            barrier.wait()
            time.sleep(max(0, round_ - 1))  # round 0 and 1: at once with the imports; round 2: a second after
            seconds, _result, error = client.call("kam.joint.reconciliation", "action_sign", [[data["reconciliation"]]])
            stats.append((seconds, outcome_of(error, SIGN_REFUSED), True))
            return
        slot -= directors
        client = finance_sessions[round_ * importers + slot]
        context = {"journal_id": data["journal"]}
        seconds, wizard_id, error = client.call(  # the file chosen, before the click
            "account.statement.import", "create",
            [{"statement_file": data["files"][slot], "statement_filename": f"late{slot}.csv"}], {"context": context},
        )
        stats.append((seconds, outcome_of(error), False))
        barrier.wait()
        time.sleep(1 if round_ == 0 else 0)  # round 0: the directors click first
        if not error:
            seconds, _result, error = client.call("account.statement.import", "import_file_button", [[wizard_id]],
                                                  {"context": context})
            stats.append((seconds, outcome_of(error, SIGNED), True))
            if not error:
                landed.append(index)

    def check():
        signed = unexplained = changed = unfrozen = 0
        # each accepted import created its line, each refused one none
        late = sql("SELECT count(*) FROM account_bank_statement_line line JOIN account_move move ON move.id = line.move_id"
                   " WHERE line.journal_id = ANY(%s) AND move.ref LIKE 'SL%%'", [[data["journal"] for data in rounds]])[0][0]
        for data in rounds:
            state, lock_date = sql(
                "SELECT r.state, j.kam_lock_date FROM kam_joint_reconciliation r, account_journal j"
                " WHERE r.id = %s AND j.id = %s", [data["reconciliation"], data["journal"]],
            )[0]
            # the period's inputs now: bank lines dated in or before it, registered receipts dated up to its end
            lines = [row[0] for row in sql(
                "SELECT line.id FROM account_bank_statement_line line JOIN account_move move ON move.id = line.move_id"
                " WHERE line.journal_id = %s AND move.date <= %s ORDER BY line.id",
                [data["journal"], data["end"]],
            )]
            receipts = [row[0] for row in sql(
                "SELECT r.id FROM kam_housing_receipt r JOIN kam_joint_reconciliation c ON c.contract_id = r.contract_id"
                " WHERE c.id = %s AND r.state = 'registered' AND r.date <= %s ORDER BY r.id",
                [data["reconciliation"], data["end"]],
            )]
            # nothing dated up to the lock date that the sign-off did not freeze
            unfrozen += sql(
                "SELECT count(*) FROM account_bank_statement_line line JOIN account_move move ON move.id = line.move_id"
                " WHERE line.journal_id = %s AND move.date <= %s AND line.kam_reconciliation_id IS NULL",
                [data["journal"], lock_date],
            )[0][0] if lock_date else 0
            if state == "signed":
                signed += 1
                # a signed period holds exactly what its matching read: nothing committed after it got in
                changed += lines != data["lines"] or receipts != data["receipts"] or str(lock_date) != data["end"]
            else:
                # refused only because a line landed in the period before the sign-off (and no lock date)
                unexplained += lines == data["lines"] or lock_date is not None
        return (f"{late} lines from {len(landed)} imports accepted; {signed} of {len(rounds)} periods signed; signed periods with inputs other than matched: {changed}; "
                f"unfrozen lines up to a lock date: {unfrozen}; sign-offs refused with no line landed first: "
                f"{unexplained}")

    scenario(f"sign-off against imports ({len(rounds)} x {directors} directors + {importers} importers)",
             len(rounds) * per_round, work, check)


# ---------------------------------------------------------------- mixed reads and writes for a while
def mixed():
    clients = int(os.environ.get("KAM_BENCH_MIXED_CLIENTS", "24"))
    readers = login_all(DATA["users"]["reader"][:clients])
    deadline = time.perf_counter() + MIXED_SECONDS
    reads = [
        ("kam.room.voucher", "web_search_read", [[]], {"specification": {"name": {}, "state": {}, "amount": {}},
                                                       "limit": 80}),
        ("kam.room.ticket", "web_read_group", [[]], {"groupby": ["state"], "aggregates": ["amount_due:sum"]}),
        ("kam.housing.receipt.ledger", "web_read_group", [[]], {"groupby": ["contract_id"],
                                                                  "aggregates": ["due:sum", "received:sum"]}),
        ("kam.housing.project", "get_sales_control_grid", [[DATA["project"]]], {}),
    ]

    def work(index, stats):
        client = readers[index]
        step = index
        while time.perf_counter() < deadline:
            if step % 5 == 4:  # one call in five writes: finance prepares a draft receipt of a buyer
                buyer_id = DATA["voucher_buyer_ids"][step % len(DATA["voucher_buyer_ids"])]
                seconds, _r, error = client.call(
                    "kam.housing.receipt", "create",
                    [{"name": f"LOAD-{index}-{step}", "contract_id": DATA["voucher_contract"], "buyer_id": buyer_id,
                      "amount": 1000.0, "kind": "house"}],
                )
            else:
                model, method, args, kwargs = reads[step % len(reads)]
                seconds, _r, error = client.call(model, method, args, kwargs)
            stats.append((seconds, outcome_of(error), True))
            step += 1

    scenario(f"mixed reads and writes ({MIXED_SECONDS:.0f} s)", clients, work, lambda: "no invariant")


SCENARIOS = {"vouchers": vouchers, "tickets": tickets, "imports": imports, "signoff": signoff, "mixed": mixed}

if __name__ == "__main__":
    for name in sys.argv[1:] or list(SCENARIOS):
        SCENARIOS[name]()
    print()
    print("| scenario | clients | calls | ok | refused | errors | retries | calls/s | p50 | p95 | max | invariant |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for row in ROWS:
        print(f"| {row['scenario']} | {row['clients']} | {row['calls']} | {row['ok']} | {row['refused']} | "
              f"{row['errors']} | {row['retries']} | {row['throughput']:.1f} | {row['p50']:.2f} s | {row['p95']:.2f} s | "
              f"{row['max']:.2f} s | {row['check']} |")
