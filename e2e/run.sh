#!/usr/bin/env bash
# npm run test:e2e — this package in a real n8n, end to end.
#
# For each n8n flavour (E2E_N8N: "2 1" by default; "2" or "1" for one):
#   2 = n8n 2.41.1 on Node 24.21.0, 1 = n8n 1.123.81 on Node 20.20.2 (N8N_EXPRESSION_ENGINE=legacy)
#   1. install n8n and its Node from the committed lock file (e2e/n8n-<flavour>/), cached
#   2. install the packed (verified) package into $N8N_USER_FOLDER/.n8n/nodes as n8n does, and
#      fail if it requires anything beyond n8n-workflow (it has no dependencies)
#   3. start a sandbox, import a credential pointing at it
#   4. import the examples (CRM list cleaning; Get Balance with a threshold, e2e/workflows/
#      balance-threshold.json, with a manual trigger and the email node stubbed, the balance below
#      it, then above it; the AI agent with the node as
#      its tool and a scripted chat model, e2e/fake-openai.ts, in place of OpenAI), run each with
#      `n8n execute --id <id> --rawOutput`, and check what comes back (e2e/check.ts)
#   5. n8n 2 only: the re-check example three times through a production webhook in `n8n start`
#      (e2e/recheck.sh); the balance alert example (the polling trigger) active in `n8n start`,
#      firing once when the balance falls below its threshold (e2e/trigger.sh)
#   6. n8n 2 only: the queue-mode package installed beside the verified one: both load, each node
#      looks a number up with the one credential (e2e/workflows/side-by-side.json)
# Ends with "e2e: N passed, M failed".
#
# Environment:
#   E2E_N8N         flavours to run ("2 1", "2", "1"; "all" = "2 1")
#   E2E_CACHE_DIR   where the n8n installs are kept (default ~/.cache/n8n-nodes-number-portability-lookup/e2e)
#   E2E_KEEP        1: keep the work folder ($TMPDIR/npl-e2e.*) even when everything passed
#   E2E_BREAK       break one thing on purpose, to see the checks fail:
#                   password   the credential gets a wrong password
#                   file-flag  workflows are run with the old `execute --file` (exits 0, runs nothing)
#                   deps       the installed bundle gets a require("undici") before the requires check
#                   recheck-max-age  the re-check example gets maxAgeDays 0: every run pays again
#                   trigger-threshold  the balance alert's threshold starts above the balance: it fires on activation
set -euo pipefail

# shellcheck source=e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=e2e/recheck.sh
source "$(dirname "${BASH_SOURCE[0]}")/recheck.sh"
# shellcheck source=e2e/trigger.sh
source "$(dirname "${BASH_SOURCE[0]}")/trigger.sh"
cd "$REPO_DIR"

FLAVOURS=${E2E_N8N:-2 1}
[[ $FLAVOURS == all ]] && FLAVOURS="2 1"
E2E_BREAK=${E2E_BREAK:-}
new_work_folder e2e

CRED_ID=nplE2eSandbox001
CRED_NAME='Number Portability Lookup sandbox (e2e)'
SLOW_CRED_ID=nplE2eSlowSandbx
SLOW_CRED_NAME='Number Portability Lookup slow sandbox (e2e)'
AI_CRED_ID=nplE2eOpenAi0001
AI_CRED_NAME='Scripted chat model (e2e)'

on_exit() {
	local status=$?
	cleanup
	finish_results e2e "$WORK" "${E2E_KEEP:-0}" "$status" "flavours: $FLAVOURS; $(elapsed)s" || exit 1
	exit 0
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ledger_total() { # what the sandbox charged the account so far, in credits
	PATH="$SYSTEM_PATH" node -e '
		const info = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		fetch(info.adminUrl + "/ledger").then((r) => r.json()).then((l) => console.log(l.byAccount[info.user] ?? 0))
			.catch((e) => { console.error(e.message); process.exit(1); });
	' "$1"
}

# record_checker_output <dir> <scenario> <output of e2e/check.ts> : one record per ok/not ok line.
record_checker_output() {
	local dir=$1 scenario=$2 out=$3 line
	printf '%s\n' "$out" >"$dir/$scenario.check"
	while IFS= read -r line; do
		case $line in
		'ok - '*) record pass "n8n-$FLAVOUR $scenario: ${line#ok - }" ;;
		'not ok - '*) record fail "n8n-$FLAVOUR $scenario: ${line#not ok - }" ;;
		'#'*) ;;
		*) [[ -n $line ]] && log "  $line" ;;
		esac
	done <<<"$out"
	if ! grep -q '^ok - \|^not ok - ' <<<"$out"; then
		record fail "n8n-$FLAVOUR $scenario: the checker ran"
	fi
}

# run_scenario <dir> <scenario> <workflow id> <workflow file> [checker args...]
# The checker is e2e/check.ts unless E2E_CHECKER names another (e2e/check-stop.ts); the sandbox
# it reads is $dir/sandbox.json unless E2E_SANDBOX_INFO names another.
run_scenario() {
	local dir=$1 scenario=$2 id=$3 wf=$4 before rc=0
	local sandbox_info=${E2E_SANDBOX_INFO:-$dir/sandbox.json}
	shift 4
	before=$(ledger_total "$sandbox_info")
	local t0 t1
	t0=$(date +%s%N)
	if [[ $E2E_BREAK == file-flag ]]; then
		n8n_cmd execute --file "$wf" --rawOutput >"$dir/$scenario.stdout" 2>"$dir/$scenario.stderr" || rc=$?
	else
		n8n_cmd execute --id "$id" --rawOutput >"$dir/$scenario.stdout" 2>"$dir/$scenario.stderr" || rc=$?
	fi
	t1=$(date +%s%N)
	log "n8n execute ($scenario): exit $rc in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')s"
	local out
	out=$(PATH="$SYSTEM_PATH" E2E_EXEC_ENDED_MS=$((t1 / 1000000)) node --import tsx "$E2E_DIR/${E2E_CHECKER:-check.ts}" \
		--scenario "$scenario" --stdout "$dir/$scenario.stdout" --stderr "$dir/$scenario.stderr" --exit-code "$rc" \
		--sandbox "$sandbox_info" --ledger-before "$before" "$@" 2>&1) || true
	record_checker_output "$dir" "$scenario" "$out"
	if grep -q '^not ok - ' <<<"$out"; then
		# n8n logs to stdout before the execution's JSON, and to stderr.
		log "  n8n's log ($dir/$scenario.stdout, .stderr), last lines:"
		{ sed -n '/^{$/q;p' "$dir/$scenario.stdout" | tail -12; tail -8 "$dir/$scenario.stderr"; } | cut -c1-300 | sed 's/^/    | /' >&2
	fi
}

n8n_logged() { # n8n_logged <log file> args... : an n8n command whose output goes to a file
	local logfile=$1
	shift
	if ! n8n_cmd "$@" >"$logfile" 2>&1; then
		tail -20 "$logfile" >&2
		return 1
	fi
}

run_flavour() {
	FLAVOUR=$1
	local dir="$WORK/n8n-$FLAVOUR" mode
	local user="$dir/user" files="$dir/files" wfdir="$dir/workflows"
	mkdir -p "$user" "$files" "$wfdir"
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM

	check "n8n-$FLAVOUR: n8n and Node installed from e2e/n8n-$FLAVOUR/package-lock.json" \
		step "n8n-$FLAVOUR: install n8n + Node (npm ci, cached on the lock file's hash)" ensure_n8n "$FLAVOUR" || return 1
	local n8n_version
	n8n_version=$(json_get "$N8N_HOME/node_modules/n8n/package.json" 'j.version')
	log "n8n-$FLAVOUR: n8n $n8n_version on Node $("$NODE_DIR/bin/node" --version)"

	mode=${E2E_INSTALL_MODE:-$([[ $FLAVOUR == 2 ]] && echo gui || echo classic)}
	check "n8n-$FLAVOUR: the packed package installs into .n8n/nodes ($mode)" \
		step "n8n-$FLAVOUR: install $(basename "$PKG_TGZ") into .n8n/nodes ($mode)" install_package "$user" "$mode" || return 1
	if [[ $E2E_BREAK == deps ]]; then
		log "E2E_BREAK=deps: the installed bundle requires undici"
		echo 'require("undici");' >>"$INSTALLED_PKG_DIR/dist/nodes/NumberPortabilityLookup/NumberPortabilityLookup.node.js"
	fi
	check "n8n-$FLAVOUR: the installed package requires nothing but n8n-workflow (Node $("$NODE_DIR/bin/node" --version))" \
		step "n8n-$FLAVOUR: what the installed package requires" check_package_resolves "$INSTALLED_PKG_DIR" || return 1

	n8n_env "$user" "$FLAVOUR"
	export N8N_RESTRICT_FILE_ACCESS_TO="$files"

	step "n8n-$FLAVOUR: start the sandbox" start_sandbox "$dir/sandbox.json" "$dir/sandbox.log" --credit 600 || return 1
	local url password
	url=$(json_get "$dir/sandbox.json" 'j.url')
	password=$(json_get "$dir/sandbox.json" 'j.password')
	[[ $E2E_BREAK == password ]] && password="wrong-$password" && log "E2E_BREAK=password: the credential gets a wrong password"
	log "sandbox: $url"

	# A second sandbox, slow (2 s a request: one is always in flight, however slowly n8n reads the items), for the run the workflow's timeout stops.
	step "n8n-$FLAVOUR: start a slow sandbox (2 s a request) for the stop scenario" \
		start_service "$dir/sandbox-slow.json" "$dir/sandbox-slow.log" "$E2E_DIR/sandbox.ts" --credit 100000 --latency-ms 2000 || return 1

	step "n8n-$FLAVOUR: start the scripted chat model (e2e/fake-openai.ts)" \
		start_service "$dir/fake-openai.json" "$dir/fake-openai.log" "$E2E_DIR/fake-openai.ts" \
		--requests "$dir/fake-openai-requests.jsonl" || return 1

	PATH="$SYSTEM_PATH" node -e '
		const [file, id, name, user, password, baseUrl, aiId, aiName, aiUrl, slowId, slowName, slowPassword, slowUrl] = process.argv.slice(1);
		require("fs").writeFileSync(file, JSON.stringify([
			{ id, name, type: "numberPortabilityLookupApi", data: { user, password, baseUrl } },
			{ id: aiId, name: aiName, type: "openAiApi", data: { apiKey: "sk-e2e-not-a-key", url: aiUrl } },
			{ id: slowId, name: slowName, type: "numberPortabilityLookupApi", data: { user, password: slowPassword, baseUrl: slowUrl } },
		], null, 2));
	' "$dir/credentials.json" "$CRED_ID" "$CRED_NAME" "$(json_get "$dir/sandbox.json" 'j.user')" "$password" "$url" \
		"$AI_CRED_ID" "$AI_CRED_NAME" "$(json_get "$dir/fake-openai.json" 'j.url')" \
		"$SLOW_CRED_ID" "$SLOW_CRED_NAME" "$(json_get "$dir/sandbox-slow.json" 'j.password')" "$(json_get "$dir/sandbox-slow.json" 'j.url')" || return 1
	check "n8n-$FLAVOUR: n8n import:credentials (sandbox + scripted chat model)" \
		step "n8n-$FLAVOUR: import the sandbox credential" \
		n8n_logged "$dir/import-credentials.log" import:credentials --input "$dir/credentials.json" || return 1

	local prep=(env PATH="$SYSTEM_PATH" node --import tsx "$E2E_DIR/prepare.ts" --credential "$CRED_ID:$CRED_NAME")
	cp "$REPO_DIR/examples/crm-numbers.csv" "$files/" || return 1
	"${prep[@]}" --in examples/crm-list-cleaning.json --out "$wfdir/crm.json" --id nplE2eCrmClean01 --folder "$files" || return 1
	"${prep[@]}" --in e2e/workflows/balance-threshold.json --out "$wfdir/balance-low.json" --id nplE2eBalanceLo1 \
		--manual-trigger --stub 'Send alert email' || return 1
	"${prep[@]}" --in e2e/workflows/balance-threshold.json --out "$wfdir/balance-high.json" --id nplE2eBalanceHi1 \
		--name 'Get Balance with a threshold (balance above it)' \
		--manual-trigger --stub 'Send alert email' --param 'Get Balance:options.lowBalanceThreshold=1' || return 1
	"${prep[@]}" --in examples/ai-agent-tool.json --out "$wfdir/agent.json" --id nplE2eAgentTool1 \
		--manual-trigger --node-credential "OpenAI Chat Model=openAiApi:$AI_CRED_ID:$AI_CRED_NAME" \
		--param 'AI Agent:text="Is +44 7400 900100 ported? Which network is it on now?"' || return 1
	# 20,000 distinct valid numbers, read from a CSV as the CRM example reads its list.
	{ echo phone; seq -f '447788%06g' 0 19999; } >"$files/stop-numbers.csv"
	env PATH="$SYSTEM_PATH" node --import tsx "$E2E_DIR/prepare.ts" --credential "$SLOW_CRED_ID:$SLOW_CRED_NAME" \
		--in "$E2E_DIR/workflows/stop-on-timeout.json" --out "$wfdir/stop.json" --id nplE2eStopTime1 --folder "$files" || return 1
	check "n8n-$FLAVOUR: n8n import:workflow (examples/, Get Balance's, the stop scenario's)" \
		step "n8n-$FLAVOUR: import the workflows" \
		n8n_logged "$dir/import-workflows.log" import:workflow --separate --input "$wfdir" || return 1

	step "n8n-$FLAVOUR: run examples/crm-list-cleaning.json" \
		run_scenario "$dir" crm nplE2eCrmClean01 "$wfdir/crm.json" --folder "$files"
	step "n8n-$FLAVOUR: run Get Balance with a threshold (balance below it)" \
		run_scenario "$dir" balance-low nplE2eBalanceLo1 "$wfdir/balance-low.json"
	step "n8n-$FLAVOUR: run Get Balance with a threshold (balance above it)" \
		run_scenario "$dir" balance-high nplE2eBalanceHi1 "$wfdir/balance-high.json"
	step "n8n-$FLAVOUR: run examples/ai-agent-tool.json (the node as an AI agent's tool, scripted model)" \
		run_scenario "$dir" agent nplE2eAgentTool1 "$wfdir/agent.json" --requests "$dir/fake-openai-requests.jsonl"
	E2E_CHECKER=check-stop.ts E2E_SANDBOX_INFO="$dir/sandbox-slow.json" \
		step "n8n-$FLAVOUR: a run of 20,000 numbers (2 s a request) ended by the workflow's Timeout setting" \
		run_scenario "$dir" stop nplE2eStopTime1 "$wfdir/stop.json"
	# examples/recheck-stale-numbers.json: in `n8n start` (see e2e/recheck.sh), n8n 2.x only.
	if [[ $FLAVOUR == 2 ]]; then
		step "n8n-$FLAVOUR: run examples/recheck-stale-numbers.json three times (e2e/recheck.sh)" \
			run_recheck "$dir" "$files"
		step "n8n-$FLAVOUR: activate examples/balance-alert.json, move the balance below its threshold (e2e/trigger.sh)" \
			run_trigger "$dir"
	else
		log "n8n-$FLAVOUR: examples/recheck-stale-numbers.json skipped: its Data table node (1.1, Create table) needs n8n 2.x"
	fi
	if [[ $FLAVOUR == 2 ]]; then
		step "n8n-$FLAVOUR: both packages side by side, one credential" side_by_side "$dir" "$user"
	fi
	stop_bg "$SANDBOX_PID"
}

install_queue_mode() { # install_queue_mode <user folder> <log file>
	PKG_TGZ=$QUEUE_MODE_TGZ PKG_NAME=$QUEUE_MODE_NAME install_package "$1" gui >"$2" 2>&1
}

# side_by_side <flavour dir> <user folder> : the queue-mode package installed beside the verified
# one (the credential type both declare is then defined twice, identically), then a workflow with
# one node of each, both on the sandbox credential imported above.
side_by_side() {
	local dir=$1 user=$2
	check "n8n-$FLAVOUR: the queue-mode package installs beside the verified one" \
		install_queue_mode "$user" "$dir/install-queue-mode.log" || return 1
	check "n8n-$FLAVOUR: n8n import:workflow (e2e/workflows/side-by-side.json)" \
		n8n_logged "$dir/import-side-by-side.log" import:workflow --input "$E2E_DIR/workflows/side-by-side.json" || return 1
	run_scenario "$dir" side-by-side "$(json_get "$E2E_DIR/workflows/side-by-side.json" "j.id")" "$E2E_DIR/workflows/side-by-side.json"
}

log "e2e: flavours \"$FLAVOURS\", work folder $WORK, cache $E2E_CACHE_DIR"
step "build and pack the queue-mode package (side by side)" pack_package "$WORK" "$QUEUE_MODE_PKG_DIR" || die "the package did not build or pack"
QUEUE_MODE_TGZ=$PKG_TGZ QUEUE_MODE_NAME=$PKG_NAME
step "build and pack the package" pack_package "$WORK" || die "the package did not build or pack"

for flavour in $FLAVOURS; do
	[[ -d $E2E_DIR/n8n-$flavour ]] || die "unknown flavour $flavour (have: $(cd "$E2E_DIR" && ls -d n8n-* | tr '\n' ' '))"
	# A subshell per flavour: a broken install or import ends that flavour (recorded), not the run.
	(run_flavour "$flavour") || record fail "n8n-$flavour: the flavour ran to its end"
done
