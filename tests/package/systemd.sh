#!/bin/sh
# Issue 23: the package under a real systemd, as the README's "Install on
# Debian" runs it. A container (systemd-nspawn --boot) made of this
# machine's own /usr (an overlay, so that the package installs without
# touching the host's) and a copy of its /etc and dpkg database boots
# systemd as its PID 1; in it: dpkg -i the package (the system user, its
# directory), entente init as that user, systemctl enable --now entente.
# Then: the unit is active once it serves (Type=notify), answers on its
# port, runs as entente with its hardening in force (checked from inside
# the service: no new privileges, a read-only /usr and /etc, its own
# /tmp, no capabilities), systemctl reload is its SIGHUP, systemctl stop
# ends it cleanly. Usage: systemd.sh DEB. Ends with "N passed, M failed".
# Needs root (make test runs as root: CI's rule); the container shares the
# host's network, its server on a free loopback port.
set -u
deb=$1
passed=0
failed=0
logs=build/logs/package
mkdir -p "$logs"
ok() { passed=$((passed + 1)); echo "ok   systemd: $1"; }
no() { failed=$((failed + 1)); echo "FAIL systemd: $1"; shift; for f in "$@"; do tail -n 20 "$f"; done; }

R=$(mktemp -d /tmp/entente-nspawn-XXXXXX)
chmod 0755 "$R" # the container's /: every user goes through it
upper=$R.usr
nspawn=""
finish() {
	[ -z "$nspawn" ] || { kill "$nspawn" 2>/dev/null; sleep 2; kill -9 "$nspawn" 2>/dev/null; wait "$nspawn" 2>/dev/null; }
	rm -rf "$R" "$upper" "$R.work"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}
trap finish EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# the root: the host's /usr below a writable layer, a copy of /etc (the
# package's user and configuration go there) and of the dpkg database
mkdir -p "$R/var/lib" "$R/usr" "$R/tmp" "$R/root" "$R/proc" "$R/sys" "$R/dev" "$R/run" "$upper"
for d in bin lib lib64 sbin; do [ -L "/$d" ] && ln -s "usr/$d" "$R/$d"; done
cp -a /etc "$R/etc"
rm -f "$R/etc/os-release" "$R/etc/machine-id"
cp /usr/lib/os-release "$R/etc/os-release"
cp -a /var/lib/dpkg "$R/var/lib/dpkg"
cp "$deb" "$R/root/entente.deb"
# none of this machine's own services (its nginx, its PostgreSQL) in it
rm -rf "$R"/etc/systemd/system/*.wants "$R"/etc/systemd/system/*.requires
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# nspawn keeps its propagation directory on a tmpfs; where /run is none
if ! mountpoint -q /run/systemd/nspawn 2>/dev/null && [ "$(stat -f -c %T /run)" != tmpfs ]; then
	mkdir -p /run/systemd/nspawn && mount -t tmpfs -o mode=0755 tmpfs /run/systemd/nspawn
fi
systemd-nspawn -D "$R" --overlay="/usr:$upper:/usr" --register=no --keep-unit --boot -M entente-test \
	--console=read-only >"$logs/nspawn.log" 2>&1 &
nspawn=$!
pid=""
for _ in $(seq 100); do
	pid=$(pgrep -P "$nspawn" -x systemd | head -n 1)
	[ -n "$pid" ] && break
	sleep 0.1
done
if [ -z "$pid" ]; then
	no "systemd did not start in the container" "$logs/nspawn.log"
	exit 1
fi
# a command in the container, with a login's clean environment: none of
# the caller's (make test sets ENTENTE_CONFIG="", which would hide
# /etc/entente/entente.conf from entente init)
X() { nsenter -t "$pid" -m -u -i -p -n -- env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
# until its boot is done: multi-user.target reached (90 s at most)
state=""
for _ in $(seq 180); do
	[ "$(X systemctl is-active multi-user.target 2>/dev/null)" = active ] && break
	sleep 0.5
done
state=$(X systemctl is-system-running 2>/dev/null)
case "$state" in
running | degraded | starting) ok "systemd $(X systemctl --version | head -n 1 | cut -d' ' -f2) boots in the container to multi-user.target ($state)" ;;
*)
	no "the container's systemd is ${state:-not answering} after 90 s" "$logs/nspawn.log"
	exit 1
	;;
esac

# the README's steps
if X dpkg -i /root/entente.deb >"$logs/dpkg.log" 2>&1 && X getent passwd entente >/dev/null &&
	[ "$(X stat -c '%U %a' /var/lib/entente)" = "entente 700" ]; then
	ok "dpkg -i: the system user entente, /var/lib/entente 0700"
else
	no "dpkg -i the package" "$logs/dpkg.log"
fi
X sh -c "printf 'listen = 127.0.0.1:$port\nbase_url = http://127.0.0.1:$port\n' >>/etc/entente/entente.conf"
echo 'tortoise-lantern-quarry-23' >"$R/root/pw"
X chmod 0644 /root/pw
if X runuser -u entente -- entente init --admin-email admin@example.org --body-name "Test Body" \
	--requests-address requests@example.org --admin-password-file /root/pw >"$logs/init.log" 2>&1; then
	ok "entente init as the user entente"
else
	no "entente init" "$logs/init.log"
fi
if X systemctl enable --now entente >"$logs/enable.log" 2>&1 && [ "$(X systemctl is-active entente)" = active ]; then
	ok "systemctl enable --now entente: active once it serves (Type=notify)"
else
	X journalctl -u entente --no-pager >"$logs/journal.log" 2>&1
	no "systemctl enable --now entente" "$logs/enable.log" "$logs/journal.log"
fi
if curl -fsS "http://127.0.0.1:$port/healthz" >"$logs/healthz.log" 2>&1 && grep -q '"status":"ok"' "$logs/healthz.log"; then
	ok "it answers on 127.0.0.1:$port: $(cat "$logs/healthz.log")"
else
	no "GET /healthz" "$logs/healthz.log"
fi

# the hardening, as the service's own process sees it
main=$(X systemctl show -p MainPID --value entente)
status=$(X cat "/proc/$main/status" 2>/dev/null)
if [ "$(X stat -c %U "/proc/$main")" = entente ] && echo "$status" | grep -q "^NoNewPrivs:[[:space:]]*1" &&
	echo "$status" | grep -q "^CapEff:[[:space:]]*0000000000000000" && echo "$status" | grep -q "^CapBnd:[[:space:]]*0000000000000000" &&
	echo "$status" | grep -q "^Seccomp:[[:space:]]*2"; then
	ok "the server runs as entente, no new privileges, no capabilities, a system call filter"
else
	echo "$status" >"$logs/status.log"
	no "the server's process (user, NoNewPrivs, CapEff, CapBnd, Seccomp)" "$logs/status.log"
fi
X nsenter -t "$main" -m -- sh -c 'touch /usr/entente-probe 2>/dev/null; echo usr $?; touch /etc/entente-probe 2>/dev/null; echo etc $?;
	touch /var/lib/entente/probe && rm /var/lib/entente/probe; echo state $?; ls /tmp | wc -l' >"$logs/fs.log" 2>&1
if grep -qx "usr 1" "$logs/fs.log" && grep -qx "etc 1" "$logs/fs.log" && grep -qx "state 0" "$logs/fs.log" && [ ! -e "$R/etc/entente-probe" ]; then
	ok "in its mount namespace /usr and /etc are read-only, /var/lib/entente writable (ProtectSystem=strict)"
else
	no "ProtectSystem=strict" "$logs/fs.log"
fi
X systemd-analyze security entente --no-pager >"$logs/security.log" 2>&1
score=$(sed -n 's/.*Overall exposure level for entente.service: \([0-9.]*\).*/\1/p' "$logs/security.log")
if [ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s < 3.0) }'; then
	ok "systemd-analyze security: exposure $score (under 3.0: OK)"
else
	no "systemd-analyze security: exposure ${score:-unknown}" "$logs/security.log"
fi

# systemctl reload is SIGHUP: the configuration read again
X systemctl reload entente
sleep 1
if X journalctl -u entente --no-pager 2>/dev/null | grep -q "SIGHUP: the configuration is read again"; then
	ok "systemctl reload: the journal says the configuration is read again"
else
	X journalctl -u entente --no-pager >"$logs/journal.log" 2>&1
	no "systemctl reload" "$logs/journal.log"
fi
# systemctl stop: SIGTERM, a clean exit
X systemctl stop entente
if [ "$(X systemctl show -p Result --value entente)" = success ] && [ "$(X systemctl show -p ExecMainStatus --value entente)" = 0 ] &&
	! curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
	ok "systemctl stop: exit 0, Result=success, the port closed"
else
	X journalctl -u entente --no-pager >"$logs/journal.log" 2>&1
	no "systemctl stop" "$logs/journal.log"
fi
