#!/bin/sh
# Installs the Debian packages entente needs to build, run and test, when
# any is missing. Runs without standard input (CI). Usage: deps.sh [test|bench|deb]
set -eu
pkgs="build-essential pkg-config libjansson-dev libsqlite3-dev libpq-dev libsodium-dev libcmark-dev sqlite3 libcurl4-openssl-dev libgit2-dev libical-dev libarchive-dev liboath-dev libqrencode-dev"
if [ "${1:-}" = bench ]; then
	pkgs="$pkgs libcurl4-openssl-dev curl jq wrk nginx-light postgresql"
fi
# the Debian package (make deb) and its checks: lintian, systemd-analyze
deb="debhelper dpkg-dev fakeroot lintian systemd systemd-container"
if [ "${1:-}" = deb ]; then
	pkgs="$pkgs $deb"
fi
if [ "${1:-}" = test ]; then
	pkgs="$pkgs libcmocka-dev postgresql curl chromium fonts-dejavu-core clang libclang-rt-14-dev python3-aiosmtpd git openssl nginx-light python3-h11 python3-jsonschema $deb"
fi
missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
sudo=""
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null 2>&1 || { echo "deps.sh: need root or sudo to install:$missing" >&2; exit 1; }
	sudo="sudo -n"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq </dev/null
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing </dev/null
