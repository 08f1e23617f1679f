#!/usr/bin/env bash
# The read replica bench (issue 22; not part of tools/test.sh). Starts a throw-away PostgreSQL primary and a
# streaming standby made from it by `pg_basebackup -R`, installs kam_management with its demo data into the
# primary, then runs Odoo's prefork server twice: without a replica, then with --db_replica_host/port on the
# standby. bench/replica.py calls each read marked read-only over JSON-RPC as the department user who uses it,
# and prints per call: the statements each PostgreSQL ran for it (both log every statement), whether the
# figures equal the primary's, and the median time.
#   KAM_BENCH_PG_PORT=55440      the primary's port; the standby's is the next one
#   KAM_BENCH_PORT=18400         Odoo's HTTP port (gevent: +1)
#   KAM_BENCH_WORKERS=2          HTTP workers
#   KAM_BENCH_REPEAT=5           calls per read (the median is shown)
#   KAM_BENCH_KEEP=1             keep the clusters (in .work/replica-<pid>/) and their logs
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../tools/lib.sh"
cd "$REPO" || exit 1
find_or_bring_up_odoo
check_odoo_python
pg_port=${KAM_BENCH_PG_PORT:-55440}
standby_port=$((pg_port + 1))
port=${KAM_BENCH_PORT:-18400}
workers=${KAM_BENCH_WORKERS:-2}
bindir=$(_pg_bindir) || true
[ -n "$bindir" ] || die "the replica bench starts its own PostgreSQL: install the 'postgresql' package (initdb, pg_basebackup)"
dir="$WORK/replica-$$"
db=kam_replica
mkdir -p "$dir" "$WORK/logs"
owner=()
if [ "$(id -u)" = 0 ]; then
    # PostgreSQL refuses to run as root: the clusters run as 'postgres' (as tools/lib.sh's private server)
    id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' system user to own the clusters"
    chown postgres "$dir"
    owner=(runuser -u postgres --)
fi
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    for cluster in standby primary; do
        [ -f "$dir/$cluster/postmaster.pid" ] && "${owner[@]}" "$bindir/pg_ctl" -D "$dir/$cluster" -m fast -w stop >/dev/null
    done
    if [ "${KAM_BENCH_KEEP:-0}" != 1 ]; then rm -rf "$dir"; else log "kept $dir"; fi
}
trap cleanup EXIT
start_cluster() {  # name port
    "${owner[@]}" "$bindir/pg_ctl" -D "$dir/$1" -l "$dir/$1.log" -w -o "-c listen_addresses=127.0.0.1 -p $2 -k $dir" \
        start >/dev/null || die "the $1 PostgreSQL did not start, see $dir/$1.log"
}
psql_on() { "$bindir/psql" -h 127.0.0.1 -p "$1" -U odoo -d postgres -Atq -c "$2"; }
log "primary: initdb in $dir/primary, port $pg_port"
"${owner[@]}" "$bindir/initdb" -D "$dir/primary" -U odoo --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || die "initdb failed, see $dir/initdb.log"
start_cluster primary "$pg_port"
db_args=(--db_host=127.0.0.1 --db_port="$pg_port" --db_user=odoo)
log "installing l10n_cn and kam_management with its demo data into $db (a few minutes)"
"${ODOO_CMD[@]}" "${db_args[@]}" -d "$db" --addons-path="$REPO" -i l10n_cn,kam_management --with-demo \
    --stop-after-init --http-port="$port" --logfile="$WORK/logs/replica-install.log" \
    || die "installing the module failed, see $WORK/logs/replica-install.log"
# from now on both servers log every statement (the standby inherits it), so that the bench sees which one ran what
psql_on "$pg_port" "ALTER SYSTEM SET log_statement = 'all'" && psql_on "$pg_port" "ALTER SYSTEM SET log_line_prefix = '%m [%p] %a '" \
    && psql_on "$pg_port" "SELECT pg_reload_conf()" >/dev/null || die "could not make the primary log its statements"
log "standby: pg_basebackup -R from the primary into $dir/standby, port $standby_port"
"${owner[@]}" "$bindir/pg_basebackup" -h 127.0.0.1 -p "$pg_port" -U odoo -D "$dir/standby" -R -X stream -c fast \
    >"$dir/basebackup.log" 2>&1 || die "pg_basebackup failed, see $dir/basebackup.log"
start_cluster standby "$standby_port"
psql_on "$standby_port" "SELECT 'standby in recovery: ' || pg_is_in_recovery()"
for _i in $(seq 30); do
    streaming=$(psql_on "$pg_port" "SELECT application_name || ' ' || state FROM pg_stat_replication")
    [ -n "$streaming" ] && break
    sleep 1
done
echo "primary streams to: ${streaming:-nobody}"
[ -n "$streaming" ] || die "the standby does not stream, see $dir/standby.log"
start_odoo() {  # pass, then Odoo's options
    local pass=$1
    shift
    "${ODOO_CMD[@]}" "${db_args[@]}" -d "$db" --db-filter="^$db\$" --addons-path="$REPO" "$@" \
        --workers="$workers" --max-cron-threads=0 --http-interface=127.0.0.1 --http-port="$port" \
        --gevent-port=$((port + 1)) --limit-time-real=600 --limit-time-cpu=600 --log-level=info \
        --logfile="$WORK/logs/replica-server-$pass.log" &
    server_pid=$!
    for _i in $(seq 120); do
        curl -sf -o /dev/null "http://127.0.0.1:$port/web/login" && return 0
        sleep 1
    done
    die "the server did not answer, see $WORK/logs/replica-server-$pass.log"
}
stop_odoo() { kill "$server_pid" && wait "$server_pid" 2>/dev/null; server_pid=; }
export KAM_BENCH_URL="http://127.0.0.1:$port" KAM_BENCH_DB=$db KAM_BENCH_DIR=$dir
export KAM_BENCH_PG_PORT=$pg_port KAM_BENCH_STANDBY_PORT=$standby_port
log "pass 1: Odoo without a replica (every read on the primary)"
start_odoo primary
KAM_BENCH_PASS=primary "$ODOO_PY" bench/replica.py || die "pass 1 failed"
stop_odoo
log "pass 2: Odoo with --db_replica_host=127.0.0.1 --db_replica_port=$standby_port"
start_odoo replica --db_replica_host=127.0.0.1 --db_replica_port="$standby_port"
KAM_BENCH_PASS=replica "$ODOO_PY" bench/replica.py || die "pass 2 failed"
# the workers' resident memory after the pass (the README's sizing)
ps -o rss= --ppid "$server_pid" | sort -n | awk '{mb = $1 / 1024; sum += mb; max = mb} END {
    printf "Odoo processes under the server: %d, resident memory %.0f MB on average, %.0f MB at most\n", NR, sum / NR, max }'
stop_odoo
grep -h "retrying with a read/write cursor\|ReadOnlySqlTransaction" "$WORK"/logs/replica-server-*.log \
    && log "a read marked read-only wrote: see above" || log "no read fell back to a read/write cursor"
uptime
