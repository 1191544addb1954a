#!/usr/bin/env bash
# Installs the Debian packages Gyrfalcon needs, only those that are missing.
#   install-system-deps.sh run    Node.js + npm (to build the UI)
#   install-system-deps.sh test   also Chromium (browser tests), slapd + ldap-utils
#                                 (LDAP tests), ruby-sidekiq (job tests), wrk (bench)
# Idempotent; needs root or sudo (CI runs as root).
set -euo pipefail
purpose="${1:-test}"

wanted=()
command -v node >/dev/null || wanted+=(nodejs)
command -v npm >/dev/null || wanted+=(npm)
if [ "$purpose" = "test" ]; then
  command -v chromium >/dev/null || wanted+=(chromium)
  [ -x /usr/sbin/slapd ] || wanted+=(slapd)
  command -v ldapadd >/dev/null || wanted+=(ldap-utils)
  dpkg -s ruby-sidekiq >/dev/null 2>&1 || wanted+=(ruby-sidekiq)
  command -v wrk >/dev/null || wanted+=(wrk)
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
