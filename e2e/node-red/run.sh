#!/usr/bin/env bash
# npm run test:node-red — the Node-RED package in a real Node-RED, end to end.
#
#   1. Node-RED 5.0.7 and Node 24 from the committed lock file (e2e/node-red/), cached outside
#      the repository (e2e/node-red/lib.sh ensure_node_red)
#   2. build, npm pack node-red/, install the tarball into a Node-RED user dir as the palette
#      manager does (npm install in the user dir)
#   3. the scorecard: node-red-dev validate on the installed package, offline (scorecard-offline.cjs)
#   4. a sandbox; Node-RED headless; the examples deployed through the admin API with the account
#      pointed at the sandbox; the CRM list through http in → lookup → outputs, counted against
#      the sandbox's ledger; the balance alert; a full redeploy in the middle of 20,000 numbers
#      (e2e/node-red/check.ts)
#   5. the editor in Chromium (e2e/node-red/editor.ts; NODE_RED_BROWSER=0 skips it); its pictures
#      go to the work folder, or to docs/images/ with NODE_RED_SCREENSHOTS=docs/images
# Ends with "node-red: N passed, M failed".
#
# Environment:
#   E2E_CACHE_DIR     where the Node-RED install is kept (default ~/.cache/n8n-nodes-number-portability-lookup/e2e)
#   E2E_KEEP=1        keep the work folder even when everything passed
#   NODE_RED_BREAK    break one thing on purpose, to see the checks fail:
#                     redeploy   the lookup node's close handler does not abort (the run goes on)
#                     password   the account gets a wrong password
#                     scorecard  the packed package.json loses its node-red keyword
set -euo pipefail

# shellcheck source=e2e/node-red/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_DIR"
new_work_folder node-red
BREAK=${NODE_RED_BREAK:-}

on_exit() {
	local status=$?
	cleanup
	finish_results node-red "$WORK" "${E2E_KEEP:-0}" "$status" "$(elapsed)s" || exit 1
	exit 0
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "install Node-RED + Node 24 (cached)" ensure_node_red || die "the Node-RED install failed"
step "build and pack node-red/" pack_package "$WORK/pack" "$REPO_DIR/node-red" || die "build failed"
if [[ $BREAK == redeploy ]]; then
	# The close handler forgets to abort: the run must then go on after the redeploy, and fail.
	mkdir -p "$WORK/broken" && tar -xzf "$PKG_TGZ" -C "$WORK/broken"
	sed -i 's/stop\.abort();/void stop;/' "$WORK/broken/package/dist/npl-lookup.js"
	grep -q 'void stop;' "$WORK/broken/package/dist/npl-lookup.js" || die "NODE_RED_BREAK=redeploy did not apply"
	tar -czf "$PKG_TGZ" -C "$WORK/broken" package
fi
if [[ $BREAK == scorecard ]]; then
	mkdir -p "$WORK/broken" && tar -xzf "$PKG_TGZ" -C "$WORK/broken"
	sed -i 's/"node-red",$/"nodered",/' "$WORK/broken/package/package.json"
	tar -czf "$PKG_TGZ" -C "$WORK/broken" package
fi
USER_DIR="$WORK/userdir"
check "the packed package installs as the palette manager installs it" \
	step "npm install the tarball into the user dir" palette_install "$USER_DIR" || die "install failed"

# Only undici outside the package: everything else is bundled.
check "the installed package requires nothing but undici and Node's own modules" nr_node -e '
	const fs = require("fs"), path = require("path"), { builtinModules } = require("module");
	const dir = process.argv[1], bad = [];
	for (const f of fs.readdirSync(path.join(dir, "dist")).filter((f) => f.endsWith(".js")))
		for (const [, name] of fs.readFileSync(path.join(dir, "dist", f), "utf8").matchAll(/\brequire\("([^"]+)"\)/g))
			if (!name.startsWith(".") && !builtinModules.includes(name.replace(/^node:/, "")) && name !== "undici") bad.push(`${f}: ${name}`);
	require.resolve("undici", { paths: [dir] });
	if (bad.length) { console.error(bad.join("\n")); process.exit(1); }
' "$INSTALLED_PKG_DIR"

# The scorecard, offline. Its output: "✅ …" per check passed, "P06 …"-style warnings otherwise.
scorecard() {
	local out="$WORK/scorecard.txt"
	(cd "$WORK" && NPL_NODE_RED_HOME="$NR_HOME" NPL_SCORECARD_INSTALLED="$INSTALLED_PKG_DIR" \
		PATH="$NODE_DIR/bin:$SYSTEM_PATH" timeout 120 node -r "$NR_SRC/scorecard-offline.cjs" \
		"$NR_HOME/node_modules/node-red-dev/bin/run" validate -p "$INSTALLED_PKG_DIR" </dev/null) >"$out" 2>&1 || true
	sed 's/^/    /' "$out" >&2
	local passed warned
	passed=$(grep -c '✅' "$out" || true)
	warned=$(grep -cE '^ *(›   Warning: )?[PND][0-9]{2} ' "$out" || true)
	log "scorecard: $passed checks passed, $warned warnings"
	((warned == 0 && passed >= 12))
}
check "node-red-dev validate (the scorecard): every check that runs offline passes" step "scorecard" scorecard || true

step "start the sandbox" start_sandbox "$WORK/sandbox.json" "$WORK/sandbox.log" \
	--user e2e --password 'e2e-S3cret&pass' --credit 100000 --latency-ms 100 || die "the sandbox did not start"
PASSWORD=$(json_get "$WORK/sandbox.json" 'j.password')
[[ $BREAK == password ]] && PASSWORD='wrong-password'
env PATH="$SYSTEM_PATH" node --import tsx "$NR_SRC/flows.ts" --sandbox-url "$(json_get "$WORK/sandbox.json" 'j.url')" \
	--user e2e --password "$PASSWORD" --out "$WORK/deploy.json"

write_settings "$USER_DIR" "$(free_port)"
step "start Node-RED $(nr_node -p 'require(process.argv[1]).version' "$NR_HOME/node_modules/node-red/package.json")" \
	start_node_red "$USER_DIR" "$WORK/node-red.log" || die "Node-RED did not start"

CHECK_OUT=$(PATH="$NODE_DIR/bin:$SYSTEM_PATH" node --import tsx "$NR_SRC/check.ts" --node-red "$NR_URL" \
	--sandbox "$WORK/sandbox.json" --flows "$WORK/deploy.json" --user-dir "$USER_DIR" --package "$PKG_NAME" 2>&1) || true
printf '%s\n' "$CHECK_OUT" >"$WORK/check.txt"
record_lines <<<"$CHECK_OUT"

if [[ ${NODE_RED_BROWSER:-1} != 0 ]]; then
	# The editor test records its checks in $RESULTS itself (e2e/browser/harness.ts Checks).
	step "the editor in Chromium" env PATH="$SYSTEM_PATH" node --import tsx "$NR_SRC/editor.ts" --node-red "$NR_URL" \
		--sandbox "$WORK/sandbox.json" --screenshots "${NODE_RED_SCREENSHOTS:-$WORK/pictures}" \
		--results "$RESULTS" --shots "$WORK/failed-shots" >&2 || record fail "the editor test ran to its end"
fi

# Nothing the user or an operator sees holds the password: Node-RED's log, the sandbox's.
check "the password is in no log" bash -c '! grep -qF -- "$1" "$2" "$3"' _ "$(json_get "$WORK/sandbox.json" 'j.password')" \
	"$WORK/node-red.log" "$WORK/sandbox.log"
