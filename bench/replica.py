"""Run by bench/replica.sh (once per pass): the reads marked read-only, over JSON-RPC as the department users of
the demo data (their password is their login), each ``KAM_BENCH_REPEAT`` times between two marker statements run
on both PostgreSQL servers, whose logs hold every statement. Pass "primary" keeps its results; pass "replica"
compares its results with them and prints the table."""

import datetime
import io
import json
import os
import re
import statistics
import time
import urllib.parse

import openpyxl
import psycopg2
import requests

URL = os.environ["KAM_BENCH_URL"]
DB = os.environ["KAM_BENCH_DB"]
DIR = os.environ["KAM_BENCH_DIR"]
PASS = os.environ["KAM_BENCH_PASS"]
REPEAT = int(os.environ.get("KAM_BENCH_REPEAT", "5"))
SERVERS = {"primary": int(os.environ["KAM_BENCH_PG_PORT"]), "standby": int(os.environ["KAM_BENCH_STANDBY_PORT"])}
LEDGER_SPEC = {
    name: {} for name in (
        "payer_name", "contract_id", "buyer_id", "partner_id", "user_id", "due", "received", "outstanding",
        "arrears", "not_transferred", "days_overdue", "ageing",
    )
}
DESK_SPEC = {
    name: {} for name in (
        "contract_id", "line_count", "desk_called_count", "desk_ticket_count", "desk_voucher_count",
        "desk_remaining_count", "current_line_id", "next_line_id", "next_position",
    )
}


class Client:
    def __init__(self, login):
        self.session = requests.Session()
        self.uid = self._post("/web/session/authenticate", {"db": DB, "login": login, "password": login})["uid"]

    def _post(self, path, params):
        response = self.session.post(f"{URL}{path}", json={"jsonrpc": "2.0", "method": "call", "params": params})
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            raise RuntimeError(f"{path}: {body['error']['data']['message']}")
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        return self._post(f"/web/dataset/call_kw/{model}.{method}", {"model": model, "method": method, "args": list(args), "kwargs": kwargs})

    def xlsx(self, report, options):
        url = f"/report/xlsx/{report}?" + urllib.parse.urlencode({"options": json.dumps(options), "context": "{}"})
        response = self.session.get(f"{URL}/report/download", params={"data": json.dumps([url, "xlsx"])})
        response.raise_for_status()
        if "spreadsheetml" not in response.headers.get("Content-Type", ""):
            raise RuntimeError(f"{report}: {response.text[:300]}")
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        return [[cell.value for cell in row] for row in sheet.iter_rows()]


def connect(port):
    connection = psycopg2.connect(host="127.0.0.1", port=port, user="odoo", dbname=DB)
    connection.autocommit = True
    return connection


def wait_for_the_standby(connections):
    """The standby has replayed everything the primary wrote (the logins, the setup), so that it reads the same."""
    with connections["primary"].cursor() as cr:
        cr.execute("SELECT pg_current_wal_lsn()")
        [target] = cr.fetchone()
    for _i in range(100):
        with connections["standby"].cursor() as cr:
            cr.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cr.fetchone()[0]:
                return
        time.sleep(0.1)
    raise RuntimeError("the standby did not catch up in 10 s")


def mark(connections, text):
    for connection in connections.values():
        with connection.cursor() as cr:
            cr.execute("SELECT %s", [f"kam-replica-mark {text}"])


def statements_between(server, begin, end):
    """Odoo's statements (application name odoo-<pid>) that ``server`` logged between two marks."""
    inside, count = False, 0
    statement = re.compile(r"^\S+ \S+ \S+ \[\d+\] odoo-\d+ \S+:  statement: ")
    with open(os.path.join(DIR, f"{server}.log"), errors="replace") as log:
        for line in log:
            if f"kam-replica-mark {begin}" in line:
                inside = True
            elif f"kam-replica-mark {end}" in line:
                break
            elif inside and statement.match(line):
                count += 1
    return count


def calls(clients):
    finance, sales, clerk, manager = (clients[key] for key in ("finance", "sales", "clerk", "manager"))
    projects = sales.call("kam.housing.project", "web_search_read", [], {"unit_count": {}}, order="id")["records"]
    project = max(projects, key=lambda project: project["unit_count"])["id"]
    draws = clerk.call("kam.selection.draw", "web_search_read", [("state", "=", "done")], {}, order="id")["records"]
    reviews = manager.call("kam.tier.review", "web_search_read", [], {}, order="id")["records"]
    [me] = manager.call("res.users", "read", [manager.uid], ["company_id"])
    last_month = (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    ledger = "kam.housing.receipt.ledger"
    return [
        ("receipt ledger: list (80 rows)", "kam_finance",
         lambda: finance.call(ledger, "web_search_read", [], LEDGER_SPEC, limit=80, order="contract_id, buyer_id")),
        ("receipt ledger: pivot (manager × ageing)", "kam_finance",
         lambda: finance.call(ledger, "formatted_read_grouping_sets", [], [["user_id", "ageing"], ["user_id"], ["ageing"], []],
                              ["due:sum", "received:sum", "outstanding:sum", "arrears:sum", "not_transferred:sum"])),
        ("sales control grid (largest project)", "kam_sales",
         lambda: sales.call("kam.housing.project", "get_sales_control_grid", [project])),
        ("selection desk: list of draws", "kam_clerk",
         lambda: clerk.call("kam.selection.draw", "web_search_read", [], DESK_SPEC)),
        ("selection desk: the screen's figures", "kam_clerk",
         lambda: clerk.call("kam.selection.draw", "web_read", [draws[0]["id"]], DESK_SPEC)),
        ("monthly key-account report (XLSX download)", "kam_manager",
         lambda: manager.xlsx("kam_management.monthly_xlsx",
                              {"kam_company_id": me["company_id"][0], "kam_month": last_month.isoformat()})),
        ("tier review: the proposal's figures", "kam_manager",
         lambda: manager.call("kam.tier.review", "get_proposal_figures", [reviews[0]["id"]])),
    ]


def size(result):
    """What a read returned, in a few words (the figures compared are the whole result)."""
    if isinstance(result, list) and result and all(isinstance(item, list) and item and isinstance(item[0], dict) for item in result):
        return f"{sum(len(groups) for groups in result)} groups"
    if isinstance(result, list):
        return f"{len(result)} row{'s' * (len(result) != 1)}"
    if "records" in result:
        return size(result["records"])
    if "buildings" in result:
        return f"{sum(len(cells) for building in result['buildings'] for cells in building['floors'].values())} units"
    if "lines" in result:
        return f"{len(result['lines'])} proposals"
    return f"{len(result)} keys"


def first_difference(left, right, path="result"):
    """Where two results first differ (a path and both values), or ``None``."""
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(set(left) | set(right), key=str):
            found = first_difference(left.get(key), right.get(key), f"{path}[{key!r}]")
            if found:
                return found
        return None
    if isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            found = first_difference(a, b, f"{path}[{index}]")
            if found:
                return found
        return None
    return None if left == right else f"{path}: {left!r} (with replica) against {right!r} (without)"


def main():
    clients = {key: Client(f"kam_{key}") for key in ("finance", "sales", "clerk", "manager")}
    connections = {name: connect(port) for name, port in SERVERS.items()}
    rows, results = [], {}
    for index, (label, user, call) in enumerate(calls(clients)):
        wait_for_the_standby(connections)
        result = call()  # once before the marks: the worker's caches are warm as a user's second click
        mark(connections, f"{PASS} {index} begin")
        times = []
        for _i in range(REPEAT):
            start = time.perf_counter()
            result = call()
            times.append(time.perf_counter() - start)
        mark(connections, f"{PASS} {index} end")
        results[label] = result
        rows.append((label, user, statistics.median(times) * 1000))
    time.sleep(1)  # the servers' logs are written
    on_primary = {
        label: statements_between("primary", f"{PASS} {index} begin", f"{PASS} {index} end") / REPEAT
        for index, (label, _user, _ms) in enumerate(rows)
    }
    kept = os.path.join(DIR, "results-primary.json")
    if PASS == "primary":
        with open(kept, "w") as file:
            json.dump({"results": results, "ms": {label: ms for label, _user, ms in rows}, "statements": on_primary},
                      file, default=str)
        return
    with open(kept) as file:
        primary = json.load(file)
    results = json.loads(json.dumps(results, default=str))
    print(f"\n{REPEAT} calls each; statements = Odoo's statements per call on each server (from their logs)\n")
    differences = []
    print("| read | user | returned | without replica: statements on the primary | with replica: on the standby | "
          "on the primary | same figures as without | ms, without replica | ms, with replica |")
    print("|---|---|---|---|---|---|---|---|---|")
    for index, (label, user, ms) in enumerate(rows):
        counts = [
            statements_between(server, f"{PASS} {index} begin", f"{PASS} {index} end") / REPEAT
            for server in ("standby", "primary")
        ]
        difference = first_difference(results[label], primary["results"][label])
        same = "yes" if difference is None else "**no**"
        if difference:
            differences.append(f"{label}: {difference}")
        print(f"| {label} | {user} | {size(results[label])} | {primary['statements'][label]:g} | {counts[0]:g} | "
              f"{counts[1]:g} | {same} | {primary['ms'][label]:.0f} | {ms:.0f} |")
    for difference in differences:
        print(f"differs: {difference}")


main()
