// `npm run build`: every package this repository ships, from one source.
//   - the verified n8n package (this folder's dist/): the node and the credential, each bundled
//     with the engine and libphonenumber-js into one file; n8n-workflow stays n8n's own;
//   - the queue-mode n8n package (packages/queue-mode/dist/): the same node and credential, built
//     with the node's transport module replaced by packages/queue-mode/transport.ts, itself
//     bundled into dist/transport.js with undici and ioredis left as dependencies;
//   - icons and codex files beside each node, where n8n reads them.
// Bundling happens here, at build time, never at install time: the package has no dependencies.
const { rmSync } = require('node:fs');
const { join } = require('node:path');
const { src, dest, parallel, series } = require('gulp');
const esbuild = require('esbuild');

/** What every bundle shares: Node's CommonJS (n8n loads nodes with require), the oldest Node n8n 1.x runs on. */
const BUNDLE_OPTIONS = {
	bundle: true,
	platform: 'node',
	format: 'cjs',
	target: 'node20',
	// n8n's own copy, so that its error classes are the ones n8n checks against.
	external: ['n8n-workflow'],
	// libphonenumber-js logs from two places; a verified package writes nothing to the console.
	drop: ['console'],
	sourcemap: true,
	sourcesContent: false,
	logLevel: 'warning',
};

const QUEUE_MODE = 'packages/queue-mode';
const NODE_RED = 'node-red';

/** The nodes and their credential, at the paths package.json's n8n block names. */
const N8N_ENTRY_POINTS = {
	'nodes/NumberPortabilityLookup/NumberPortabilityLookup.node':
		'nodes/NumberPortabilityLookup/NumberPortabilityLookup.node.ts',
	'nodes/NumberPortabilityLookupTrigger/NumberPortabilityLookupTrigger.node':
		'nodes/NumberPortabilityLookupTrigger/NumberPortabilityLookupTrigger.node.ts',
	'credentials/NumberPortabilityLookupApi.credentials':
		'credentials/NumberPortabilityLookupApi.credentials.ts',
};

function clean(done) {
	for (const dir of ['dist', `${QUEUE_MODE}/dist`, `${NODE_RED}/dist`]) {
		rmSync(dir, { recursive: true, force: true });
	}
	done();
}

async function bundleVerified() {
	await esbuild.build({ ...BUNDLE_OPTIONS, entryPoints: N8N_ENTRY_POINTS, outdir: 'dist' });
}

/**
 * The node's `../transport` (n8n's HTTP helper) becomes a require of dist/transport.js: one
 * module, so every execution of the process shares its connection budgets (and tests reach them).
 */
const queueModeTransport = {
	name: 'queue-mode-transport',
	setup(build) {
		build.onResolve({ filter: /^\.\.\/transport$/ }, (args) =>
			args.resolveDir.endsWith(join('nodes', 'NumberPortabilityLookup', 'helpers'))
				? { path: '../../transport.js', external: true }
				: undefined,
		);
	},
};

async function bundleQueueMode() {
	await Promise.all([
		esbuild.build({
			...BUNDLE_OPTIONS,
			entryPoints: N8N_ENTRY_POINTS,
			outdir: `${QUEUE_MODE}/dist`,
			plugins: [queueModeTransport],
		}),
		esbuild.build({
			...BUNDLE_OPTIONS,
			entryPoints: { transport: `${QUEUE_MODE}/transport.ts` },
			outdir: `${QUEUE_MODE}/dist`,
			external: [...BUNDLE_OPTIONS.external, 'undici', 'ioredis'],
		}),
	]);
}

function copyIcons() {
	return src(['icons/**/*.svg'], { base: '.' }).pipe(dest('dist')).pipe(dest(`${QUEUE_MODE}/dist`));
}

function copyCodex() {
	return src('nodes/**/*.node.json', { base: '.' }).pipe(dest('dist')).pipe(dest(`${QUEUE_MODE}/dist`));
}

/** npm pack takes LICENSE and CHANGELOG from the package's own folder. */
function copyPackageFiles() {
	return src(['LICENSE', 'CHANGELOG.md']).pipe(dest(QUEUE_MODE));
}

/**
 * The Node-RED package (node-red/dist/): one file per node, each bundled with the engine, the
 * undici transport and libphonenumber-js (the engine reads its metadata's internals, checked
 * against the pinned version: compiledValidity.ts). undici stays a dependency (it keeps its own
 * fixes); Node-RED is never bundled. Beside each node's JS, as Node-RED looks for them: its
 * editor HTML, locales/ (help) and icons/.
 */
async function bundleNodeRed() {
	await esbuild.build({
		...BUNDLE_OPTIONS,
		entryPoints: Object.fromEntries(
			['npl-account', 'npl-lookup', 'npl-balance'].map((name) => [name, `${NODE_RED}/nodes/${name}.ts`]),
		),
		outdir: `${NODE_RED}/dist`,
		external: ['undici'],
	});
}

/** Each node's editor HTML beside its JS. */
function copyNodeRedEditorFiles() {
	return src(`${NODE_RED}/nodes/*.html`).pipe(dest(`${NODE_RED}/dist`));
}

/** Help texts and icons, in the folders Node-RED reads beside the node's JS. */
function copyNodeRedResources() {
	return src([`${NODE_RED}/locales/**/*`, `${NODE_RED}/icons/*.svg`], { base: NODE_RED }).pipe(
		dest(`${NODE_RED}/dist`),
	);
}

/** npm pack takes LICENSE from the package's own folder; the package keeps its own CHANGELOG. */
function copyNodeRedPackageFiles() {
	return src('LICENSE').pipe(dest(NODE_RED));
}

exports.build = series(
	clean,
	parallel(
		bundleVerified,
		bundleQueueMode,
		copyIcons,
		copyCodex,
		copyPackageFiles,
		bundleNodeRed,
		copyNodeRedEditorFiles,
		copyNodeRedResources,
		copyNodeRedPackageFiles,
	),
);
