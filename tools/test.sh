#!/usr/bin/env bash
# The test command: rules tests and static checks everywhere; the module's Odoo
# tests in a throw-away database when an Odoo 19 is installed (see README).
#   KAM_REQUIRE_ODOO=1   a missing Odoo fails the run instead of being reported
#   KAM_TEST_TAGS=...    Odoo --test-tags (default: /kam_management)
#   CI=true              (or KAM_REQUIRE_ODOO=1) a skipped test, e.g. a tour without Chromium, fails the run
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
log "pytest: rules and static checks"
"$venv/bin/python" -m pytest -q  # testpaths: tests/ and the doctests of kam_management/rules/
rc=$?
[ "$rc" = 5 ] && die "pytest collected no test"
[ "$rc" = 0 ] || die "pytest failed"

# 3. The Odoo tests.
if ! find_odoo; then
    odoo_search_help
    if [ "${KAM_REQUIRE_ODOO:-0}" = 1 ]; then
        die "KAM_REQUIRE_ODOO=1 but no Odoo 19 was found: the Odoo tests cannot run"
    fi
    echo "Odoo tests did NOT run: no Odoo 19 found on this machine (rules tests and static checks passed)."
    exit 0
fi
log "Odoo 19: $ODOO_WHERE"
check_odoo_python
install_module_requirements freezegun openpyxl polib websocket-client
setup_postgres

db="kam_test_$(date +%Y%m%d%H%M%S)_$$"
logfile="$WORK/logs/odoo-test-$db.log"
trap 'drop_database "$db" || log "could not drop $db"' EXIT
# the demo database as tools/run.sh makes it: a Chinese company (l10n_cn, CNY) with Chinese (zh_CN)
log "installing kam_management with demo data, l10n_cn and zh_CN into $db and running its tests (log: $logfile)"
start=$(date +%s)
mapfile -t db_args < <(odoo_db_args)
"${ODOO_CMD[@]}" "${db_args[@]}" -d "$db" --addons-path="$REPO" \
    -i l10n_cn,kam_management --with-demo --load-language=zh_CN --test-tags "${KAM_TEST_TAGS:-/kam_management}" \
    --stop-after-init --http-port="${KAM_TEST_HTTP_PORT:-18069}" --http-interface=127.0.0.1 \
    --log-level=test --logfile="$logfile"
odoo_rc=$?
elapsed=$(( $(date +%s) - start ))

# Odoo's own closing line: "F failed, E error(s) of N tests when loading database 'db'"
report=$(grep -o '[0-9]* failed, [0-9]* error(s) of [0-9]* tests when loading database' "$logfile" | tail -n 1)
read -r failed errors ran <<<"$(sed -E 's/^([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/' <<<"$report")"
# Odoo only warns when demo data fails to load: a broken demo is a failure here.
bad_lines=$(grep -cE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) |demo data failed to install' "$logfile")
if [ -z "$report" ] || [ "$odoo_rc" != 0 ] || [ "${failed:-1}" != 0 ] || [ "${errors:-1}" != 0 ] || [ "$bad_lines" != 0 ]; then
    grep -E ' (ERROR|CRITICAL) |demo data failed to install' -A25 "$logfile" | head -n 200 >&2
    echo "Odoo tests FAILED: ${report:-no test report} (exit $odoo_rc, $bad_lines error lines, ${elapsed}s; log: $logfile)"
    echo "odoo: $(( ${ran:-0} - ${failed:-0} - ${errors:-0} )) passed, $(( ${failed:-0} + ${errors:-0} )) failed"
    exit 1
fi
[ "${ran:-0}" -gt 0 ] || die "Odoo ran no test of kam_management"
# e.g. the browser tour, which Odoo skips where no Chromium is installed
skipped=$(grep -cE ' INFO [^ ]+ [^ ]+: skipped ' "$logfile")
grep -E ' INFO [^ ]+ [^ ]+: skipped ' "$logfile" | sed -E 's/.*: skipped /[kam] skipped: /' >&2
# Under CI every test, the browser tours included, must run (see .ci/run).
if [ "$skipped" != 0 ] && { [ "${CI:-}" = true ] || [ "${KAM_REQUIRE_ODOO:-0}" = 1 ]; }; then
    echo "Odoo tests FAILED: $skipped skipped under CI (a tour needs Chromium, CJK fonts and websocket-client; see README) (${elapsed}s; log: $logfile)"
    echo "odoo: $(( ran - skipped )) passed, 0 failed, $skipped skipped"
    exit 1
fi
echo "Odoo tests: $ran ran in ${elapsed}s (install included), 0 failed, 0 errors, $skipped skipped (database $db is dropped on exit)."
echo "odoo: $(( ran - skipped )) passed, 0 failed, $skipped skipped"
