#!/usr/bin/env bash
# The test command: rules tests and static checks everywhere; then the module's
# Odoo tests on two throw-away databases (see README). When no Odoo 19 is
# installed, one is brought up in .work/ first (tools/lib.sh).
#   KAM_TEST_DBS="demo plain"  which databases: demo = the run command's Chinese demo
#                        (l10n_cn, zh_CN, demo data); plain = kam_management alone,
#                        English, no demo data, as a company installs it
#   KAM_TEST_TAGS=...    Odoo --test-tags (default: /kam_management)
#   KAM_TEST_DB=name     developers: keep and reuse this database (update the module
#                        instead of installing it; with one entry in KAM_TEST_DBS)
#   CI=true / KAM_REQUIRE_ODOO=1   a skipped test (e.g. a tour without Chromium) fails the run
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO" || exit 1
mkdir -p "$WORK/logs"

# 1. Tooling: a private venv for pytest and the linters, independent of Odoo.
venv="$WORK/venv"
if [ ! -x "$venv/bin/python" ]; then
    log "creating $venv"
    python3 -m venv "$venv" || die "python3 -m venv failed (install python3-venv)"
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r requirements-test.txt \
    || die "pip could not install requirements-test.txt"

# 2. Static checks and the rules tests (pytest), with or without Odoo.
log "lint: ruff"
"$venv/bin/ruff" check --quiet . || die "ruff found problems (see above)"
log "pytest: rules, static checks, the scripts"
"$venv/bin/python" -m pytest -q  # testpaths: tests/ and the doctests of kam_management/rules/
rc=$?
[ "$rc" = 5 ] && die "pytest collected no test"
[ "$rc" = 0 ] || die "pytest failed"

# 3. The Odoo tests: always (an Odoo is brought up when none is installed).
find_or_bring_up_odoo
log "Odoo 19: $ODOO_WHERE"
check_odoo_python
install_module_requirements freezegun openpyxl polib websocket-client
setup_postgres
mapfile -t db_args < <(odoo_db_args)
strict=0
{ [ "${CI:-}" = true ] || [ "${KAM_REQUIRE_ODOO:-0}" = 1 ]; } && strict=1

total_ran=0 total_bad=0 total_skipped=0 failed_suites=()
dropped=()
trap 'for d in "${dropped[@]}"; do drop_database "$d" || log "could not drop $d"; done' EXIT

# run_suite NAME: installs the module into a database of that kind and runs its tests.
run_suite() {
    local kind=$1 db install tags logfile start elapsed odoo_rc report failed errors ran bad_lines skipped
    case $kind in
        # the run command's database: a Chinese company (l10n_cn, CNY), Chinese, demo data
        demo) install=(-i l10n_cn,kam_management --with-demo --load-language=zh_CN) ;;
        # a plain install into a company's own database: no demo data, English, no chart of ours;
        # tests that need the demo records are tagged kam_demo_db and left out here
        plain) install=(-i kam_management) ;;
        *) die "KAM_TEST_DBS: unknown database kind '$kind' (demo, plain)" ;;
    esac
    tags=${KAM_TEST_TAGS:-/kam_management}
    [ "$kind" = plain ] && tags="$tags,-kam_demo_db"
    if [ -n "${KAM_TEST_DB:-}" ]; then
        db=$KAM_TEST_DB
        database_exists "$db" && install=(-u kam_management)
    else
        db="kam_test_${kind}_$(date +%Y%m%d%H%M%S)_$$"
        dropped+=("$db")
    fi
    logfile="$WORK/logs/odoo-test-$db.log"
    rm -f "$logfile"  # a kept database (KAM_TEST_DB) would otherwise count the last run's errors
    log "[$kind] ${install[*]} into $db, then the tests $tags (log: $logfile)"
    start=$(date +%s)
    "${ODOO_CMD[@]}" "${db_args[@]}" -d "$db" --addons-path="$REPO" "${install[@]}" --test-tags "$tags" \
        --stop-after-init --http-port="${KAM_TEST_HTTP_PORT:-18069}" --http-interface=127.0.0.1 \
        --log-level=test --logfile="$logfile"
    odoo_rc=$?
    elapsed=$(( $(date +%s) - start ))
    # Odoo's own closing line: "F failed, E error(s) of N tests when loading database 'db'"
    report=$(grep -o '[0-9]* failed, [0-9]* error(s) of [0-9]* tests when loading database' "$logfile" | tail -n 1)
    read -r failed errors ran <<<"$(sed -E 's/^([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/' <<<"$report")"
    # Odoo only warns when demo data fails to load: a broken demo is a failure here.
    bad_lines=$(grep -cE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) |demo data failed to install' "$logfile")
    # e.g. a browser tour, which Odoo skips where no Chromium is installed
    skipped=$(grep -cE ' INFO [^ ]+ [^ ]+: skipped ' "$logfile")
    grep -E ' INFO [^ ]+ [^ ]+: skipped ' "$logfile" | sed -E "s/.*: skipped /[kam] [$kind] skipped: /" >&2
    ran=${ran:-0}
    if [ -z "$report" ] || [ "$odoo_rc" != 0 ] || [ "${failed:-1}" != 0 ] || [ "${errors:-1}" != 0 ] \
        || [ "$bad_lines" != 0 ] || [ "$ran" = 0 ]; then
        grep -E ' (ERROR|CRITICAL) |demo data failed to install' -A25 "$logfile" | head -n 200 >&2
        echo "Odoo tests FAILED on the $kind database: ${report:-no test report} (exit $odoo_rc, $bad_lines error lines, ${elapsed}s; log: $logfile)"
        failed_suites+=("$kind")
        total_bad=$(( total_bad + ${failed:-0} + ${errors:-0} ))
        [ "${failed:-0}${errors:-0}" = 00 ] && total_bad=$(( total_bad + 1 ))
    elif [ "$skipped" != 0 ] && [ "$strict" = 1 ]; then
        # Under CI every test, the browser tours included, must run (see .ci/run).
        echo "Odoo tests FAILED on the $kind database: $skipped skipped under CI (a tour needs Chromium, CJK fonts and websocket-client; see README) (${elapsed}s)"
        failed_suites+=("$kind")
    else
        echo "Odoo tests on the $kind database: $ran ran in ${elapsed}s (install included), 0 failed, 0 errors, $skipped skipped."
    fi
    total_ran=$(( total_ran + ran ))
    total_skipped=$(( total_skipped + skipped ))
}

for kind in ${KAM_TEST_DBS:-demo plain}; do
    run_suite "$kind"
done
echo "odoo: $(( total_ran - total_bad - total_skipped )) passed, $total_bad failed, $total_skipped skipped"
[ "${#failed_suites[@]}" = 0 ] || exit 1
