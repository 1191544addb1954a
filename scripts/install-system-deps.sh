#!/usr/bin/env bash
# Installs the Debian packages Gyrfalcon needs, only those that are missing.
#   install-system-deps.sh run    Node.js + npm (to build the UI), ruby-sidekiq and
#                                 ruby-sidekiq-cron (the demo's Sidekiq worker)
#   install-system-deps.sh test   also Chromium (browser tests), slapd + ldap-utils
#                                 (LDAP tests), wrk (bench), golang-go (builds and runs
#                                 the probe SDK's Go template)
# Idempotent; needs root or sudo (CI runs as root).
set -euo pipefail
purpose="${1:-test}"

wanted=()
command -v node >/dev/null || wanted+=(nodejs)
command -v npm >/dev/null || wanted+=(npm)
dpkg -s ruby-sidekiq >/dev/null 2>&1 || wanted+=(ruby-sidekiq)
dpkg -s ruby-sidekiq-cron >/dev/null 2>&1 || wanted+=(ruby-sidekiq-cron)
if [ "$purpose" = "test" ]; then
  command -v chromium >/dev/null || wanted+=(chromium)
  [ -x /usr/sbin/slapd ] || wanted+=(slapd)
  command -v ldapadd >/dev/null || wanted+=(ldap-utils)
  command -v wrk >/dev/null || wanted+=(wrk)
  command -v go >/dev/null || wanted+=(golang-go)
fi

if [ ${#wanted[@]} -eq 0 ]; then
  exit 0
fi
echo "installing Debian packages: ${wanted[*]}"
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null
