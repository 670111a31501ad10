/**
 * Writes what the queue-mode cluster imports before it starts: one credential per lane (pointing
 * at the sandbox) and one webhook workflow per lane (published with `n8n publish:workflow`).
 *
 *   tsx e2e/queue/prepare.ts sandbox-args [--credit lane=N]  the sandbox's --account flags, one a line
 *   tsx e2e/queue/prepare.ts files --sandbox-url <url> --out <dir> [--lanes batch,stop]
 *     -> <dir>/credentials.json, <dir>/workflow.json
 *   tsx e2e/queue/prepare.ts files --credential <id>:<name> --out <dir> --lanes demo
 *     -> <dir>/workflow.json using that credential (npm run n8n -- --queue: the sandbox's)
 *
 * Each lane's chain: Webhook (POST, answered by a Respond to Webhook node) → Look Up Numbers (the
 * body's `numbers`) → Respond to Webhook (all items as a JSON array, plus the execution's id in a
 * header, so the test can tell which worker ran it). Only one output leads to Respond (see Lane.routeBy): with
 * several outputs wired to it, n8n runs Respond once per output that has items, and the caller
 * gets the first output's items only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { EXECUTION_ID_HEADER, LANE_CREDIT, LANES, laneNamed, type Lane } from './lanes';

function credentialOf(lane: Lane, sandboxUrl: string) {
	return {
		id: lane.credentialId,
		name: `Number Portability Lookup sandbox (${lane.name})`,
		type: 'numberPortabilityLookupApi',
		data: { user: lane.user, password: lane.password, baseUrl: sandboxUrl },
	};
}

/**
 * One lane's chain: Webhook → Look Up Numbers → Respond to Webhook, on its own row of the canvas.
 * Node names carry the lane when the workflow holds several (names are unique in a workflow).
 */
function chainOf(
	lane: Lane,
	credential: { id: string; name: string },
	row: number,
	named: boolean,
) {
	const name = (base: string) => (named ? `${base} (${lane.name})` : base);
	const id = (index: number) =>
		`5b1f7c2e-0d4a-4e8b-9c3f-${lane.workflowId.slice(-4)}0000000${index}`;
	const [webhook, lookup, respond] = [
		name('Webhook'),
		name('Look Up Numbers'),
		name('Respond to Webhook'),
	];
	const y = 300 + row * 200;
	return {
		nodes: [
			{
				id: id(1),
				name: webhook,
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, y],
				webhookId: id(1),
				parameters: {
					httpMethod: 'POST',
					path: lane.path,
					responseMode: 'responseNode',
					options: {},
				},
			},
			{
				id: id(2),
				name: lookup,
				type: lane.nodeType,
				typeVersion: 1,
				position: [240, y],
				parameters: {
					operation: 'lookupMany',
					phoneNumbers: '={{ $json.body.numbers }}',
					routeBy: lane.routeBy,
					options: { maxConnections: 5, numbersPerRequest: 100 },
				},
				credentials: { numberPortabilityLookupApi: { id: credential.id, name: credential.name } },
			},
			{
				id: id(3),
				name: respond,
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.1,
				position: [520, y],
				parameters: {
					// The same answer as "All Incoming Items", without its cost in queue mode: n8n 2.41
					// sends three streaming chunks per item there even when nothing streams, each a
					// Bull progress message through Redis that every n8n process parses (36,000
					// messages, 19 MB, per batch of 12,000). "JSON" sends them only when streaming.
					respondWith: 'json',
					responseBody: '={{ $input.all().map((item) => item.json) }}',
					options: {
						responseHeaders: {
							entries: [{ name: EXECUTION_ID_HEADER, value: '={{ $execution.id }}' }],
						},
					},
				},
			},
		],
		connections: {
			[webhook]: { main: [[{ node: lookup, type: 'main', index: 0 }]] },
			// Output 0: Valid (Route By Validity) or the only one (Single Output).
			[lookup]: { main: [[{ node: respond, type: 'main', index: 0 }]] },
		},
	};
}

/**
 * One workflow holding every lane's chain: a webhook call runs its own chain only, and one
 * workflow is one `n8n publish:workflow` (an n8n process start, 5 s here, more under load).
 */
function workflowOf(
	lanes: readonly Lane[],
	credentials: ReadonlyArray<{ id: string; name: string }>,
) {
	const chains = lanes.map((lane, row) => chainOf(lane, credentials[row], row, lanes.length > 1));
	return {
		id: lanes[0].workflowId,
		name: `Number Portability Lookup: webhook batch (queue mode: ${lanes.map((l) => l.name).join(', ')})`,
		settings: { executionOrder: 'v1' },
		nodes: chains.flatMap((c) => c.nodes),
		connections: Object.assign({}, ...chains.map((c) => c.connections)) as Record<string, unknown>,
	};
}

function main(): void {
	const { positionals, values } = parseArgs({
		allowPositionals: true,
		options: {
			'sandbox-url': { type: 'string' },
			out: { type: 'string' },
			lanes: { type: 'string' },
			credit: { type: 'string' },
			credential: { type: 'string' },
		},
	});
	const lanes = values.lanes ? values.lanes.split(',').map(laneNamed) : LANES;
	switch (positionals[0]) {
		case 'sandbox-args': {
			// --credit lane=N: less credit for one lane (run.sh's QUEUE_BREAK=credit).
			const [short, credit] = (values.credit ?? '=').split('=');
			for (const lane of lanes) {
				console.log(
					`--account\n${lane.user}:${lane.password}:${lane.name === short ? Number(credit) : LANE_CREDIT}`,
				);
			}
			return;
		}
		case 'files': {
			if (!values.out) throw new Error('files needs --out');
			const out = values.out;
			mkdirSync(out, { recursive: true });
			// Either an existing credential for every workflow, or one per lane (written here).
			const given = values.credential ? /^([^:]+):(.+)$/.exec(values.credential) : null;
			if (values.credential && !given) throw new Error('--credential is <id>:<name>');
			if (!given && !values['sandbox-url'])
				throw new Error('files needs --sandbox-url or --credential');
			const credentials = lanes.map((lane) => credentialOf(lane, values['sandbox-url'] ?? ''));
			if (!given)
				writeFileSync(join(out, 'credentials.json'), JSON.stringify(credentials, null, 2));
			const used = given ? lanes.map(() => ({ id: given[1], name: given[2] })) : credentials;
			writeFileSync(join(out, 'workflow.json'), JSON.stringify(workflowOf(lanes, used), null, 2));
			return;
		}
		default:
			throw new Error('usage: prepare.ts sandbox-args | files --sandbox-url <url> --out <dir>');
	}
}

main();
