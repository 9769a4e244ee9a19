#!/usr/bin/env bash
# Install and start what the test suite needs beyond Python packages. Safe to run repeatedly:
# each step checks first and does nothing when its service is already there.
set -euo pipefail

# Root installs directly; anyone else goes through sudo.
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

apt_updated=0
apt_install() {
    # One `apt-get update` per run, and only when something is actually missing.
    if [ "$apt_updated" -eq 0 ]; then
        $SUDO apt-get update -qq
        apt_updated=1
    fi
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# Chromium: the browser tests (tests/web, marked `browser`) drive Debian's build through Playwright,
# because `playwright install` cannot download its own browsers here.
ensure_chromium() {
    if [ -x /usr/bin/chromium ]; then
        return
    fi
    echo "test-services: installing chromium"
    apt_install chromium
}

ensure_chromium

# wrk: the load generator of benchmarks/api_overhead.py and benchmarks/review_load.py (not of the tests).
ensure_wrk() {
    if command -v wrk >/dev/null 2>&1; then
        return
    fi
    echo "test-services: installing wrk"
    apt_install wrk
}

ensure_wrk

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

# PostgreSQL: a local cluster, a test role allowed to create scratch databases, and one test database.
# Its URL goes to .services/postgres-url, which the Makefile and tests/conftest.py read.
ensure_postgres() {
    local services_dir version port
    services_dir="$(dirname "$0")/../.services"
    mkdir -p "$services_dir"
    if [ "${CROSSCHECK_SKIP_POSTGRES:-0}" = 1 ]; then
        rm -f "$services_dir/postgres-url"
        echo "test-services: PostgreSQL skipped (CROSSCHECK_SKIP_POSTGRES=1)"
        return
    fi
    if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
        echo "test-services: installing postgresql"
        apt_install postgresql
    fi
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
        pg_createcluster "$version" main >/dev/null
    fi
    if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
        pg_ctlcluster "$version" main start
    fi
    port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
    for _ in $(seq 1 30); do
        pg_isready -q -h 127.0.0.1 -p "$port" && break
        sleep 1
    done
    as_postgres psql -q -p "$port" -v ON_ERROR_STOP=1 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'crosscheck_test') THEN
    CREATE ROLE crosscheck_test LOGIN CREATEDB PASSWORD 'crosscheck_test';
  END IF;
END \$\$;
SQL
    if ! as_postgres psql -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname = 'crosscheck_test'" | grep -q 1; then
        as_postgres createdb -p "$port" -O crosscheck_test crosscheck_test
    fi
    echo "postgresql+psycopg://crosscheck_test:crosscheck_test@127.0.0.1:$port/crosscheck_test" \
        >"$services_dir/postgres-url"
    echo "test-services: PostgreSQL $version on port $port"
}

ensure_postgres
