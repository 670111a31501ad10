# shellcheck shell=bash
# `npm run n8n -- --queue`: what e2e/n8n.sh does differently in queue mode. Sourced by it (after
# e2e/lib.sh); every function here is called from one place in e2e/n8n.sh.
#
#   queue_dev_stores      PostgreSQL (kept between runs) and Redis, then the queue-mode settings
#   queue_dev_install     the package into each worker's own user folder too
#   queue_dev_webhook     the queue lane's webhook workflow, with the sandbox credential, published
#   queue_dev_start       main + workers; sets N8N_PID (main)
#   queue_dev_stop        n8n processes first, so PostgreSQL is not left waiting
#   queue_dev_summary     the lines it adds to the summary
#
# Environment: NPL_QUEUE_WORKERS (default 2).

QUEUE_DEV_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=e2e/queue/cluster.sh
source "$QUEUE_DEV_DIR/cluster.sh"
QUEUE_DEV_WORKERS=${NPL_QUEUE_WORKERS:-2}
QUEUE_DEV_WEBHOOK_LANE=demo
declare -a QUEUE_DEV_PIDS=()

queue_dev_pg_dir() {
	# Beside the rest of the instance, unless the postgres user cannot reach it (root's home is
	# closed to it): then with that user, one folder per instance.
	if ((EUID != 0)) || runuser -u postgres -- test -x "$DEV_DIR"; then
		echo "$DEV_DIR/postgres"
	else
		echo "/var/lib/postgresql/n8n-nodes-number-portability-lookup/$(basename "$DEV_DIR")-$(sha256sum <<<"$DEV_DIR" | cut -c1-8)"
	fi
}

queue_dev_stores() {
	step "start PostgreSQL ($(queue_dev_pg_dir)) and Redis" queue_dev_start_stores || return 1
	queue_env "$DEV_DIR/user"
}

queue_dev_start_stores() { start_postgres "$(queue_dev_pg_dir)" && start_redis "$DEV_DIR"; }

queue_dev_install() {
	local i
	for ((i = 1; i <= QUEUE_DEV_WORKERS; i++)); do
		rm -rf "$DEV_DIR/worker-$i/.n8n/nodes"
		install_package "$DEV_DIR/worker-$i" gui >/dev/null || return 1
	done
}

queue_dev_webhook() { # queue_dev_webhook <credential id> <credential name>
	PATH="$SYSTEM_PATH" node --import tsx "$QUEUE_DEV_DIR/prepare.ts" files --lanes "$QUEUE_DEV_WEBHOOK_LANE" \
		--credential "$1:$2" --out "$DEV_DIR/queue-workflow" &&
		publish_lanes "$DEV_DIR/queue-workflow" "$DEV_DIR/import.log"
}

queue_dev_start() { # queue_dev_start <main's port>
	local i urls=()
	start_main "$DEV_DIR" "$DEV_DIR/user" "$1"
	N8N_PID=$MAIN_PID
	QUEUE_DEV_PIDS=("$MAIN_PID")
	for ((i = 1; i <= QUEUE_DEV_WORKERS; i++)); do
		start_worker "$DEV_DIR" "worker-$i" "$DEV_DIR/worker-$i"
		QUEUE_DEV_PIDS+=("$WORKER_PID")
		urls+=("$WORKER_URL")
	done
	for ((i = 1; i <= QUEUE_DEV_WORKERS; i++)); do
		wait_ready "${urls[i - 1]}/healthz/readiness" "${QUEUE_DEV_PIDS[i]}" "$DEV_DIR/worker-$i.log" "worker-$i" || return 1
	done
	wait_webhooks 1 "$MAIN_PID" "$DEV_DIR/main.log"
}

queue_dev_stop() {
	stop_cluster_processes "${QUEUE_DEV_PIDS[@]}"
	QUEUE_DEV_PIDS=()
}

queue_dev_summary() {
	local path
	path=$(json_get "$DEV_DIR/queue-workflow/workflow.json" 'j.nodes[0].parameters.path')
	cat <<EOF
  queue mode     main + $QUEUE_DEV_WORKERS workers (EXECUTIONS_MODE=queue), Redis 127.0.0.1:$REDIS_PORT,
                 PostgreSQL 127.0.0.1:$PG_PORT; logs $DEV_DIR/main.log, worker-N.log
  webhook        POST $MAIN_URL/webhook/$path  {"numbers": ["+44 7400 900000", ...]}
                 (published: runs on a worker; the answer holds one item per number)
EOF
}
