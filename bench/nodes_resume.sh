#!/usr/bin/env bash
# Two nodes, one killed mid-batch (issue 22; not part of tools/test.sh). On a copy of a demo database, a
# statement file of KAM_BENCH_LINES lines is queued on the demo's joint account (through the import wizard, as
# finance does); node A (prefork, 2 workers, 1 cron thread) starts the import job, and is killed (SIGKILL, the
# whole process group: no clean shutdown) once the job has committed its first batch; node B then starts and
# the job resumes there. The bench prints what was created before the kill, what B added, and whether any
# line was created twice.
#   KAM_BENCH_TEMPLATE=db   copy this database (kam_management with its demo data); required
#   KAM_BENCH_LINES=5000    lines of the queued file (the job commits per 1,000)
#   KAM_BENCH_PORT=18430    node A's HTTP port (gevent +1); node B: +2 and +3
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../tools/lib.sh"
cd "$REPO" || exit 1
find_or_bring_up_odoo
setup_postgres
mkdir -p "$WORK/logs"
mapfile -t db_args < <(odoo_db_args)
template=${KAM_BENCH_TEMPLATE:?set KAM_BENCH_TEMPLATE to a database with kam_management and its demo data}
export KAM_BENCH_LINES=${KAM_BENCH_LINES:-5000}
port=${KAM_BENCH_PORT:-18430}
db="kam_resume_$$"
node_pid=
psql_db() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$db" -Atq "$@"; }
cleanup() {
    [ -n "$node_pid" ] && kill -- -"$node_pid" 2>/dev/null && sleep 2
    drop_database "$db" || log "could not drop $db"
}
trap cleanup EXIT
log "copying $template into $db"
psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "CREATE DATABASE \"$db\" TEMPLATE \"$template\"" \
    || die "could not copy $template (is a server still connected to it?)"
cron=$(psql_db -c "SELECT res_id FROM ir_model_data WHERE module = 'kam_management' AND name = 'ir_cron_kam_joint_import'")
# this round is the import job's alone: the other jobs stay off
psql_db -c "UPDATE ir_cron SET active = false WHERE id IN (SELECT res_id FROM ir_model_data
            WHERE module = 'kam_management' AND model = 'ir.cron')"
log "queueing a $KAM_BENCH_LINES-line statement file on the demo's joint account"
log_id=$("${ODOO_CMD[@]}" shell "${db_args[@]}" -d "$db" --addons-path="$REPO" --no-http --log-level=warn <<'PY' | tail -1
import base64
import os

from odoo.tools import file_open

n = int(os.environ["KAM_BENCH_LINES"])
# the demo's joint account and its November file: the same bank's format, December lines after it
demo_line = env["account.bank.statement.line"].search([("payment_ref", "=", "定金 张喆")], limit=1)
journal = demo_line.journal_id
with file_open("kam_management/demo/statements/joint_statement_2026-11_gbk.csv", "rb") as handle:
    header = handle.read().decode("gbk").splitlines()[:5]
balance, rows = 1143949.00, []
for i in range(n):
    amount = 1000 + i % 997
    balance += amount
    rows.append(f"2026-12-{1 + i * 4 // n:02d},{amount:.2f},,{balance:.2f},江城市供电局委建办,"
                f"6217 0000 8888 0101 123,转房款 NODES-{i:05d},2026120{i:07d}")
content = "\n".join([*header, *rows, ""]).encode("gbk")
finance = env.ref("kam_management.user_kam_finance")
env["account.statement.import"].with_user(finance).with_context(journal_id=journal.id).create(
    {"statement_file": base64.b64encode(content), "statement_filename": "nodes_resume.csv"}
)._import_file()
log = env["kam.joint.import.log"].search([("journal_id", "=", journal.id), ("state", "=", "queued")], limit=1)
assert log, "the file was not queued"
env.cr.commit()
print(log.id)
PY
)
[[ "$log_id" =~ ^[0-9]+$ ]] || die "the import was not queued: $log_id"
state() { psql_db -c "SELECT state || ' ' || COALESCE(created_count, 0) FROM kam_joint_import_log WHERE id = $log_id"; }
lines() {
    psql_db -c "SELECT count(*) || ' ' || count(DISTINCT unique_import_id) || ', statements ' || count(DISTINCT statement_id)
                FROM account_bank_statement_line WHERE payment_ref LIKE '转房款 NODES-%'"
}
echo "queued: import log $log_id, $(state)"
start_node() {  # name http-port
    setsid "${ODOO_CMD[@]}" "${db_args[@]}" -d "$db" --db-filter="^$db\$" --addons-path="$REPO" --workers=2 \
        --max-cron-threads=1 --http-interface=127.0.0.1 --http-port="$2" --gevent-port=$(($2 + 1)) \
        --limit-time-real=600 --limit-time-cpu=600 --limit-time-real-cron=600 --log-level=info \
        --logfile="$WORK/logs/nodes-resume-$1-$db.log" &
    node_pid=$!
}
psql_db -c "UPDATE ir_cron SET active = true, nextcall = (now() AT TIME ZONE 'UTC') - interval '1 minute' WHERE id = $cron"
start_node A "$port"
started=$(date +%s)
for _i in $(seq 600); do
    read -r st created <<<"$(state)"
    [ "$st" != queued ] || [ "$created" -gt 0 ] && break
    sleep 1
done
committed=$(state)
sleep "${KAM_BENCH_KILL_DELAY:-15}"  # into the next batch: its lines are created, not committed
open_transactions=$(psql_db -c "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                      AND xact_start IS NOT NULL AND pid != pg_backend_pid()")
kill -KILL -- -"$node_pid"
wait "$node_pid" 2>/dev/null
node_pid=
echo "node A: first batch committed ($committed), killed ${KAM_BENCH_KILL_DELAY:-15} s later with $open_transactions transaction(s)" \
    "open on the database; after the kill: import $(state); lines (all, distinct): $(lines)"
sleep 2
start_node B $((port + 2))
started=$(date +%s)
for _i in $(seq 600); do
    read -r st created <<<"$(state)"
    [ "$st" = done ] && break
    sleep 2
done
echo "node B: import $(state) after $(($(date +%s) - started)) s; lines (all, distinct): $(lines); lines still staged: $(
    psql_db -c "SELECT count(*) FROM kam_joint_import_line WHERE log_id = $log_id")"
echo "job runs on A (started, finished): $(grep -c "Job 'Joint accounts: import queued statement files'.*starting" \
    "$WORK/logs/nodes-resume-A-$db.log"), $(grep -cE "Job 'Joint accounts: import queued statement files'.*(fully|partially) done" \
    "$WORK/logs/nodes-resume-A-$db.log"); on B: $(grep -c "Job 'Joint accounts: import queued statement files'.*starting" \
    "$WORK/logs/nodes-resume-B-$db.log"), $(grep -cE "Job 'Joint accounts: import queued statement files'.*(fully|partially) done" \
    "$WORK/logs/nodes-resume-B-$db.log")"
uptime
