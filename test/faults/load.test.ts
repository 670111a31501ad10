/**
 * Issue 6, load: ten executions at once on one account, and one execution of 100,000 numbers.
 * Same checks as the fault scenarios: one item per input on its route, the ledger, a time bound.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	credentialFor,
	expectCleanRequests,
	expectLedgerBalanced,
	expectNoLeaks,
	expectOnePerInput,
	expectRightRoutes,
	expectWithin,
	gbNumbers,
	LOOKUP,
	mixedNumber,
	phoneItems,
	reasonCounts,
	resultsOf,
	useFaultKit,
} from './support';

const kit = useFaultKit('load');

/**
 * Each concurrent execution: no error, one item per input on its route, every number looked up.
 * Returns the results of all of them, for the ledger.
 */
function expectEveryNumberLookedUp(
	runs: Array<{ items: IDataObject[]; run: Awaited<ReturnType<typeof kit.run>> }>,
) {
	const all = [];
	for (const { items, run } of runs) {
		expect(run.error).toBeUndefined();
		const results = resultsOf(run.outputs);
		expectOnePerInput(results, items.length, (index) => [items[index].phone]);
		expectRightRoutes(results, []);
		expect(reasonCounts(results)).toEqual({ lookedUp: items.length });
		all.push(...results);
	}
	return all;
}

describe('load', () => {
	it('10 executions at once on one account, connection limit 5: never more than 5 sockets, every number looked up', async () => {
		const sandbox = await kit.start({ maxConnections: 5, latency: { baseMs: 20, perNumberMs: 0.2, jitterMs: 20 } });
		const executions = 10;
		const perExecution = 1_000;
		const startedAt = Date.now();
		const runs = await Promise.all(
			Array.from({ length: executions }, async (_, e) => {
				const items = phoneItems(gbNumbers(perExecution, e * perExecution));
				const run = await kit.run(`execution ${e}`, {
					items,
					parameters: { ...LOOKUP, options: { maxConnections: 5, numbersPerRequest: 50 } },
					credential: credentialFor(sandbox),
				});
				return { items, run };
			}),
		);
		const ms = Date.now() - startedAt;

		const all = expectEveryNumberLookedUp(runs);
		expect(all).toHaveLength(executions * perExecution);
		expect(sandbox.connections.peakOpenSockets('demo')).toBeLessThanOrEqual(5);
		// Every TCP socket the sandbox accepted, claimed by the account or not.
		expect(sandbox.connections.peakOpenSockets()).toBeLessThanOrEqual(5);
		expect(sandbox.requests.filter((r) => r.outcome !== 'ok')).toEqual([]);
		expectLedgerBalanced(sandbox, all);
		expect(sandbox.ledger.entries).toHaveLength(executions * perExecution);
		expectCleanRequests(sandbox, kit.sent, 50);
		expectWithin(`10 executions × 1,000 numbers, 5 connections [peak ${sandbox.connections.peakOpenSockets()} sockets]`, ms, 60_000);
	}, 90_000);

	it('10 executions at once with different Max Connections (3 to 5), connection limit 5: the budget holds as they come and go', async () => {
		const sandbox = await kit.start({ maxConnections: 5, latency: { baseMs: 15, perNumberMs: 0.2, jitterMs: 15 } });
		const startedAt = Date.now();
		const runs = await Promise.all(
			Array.from({ length: 10 }, async (_, e) => {
				// Staggered starts and sizes, so executions join and leave while others run.
				await new Promise((resolve) => setTimeout(resolve, e * 40));
				// The executions with the lowest Max Connections are the smallest: they leave first,
				// and the account's limit rises (3, then 4, then 5) under the others.
				const items = phoneItems(gbNumbers(200 + e * 80, 100_000 + e * 1_000));
				const run = await kit.run(`execution ${e}`, {
					items,
					parameters: { ...LOOKUP, options: { maxConnections: e < 3 ? 3 : e < 6 ? 4 : 5, numbersPerRequest: 20 } },
					credential: credentialFor(sandbox),
				});
				return { items, run };
			}),
		);
		const ms = Date.now() - startedAt;
		const all = expectEveryNumberLookedUp(runs);
		expectLedgerBalanced(sandbox, all);
		const refused = sandbox.requests.filter((r) => r.outcome === 'rate_limited').length;
		expectWithin(
			`10 executions, Max Connections 3–5 [peak ${sandbox.connections.peakOpenSockets()} sockets, ${sandbox.connections.peakOpenSockets('demo')} of the account, ${sandbox.connections.totalSockets()} opened, ${refused} refused]`,
			ms,
			60_000,
		);
		// Every TCP socket counts, idle or closing: a pool whose cap is no longer the limit closes
		// before the next one connects (before that fix: 6 sockets, and a refusal now and then).
		expect(sandbox.connections.peakOpenSockets('demo')).toBeLessThanOrEqual(5);
		expect(sandbox.connections.peakOpenSockets()).toBeLessThanOrEqual(5);
		expect(refused).toBe(0);
	}, 90_000);

	it('100,000 numbers in one execution: one item each, each distinct number paid once', async () => {
		const sandbox = await kit.start();
		const distinct = 95_000;
		// GB, DE, FR and NL mobiles, and 5,000 repeats of numbers already in the list.
		const numbers = Array.from({ length: 100_000 }, (_, i) => mixedNumber(i < distinct ? i : (i * 7919) % distinct));
		const items = phoneItems(numbers);
		const run = await kit.run('100,000 numbers', { items, parameters: LOOKUP, credential: credentialFor(sandbox) }, 'sample');
		expect(run.error).toBeUndefined();
		const results = resultsOf(run.outputs);
		expect(results).toHaveLength(100_000);
		expectOnePerInput(results, items.length, (index) => [items[index].phone]);
		expectRightRoutes(results, []);
		expect(reasonCounts(results)).toEqual({ lookedUp: 100_000 });
		expect(new Set(results.map((r) => r.json.number)).size).toBe(distinct);
		expect(sandbox.ledger.entries).toHaveLength(distinct);
		expectLedgerBalanced(sandbox, results);
		expectCleanRequests(sandbox, kit.sent, 100);
		expect(sandbox.requests).toHaveLength(distinct / 100);
		const routes = Object.fromEntries(run.outputs.map((items, output) => [output, items.length])) as IDataObject;
		expectWithin(`100,000 numbers in one execution [outputs ${JSON.stringify(routes)}]`, run.ms, 150_000);
	}, 170_000);

	it('never showed the password, and reached nothing but loopback', () => {
		expect(kit.guard.blocked).toEqual([]);
		expectNoLeaks(kit.watch);
	});
});
