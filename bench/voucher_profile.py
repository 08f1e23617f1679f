# The voucher path's two calls, one at a time, in `odoo-bin shell` on a database made by bench/load.sh's
# load_setup.py (KAM_BENCH_LOAD_FILE): the clerk's draft voucher (create) and finance's issue (action_issue),
# each as its own user with an empty record cache, as a request starts. Prints per call the queries (what
# Odoo's werkzeug line counts, less the request's own session and routing queries), the SQL time and the
# Python time, the queries grouped by statement, and a cProfile of the module's functions. Everything is
# rolled back at the end: the database can be profiled again. Not measured by tools/test.sh.
#   KAM_PROFILE_VOUCHERS=24   vouchers (the first two warm the caches and are not counted)
#   KAM_PROFILE_DESKS=32      the desks taking turns (a clerk and a finance user each): 32 as the load bench, where
#                             nearly every call is its user's first in the worker (Odoo's per-user caches cold);
#                             2: every call after the first two is a user's next one (the caches warm)
#   KAM_PROFILE_SQL=file      the statements of one draft and one issue, in order (default: not written)
# ruff: noqa: F821
import collections
import cProfile
import io
import json
import os
import pstats
import re
import statistics
import threading
import time

from odoo import api

COUNT = int(os.environ.get("KAM_PROFILE_VOUCHERS", "24"))
DATA = json.load(open(os.environ["KAM_BENCH_LOAD_FILE"]))
cr = env.cr
users = {login: env["res.users"].search([("login", "=", login)]).id
         for role in ("clerk", "finance") for login in DATA["users"][role]}
desks = min(int(os.environ.get("KAM_PROFILE_DESKS", "32")), len(DATA["users"]["clerk"]))
queries = []


def hook(_cr, query, params, _start, delay):
    queries.append((query.decode() if isinstance(query, bytes) else query, delay))


def statement(query):
    """A statement's shape: its verb and table, with the values left out."""
    text = re.sub(r"\s+", " ", query).strip()
    verb = text.split(" ", 1)[0].upper()
    if verb in ("SAVEPOINT", "RELEASE", "ROLLBACK"):
        return verb
    table = re.search(r'(?:FROM|INTO|UPDATE)\s+"?([a-z_0-9]+)"?', text, re.IGNORECASE)
    return f"{verb} {table.group(1) if table else text[:60]}"


def draft(user_env, ticket_id):
    """The ticket clerk prepares the voucher of a reviewed ticket (bench/load.py: ``create``)."""
    return user_env["kam.room.voucher"].create({"ticket_id": ticket_id}).id


def issue(user_env, voucher_id):
    """Finance re-checks and issues it (bench/load.py: ``action_issue``)."""
    return user_env["kam.room.voucher"].browse(voucher_id).action_issue()


def run(kind, login, call, arg, counted):
    """``call(env, arg)`` as ``login`` with an empty record cache, flushed with the precommit hooks (tracking
    messages, bus notifications) as the request's commit would; its queries, SQL and Python time recorded."""
    cr.flush()
    env.invalidate_all()
    user_env = api.Environment(cr, users[login], {"lang": "en_US", "tz": "Asia/Shanghai"})
    queries.clear()
    thread = threading.current_thread()
    thread.query_hooks = [hook]
    if counted:
        profiles[kind].enable()
    started = time.perf_counter()
    try:
        result = call(user_env, arg)
        cr.flush()
    finally:
        wall = time.perf_counter() - started
        profiles[kind].disable()
        thread.query_hooks = []
    if counted:
        sql = sum(delay for _q, delay in queries)
        figures[kind].append((len(queries), sql, wall - sql))
        statements[kind].update(statement(q) for q, _d in queries)
        samples.setdefault(kind, list(queries))
    return result


figures = {"draft": [], "issue": []}
statements = {"draft": collections.Counter(), "issue": collections.Counter()}
samples = {}
profiles = {"draft": cProfile.Profile(), "issue": cProfile.Profile()}
for index, ticket_id in enumerate(DATA["voucher_tickets"][:COUNT]):
    counted = index >= min(desks, 4)  # the first calls warm the caches shared by all users (and the desks' own)
    voucher_id = run("draft", DATA["users"]["clerk"][index % desks], draft, ticket_id, counted)
    run("issue", DATA["users"]["finance"][index % desks], issue, voucher_id, counted)
names = env["kam.room.voucher"].browse([]).search([("state", "=", "issued")], order="name").mapped("name")
print(f"{len(names)} vouchers issued in this transaction: {names[0]} .. {names[-1]} (rolled back)")
for kind, rows in figures.items():
    counts, sqls, pythons = zip(*rows, strict=True)
    print(f"\n{kind}: {len(rows)} calls; queries median {statistics.median(counts)} (min {min(counts)}, max "
          f"{max(counts)}); SQL {1000 * statistics.median(sqls):.1f} ms; Python {1000 * statistics.median(pythons):.1f}"
          " ms (medians)")
    for shape, number in statements[kind].most_common():
        print(f"  {number / len(rows):5.1f}  {shape}")
    text = io.StringIO()
    stats = pstats.Stats(profiles[kind], stream=text)
    stats.sort_stats("cumulative").print_stats(r"kam_management|odoo/(orm|models|fields|api)|mail/models", 45)
    print("\n".join(line for line in text.getvalue().splitlines() if line.strip())[:9000])
if os.environ.get("KAM_PROFILE_SQL"):
    with open(os.environ["KAM_PROFILE_SQL"], "w") as handle:
        for kind, log in samples.items():
            handle.write(f"==== {kind}: {len(log)} queries\n")
            for query, delay in log:
                flat = re.sub(r"\s+", " ", query)
                handle.write(f"[{1000 * delay:.2f} ms] {flat}\n")
cr.rollback()
