#!/usr/bin/env bash
# npm run test:browser — the node in n8n 2.41.1's editor, as a user meets it, in Debian's Chromium
# driven by Playwright (e2e/browser/editor.ts). The n8n side is set up as `npm run n8n` and the
# end-to-end test do it (e2e/lib.sh): the pinned install, the packed package installed the way
# n8n's GUI installs it, a sandbox, the sandbox credential and the CRM and AI agent examples
# imported headlessly, then `n8n start` on free loopback ports in a fresh user folder.
# Ends with "browser: N passed, M failed".
#
#   --screenshots       also write the README's pictures to docs/images/ (`npm run screenshots`)
#
# Environment:
#   BROWSER_KEEP=1      keep the work folder ($TMPDIR/npl-browser.*) even when everything passed
#   BROWSER_BREAK       break one thing on purpose, to see its check fail:
#                       icon         the icon files are removed from the installed package
#                       operations   the installed node's Get Balance is renamed (operation and action)
#                       description  one option's description is blanked in the installed package
#                       password     the imported sandbox credential gets a wrong password
#                       message      the installed credential test answers "Error" for every failure
#                       credits      the CRM example runs with Max Credits 100 instead of 150
#                       types        the installed package outputs "ported" as a string
#                       outputs      the installed package's Error Code Group loses its Temporary output
#                       tool         the installed node loses usableAsTool (n8n 2.41.1 reads no
#                                    N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE: usableAsTool alone decides)
#   CHROMIUM            the browser (default /usr/bin/chromium)
set -euo pipefail

# shellcheck source=e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$REPO_DIR"

SCREENSHOTS_TO=
[[ ${1:-} == --screenshots ]] && SCREENSHOTS_TO="$REPO_DIR/docs/images"
BROWSER_BREAK=${BROWSER_BREAK:-}
new_work_folder browser
CRED_ID=nplBrowserCred01
CRED_NAME='Number Portability Lookup sandbox'

# The results file holds a line per check, "pass …" or "fail …" (editor.ts writes its own).
count() { grep -c "^$1 " "$RESULTS" || true; }

on_exit() {
	local status=$? passed failed
	cleanup
	# A run that stopped early, or whose browser part never reported, has failed.
	if ((status != 0 || $(count pass) == 0)) && (($(count fail) == 0)); then
		echo "not ok - the browser test ran to its end (exit $status)"
		echo "fail the browser test ran to its end" >>"$RESULTS"
	fi
	passed=$(count pass)
	failed=$(count fail)
	if ((failed > 0)) || [[ ${BROWSER_KEEP:-0} == 1 ]]; then
		echo "Work folder kept: $WORK (screenshots in $WORK/screenshots, n8n's log in $WORK/n8n.log)"
	else
		rm -rf "$WORK"
	fi
	echo "browser: $passed passed, $failed failed ($(elapsed)s)"
	((failed == 0)) || exit 1
	exit 0
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# setup "what" command args... : a setup step; its failure is a failed check and ends the run.
setup() {
	local what=$1
	shift
	step "$what" "$@" && return 0
	echo "not ok - setup: $what"
	echo "fail setup: $what" >>"$RESULTS"
	exit 1
}

# break_installed <file under the installed package> <node expression on `s`> : edits the installed
# package's compiled code, as a broken release would ship it; fails if the edit changed nothing.
break_installed() {
	PATH="$SYSTEM_PATH" node -e '
		const fs = require("fs");
		const [file, expression] = process.argv.slice(1);
		const before = fs.readFileSync(file, "utf8");
		const after = (0, eval)("(s) => " + expression)(before);
		if (after === before) { console.error(`BROWSER_BREAK: nothing changed in ${file}`); process.exit(1); }
		fs.writeFileSync(file, after);
	' "$INSTALLED_PKG_DIR/$1" "$2"
}

break_package() {
	local dist=dist/nodes/NumberPortabilityLookup
	log "BROWSER_BREAK=$BROWSER_BREAK"
	case $BROWSER_BREAK in
	icon) rm -f "$INSTALLED_PKG_DIR"/dist/icons/*.svg ;;
	operations)
		break_installed "$dist/NumberPortabilityLookup.node.js" \
			's.replace("name: \x27Get Balance\x27", "name: \x27Balance\x27").replace("action: \x27Get the account balance\x27", "action: \x27Balance\x27")'
		;;
	description) break_installed "$dist/actions/common.descriptions.js" 's.replace(/Stop before spending more than[^\x27]*/, "")' ;;
	message) break_installed "$dist/methods/credentialTest.js" 's.replace("message: error.message", "message: \"Error\"")' ;;
	types) break_installed "$dist/engine/results/typedFields.js" 's.replace("ported: flag(raw.ported)", "ported: String(flag(raw.ported))")' ;;
	outputs) break_installed "$dist/helpers/outputs.js" 's.replace("\x27Temporary\x27, ", "")' ;;
	tool) break_installed "$dist/NumberPortabilityLookup.node.js" 's.replace("usableAsTool: true,", "")' ;;
	password | credits | '') ;;
	*)
		err "unknown BROWSER_BREAK=$BROWSER_BREAK"
		return 1
		;;
	esac
}

start_n8n() { # n8n start in the background (ended by cleanup); returns once the editor answers
	start_bg "$WORK/n8n.log" env PATH="$NODE_DIR/bin:$SYSTEM_PATH" node "$N8N_HOME/node_modules/n8n/bin/n8n" start
	N8N_PID=$BG_PID
	wait_for_editor "$N8N_PORT" "$N8N_PID" 300 || { tail -30 "$WORK/n8n.log" >&2; return 1; }
}

log "browser: work folder $WORK"
mkdir -p "$WORK/user" "$WORK/files" "$WORK/workflows" "$WORK/screenshots"
setup "install n8n 2.41.1 + Node (cached)" ensure_n8n 2
setup "build and pack the package" pack_package "$WORK"
setup "install the package into .n8n/nodes (as n8n's GUI does)" install_package "$WORK/user" gui
setup "break the installed package on purpose" break_package

n8n_env "$WORK/user" 2
export N8N_SECURE_COOKIE=false # plain http on loopback
export N8N_RESTRICT_FILE_ACCESS_TO="$WORK/files"

setup "start the sandbox" start_sandbox "$WORK/sandbox.json" "$WORK/sandbox.log" --credit 10000
password=$(json_get "$WORK/sandbox.json" 'j.password')
[[ $BROWSER_BREAK == password ]] && password="wrong-$password"
PATH="$SYSTEM_PATH" node -e '
	const [file, id, name, user, password, baseUrl] = process.argv.slice(1);
	require("fs").writeFileSync(file, JSON.stringify([{ id, name, type: "numberPortabilityLookupApi", data: { user, password, baseUrl } }], null, 2));
' "$WORK/credentials.json" "$CRED_ID" "$CRED_NAME" "$(json_get "$WORK/sandbox.json" 'j.user')" "$password" \
	"$(json_get "$WORK/sandbox.json" 'j.url')"
setup "import the sandbox credential" \
	bash -c 'PATH="$1/bin:$PATH" node "$2/node_modules/n8n/bin/n8n" import:credentials --input "$3" >"$4" 2>&1' _ \
	"$NODE_DIR" "$N8N_HOME" "$WORK/credentials.json" "$WORK/import.log"
rm -f "$WORK/credentials.json"

max_credits=150
[[ $BROWSER_BREAK == credits ]] && max_credits=100
cp examples/crm-numbers.csv "$WORK/files/"
prep=(env PATH="$SYSTEM_PATH" node --import tsx "$E2E_DIR/prepare.ts" --credential "$CRED_ID:$CRED_NAME")
setup "prepare the CRM example" "${prep[@]}" --in examples/crm-list-cleaning.json --out "$WORK/workflows/crm.json" \
	--id nplBrowserCrm001 --folder "$WORK/files" --param "Look Up Number:options.maxCredits=$max_credits"
setup "prepare the AI agent example" "${prep[@]}" --in examples/ai-agent-tool.json --out "$WORK/workflows/agent.json" \
	--id nplBrowserAgt001
setup "import the example workflows" \
	bash -c 'PATH="$1/bin:$PATH" node "$2/node_modules/n8n/bin/n8n" import:workflow --separate --input "$3" >>"$4" 2>&1' _ \
	"$NODE_DIR" "$N8N_HOME" "$WORK/workflows" "$WORK/import.log"

setup "start n8n (until its editor answers)" start_n8n

step "the editor in Chromium (e2e/browser/editor.ts)" \
	env PATH="$SYSTEM_PATH" node --import tsx "$E2E_DIR/browser/editor.ts" \
	--url "http://127.0.0.1:$N8N_PORT" --sandbox "$WORK/sandbox.json" --screenshots "$WORK/screenshots" \
	${SCREENSHOTS_TO:+--readme-images "$SCREENSHOTS_TO"} --results "$RESULTS" || true
