/**
 * The n8n packages as shipped: their built bundles in dist/, loaded the way n8n loads them
 * (require of the files package.json's n8n block names). `npm test` builds first; `npm run
 * test:unit` alone needs `npm run build` once.
 *
 * Which package a suite runs: NodeRunOptions.package, else NPL_TEST_PACKAGE, else the verified one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { ICredentialType, INodeType } from 'n8n-workflow';

import type { Clock, ServiceLink } from '../../engine/ports';
import type { ConnectionBudget } from '../../transport/connectionBudget';

export type PackageName = 'verified' | 'queue-mode';

export const PACKAGE_NAMES: readonly PackageName[] = ['verified', 'queue-mode'];

const ROOT = join(__dirname, '..', '..');

const FOLDERS: Record<PackageName, string> = {
	verified: ROOT,
	'queue-mode': join(ROOT, 'packages', 'queue-mode'),
};

/** What the queue-mode package's dist/transport.js gives tests: its process-wide budgets. */
export interface QueueModeTransport {
	closeAllAccountConnections(): Promise<void>;
	accountConnections(baseUrl: string, user: string): ConnectionBudget;
	openServiceLink(
		ctx: unknown,
		account: { url: URL; user: string; password: string },
		clock: Clock,
	): ServiceLink;
}

export interface PackageUnderTest {
	name: PackageName;
	/** The npm package name: n8n prefixes node types with it. */
	npmName: string;
	folder: string;
	node: INodeType;
	/** The balance trigger (polling), from the same package. */
	trigger: INodeType;
	credential: ICredentialType;
	/** The queue-mode transport module (the one the bundle uses), when the package has one. */
	transport?: QueueModeTransport;
	/** Closes what the package keeps open between runs (pooled sockets, Redis). */
	closeConnections(): Promise<void>;
}

const loaded = new Map<PackageName, PackageUnderTest>();

export function defaultPackage(): PackageName {
	const chosen = process.env.NPL_TEST_PACKAGE;
	if (chosen === undefined || chosen === '') return 'verified';
	if (!PACKAGE_NAMES.includes(chosen as PackageName)) {
		throw new Error(`NPL_TEST_PACKAGE is "${chosen}": use ${PACKAGE_NAMES.join(' or ')}`);
	}
	return chosen as PackageName;
}

export function loadPackage(name: PackageName = defaultPackage()): PackageUnderTest {
	const cached = loaded.get(name);
	if (cached) return cached;
	const folder = FOLDERS[name];
	const manifest = require(join(folder, 'package.json')) as {
		name: string;
		n8n: { nodes: string[]; credentials: string[] };
	};
	const nodeFile = manifest.n8n.nodes.find((file) =>
		file.endsWith('/NumberPortabilityLookup.node.js'),
	);
	const triggerFile = manifest.n8n.nodes.find((file) =>
		file.endsWith('/NumberPortabilityLookupTrigger.node.js'),
	);
	if (!nodeFile || !triggerFile)
		throw new Error(`${name}: package.json's n8n.nodes lacks the node or the trigger`);
	const [credentialFile] = manifest.n8n.credentials;
	if (!existsSync(join(folder, nodeFile))) {
		throw new Error(`${join(folder, nodeFile)} is missing: run npm run build first`);
	}
	const { NumberPortabilityLookup } = require(join(folder, nodeFile)) as {
		NumberPortabilityLookup: new () => INodeType;
	};
	const { NumberPortabilityLookupTrigger } = require(join(folder, triggerFile)) as {
		NumberPortabilityLookupTrigger: new () => INodeType;
	};
	const { NumberPortabilityLookupApi } = require(join(folder, credentialFile)) as {
		NumberPortabilityLookupApi: new () => ICredentialType;
	};
	const transportFile = join(folder, 'dist', 'transport.js');
	const transport = existsSync(transportFile)
		? (require(transportFile) as QueueModeTransport)
		: undefined;
	const pkg: PackageUnderTest = {
		name,
		npmName: manifest.name,
		folder,
		node: new NumberPortabilityLookup(),
		trigger: new NumberPortabilityLookupTrigger(),
		credential: new NumberPortabilityLookupApi(),
		transport,
		closeConnections: async () => await transport?.closeAllAccountConnections(),
	};
	loaded.set(name, pkg);
	return pkg;
}

/** Closes what every package loaded so far keeps open (after each test that used a sandbox). */
export async function closeLoadedPackages(): Promise<void> {
	await Promise.all([...loaded.values()].map(async (pkg) => await pkg.closeConnections()));
}
