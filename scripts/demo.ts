/**
 * `npm run demo`: the main job. Cleans the example CRM list (examples/crm-numbers.csv) with the
 * node, configured as in examples/crm-list-cleaning.json, inside n8n's own execution engine,
 * against the embedded sandbox — or against the real service when NPL_USER and NPL_PASS are set.
 * Writes one CSV per output and prints items per output, credits spent and time taken.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { closeAllAccountConnections } from '../transport/accountBudgets';
import { startSandbox } from '../sandbox';
import { runNode } from '../test/harness/n8nEngine';

process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(tmpdir(), 'npl-demo-n8n-'));
process.env.N8N_LOG_LEVEL ??= 'silent';

const root = path.resolve(__dirname, '..');

/** The example's CSV: a header row, then one contact per line (no quoted fields in it). */
function readCsv(file: string): IDataObject[] {
	const [header, ...rows] = readFileSync(file, 'utf8').split(/\r?\n/).filter((line) => line.length > 0);
	const columns = header.split(',');
	return rows.map((row) => {
		const cells = row.split(',');
		return Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? '']));
	});
}

function toCsv(rows: IDataObject[]): string {
	if (rows.length === 0) return '';
	const columns = Object.keys(rows[0]);
	const cell = (value: unknown) => {
		const text = value === null || value === undefined ? '' : String(value);
		return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
	};
	return [columns.join(','), ...rows.map((row) => columns.map((c) => cell(row[c])).join(','))].join('\n') + '\n';
}

/** The Look Up Number node's parameters, exactly as the example workflow sets them. */
function exampleParameters(): INodeParameters {
	const workflow = JSON.parse(readFileSync(path.join(root, 'examples/crm-list-cleaning.json'), 'utf8')) as {
		nodes: Array<{ type: string; parameters: INodeParameters }>;
	};
	const node = workflow.nodes.find((n) => n.type.endsWith('.numberPortabilityLookup'));
	if (!node) throw new Error('examples/crm-list-cleaning.json has no Number Portability Lookup node');
	return node.parameters;
}

async function main(): Promise<void> {
	const real = Boolean(process.env.NPL_USER && process.env.NPL_PASS);
	const sandbox = real ? null : await startSandbox({ latency: { baseMs: 120, perNumberMs: 2, jitterMs: 30 } });
	const credential = real
		? {
				user: process.env.NPL_USER!,
				password: process.env.NPL_PASS!,
				baseUrl: process.env.NPL_BASE_URL ?? 'https://api.numberportabilitylookup.com/npl',
			}
		: { user: 'demo', password: 'demo', baseUrl: sandbox!.url };
	const contacts = readCsv(path.join(root, 'examples/crm-numbers.csv'));
	const parameters = exampleParameters();

	console.log(`Cleaning ${contacts.length} CRM contacts against ${real ? 'the real service' : `the sandbox at ${sandbox!.url}`}`);
	console.log(`Look Up Number options: ${JSON.stringify(parameters.options)}\n`);
	const started = process.hrtime.bigint();
	const { outputs, error } = await runNode({ items: contacts, parameters, credential });
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	await closeAllAccountConnections();
	if (error) {
		await sandbox?.close();
		throw new Error(`${error.message}: ${error.description ?? ''}`);
	}

	const outDir = mkdtempSync(path.join(tmpdir(), 'npl-demo-'));
	const names = ['Valid', 'Invalid', 'Undetermined', 'Not Looked Up'];
	console.log('output          items  file');
	outputs.forEach((items, index) => {
		const rows = items.map((item) => {
			const json = item.json;
			const contact = contacts[(item.pairedItem as { item: number }).item];
			return {
				...contact,
				number: json.number,
				operator: json.operatorname ?? json.carrier,
				ported: json.ported,
				errorcode: json.errorcode,
				reason: json.reason,
			};
		});
		const file = path.join(outDir, `crm-${names[index].toLowerCase().replace(/ /g, '-')}.csv`);
		writeFileSync(file, toCsv(rows));
		console.log(`${names[index].padEnd(15)} ${String(items.length).padStart(5)}  ${file}`);
	});

	const all = outputs.flat().map((item) => item.json);
	const spent = all
		.filter((json) => json.lookedUp)
		.reduce((seen, json) => seen.set(String(json.number), Number(json.transactioncost ?? 0)), new Map<string, number>());
	const credits = [...spent.values()].reduce((sum, cost) => sum + cost, 0);
	console.log(`\n${all.length} items from ${contacts.length} contacts in ${seconds.toFixed(2)} s`);
	console.log(`credits spent: ${credits.toFixed(2)} for ${spent.size} distinct numbers looked up`);
	if (sandbox) {
		console.log(`sandbox ledger: ${sandbox.ledger.totalCharged()} credits charged over ${sandbox.requests.length} requests`);
		await sandbox.close();
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
