# shellcheck shell=bash
# The re-check scenario of e2e/run.sh (sourced by it; uses its check/record helpers):
# examples/recheck-stale-numbers.json run three times on the same list, in a running n8n.
#
# `n8n execute` does not load n8n's modules, and Data tables are one ("Attempted to use Data table
# node but the module is disabled"), so this scenario runs in `n8n start` instead: the trigger
# becomes a production webhook (e2e/prepare.ts --webhook-trigger), the workflows are published
# before n8n starts, and each run is one POST, answered with every row of the last node.
#   1. first run: pays every distinct valid number (the table is created empty)
#   2. second run: pays 0, the same rows
#   3. e2e/recheck-age-results.json makes the stored results of numbers ending in 7 30 days old
#      (maxAgeDays is 7); the third run pays exactly those, every row still comes out
# Needs n8n 2.x: n8n 1.123's Data table node is version 1 (rows only, it cannot create a table).

RECHECK_ID=nplE2eRecheck001
RECHECK_AGE_ID=nplE2eRecheckAge
RECHECK_PATH=npl-e2e-recheck
RECHECK_AGE_PATH=npl-e2e-recheck-age

webhook() { PATH="$SYSTEM_PATH" node --import tsx "$E2E_DIR/webhook.ts" "$@"; }

# wait_for_webhooks : until n8n serves both production webhooks (e2e/webhook.ts wait).
wait_for_webhooks() {
	local path
	for path in "$RECHECK_PATH" "$RECHECK_AGE_PATH"; do
		webhook wait "http://127.0.0.1:$N8N_PORT/webhook/$path" --timeout-s 180 && continue
		kill -0 "$RECHECK_N8N_PID" 2>/dev/null || err "n8n start exited (log: $RECHECK_N8N_LOG)"
		tail -20 "$RECHECK_N8N_LOG" >&2
		return 1
	done
}

# recheck_import <dir> <workflows dir> : import both, then publish them, as n8n must read them
# published when it starts to serve their production webhooks.
recheck_import() {
	n8n_logged "$1/recheck-import.log" import:workflow --separate --input "$2" &&
		n8n_logged "$1/recheck-publish.log" publish:workflow --id "$RECHECK_ID" &&
		n8n_logged "$1/recheck-publish-age.log" publish:workflow --id "$RECHECK_AGE_ID"
}

# post_webhook <path> <answer file> : one run; prints the HTTP status.
post_webhook() { webhook post "http://127.0.0.1:$N8N_PORT/webhook/$1" "$2"; }

# recheck_run <dir> <scenario> [checker args...] : one run of the example, checked.
recheck_run() {
	local dir=$1 scenario=$2 since status t0
	shift 2
	since=$(date +%s%3N)
	t0=$(date +%s%N)
	status=$(post_webhook "$RECHECK_PATH" "$dir/$scenario.json")
	log "POST /webhook/$RECHECK_PATH ($scenario): HTTP $status in $(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')s"
	local out
	out=$(PATH="$SYSTEM_PATH" node --import tsx "$E2E_DIR/check.ts" --scenario "$scenario" \
		--response "$dir/$scenario.json" --http-status "$status" --sandbox "$dir/sandbox.json" \
		--since-ms "$since" "$@" 2>&1) || true
	record_checker_output "$dir" "$scenario" "$out"
}

# run_recheck <flavour dir> <files dir> : the whole scenario; n8n is stopped at the end.
run_recheck() {
	local dir=$1 files=$2 wfdir="$1/recheck-workflows"
	mkdir -p "$wfdir"
	local prep=(env PATH="$SYSTEM_PATH" node --import tsx "$E2E_DIR/prepare.ts")
	local broken=()
	if [[ $E2E_BREAK == recheck-max-age ]]; then
		log "E2E_BREAK=recheck-max-age: the re-check example gets maxAgeDays 0 (nothing stored is fresh)"
		broken=(--param 'Settings:assignments.assignments.1.value=0')
	fi
	"${prep[@]}" --in examples/recheck-stale-numbers.json --out "$wfdir/recheck.json" --id "$RECHECK_ID" \
		--credential "$CRED_ID:$CRED_NAME" --folder "$files" --webhook-trigger "$RECHECK_PATH" "${broken[@]}" || return 1
	"${prep[@]}" --in e2e/recheck-age-results.json --out "$wfdir/age.json" --id "$RECHECK_AGE_ID" \
		--webhook-trigger "$RECHECK_AGE_PATH" || return 1
	check "n8n-$FLAVOUR: n8n import:workflow + publish:workflow (re-check example, ageing helper)" \
		recheck_import "$dir" "$wfdir" || return 1

	RECHECK_N8N_LOG="$dir/recheck-n8n.log"
	start_bg "$RECHECK_N8N_LOG" env PATH="$NODE_DIR/bin:$SYSTEM_PATH" node "$N8N_HOME/node_modules/n8n/bin/n8n" start
	RECHECK_N8N_PID=$BG_PID
	check "n8n-$FLAVOUR: n8n start serves both production webhooks" \
		step "n8n-$FLAVOUR: n8n start, waiting for the webhooks" \
		wait_for_webhooks || { stop_bg "$RECHECK_N8N_PID"; return 1; }

	recheck_run "$dir" recheck-first --folder "$files"
	recheck_run "$dir" recheck-second --folder "$files" --previous "$dir/recheck-first.json"
	local status
	status=$(post_webhook "$RECHECK_AGE_PATH" "$dir/recheck-age.json")
	log "POST /webhook/$RECHECK_AGE_PATH (age stored results): HTTP $status"
	recheck_run "$dir" recheck-stale --folder "$files" --previous "$dir/recheck-second.json" \
		--aged "$dir/recheck-age.json"
	stop_bg "$RECHECK_N8N_PID"
}
