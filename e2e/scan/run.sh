#!/usr/bin/env bash
# npm run test:scan — the lint of n8n's community-package verification, as a gate.
#
# n8n verifies a community package with @n8n/scan-community-package: ESLint with its rules over
#   sources  the package root: package.json and {nodes,credentials}/**/*.{js,ts,json}
#   tarball  the published tarball, unpacked: **/*.js and package.json
# This runs the scanner's own analyzePackage on both (e2e/scan/scan.mjs), on the current build:
#   1. install the scanner from the committed lock file (e2e/scan/), cached outside the repo and
#      keyed on the lock file; offline from then on
#   2. `npm pack` the package into a work folder and unpack it (it builds nothing: run
#      `npm run build` first, as `npm test` does)
#   3. lint both legs; print every message as
#        <leg> <error|warning> <rule id> <file>:<line>:<col> <message>
#      (the file relative to the folder scanned) and each leg's count by rule
# Ends with "scan: N passed, M failed (sources E errors, tarball F errors)", a leg passing when it
# has no error (warnings are printed, never fail); exits 1 on an error and keeps the work folder.
#
# Environment:
#   SCAN_PACKAGE_DIR  the package to scan (default: this repo's root)
#   SCAN_KEEP         1: keep the work folder ($TMPDIR/npl-scan.*) even when everything passed
#   SCAN_BREAK        break something on purpose, to see the gate fail:
#                     settimeout  append `setTimeout(() => undefined, 0);` to one JS file of the
#                                 unpacked tarball (the first node in package.json's n8n.nodes)
#                                 and to one source file (the first *.node.ts) of a copy of the
#                                 sources in the work folder (the package itself is not touched);
#                                 both legs then fail on @n8n/community-nodes/no-restricted-globals
#   E2E_CACHE_DIR     where the scanner is installed (default
#                     ~/.cache/n8n-nodes-number-portability-lookup/e2e, beside the n8n installs)
set -euo pipefail

SCAN_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=e2e/lib.sh
source "$SCAN_DIR/../lib.sh"

PKG_DIR=$(cd "${SCAN_PACKAGE_DIR:-$REPO_DIR}" && pwd)
SCAN_BREAK=${SCAN_BREAK:-}
case $SCAN_BREAK in '' | settimeout) ;; *) die "SCAN_BREAK=$SCAN_BREAK: unknown (settimeout)" ;; esac
BREAK_LINE='setTimeout(() => undefined, 0);'
new_work_folder scan
COUNTS="$WORK/counts"

leg_errors() { # leg_errors <leg> : its error count from scan.mjs, or "?" when it did not run
	awk -v leg="$1" '$1 == leg { print $2; found = 1 } END { if (!found) print "?" }' "$COUNTS" 2>/dev/null || echo '?'
}

on_exit() {
	local status=$?
	finish_results scan "$WORK" "${SCAN_KEEP:-0}" "$status" \
		"sources $(leg_errors sources) errors, tarball $(leg_errors tarball) errors" || exit 1
	exit 0
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
# The pinned scanner, cached like the n8n installs (lib.sh, cached_install).

scanner_installed() { # scanner_installed <install folder>
	[[ -f $1/node_modules/@n8n/scan-community-package/scanner/scanner.mjs ]] ||
		{ err "scanner: no scanner/scanner.mjs in $1"; return 1; }
}

ensure_scanner() { # sets SCANNER (its scanner/scanner.mjs)
	# Install scripts are off: eslint-plugin-n8n-nodes-base's preinstall runs `npx only-allow pnpm`.
	cached_install scan "$SCAN_DIR" .scan-complete scanner_installed --ignore-scripts || return 1
	SCANNER="$CACHED_HOME/node_modules/@n8n/scan-community-package/scanner/scanner.mjs"
}

# ---------------------------------------------------------------------------------------------
# The package: its build must be there; packed and unpacked as the registry would serve it.

check_built() {
	local missing
	[[ -d $PKG_DIR/dist ]] || { err "no dist/ in $PKG_DIR: run npm run build first"; return 1; }
	# The files package.json's n8n section names (a dist/ from an older layout has not got them).
	missing=$(cd "$PKG_DIR" && node -e '
		const n8n = require("./package.json").n8n ?? {};
		const files = [...(n8n.nodes ?? []), ...(n8n.credentials ?? [])];
		console.log(files.filter((f) => !require("fs").existsSync(f)).join(" "));
	')
	[[ -z $missing ]] || { err "missing in $PKG_DIR: $missing: run npm run build first"; return 1; }
}

pack_and_unpack() { # into $WORK/tarball
	local name
	# --ignore-scripts: a prepack script would build, and this gate scans the build that is there.
	name=$(cd "$PKG_DIR" && npm pack --ignore-scripts --silent --pack-destination "$WORK" | tail -1)
	[[ -f $WORK/$name ]] || { err "npm pack produced no tarball ($name)"; return 1; }
	mkdir -p "$WORK/tarball"
	tar -xzf "$WORK/$name" -C "$WORK/tarball" --strip-components=1 || { err "cannot unpack $name"; return 1; }
	log "packed $name ($(du -k "$WORK/$name" | cut -f1) kB, $(find "$WORK/tarball" -type f | wc -l) files)"
}

# ---------------------------------------------------------------------------------------------
# SCAN_BREAK=settimeout

break_tarball() {
	local file
	file=$(cd "$WORK/tarball" && node -e 'console.log(require("./package.json").n8n?.nodes?.[0] ?? "")')
	[[ -n $file && -f $WORK/tarball/$file ]] ||
		file=$(cd "$WORK/tarball" && find . -name node_modules -prune -o -name '*.js' -type f -print | sort | sed -n 1p)
	[[ -n $file ]] || { err "SCAN_BREAK: no JS file in the tarball"; return 1; }
	printf '\n%s\n' "$BREAK_LINE" >>"$WORK/tarball/$file"
	log "SCAN_BREAK=settimeout: tarball ${file#./} ends with $BREAK_LINE"
}

first_file() { # first_file <folder> <name pattern> : the first such file under its nodes/, credentials/
	local dirs=() dir
	for dir in nodes credentials; do [[ -d $1/$dir ]] && dirs+=("$dir"); done
	((${#dirs[@]} > 0)) || return 0
	(cd "$1" && find "${dirs[@]}" -name "$2" -type f | sort | sed -n 1p)
}

# copy_sources : the package root copied to $WORK/sources, one source file broken. All of it, not
# just the files linted: rules read others (icon-validation checks the icons a node names). In a
# git work tree, the files a commit of it would hold (n8n lints the source checkout at the
# published commit); else everything but node_modules/ and .git.
copy_sources() {
	local file
	mkdir -p "$WORK/sources"
	if [[ -e $PKG_DIR/.git ]]; then
		(cd "$PKG_DIR" && git ls-files -z --cached --others --exclude-standard |
			grep -zv '^node_modules$' | tar --null -T - --ignore-failed-read -cf -) |
			tar -C "$WORK/sources" -xf - || { err "cannot copy $PKG_DIR"; return 1; }
	else
		tar -C "$PKG_DIR" --exclude=./node_modules --exclude=./.git -cf - . |
			tar -C "$WORK/sources" -xf - || { err "cannot copy $PKG_DIR"; return 1; }
	fi
	# The first node source, else the first JS or TS file the leg lints.
	file=$(first_file "$WORK/sources" '*.node.ts')
	[[ -n $file ]] || file=$(first_file "$WORK/sources" '*.[jt]s')
	[[ -n $file ]] || { err "SCAN_BREAK: no source file under nodes/ or credentials/"; return 1; }
	printf '\n%s\n' "$BREAK_LINE" >>"$WORK/sources/$file"
	log "SCAN_BREAK=settimeout: a copy of the sources, $file ends with $BREAK_LINE"
}

# ---------------------------------------------------------------------------------------------

log "scanning $PKG_DIR (work folder $WORK)"
check_built || { record fail "build: dist/ is not there (run npm run build first)"; exit 1; }
step "scanner @n8n/scan-community-package (pinned in e2e/scan/)" ensure_scanner
step "npm pack + unpack" pack_and_unpack
SOURCES=$PKG_DIR
if [[ $SCAN_BREAK == settimeout ]]; then
	break_tarball
	copy_sources
	SOURCES="$WORK/sources"
fi

# The scanner makes a temporary folder when loaded and leaves it: in the work folder, not /tmp.
scan_status=0
step "scan: sources + tarball" env TMPDIR="$WORK" node "$SCAN_DIR/scan.mjs" "$SCANNER" "$COUNTS" \
	"sources=$SOURCES" "tarball=$WORK/tarball" || scan_status=$?
if ((scan_status > 1)); then
	err "scan.mjs exited $scan_status"
fi
for leg in sources tarball; do
	n=$(leg_errors "$leg")
	if [[ $n == 0 ]]; then
		record pass "$leg: no error"
	else
		record fail "$leg: $n errors"
	fi
done
