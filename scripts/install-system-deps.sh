#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only those that are missing:
# Chromium (browser tests), slapd + ldap-utils (LDAP tests), ruby-sidekiq (job
# tests), Node.js + npm (the UI build). Idempotent; needs root (as on CI).
set -euo pipefail

wanted=()
command -v chromium >/dev/null || wanted+=(chromium)
[ -x /usr/sbin/slapd ] || wanted+=(slapd)
command -v ldapadd >/dev/null || wanted+=(ldap-utils)
dpkg -s ruby-sidekiq >/dev/null 2>&1 || wanted+=(ruby-sidekiq)
command -v node >/dev/null || wanted+=(nodejs)
command -v npm >/dev/null || wanted+=(npm)

if [ ${#wanted[@]} -eq 0 ]; then
  exit 0
fi
echo "installing Debian packages: ${wanted[*]}"
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null
