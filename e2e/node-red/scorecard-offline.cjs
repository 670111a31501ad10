// Preloaded into `node-red-dev validate` (the Node-RED catalogue's scorecard) so that it runs
// without the network (tests talk to loopback only). What it would fetch comes from here:
//   - the catalogue (P08, N01: names already taken): an empty catalogue, so the name checks pass;
//     they cannot be judged offline.
//   - the registry's node-red document (P06, P07): built from the pinned node-red's own
//     package.json (its version as "latest", its engines.node), the release this test runs.
//   - npm-remote-ls (D02: known-bad packages in the dependency tree): the tree npm installed for
//     the package (NPL_SCORECARD_INSTALLED: the installed package's folder), read from disk.
//   - npm-check (D03: dependencies at their latest version): needs the registry's latest
//     versions; not judged offline (reported as no packages).
// Anything else that would leave the machine fails with ENOTFOUND.
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');

const nodeRed = require(require.resolve('node-red/package.json', { paths: [process.env.NPL_NODE_RED_HOME] }));
const installed = process.env.NPL_SCORECARD_INSTALLED;

function offline(url) {
	if (url === 'https://catalogue.nodered.org/catalogue.json') return { data: { modules: [] } };
	if (url === 'https://registry.npmjs.org/node-red') {
		return {
			data: {
				'dist-tags': { latest: nodeRed.version },
				versions: { [nodeRed.version]: { engines: nodeRed.engines } },
			},
		};
	}
	throw Object.assign(new Error(`getaddrinfo ENOTFOUND (offline scorecard): ${url}`), { code: 'ENOTFOUND' });
}

/** Every package@version under the installed package's dependencies, as npm laid them out. */
function installedTree(name) {
	const seen = new Set();
	const visit = (dependency, from) => {
		let manifestPath;
		try {
			manifestPath = require.resolve(`${dependency}/package.json`, { paths: [from] });
		} catch {
			return;
		}
		const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
		const key = `${manifest.name}@${manifest.version}`;
		if (seen.has(key)) return;
		seen.add(key);
		for (const inner of Object.keys(manifest.dependencies ?? {})) visit(inner, path.dirname(manifestPath));
	};
	visit(name, installed);
	return [...seen];
}

const stubs = {
	axios: Object.assign(async (options) => offline(options.url), { get: async (url) => offline(url) }),
	'npm-remote-ls': { ls: (name, _version, _flatten, done) => done(installedTree(name)), config: () => undefined },
	'npm-check': async () => new Map([['packages', []]]),
};

const load = Module._load;
Module._load = function (request, parent, isMain) {
	if (Object.hasOwn(stubs, request) && parent && parent.filename.includes(`${path.sep}node-red-dev${path.sep}`)) {
		return stubs[request];
	}
	return load.call(this, request, parent, isMain);
};
