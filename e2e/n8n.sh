#!/usr/bin/env bash
# npm run n8n — a local n8n (the e2e test's pinned install) with this package built, packed and
# installed the way n8n installs community packages, a sandbox standing in for the service, a
# credential pointing at it, and the examples imported. Loopback only. Ctrl-C stops both.
#
# --queue: the same in queue mode (n8n 2.x): main + workers, PostgreSQL and Redis from Debian,
# and a published webhook workflow whose executions run on the workers (e2e/queue/dev.sh).
#
# Environment:
#   N8N_PORT            the editor's port (default 5678)
#   NPL_SANDBOX_PORT    the sandbox's port (default 5681)
#   E2E_N8N             2 (default: n8n 2.41.1 on Node 24) or 1 (n8n 1.123.81 on Node 20)
#   NPL_N8N_DIR         the n8n user folder (default ~/.local/state/n8n-nodes-number-portability-
#                       lookup/n8n-<flavour>: kept between runs, so the owner account, workflows
#                       and executions stay)
#   NPL_N8N_REIMPORT=1  import the example workflows again (overwrites edits made to them)
#   NPL_QUEUE_WORKERS   --queue: how many workers (default 2)
set -euo pipefail

# shellcheck source=e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_DIR"

FLAVOUR=${E2E_N8N:-2}
QUEUE_MODE=
if [[ ${1:-} == --queue ]]; then
	QUEUE_MODE=-queue
	[[ $FLAVOUR == 2 ]] || die "--queue runs n8n 2.x (E2E_N8N=2)"
	# shellcheck source=e2e/queue/dev.sh
	source "$E2E_DIR/queue/dev.sh"
fi
[[ -d $E2E_DIR/n8n-$FLAVOUR ]] || die "E2E_N8N=$FLAVOUR: no e2e/n8n-$FLAVOUR"
PORT=${N8N_PORT:-5678}
SANDBOX_PORT=${NPL_SANDBOX_PORT:-5681}
# Outside the repo: under it, Node would find the package's dependencies in the repo's
# node_modules, which a real install does not have.
DEV_DIR=${NPL_N8N_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/n8n-nodes-number-portability-lookup/n8n-$FLAVOUR$QUEUE_MODE}
CRED_ID=nplSandboxCred01
CRED_NAME='Number Portability Lookup sandbox'
N8N_PID=

stop_all() {
	[[ -n $QUEUE_MODE ]] && queue_dev_stop
	if [[ -n $N8N_PID ]] && kill -0 "$N8N_PID" 2>/dev/null; then
		log "stopping n8n (pid $N8N_PID)"
		kill -TERM "$N8N_PID" 2>/dev/null || true
		local i
		for ((i = 0; i < 200; i++)); do
			kill -0 "$N8N_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$N8N_PID" 2>/dev/null || true
	fi
	cleanup
	log "stopped"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_busy "$PORT" && die "port $PORT is in use: set N8N_PORT"
port_busy "$SANDBOX_PORT" && die "port $SANDBOX_PORT is in use: set NPL_SANDBOX_PORT"

mkdir -p "$DEV_DIR/user" "$DEV_DIR/files"
step "install n8n + Node (cached)" ensure_n8n "$FLAVOUR" || die "n8n install failed"
# --queue runs the queue-mode package (the Redis connection budget), the examples rewritten for it.
PACK_DIR=$REPO_DIR
[[ -n $QUEUE_MODE ]] && PACK_DIR=$QUEUE_MODE_PKG_DIR
step "build and pack the package" pack_package "$DEV_DIR/pack" "$PACK_DIR" || die "build failed"
# A fresh copy of the package every start: what you run is what you just built.
rm -rf "$DEV_DIR/user/.n8n/nodes"
step "install it into $DEV_DIR/user/.n8n/nodes" install_package "$DEV_DIR/user" gui >/dev/null ||
	die "the package did not install"
check_package_resolves "$INSTALLED_PKG_DIR" 2>/dev/null || die "the package's dependencies do not resolve"
[[ -n $QUEUE_MODE ]] && { step "install it into each worker's user folder" queue_dev_install || die "the package did not install"; }
rm -f "$DEV_DIR/pack"/*.tgz

n8n_env "$DEV_DIR/user" "$FLAVOUR"
export N8N_PORT=$PORT
export N8N_SECURE_COOKIE=false # plain http on loopback
export N8N_RESTRICT_FILE_ACCESS_TO="$DEV_DIR/files"
[[ -n $QUEUE_MODE ]] && { queue_dev_stores || die "PostgreSQL or Redis did not start"; }

step "start the sandbox" start_sandbox "$DEV_DIR/sandbox.json" "$DEV_DIR/sandbox.log" \
	--port "$SANDBOX_PORT" --user demo --password demo --credit 10000 --latency-ms 150 ||
	die "the sandbox did not start"
SANDBOX_URL=$(json_get "$DEV_DIR/sandbox.json" 'j.url')

PATH="$SYSTEM_PATH" node -e '
	const [file, id, name, baseUrl] = process.argv.slice(1);
	require("fs").writeFileSync(file, JSON.stringify([{ id, name, type: "numberPortabilityLookupApi", data: { user: "demo", password: "demo", baseUrl } }], null, 2));
' "$DEV_DIR/credentials.json" "$CRED_ID" "$CRED_NAME" "$SANDBOX_URL"
step "import the sandbox credential" \
	bash -c 'PATH="$1/bin:$PATH" node "$2/node_modules/n8n/bin/n8n" import:credentials --input "$3" >"$4" 2>&1' _ \
	"$NODE_DIR" "$N8N_HOME" "$DEV_DIR/credentials.json" "$DEV_DIR/import.log" ||
	{ tail -20 "$DEV_DIR/import.log" >&2; die "import:credentials failed"; }
rm -f "$DEV_DIR/credentials.json"

cp "$REPO_DIR/examples/crm-numbers.csv" "$DEV_DIR/files/"
if [[ ! -f $DEV_DIR/.examples-imported || ${NPL_N8N_REIMPORT:-0} == 1 ]]; then
	mkdir -p "$DEV_DIR/workflows"
	prep=(env PATH="$SYSTEM_PATH" node --import tsx "$E2E_DIR/prepare.ts" --credential "$CRED_ID:$CRED_NAME" --package "$PKG_NAME")
	"${prep[@]}" --in examples/crm-list-cleaning.json --out "$DEV_DIR/workflows/crm.json" --id nplExampleCrm001 --folder "$DEV_DIR/files"
	"${prep[@]}" --in examples/balance-alert.json --out "$DEV_DIR/workflows/balance.json" --id nplExampleBal001
	"${prep[@]}" --in examples/ai-agent-tool.json --out "$DEV_DIR/workflows/agent.json" --id nplExampleAgt001
	"${prep[@]}" --in examples/recheck-stale-numbers.json --out "$DEV_DIR/workflows/recheck.json" --id nplExampleRck001 --folder "$DEV_DIR/files"
	step "import the example workflows" \
		bash -c 'PATH="$1/bin:$PATH" node "$2/node_modules/n8n/bin/n8n" import:workflow --separate --input "$3" >>"$4" 2>&1' _ \
		"$NODE_DIR" "$N8N_HOME" "$DEV_DIR/workflows" "$DEV_DIR/import.log" ||
		{ tail -20 "$DEV_DIR/import.log" >&2; die "import:workflow failed"; }
	[[ -n $QUEUE_MODE ]] && { step "import and publish the queue-mode webhook workflow" queue_dev_webhook "$CRED_ID" "$CRED_NAME" ||
		{ tail -20 "$DEV_DIR/import.log" >&2; die "the webhook workflow did not import"; }; }
	touch "$DEV_DIR/.examples-imported"
fi

log "starting n8n $(json_get "$N8N_HOME/node_modules/n8n/package.json" 'j.version') on Node $("$NODE_DIR/bin/node" --version) (log: $DEV_DIR/n8n.log)"
# n8n's own log goes to a file; this terminal shows the summary below.
if [[ -n $QUEUE_MODE ]]; then
	queue_dev_start "$PORT" || die "the cluster did not start"
	ln -sf main.log "$DEV_DIR/n8n.log"
else
	PATH="$NODE_DIR/bin:$SYSTEM_PATH" node "$N8N_HOME/node_modules/n8n/bin/n8n" start >"$DEV_DIR/n8n.log" 2>&1 &
	N8N_PID=$!
fi

# The URLs only once the editor answers: /healthz does seconds before the editor is served, and a
# click on the URL in between gets "Cannot GET /".
wait_for_editor "$PORT" "$N8N_PID" 300 || { tail -30 "$DEV_DIR/n8n.log" >&2; die "n8n's editor did not come up"; }
log "the editor answers on http://127.0.0.1:$PORT"

cat <<EOF

  n8n            http://127.0.0.1:$PORT   (the first visit asks for an owner account: local only)
  package        $PKG_NAME, installed in $DEV_DIR/user/.n8n/nodes
  credential     "$CRED_NAME" (user demo, password demo)
  sandbox        $SANDBOX_URL   (10000 credits; documented test numbers: sandbox/README.md)
  sandbox admin  $(json_get "$DEV_DIR/sandbox.json" 'j.adminUrl')/ledger   /accounts   /requests
  files          $DEV_DIR/files   (N8N_RESTRICT_FILE_ACCESS_TO; crm-numbers.csv is there)
  workflows      the examples/ folder, imported (NPL_N8N_REIMPORT=1 imports them again)
  logs           $DEV_DIR/n8n.log, $DEV_DIR/sandbox.log

EOF
[[ -n $QUEUE_MODE ]] && queue_dev_summary
cat <<EOF

  Ctrl-C stops n8n and the sandbox.

EOF

status=0
wait "$N8N_PID" || status=$?
N8N_PID=
log "n8n exited (status $status; log: $DEV_DIR/n8n.log)"
exit "$status"
