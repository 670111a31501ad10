# shellcheck shell=bash
# The balance-alert scenario of e2e/run.sh (sourced by it; uses its check/record helpers):
# examples/balance-alert.json (Number Portability Lookup Trigger → alert) active in `n8n start`.
#
# A polling trigger runs only in an active workflow (`n8n execute` runs a poll node with no data),
# so the workflow is published before n8n starts, as e2e/recheck.sh does. Its Poll Times become
# three custom crons, at seconds 0, 20 and 40 of every minute: n8n refuses a cron that fires more
# than once a minute (n8n-core's activatePollTrigger: isSubMinuteCron, "The polling interval is
# too short"), but a 6-field cron with one fixed second passes, and each poll time is its own cron.
# The threshold is the sandbox's balance minus 5; e2e/trigger-check.ts then spends 10 credits and
# counts the executions through n8n's REST API (see there). n8n is stopped at the end.

TRIGGER_WF_ID=nplE2eTrigger001
TRIGGER_NODE='Balance below threshold'
TRIGGER_ALERT='Send alert email'
# Every 20 s: three poll times, each a cron n8n accepts (one fixed second).
TRIGGER_POLL_TIMES='{"item":[{"mode":"custom","cronExpression":"0 * * * * *"},{"mode":"custom","cronExpression":"20 * * * * *"},{"mode":"custom","cronExpression":"40 * * * * *"}]}'

trigger_tool() { PATH="$SYSTEM_PATH" node --import tsx "$E2E_DIR/trigger-check.ts" "$@"; }

# trigger_import <dir> <workflow file> : import it, then make it active for `n8n start` (n8n 2.x
# publishes a workflow; 1.x has no publish:workflow and sets it active).
trigger_import() {
	n8n_logged "$1/trigger-import.log" import:workflow --input "$2" || return 1
	if [[ $FLAVOUR == 1 ]]; then
		n8n_logged "$1/trigger-publish.log" update:workflow --id="$TRIGGER_WF_ID" --active=true
	else
		n8n_logged "$1/trigger-publish.log" publish:workflow --id "$TRIGGER_WF_ID"
	fi
}

# run_trigger <flavour dir> : the whole scenario.
run_trigger() {
	local dir=$1 wf="$1/trigger-workflow.json" balance threshold mark out
	balance=$(PATH="$SYSTEM_PATH" node -e '
		const info = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		fetch(info.adminUrl + "/accounts").then((r) => r.json())
			.then((a) => console.log(a.find((x) => x.user === info.user).balance));
	' "$dir/sandbox.json") || return 1
	threshold=$(awk -v b="$balance" 'BEGIN { printf "%d", b - 5 }')
	[[ $E2E_BREAK == trigger-threshold ]] && threshold=$((threshold + 100)) &&
		log "E2E_BREAK=trigger-threshold: the threshold is above the balance from the start"
	env PATH="$SYSTEM_PATH" node --import tsx "$E2E_DIR/prepare.ts" --in examples/balance-alert.json --out "$wf" \
		--id "$TRIGGER_WF_ID" --credential "$CRED_ID:$CRED_NAME" --stub "$TRIGGER_ALERT" \
		--param "$TRIGGER_NODE:threshold=$threshold" --param "$TRIGGER_NODE:pollTimes=$TRIGGER_POLL_TIMES" || return 1
	check "n8n-$FLAVOUR: n8n import:workflow, then active (balance alert example, threshold $threshold)" \
		trigger_import "$dir" "$wf" || return 1

	mark=$(trigger_tool mark --sandbox "$dir/sandbox.json") || return 1
	local logfile="$dir/trigger-n8n.log" pid
	start_bg "$logfile" env PATH="$NODE_DIR/bin:$SYSTEM_PATH" node "$N8N_HOME/node_modules/n8n/bin/n8n" start
	pid=$BG_PID
	# The editor page, not /healthz: n8n 1.x answers /healthz before its REST API is up.
	check "n8n-$FLAVOUR: n8n start serves its editor, the balance alert active" \
		step "n8n-$FLAVOUR: n8n start, waiting for the editor" wait_for_editor "$N8N_PORT" "$pid" ||
		{ tail -20 "$logfile" >&2; stop_bg "$pid"; return 1; }

	out=$(trigger_tool run --sandbox "$dir/sandbox.json" --n8n "http://127.0.0.1:$N8N_PORT" \
		--workflow "$TRIGGER_WF_ID" --trigger "$TRIGGER_NODE" --alert "$TRIGGER_ALERT" --threshold "$threshold" \
		--after "$mark" --flatted "$N8N_HOME/node_modules/n8n" 2>&1) || true
	record_checker_output "$dir" balance-trigger "$out"
	if grep -q '^not ok - ' <<<"$out"; then
		log "  n8n's log ($logfile), last lines:"
		tail -15 "$logfile" | cut -c1-300 | sed 's/^/    | /' >&2
	fi
	stop_bg "$pid"
}
