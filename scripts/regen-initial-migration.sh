#!/usr/bin/env bash
# Regenerate migrations/versions/0001_initial_schema.py from the models. Later, hand-written
# revisions (0002 full-text search, …) are set aside meanwhile, since autogenerate needs an empty
# database to be "up to date" with the script directory's head.
set -euo pipefail
cd "$(dirname "$0")/.."
versions=migrations/versions
aside=$(mktemp -d)
trap 'mv "$aside"/*.py "$versions"/ 2>/dev/null || true; rm -rf "$aside"' EXIT
for file in "$versions"/*.py; do
    case "$(basename "$file")" in 0001_*) ;; *) mv "$file" "$aside"/ ;; esac
done
rm -f /tmp/regen.db "$versions"/0001_initial_schema.py
CROSSCHECK_DATABASE_URL=sqlite:////tmp/regen.db .venv/bin/alembic revision --autogenerate -m "initial schema" --rev-id 0001
