#!/usr/bin/env bash
# The load bench (not part of tools/test.sh): Odoo's prefork server on a throw-away database, driven by
# concurrent external JSON-RPC clients (bench/load.py); invariants checked in SQL; one row per scenario.
#   bench/load.sh [SCENARIO ...]   vouchers tickets imports signoff mixed (default: all, in that order); only
#                                  their data is made (a kept KAM_BENCH_DB serves the scenarios it was made for)
#   KAM_BENCH_WORKERS=8            HTTP worker processes (--workers)
#   KAM_BENCH_PORT=18180           HTTP port (the websocket/gevent port is the next one)
#   KAM_BENCH_DESKS=32             voucher desks (each a ticket clerk and a finance user), 4 vouchers each
#   KAM_BENCH_MIXED_SECONDS=60 KAM_BENCH_MIXED_CLIENTS=24
#   KAM_BENCH_ADDONS=dir           the kam_management tree to serve (default this repository; e.g. a
#                                  `git archive` of an older commit for a "before" run)
#   KAM_BENCH_DB=name / KAM_BENCH_KEEP=1   as bench/run.sh
#   KAM_BENCH_DB_PREFIX=kam_load_  the throw-away database's name before the process id
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../tools/lib.sh"
cd "$REPO" || exit 1
find_or_bring_up_odoo  # brings Odoo up in .work/ when none is installed, as the two commands do
check_odoo_python
setup_postgres
mkdir -p "$WORK/logs"
mapfile -t db_args < <(odoo_db_args)
addons=${KAM_BENCH_ADDONS:-$REPO}
port=${KAM_BENCH_PORT:-18180}
workers=${KAM_BENCH_WORKERS:-8}
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    if [ -z "${KAM_BENCH_DB:-}" ] && [ "${KAM_BENCH_KEEP:-0}" != 1 ]; then
        drop_database "$db" || log "could not drop $db"
    fi
}
if [ -n "${KAM_BENCH_DB:-}" ]; then
    db=$KAM_BENCH_DB
else
    db="${KAM_BENCH_DB_PREFIX:-kam_load_}$$"
    trap cleanup EXIT
    log "installing kam_management (no demo data) from $addons into $db"
    "${ODOO_CMD[@]}" "${db_args[@]}" -d "$db" --addons-path="$addons" -i kam_management --stop-after-init \
        --http-port="$port" --logfile="$WORK/logs/load-install.log" \
        || die "installing the module failed, see $WORK/logs/load-install.log"
    export KAM_BENCH_LOAD_FILE="$WORK/logs/load-$db.json"
    log "making the load data"
    KAM_BENCH_SCENARIOS="$*" "${ODOO_CMD[@]}" shell "${db_args[@]}" -d "$db" --addons-path="$addons" --no-http --log-level=warn \
        <bench/load_setup.py || die "the load data could not be made"
fi
export KAM_BENCH_LOAD_FILE=${KAM_BENCH_LOAD_FILE:-$WORK/logs/load-$db.json}
server_log="$WORK/logs/load-server-$db.log"
: >"$server_log"
# the configuration measured (README, "Deployment"): prefork, no cron here, generous limits for the bench
log "starting Odoo: $workers workers on 127.0.0.1:$port (log $server_log)"
"${ODOO_CMD[@]}" "${db_args[@]}" -d "$db" --db-filter="^$db\$" --addons-path="$addons" \
    --workers="$workers" --max-cron-threads=0 --http-interface=127.0.0.1 --http-port="$port" \
    --gevent-port=$((port + 1)) --limit-time-real=600 --limit-time-cpu=600 --limit-request=100000 \
    --limit-memory-soft=$((2048 * 1024 * 1024)) --limit-memory-hard=$((2560 * 1024 * 1024)) \
    --log-level=info --logfile="$server_log" &
server_pid=$!
trap cleanup EXIT
for _i in $(seq 120); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/web/login" && break
    sleep 1
done
curl -sf -o /dev/null "http://127.0.0.1:$port/web/login" || die "the server did not answer, see $server_log"
log "machine load before the clients: $(cut -d' ' -f1-3 /proc/loadavg)"
KAM_BENCH_URL="http://127.0.0.1:$port" KAM_BENCH_DBNAME="$db" KAM_BENCH_SERVER_LOG="$server_log" \
    KAM_BENCH_DSN="host=$PG_HOST port=$PG_PORT user=$PG_USER dbname=$db" \
    "$ODOO_PY" bench/load.py "$@"
status=$?
log "machine load after the clients: $(cut -d' ' -f1-3 /proc/loadavg)"
# live updates: the websocket (gevent) process of the prefork server is still up and upgrades a connection
# (the gevent process's first request loads the registry: under load it may take longer than one try's 5 s)
for _try in 1 2 3 4 5 6; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "Connection: Upgrade" -H "Upgrade: websocket" \
        -H "Sec-WebSocket-Version: 13" -H "Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==" \
        -H "Origin: http://127.0.0.1:$port" "http://127.0.0.1:$((port + 1))/websocket")
    [ "$code" = 101 ] && break
done
log "websocket process: $(pgrep -fc "odoo-bin gevent .*--http-port=$port") running, /websocket answered HTTP $code" \
    "($(grep -c 'Evented Service' "$server_log") start(s) logged)"
log "server log: $(grep -c ' ERROR ' "$server_log") ERROR lines, $(grep -c 'Traceback' "$server_log") tracebacks"
exit $status
