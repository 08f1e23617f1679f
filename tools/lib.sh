# shellcheck shell=bash
# Shared by tools/run.sh and tools/test.sh: find an Odoo 19 that is already
# installed and a PostgreSQL to use. Nothing here downloads or installs Odoo.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK="$REPO/.work"                       # ignored by git
KAM_ODOO_ENV="${XDG_CONFIG_HOME:-$HOME/.config}/kam_management/odoo.env"
ODOO_PLACES=(/opt/odoo19 /opt/odoo-19.0 /opt/odoo "$HOME/odoo19" "$HOME/odoo" "$REPO/../odoo19" "$REPO/../odoo")

log() { printf '[kam] %s\n' "$*" >&2; }
die() { printf '[kam] error: %s\n' "$*" >&2; exit 1; }

odoo_search_help() {
    cat >&2 <<HELP
[kam] Odoo 19 must already be installed on this machine; these scripts never install it.
[kam] They look, in this order, for:
[kam]   1. ODOO_PATH (and optionally ODOO_PYTHON) in the environment, or in $KAM_ODOO_ENV
[kam]      (a shell file, e.g.  ODOO_PATH=/srv/odoo19  ODOO_PYTHON=/srv/odoo19/.venv/bin/python);
[kam]   2. an Odoo 19 source tree (with odoo-bin) in: ${ODOO_PLACES[*]};
[kam]   3. an importable 'odoo' 19 package in ODOO_PYTHON or python3.
[kam] A source tree's Python is ODOO_PYTHON, else its .venv/ or venv/, else python3.
HELP
}

_odoo_major() {  # python [source-tree]: prints Odoo's major version, or nothing
    "$1" - "${2:-}" 2>/dev/null <<'PY'
import sys
if sys.argv[1]:
    sys.path.insert(0, sys.argv[1])
import odoo.release
print(odoo.release.version_info[0])
PY
}

_tree_python() {
    if [ -n "${ODOO_PYTHON:-}" ]; then echo "$ODOO_PYTHON"; return; fi
    for py in "$1/.venv/bin/python" "$1/venv/bin/python"; do
        [ -x "$py" ] && { echo "$py"; return; }
    done
    command -v python3
}

# Sets ODOO_PY (its Python) and ODOO_CMD (the command that starts it); 1 if none.
find_odoo() {
    # shellcheck disable=SC1090
    [ -z "${ODOO_PATH:-}" ] && [ -f "$KAM_ODOO_ENV" ] && . "$KAM_ODOO_ENV"
    local places=("${ODOO_PLACES[@]}") dir py major
    [ -n "${ODOO_PATH:-}" ] && places=("$ODOO_PATH")
    for dir in "${places[@]}"; do
        [ -f "$dir/odoo-bin" ] || continue
        py=$(_tree_python "$dir")
        major=$(_odoo_major "$py" "$dir")
        if [ "$major" = 19 ]; then
            ODOO_PY=$py
            ODOO_CMD=("$py" "$dir/odoo-bin")
            ODOO_WHERE="$dir (Python: $py)"
            return 0
        fi
        log "skipping $dir: not an Odoo 19 that $py can import (found: ${major:-nothing})"
    done
    if [ -n "${ODOO_PATH:-}" ]; then
        log "ODOO_PATH=$ODOO_PATH holds no usable Odoo 19"
        return 1
    fi
    for py in ${ODOO_PYTHON:-} python3; do
        if [ "$(_odoo_major "$py")" = 19 ]; then
            ODOO_PY=$py
            ODOO_CMD=("$py" -m odoo)
            ODOO_WHERE="importable odoo of $py"
            return 0
        fi
    done
    return 1
}

check_odoo_python() {
    "$ODOO_PY" -c 'import psycopg2, werkzeug, lxml, babel, PIL' 2>/dev/null \
        || die "Odoo 19 found at $ODOO_WHERE, but its Python requirements are missing: install them with '$ODOO_PY -m pip install -r <odoo>/requirements.txt'."
}

# Installs into Odoo's Python what the module needs: the OCA addons and our libraries.
install_module_requirements() {
    log "installing the OCA addons and Python libraries into $ODOO_PY"
    "$ODOO_PY" -m pip install -q --disable-pip-version-check --no-deps -r "$REPO/requirements-oca.txt" \
        && "$ODOO_PY" -m pip install -q --disable-pip-version-check -r "$REPO/requirements.txt" "$@" \
        || die "pip could not install the module's requirements into $ODOO_PY"
}

_pg_try() {  # host port user: can we connect?
    "$ODOO_PY" - "$@" <<'PY' 2>/dev/null
import sys, psycopg2
host, port, user = sys.argv[1:4]
psycopg2.connect(host=host, port=int(port), user=user, dbname="postgres", connect_timeout=3).close()
PY
}

_pg_bindir() {
    local d
    command -v pg_config >/dev/null && d=$(pg_config --bindir 2>/dev/null) && [ -x "$d/initdb" ] && { echo "$d"; return; }
    for d in /usr/lib/postgresql/*/bin /usr/local/pgsql/bin; do
        [ -x "$d/initdb" ] && { echo "$d"; return; }
    done
    command -v initdb >/dev/null && dirname "$(command -v initdb)"
}

# Sets PG_HOST, PG_PORT, PG_USER: a reachable server, or a private one in .work/pg.
setup_postgres() {
    PG_HOST=${PGHOST:-127.0.0.1}
    PG_PORT=${PGPORT:-5432}
    PG_USER=${PGUSER:-$(id -un)}
    if [ "$PG_USER" != postgres ] && _pg_try "$PG_HOST" "$PG_PORT" "$PG_USER"; then
        log "using PostgreSQL at $PG_HOST:$PG_PORT as $PG_USER"
        return 0
    fi
    PG_HOST=127.0.0.1
    PG_PORT=${KAM_PG_PORT:-54329}
    PG_USER=odoo
    if _pg_try "$PG_HOST" "$PG_PORT" "$PG_USER"; then
        log "using the private PostgreSQL of $WORK/pg on port $PG_PORT"
        return 0
    fi
    local bindir owner=() data="$WORK/pg/data"
    bindir=$(_pg_bindir) || true
    [ -n "$bindir" ] || die "no PostgreSQL is reachable at ${PGHOST:-127.0.0.1}:${PGPORT:-5432} and none is installed to start a private one (install the 'postgresql' package)."
    mkdir -p "$WORK/pg"
    if [ "$(id -u)" = 0 ]; then
        # PostgreSQL refuses to run as root: the private server runs as 'postgres'.
        id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' system user to own the private PostgreSQL"
        chown postgres "$WORK/pg"
        owner=(runuser -u postgres --)
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
        log "creating a private PostgreSQL in $data"
        "${owner[@]}" "$bindir/initdb" -D "$data" -U odoo --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/pg/initdb.log" 2>&1 \
            || die "initdb failed, see $WORK/pg/initdb.log"
    fi
    log "starting the private PostgreSQL on 127.0.0.1:$PG_PORT"
    "${owner[@]}" "$bindir/pg_ctl" -D "$data" -l "$WORK/pg/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $WORK/pg" start >/dev/null \
        || die "the private PostgreSQL did not start, see $WORK/pg/server.log"
}

odoo_db_args() {
    printf '%s\n' "--db_host=$PG_HOST" "--db_port=$PG_PORT" "--db_user=$PG_USER"
}

drop_database() {
    "$ODOO_PY" - "$PG_HOST" "$PG_PORT" "$PG_USER" "$1" <<'PY'
import sys, psycopg2
host, port, user, name = sys.argv[1:5]
conn = psycopg2.connect(host=host, port=int(port), user=user, dbname="postgres")
conn.autocommit = True
conn.cursor().execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name.replace('"', ""))
PY
}

database_exists() {
    "$ODOO_PY" - "$PG_HOST" "$PG_PORT" "$PG_USER" "$1" <<'PY'
import sys, psycopg2
host, port, user, name = sys.argv[1:5]
conn = psycopg2.connect(host=host, port=int(port), user=user, dbname="postgres")
cur = conn.cursor()
cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
sys.exit(0 if cur.fetchone() else 1)
PY
}

# The system packages some Odoo tests need: the browser tours a Chromium that
# Odoo's test browser finds (odoo/tests/common.py looks for these names) and
# CJK fonts for the Chinese screens; the desk's PDF prints (UX3) wkhtmltopdf
# and poppler-utils (pdftotext/pdfinfo/pdftoppm read the PDF back). Installs
# what is missing with apt-get when running as root; otherwise says what is
# missing (tools/test.sh then fails under CI, where a skipped test fails).
_have_chromium() {
    command -v chromium || command -v chromium-browser || command -v google-chrome \
        || command -v google-chrome-stable
} >/dev/null 2>&1
_have_cjk_fonts() {
    command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]
}
ensure_test_system_packages() {
    local missing=()
    _have_chromium || missing+=(chromium)
    _have_cjk_fonts || missing+=(fonts-noto-cjk)
    command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)
    command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
    if [ "${#missing[@]}" = 0 ]; then
        log "test packages: Chromium, CJK fonts, wkhtmltopdf and poppler-utils are present"
        return 0
    fi
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        log "test packages: ${missing[*]} missing and not installable here (needs root and apt-get): the tours and prints will be skipped"
        return 1
    fi
    log "test packages: installing ${missing[*]} with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get update -q \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" \
        || { log "test packages: apt-get could not install ${missing[*]}"; return 1; }
}
