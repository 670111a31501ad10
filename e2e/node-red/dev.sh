#!/usr/bin/env bash
# npm run node-red — a local Node-RED (the end-to-end test's pinned 5.0.7 on Node 24) with this
# package built, packed and installed as the palette manager installs it, a sandbox standing in
# for the service, and the examples deployed with their account pointed at the sandbox (user demo,
# password demo). Loopback only. Ctrl-C stops both.
#
# Environment:
#   NODE_RED_PORT         the editor's port (default 1880)
#   NPL_SANDBOX_PORT      the sandbox's port (default 5681)
#   NPL_NODE_RED_DIR      the Node-RED user dir (default ~/.local/state/n8n-nodes-number-portability-
#                         lookup/node-red: kept between runs, so your flows stay)
#   NPL_NODE_RED_REDEPLOY=1  deploy the examples again (replaces the flows you deployed there)
set -euo pipefail

# shellcheck source=e2e/node-red/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_DIR"

PORT=${NODE_RED_PORT:-1880}
SANDBOX_PORT=${NPL_SANDBOX_PORT:-5681}
# Outside the repo: under it, Node would find undici in the repo's node_modules, which a real
# install does not have.
DEV_DIR=${NPL_NODE_RED_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/n8n-nodes-number-portability-lookup/node-red}
WORK=$DEV_DIR
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_busy "$PORT" && die "port $PORT is in use: set NODE_RED_PORT"
port_busy "$SANDBOX_PORT" && die "port $SANDBOX_PORT is in use: set NPL_SANDBOX_PORT"

mkdir -p "$DEV_DIR/user"
step "install Node-RED + Node 24 (cached)" ensure_node_red || die "the Node-RED install failed"
step "build and pack node-red/" pack_package "$DEV_DIR/pack" "$REPO_DIR/node-red" || die "build failed"
# A fresh copy every start: what you run is what you just built.
step "install it into $DEV_DIR/user" palette_install "$DEV_DIR/user" >/dev/null || die "the package did not install"
rm -f "$DEV_DIR/pack"/*.tgz

step "start the sandbox" start_sandbox "$DEV_DIR/sandbox.json" "$DEV_DIR/sandbox.log" \
	--port "$SANDBOX_PORT" --user demo --password demo --credit 10000 --latency-ms 150 ||
	die "the sandbox did not start"
SANDBOX_URL=$(json_get "$DEV_DIR/sandbox.json" 'j.url')

write_settings "$DEV_DIR/user" "$PORT"
step "start Node-RED" start_node_red "$DEV_DIR/user" "$DEV_DIR/node-red.log" || die "Node-RED did not start"

if [[ ! -f $DEV_DIR/.examples-deployed || ${NPL_NODE_RED_REDEPLOY:-0} == 1 ]]; then
	env PATH="$SYSTEM_PATH" node --import tsx "$NR_SRC/flows.ts" --sandbox-url "$SANDBOX_URL" \
		--user demo --password demo --out "$DEV_DIR/deploy.json"
	curl -fsS -X POST -H 'Content-Type: application/json' -H 'Node-RED-API-Version: v2' \
		-H 'Node-RED-Deployment-Type: full' --data-binary @"$DEV_DIR/deploy.json" "$NR_URL/flows" >/dev/null ||
		die "the examples did not deploy"
	rm -f "$DEV_DIR/deploy.json"
	touch "$DEV_DIR/.examples-deployed"
	log "deployed the examples"
fi

cat <<SUMMARY

  Node-RED       $NR_URL   (no login: loopback only)
  package        $PKG_NAME, installed in $DEV_DIR/user
  account        "Number Portability Lookup account" (user demo, password demo) -> the sandbox
  sandbox        $SANDBOX_URL   (10000 credits; documented test numbers: sandbox/README.md)
  sandbox admin  $(json_get "$DEV_DIR/sandbox.json" 'j.adminUrl')/ledger   /accounts   /requests
  try it         curl -X POST -H 'Content-Type: text/csv' --data-binary @examples/crm-numbers.csv $NR_URL/crm-clean
  logs           $DEV_DIR/node-red.log, $DEV_DIR/sandbox.log

  Ctrl-C stops Node-RED and the sandbox.

SUMMARY
wait "$NR_PID" || true
