#!/usr/bin/env bash
# Install and start what the test suite needs beyond Python packages (a later issue adds Chromium
# and PostgreSQL here). Safe to run repeatedly.
set -euo pipefail
exit 0
