/**
 * The Node-RED packages' nodes as shipped (node-red/dist, built by `npm run build`) inside
 * Node-RED's own runtime (node-red-node-test-helper starts it, with its real message routing,
 * credentials, status and close handling), with Node-RED's own catch and complete nodes to see
 * done(error) and done(). Outputs are collected per output in the shape of the n8n suites'
 * results (test/faults/support.ts Result: output index, input message index, json), so the
 * same checks (routes, ledger, one result per input) run on both hosts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import helper from 'node-red-node-test-helper';

import type { LookupItemJson } from '../../engine/types';
import type { Result } from '../faults/support';

const DIST = join(__dirname, '..', '..', 'node-red', 'dist');

helper.init(require.resolve('node-red'));

/** The built node files: the account, lookup and balance nodes, and Node-RED's catch and complete. */
export function nodeFiles(): unknown[] {
	if (!existsSync(join(DIST, 'npl-lookup.js'))) {
		throw new Error(`${DIST}/npl-lookup.js is missing: run npm run build first`);
	}
	const core = join(require.resolve('@node-red/nodes/package.json'), '..', 'core', 'common');
	return [
		require(join(DIST, 'npl-account.js')),
		require(join(DIST, 'npl-lookup.js')),
		require(join(DIST, 'npl-balance.js')),
		require(join(core, '25-catch.js')),
		require(join(core, '24-complete.js')),
	];
}

/** Starts Node-RED's test runtime once for the suite; unloads the flow after each test. */
export function useNodeRed(): void {
	beforeAll(async () => await new Promise<void>((resolve) => helper.startServer(() => resolve())));
	afterEach(async () => await helper.unload());
	afterAll(async () => await new Promise<void>((resolve) => helper.stopServer(() => resolve())));
}

export interface LookupFlowOptions {
	/** npl-lookup's properties (routeBy, defaultCountry, numbersPerRequest, …). */
	lookup?: Record<string, unknown>;
	/** The account's Base URL; its user and password. `account: null` leaves the node without one. */
	baseUrl?: string;
	user?: string;
	password?: string;
	account?: null;
}

/** What a flow run collected. */
export interface Collected {
	/** Every message out of the lookup node, with its output; in arrival order. */
	out: Array<{ output: number; msg: Record<string, unknown> }>;
	/** Messages that reached the catch node (done(error)), with the error. */
	caught: Array<Record<string, unknown> & { error: { message: string } }>;
	/** Messages that reached the complete node (done()). */
	completed: Array<Record<string, unknown>>;
}

/**
 * An account, a lookup node wired to one collector per output, a catch and a complete node on
 * it. Returns the lookup node and what is collected.
 */
export async function loadLookupFlow(options: LookupFlowOptions): Promise<{ node: LoadedNode; collected: Collected }> {
	const outputs = Number(
		{ validity: 4, errorGroup: 6, none: 1 }[String(options.lookup?.routeBy ?? 'validity')] ?? 4,
	);
	// Nodes on a tab (z); the account, a config node, on none.
	const onTab: Array<Record<string, unknown>> = [
		{
			id: 'lookup',
			type: 'npl-lookup',
			name: 'lookup',
			account: options.account === null ? '' : 'account',
			outputs,
			...options.lookup,
			wires: Array.from({ length: outputs }, (_, i) => [`out${i}`]),
		},
		...Array.from({ length: outputs }, (_, i) => ({ id: `out${i}`, type: 'helper' })),
		{ id: 'catch', type: 'catch', scope: ['lookup'], uncaught: false, wires: [['caught']] },
		{ id: 'caught', type: 'helper' },
		{ id: 'complete', type: 'complete', scope: ['lookup'], uncaught: false, wires: [['completed']] },
		{ id: 'completed', type: 'helper' },
	];
	const flow = [
		{ id: 'flow', type: 'tab', label: 'test' },
		{ id: 'account', type: 'npl-account', name: 'sandbox', baseUrl: options.baseUrl },
		// x and y: without them Node-RED takes a node for a config node.
		...onTab.map((node, i) => ({ ...node, z: 'flow', x: 100, y: 40 * (i + 1) })),
	];
	const credentials = { account: { user: options.user ?? 'demo', password: options.password ?? 'demo' } };
	await helper.load(nodeFiles(), flow, credentials);
	const collected: Collected = { out: [], caught: [], completed: [] };
	for (let output = 0; output < outputs; output++) {
		helper.getNode(`out${output}`).on('input', (msg: Record<string, unknown>) => collected.out.push({ output, msg }));
	}
	helper.getNode('caught').on('input', (msg: Collected['caught'][number]) => collected.caught.push(msg));
	helper.getNode('completed').on('input', (msg: Record<string, unknown>) => collected.completed.push(msg));
	return { node: helper.getNode('lookup') as unknown as LoadedNode, collected };
}

/** A node of the test runtime: Node-RED's node, its log methods and status spied on by the helper. */
export interface LoadedNode {
	receive(msg: Record<string, unknown>): void;
	status: { args: unknown[][] };
	warn: { args: unknown[][] };
	error: { args: unknown[][] };
	log: { args: unknown[][] };
	debug: { args: unknown[][] };
	close(removed?: boolean): Promise<void>;
}

/** Resolves once `count()` reaches `n` (or rejects after `ms`, saying how far it got). */
export async function waitFor(what: string, count: () => number, n: number, ms = 30_000): Promise<void> {
	const deadline = Date.now() + ms;
	while (count() < n) {
		if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${n} ${what}, got ${count()}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/** The collected messages as the n8n suites' results: `item` is the input message's `seq`. */
export function resultsOf(collected: Collected): Result[] {
	return collected.out.map(({ output, msg }) => ({
		output,
		item: Number(msg.seq),
		json: msg.payload as LookupItemJson,
	}));
}

export { helper };
