#!/usr/bin/env bash
# Load on the subscribe endpoint of a CMS running on this machine (loopback only, bounded: 20 s).
# Start the CMS with the limits lifted first, e.g.:
#   SUBSCRIBE_LIMIT_PER_IP_HOUR=100000000 SUBSCRIBE_LIMIT_PER_EMAIL_DAY=100000000 npm run dev
# Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
url="${1:-http://127.0.0.1:1337}"
case "$url" in http://127.0.0.1*|http://localhost*|http://\[::1\]*) ;; *) echo "loopback targets only" >&2; exit 2 ;; esac
exec wrk -t2 -c16 -d20s -s "$(dirname "$0")/wrk-subscribe.lua" "$url"
