#!/bin/sh
# Issue 23: what an operator installs. `make install` honours PREFIX and
# DESTDIR; systemd-analyze verify accepts the unit it installs; `make deb`
# builds the package, lintian finds no error in it, and it holds exactly
# the files the README's "Install on Debian" lists; and the package runs
# under a real systemd as the README says (systemd.sh). Ends with "N passed,
# M failed". Logs in build/logs/package/.
set -u
passed=0
failed=0
logs=build/logs/package
mkdir -p "$logs"
ok() { passed=$((passed + 1)); echo "ok   $1"; }
no() { failed=$((failed + 1)); echo "FAIL $1"; shift; for f in "$@"; do tail -n 20 "$f"; done; }

# make install into a staging root, with PREFIX and with DESTDIR
stage=$(mktemp -d /tmp/entente-install-XXXXXX)
if make --no-print-directory install PREFIX="$stage/usr" SYSCONFDIR="$stage/etc" >"$logs/install.log" 2>&1 &&
	[ -x "$stage/usr/bin/entente" ] && [ -f "$stage/etc/entente/entente.conf" ] &&
	[ -f "$stage/usr/share/man/man5/entente.conf.5" ] && [ -f "$stage/usr/share/entente/web/index.html" ] &&
	grep -q "^ExecStart=$stage/usr/bin/entente serve$" "$stage/usr/lib/systemd/system/entente.service" &&
	grep -q "^web_dir = $stage/usr/share/entente/web$" "$stage/etc/entente/entente.conf"; then
	ok "make install PREFIX=... puts every file under the prefix, the unit and the configuration naming it"
else
	no "make install PREFIX=..." "$logs/install.log"
fi
dest=$(mktemp -d /tmp/entente-destdir-XXXXXX)
if make --no-print-directory install DESTDIR="$dest" PREFIX=/usr >"$logs/install-destdir.log" 2>&1 &&
	[ -x "$dest/usr/bin/entente" ] && [ -f "$dest/etc/entente/entente.conf" ] && [ -f "$dest/lib/systemd/system/entente.service" ] &&
	grep -q "^ExecStart=/usr/bin/entente serve$" "$dest/lib/systemd/system/entente.service"; then
	ok "make install DESTDIR=... PREFIX=/usr: the Debian layout under DESTDIR"
else
	no "make install DESTDIR=..." "$logs/install-destdir.log"
fi
rm -rf "$dest"

# the installed configuration is one entente takes as it is
if ENTENTE_CONFIG="$stage/etc/entente/entente.conf" "$stage/usr/bin/entente" config --check >"$logs/config.log" 2>&1; then
	ok "the installed entente.conf passes entente config --check"
else
	no "the installed entente.conf" "$logs/config.log"
fi

# the unit: systemd-analyze verify (the binary it names exists here)
if systemd-analyze verify --man=no "$stage/usr/lib/systemd/system/entente.service" >"$logs/verify.log" 2>&1 &&
	! grep -q "entente.service" "$logs/verify.log"; then
	ok "systemd-analyze verify accepts the unit"
else
	no "systemd-analyze verify" "$logs/verify.log"
fi
rm -rf "$stage"

# the package
if make --no-print-directory deb >"$logs/deb.log" 2>&1 && deb=$(ls build/deb/entente_*.deb 2>/dev/null | head -n 1) && [ -n "$deb" ]; then
	ok "make deb builds $deb"
	if lintian --fail-on error "$deb" >"$logs/lintian.log" 2>&1 && ! grep -q "^E:" "$logs/lintian.log"; then
		ok "lintian finds no error in the package ($(grep -c '^W:' "$logs/lintian.log") warnings: $logs/lintian.log)"
	else
		no "lintian" "$logs/lintian.log"
	fi
	# the README's file list (between its markers), against dpkg-deb -c
	sed -n '/^<!-- package files -->$/,/^<!-- end of package files -->$/p' README.md | sed -n 's/^\(\/[^ ]*\).*/\1/p' | sort >"$logs/readme-files"
	dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $6}' | sed 's/^\.//' | sort >"$logs/deb-files"
	missing=""
	while read -r f; do
		case "$f" in
		*/) grep -q "^$f" "$logs/deb-files" || missing="$missing $f" ;;
		*) grep -qx "$f" "$logs/deb-files" || missing="$missing $f" ;;
		esac
	done <"$logs/readme-files"
	extra=""
	while read -r f; do
		listed=0
		while read -r r; do
			case "$r" in
			*/) case "$f" in "$r"*) listed=1 ;; esac ;;
			*) [ "$f" = "$r" ] && listed=1 ;;
			esac
		done <"$logs/readme-files"
		[ $listed = 1 ] || extra="$extra $f"
	done <"$logs/deb-files"
	if [ -s "$logs/readme-files" ] && [ -z "$missing" ] && [ -z "$extra" ]; then
		ok "the package holds exactly the files the README lists ($(wc -l <"$logs/deb-files") files)"
	else
		echo "  in the README, not the package:$missing"
		echo "  in the package, not the README:$extra"
		no "the package's file list"
	fi
	if dpkg-deb -I "$deb" conffiles 2>/dev/null | grep -qx "/etc/entente/entente.conf"; then
		ok "/etc/entente/entente.conf is a conffile"
	else
		no "conffiles"
	fi
	# the package under a real systemd, in a container (systemd.sh)
	sh tests/package/systemd.sh "$deb" >"$logs/systemd.log" 2>&1
	grep -E "^(ok|FAIL) " "$logs/systemd.log"
	set -- $(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$logs/systemd.log" | tail -n 1)
	passed=$((passed + ${1:-0}))
	failed=$((failed + ${2:-1}))
else
	no "make deb" "$logs/deb.log"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
