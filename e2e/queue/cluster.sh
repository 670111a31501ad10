# shellcheck shell=bash
# An n8n 2.x queue-mode cluster on loopback: PostgreSQL and Redis from Debian, one `n8n start`
# (main) and `n8n worker`s, each in its own user folder. Shared by e2e/queue/run.sh (`npm run
# test:queue`) and e2e/n8n.sh --queue (`npm run n8n -- --queue`). Sourced after e2e/lib.sh.
#
#   start_postgres <dir>                 sets PG_PORT, PG_PID (data in <dir>/data: kept, reused)
#   start_redis <dir>                    sets REDIS_PORT, REDIS_PID
#   queue_env <main user folder>         n8n_env + the queue-mode settings every process shares
#   start_main <dir> <user folder>       sets MAIN_PID, MAIN_URL (waits for it yourself: wait_ready)
#   start_worker <dir> <name> <user folder> [VAR=value...]   sets WORKER_PID, WORKER_URL; logs
#                                        to <dir>/<name>.log
#   wait_ready <url> <pid> <log> <what>  polls <url> until it answers 2xx (the process must live)
#   wait_webhooks <n> <pid> <log>        until main has registered <n> production webhooks
#   publish_lanes <dir> <log>            imports <dir>/credentials.json (if there) and
#                                        <dir>/workflow.json (e2e/queue/prepare.ts), publishes it
#   stop_cluster_processes <pid...>      n8n processes first, so PostgreSQL is not left waiting

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}

# initdb and postgres refuse to run as root: as root, they run as the postgres user.
AS_POSTGRES=()
((EUID == 0)) && AS_POSTGRES=(runuser -u postgres --)

start_postgres() { # start_postgres <its own folder>
	local dir=$1
	[[ -x $PG_BIN/initdb ]] || { err "no PostgreSQL server (initdb) under /usr/lib/postgresql"; return 1; }
	mkdir -p "$dir"
	((EUID == 0)) && chown postgres "$dir"
	"${AS_POSTGRES[@]}" test -w "$dir" ||
		{ err "the postgres user cannot write $dir (a parent folder closed to it?)"; return 1; }
	# A data folder already there is reused (npm run n8n -- --queue keeps its instance).
	if [[ ! -f $dir/data/PG_VERSION ]]; then
		"${AS_POSTGRES[@]}" "$PG_BIN/initdb" -D "$dir/data" -U n8n -A trust -E UTF8 --no-instructions >"$dir/initdb.log" 2>&1 ||
			{ cat "$dir/initdb.log" >&2; err "initdb failed"; return 1; }
	fi
	PG_PORT=$(free_port)
	# Durability off: a local instance for tests and trying things, it only has to be fast.
	start_bg "$dir/postgres.log" "${AS_POSTGRES[@]}" "$PG_BIN/postgres" -D "$dir/data" \
		-c listen_addresses=127.0.0.1 -p "$PG_PORT" -k "$dir" \
		-c fsync=off -c synchronous_commit=off -c full_page_writes=off
	PG_PID=$BG_PID
	poll_while_alive "PostgreSQL" "$PG_PID" "$dir/postgres.log" 300 "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"
}

start_redis() {
	local dir=$1
	command -v redis-server >/dev/null || { err "no redis-server on PATH"; return 1; }
	REDIS_PORT=$(free_port)
	start_bg "$dir/redis.log" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir"
	REDIS_PID=$BG_PID
	poll_while_alive "Redis" "$REDIS_PID" "$dir/redis.log" 100 redis_answers
}

redis_answers() { [[ $(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]; }

queue_env() {
	n8n_env "$1" 2
	export EXECUTIONS_MODE=queue
	export QUEUE_BULL_REDIS_HOST=127.0.0.1 QUEUE_BULL_REDIS_PORT=$REDIS_PORT
	export DB_TYPE=postgresdb DB_POSTGRESDB_HOST=127.0.0.1 DB_POSTGRESDB_PORT=$PG_PORT
	export DB_POSTGRESDB_DATABASE=postgres DB_POSTGRESDB_USER=n8n DB_POSTGRESDB_PASSWORD=unused
	export N8N_SECURE_COOKIE=false # plain http on loopback
	# The executions' data stays in PostgreSQL, where the editor and the checks read it.
	export EXECUTIONS_DATA_SAVE_ON_SUCCESS=all
}

# Every process: its own user folder (the package installed there) and its own task broker port.
start_main() { # start_main <dir> <user folder> [port]
	local dir=$1 user=$2 port=${3:-}
	[[ -n $port ]] || port=$(free_port)
	start_bg "$dir/main.log" env N8N_USER_FOLDER="$user" N8N_PORT="$port" \
		N8N_RUNNERS_BROKER_PORT="$(free_port)" PATH="$NODE_DIR/bin:$SYSTEM_PATH" \
		node "$N8N_HOME/node_modules/n8n/bin/n8n" start
	MAIN_PID=$BG_PID
	MAIN_URL=http://127.0.0.1:$port
}

start_worker() {
	local dir=$1 name=$2 user=$3 port
	shift 3
	port=$(free_port)
	# QUEUE_PROFILE=1: a V8 CPU profile per worker, written when it stops (<dir>/profile-<name>).
	[[ ${QUEUE_PROFILE:-0} == 1 ]] && set -- "$@" NODE_OPTIONS="--cpu-prof --cpu-prof-dir=$dir/profile-$name"
	# --concurrency: 4 jobs a worker, so a batch of 12 spreads over 3 workers.
	start_bg "$dir/$name.log" env N8N_USER_FOLDER="$user" QUEUE_HEALTH_CHECK_ACTIVE=true \
		QUEUE_HEALTH_CHECK_PORT="$port" N8N_WORKER_SERVER_ADDRESS=127.0.0.1 \
		N8N_RUNNERS_BROKER_PORT="$(free_port)" PATH="$NODE_DIR/bin:$SYSTEM_PATH" "$@" \
		node "$N8N_HOME/node_modules/n8n/bin/n8n" worker --concurrency="${WORKER_CONCURRENCY:-4}"
	WORKER_PID=$BG_PID
	WORKER_URL=http://127.0.0.1:$port
}

# poll_while_alive <what> <pid> <log> <tries> command... : runs the command every 0.1 s until it
# succeeds; fails (with the log's tail) when the process ends first or the tries run out.
poll_while_alive() {
	local what=$1 pid=$2 logfile=$3 tries=$4 i
	shift 4
	for ((i = 0; i < tries; i++)); do
		"$@" && return 0
		kill -0 "$pid" 2>/dev/null || { tail -30 "$logfile" >&2; err "$what exited while starting"; return 1; }
		sleep 0.1
	done
	tail -30 "$logfile" >&2
	err "$what did not start within $((tries / 10)) s"
	return 1
}

wait_ready() { # wait_ready <url> <pid> <log> <what> : 5 minutes at most (4 n8n on 2 cores start slowly)
	poll_while_alive "$4" "$2" "$3" 3000 curl -fs -o /dev/null --max-time 2 "$1"
}

# Main answers /healthz/readiness before it has activated the published workflows; a webhook
# called before that gets 404 "not registered". Activation writes webhook_entity: wait for it.
webhooks_registered() {
	local count
	count=$(PGPASSWORD=unused "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U n8n -d postgres -tAc \
		'SELECT count(*) FROM webhook_entity' 2>/dev/null) || return 1
	((count >= $1))
}

wait_webhooks() { # wait_webhooks <count> <main pid> <main log>
	poll_while_alive "main (its webhooks)" "$2" "$3" 1200 webhooks_registered "$1"
}

publish_lanes() { # publish_lanes <dir> <log>
	local dir=$1 logfile=$2 id
	if [[ -f $dir/credentials.json ]]; then
		n8n_cmd import:credentials --input "$dir/credentials.json" >>"$logfile" 2>&1 || { tail -20 "$logfile" >&2; return 1; }
		rm -f "$dir/credentials.json"
	fi
	id=$(json_get "$dir/workflow.json" 'j.id')
	# Imported, then published: n8n reads what is published when it starts.
	# (`import:workflow --activeState=fromJson` would do both, but refuses before an owner exists:
	# "User attempted to activate a workflow without permissions".)
	n8n_cmd import:workflow --input "$dir/workflow.json" >>"$logfile" 2>&1 &&
		n8n_cmd publish:workflow --id "$id" >>"$logfile" 2>&1 || { tail -20 "$logfile" >&2; return 1; }
}

stop_cluster_processes() {
	local pid
	for pid in "$@"; do
		kill -TERM -- "-$pid" 2>/dev/null || true
	done
	for pid in "$@"; do
		stop_bg "$pid"
	done
}
