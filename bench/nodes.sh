#!/usr/bin/env bash
# Two Odoo nodes on one database (not part of tools/test.sh): each a prefork server with its own cron
# threads, same database and filestore. Every scheduled job of kam_management is made due, twice; the
# bench reports which node ran each job, whether two runs of a job ever overlapped, and what the second
# round added (a job that is safe on two nodes adds nothing: no double reminder, activity, mail or booking).
#   KAM_BENCH_TEMPLATE=db   copy this database (kam_management with its demo data, e.g. the demo test
#                           database KAM_TEST_DB); required: the demo data gives every job work to do
#   KAM_BENCH_PORT=18190    node A's HTTP port (gevent +1); node B: +2 and +3
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../tools/lib.sh"
cd "$REPO" || exit 1
find_or_bring_up_odoo  # brings Odoo up in .work/ when none is installed, as the two commands do
setup_postgres
mkdir -p "$WORK/logs"
mapfile -t db_args < <(odoo_db_args)
template=${KAM_BENCH_TEMPLATE:?set KAM_BENCH_TEMPLATE to a database with kam_management and its demo data}
port=${KAM_BENCH_PORT:-18190}
db="kam_nodes_$$"
pids=()
psql_db() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$db" -Atq "$@"; }
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
    drop_database "$db" || log "could not drop $db"
}
trap cleanup EXIT
log "copying $template into $db"
psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "CREATE DATABASE \"$db\" TEMPLATE \"$template\"" \
    || die "could not copy $template (is a server still connected to it?)"
crons="SELECT res_id FROM ir_model_data WHERE module = 'kam_management' AND model = 'ir.cron'"
counts() {  # what the module's jobs leave behind
    psql_db -c "SELECT 'activities ' || count(*) FROM mail_activity;
                SELECT 'reminders ' || count(*) FROM kam_collection_reminder;
                SELECT 'mails queued ' || count(*) FROM mail_mail;
                SELECT 'messages ' || count(*) FROM mail_message;
                SELECT 'tier histories ' || count(*) FROM kam_tier_history;
                SELECT 'doubled activities ' || count(*) FROM (SELECT 1 FROM mail_activity
                    GROUP BY res_model, res_id, activity_type_id, summary, date_deadline, user_id HAVING count(*) > 1) d;"
}
make_due() { psql_db -c "UPDATE ir_cron SET active = true, nextcall = (now() AT TIME ZONE 'UTC') - interval '1 minute' WHERE id IN ($crons)"; }
start_node() {  # name http-port
    "${ODOO_CMD[@]}" "${db_args[@]}" -d "$db" --db-filter="^$db\$" --addons-path="$REPO" --workers=2 \
        --max-cron-threads=2 --http-interface=127.0.0.1 --http-port="$2" --gevent-port=$(($2 + 1)) \
        --limit-time-real=600 --limit-time-cpu=600 --limit-time-real-cron=600 --log-level=info \
        --logfile="$WORK/logs/nodes-$1-$db.log" &
    pids+=($!)
}
wait_round() {  # until every module job has finished once more since the round started (at most 10 minutes)
    local since=$1 total done_count
    total=$(psql_db -c "SELECT count(*) FROM ($crons) c")
    for _i in $(seq 120); do
        done_count=$(psql_db -c "SELECT count(*) FROM ir_cron WHERE id IN ($crons) AND lastcall >= '$since'")
        [ "$done_count" -ge "$total" ] && return 0
        sleep 5
    done
    log "round incomplete: $done_count of $total jobs ran"
}
echo "before:"; counts
round_start=$(psql_db -c "SELECT now() AT TIME ZONE 'UTC'")
make_due
start_node A "$port"
start_node B $((port + 2))
wait_round "$round_start"
echo "after round 1:"; counts
round_start=$(psql_db -c "SELECT now() AT TIME ZONE 'UTC'")
make_due
wait_round "$round_start"
echo "after round 2 (a safe job adds nothing):"; counts
"$ODOO_PY" - "$WORK/logs/nodes-A-$db.log" "$WORK/logs/nodes-B-$db.log" <<'PY'
import re, sys
from datetime import datetime
runs = {}
pattern = re.compile(r"^(\S+ \S+),\d+ (\d+) INFO \S+ odoo\.addons\.base\.models\.ir_cron: Job '(.+?)' \((\d+)\) (starting|fully done|partially done|failed)")
for node, path in zip("AB", sys.argv[1:]):
    starts = {}
    for line in open(path, errors="replace"):
        match = pattern.match(line)
        if not match:
            continue
        at, pid, name, _id, what = match.groups()
        at = datetime.strptime(at, "%Y-%m-%d %H:%M:%S")
        if what == "starting":
            starts[(pid, name)] = at
        elif (pid, name) in starts:
            runs.setdefault(name, []).append((node, starts.pop((pid, name)), at))
print("| job | runs on A | runs on B | overlapping runs |")
print("|---|---|---|---|")
for name, spans in sorted(runs.items()):
    spans.sort(key=lambda span: span[1])
    overlaps = sum(1 for a, b in zip(spans, spans[1:]) if b[1] < a[2])
    print(f"| {name} | {sum(s[0] == 'A' for s in spans)} | {sum(s[0] == 'B' for s in spans)} | {overlaps} |")
PY
