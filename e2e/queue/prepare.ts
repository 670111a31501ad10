/**
 * Writes what the queue-mode cluster imports before it starts: one credential per lane (pointing
 * at the sandbox) and one webhook workflow per lane (published with `n8n publish:workflow`).
 *
 *   tsx e2e/queue/prepare.ts sandbox-args [--credit lane=N]  the sandbox's --account flags, one a line
 *   tsx e2e/queue/prepare.ts files --sandbox-url <url> --out <dir> [--lanes batch,stop]
 *     -> <dir>/credentials.json, <dir>/workflows/<lane>.json
 *
 * The workflow: Webhook (POST, answered by a Respond to Webhook node) → Look Up Numbers (the
 * body's `numbers`, Route By Validity) → Respond to Webhook (all items, plus the execution's id in
 * a header, so the test can tell which worker ran it). All four outputs lead to the one Respond
 * node: n8n runs it once when only one output has items, which is what the test expects.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { EXECUTION_ID_HEADER, LANE_CREDIT, LANES, NODE_TYPE, laneNamed, type Lane } from './lanes';

function credentialOf(lane: Lane, sandboxUrl: string) {
	return {
		id: lane.credentialId,
		name: `Number Portability Lookup sandbox (${lane.name})`,
		type: 'numberPortabilityLookupApi',
		data: { user: lane.user, password: lane.password, baseUrl: sandboxUrl },
	};
}

function workflowOf(lane: Lane, credentialName: string) {
	const node = (index: number) =>
		`5b1f7c2e-0d4a-4e8b-9c3f-${lane.workflowId.slice(-4)}0000000${index}`;
	return {
		id: lane.workflowId,
		name: `Number Portability Lookup: webhook batch (queue mode, ${lane.name})`,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: node(1),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 300],
				webhookId: node(1),
				parameters: {
					httpMethod: 'POST',
					path: lane.path,
					responseMode: 'responseNode',
					options: {},
				},
			},
			{
				id: node(2),
				name: 'Look Up Numbers',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [240, 300],
				parameters: {
					operation: 'lookupMany',
					phoneNumbers: '={{ $json.body.numbers }}',
					routeBy: 'validity',
					options: { maxConnections: 5, numbersPerRequest: 100 },
				},
				credentials: {
					numberPortabilityLookupApi: { id: lane.credentialId, name: credentialName },
				},
			},
			{
				id: node(3),
				name: 'Respond to Webhook',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.1,
				position: [520, 300],
				parameters: {
					respondWith: 'allIncomingItems',
					options: {
						responseHeaders: {
							entries: [{ name: EXECUTION_ID_HEADER, value: '={{ $execution.id }}' }],
						},
					},
				},
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Look Up Numbers', type: 'main', index: 0 }]] },
			'Look Up Numbers': {
				main: [0, 1, 2, 3].map(() => [{ node: 'Respond to Webhook', type: 'main', index: 0 }]),
			},
		},
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
			if (!values['sandbox-url'] || !values.out)
				throw new Error('files needs --sandbox-url and --out');
			const credentials = lanes.map((lane) => credentialOf(lane, values['sandbox-url'] as string));
			mkdirSync(join(values.out, 'workflows'), { recursive: true });
			writeFileSync(join(values.out, 'credentials.json'), JSON.stringify(credentials, null, 2));
			lanes.forEach((lane, i) => {
				const workflow = workflowOf(lane, credentials[i].name);
				writeFileSync(
					join(values.out as string, 'workflows', `${lane.name}.json`),
					JSON.stringify(workflow, null, 2),
				);
			});
			return;
		}
		default:
			throw new Error('usage: prepare.ts sandbox-args | files --sandbox-url <url> --out <dir>');
	}
}

main();
