/**
 * npl-lookup pools the numbers of messages that arrive together: 560 one-number messages sent
 * at once are 6 requests, not 560; a number held by several messages is looked up once and
 * every message gets its answer.
 */
import { gbNumbers } from '../faults/support';
import { useSandbox } from '../node/sandboxAccount';
import { loadLookupFlow, resultsOf, useNodeRed, waitFor } from './flows';

useNodeRed();
const sandboxes = useSandbox();

it('looks up 560 one-number messages sent at once in ceil(560 / 100) = 6 requests', async () => {
	const sandbox = await sandboxes.start({ errorShare: 0, latency: { baseMs: 50 } });
	const { node, collected } = await loadLookupFlow({ baseUrl: sandbox.url });
	const numbers = gbNumbers(560);
	numbers.forEach((payload, seq) => node.receive({ payload, seq }));
	await waitFor('completed messages', () => collected.completed.length, 560);

	const lookups = sandbox.requests.filter((r) => r.kind === 'lookup');
	process.stdout.write(`560 one-number messages: ${lookups.length} requests\n`);
	expect(lookups).toHaveLength(6);
	expect(lookups.every((r) => r.numbers.length <= 100)).toBe(true);
	// One message out per message in, each with its own number, each charged once.
	const results = resultsOf(collected);
	expect(results).toHaveLength(560);
	expect(results.every(({ item, json }) => json.number === numbers[item] && json.lookedUp)).toBe(true);
	expect(sandbox.ledger.entries).toHaveLength(560);
	expect(sandbox.ledger.numbersChargedTwiceForDeliveredResult()).toEqual([]);
});

it('looks up a number held by several messages of a batch once, and answers each message', async () => {
	const sandbox = await sandboxes.start({ errorShare: 0 });
	const { node, collected } = await loadLookupFlow({ baseUrl: sandbox.url });
	const [a, b] = gbNumbers(2);
	const payloads = [a, `+${a}`, [a, b], b];
	payloads.forEach((payload, seq) => node.receive({ payload, seq }));
	await waitFor('completed messages', () => collected.completed.length, payloads.length);
	expect(collected.out).toHaveLength(5);
	expect(sandbox.ledger.entries.map((e) => e.msisdn).sort()).toEqual([a, b]);
});

it('gives messages that arrive after the window a batch of their own, and answers them all', async () => {
	const sandbox = await sandboxes.start({ errorShare: 0, latency: { baseMs: 100 } });
	const { node, collected } = await loadLookupFlow({ baseUrl: sandbox.url });
	const numbers = gbNumbers(30);
	for (let seq = 0; seq < numbers.length; seq++) {
		node.receive({ payload: numbers[seq], seq });
		if (seq % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 60));
	}
	await waitFor('completed messages', () => collected.completed.length, 30);
	// Three bursts, three requests; each message answered with its own number.
	expect(sandbox.requests.filter((r) => r.kind === 'lookup')).toHaveLength(3);
	expect(resultsOf(collected).every(({ item, json }) => json.number === numbers[item])).toBe(true);
});

it('splits a burst larger than two rounds of requests into batches whose answers leave while later ones are looked up', async () => {
	const sandbox = await sandboxes.start({ errorShare: 0, latency: { baseMs: 100 } });
	const { node, collected } = await loadLookupFlow({ baseUrl: sandbox.url, lookup: { numbersPerRequest: 100, maxConnections: 2 } });
	const numbers = gbNumbers(2_000);
	let firstOutAt = 0;
	const out = collected.out;
	const push = out.push.bind(out);
	out.push = (...items) => {
		firstOutAt ||= Date.now();
		return push(...items);
	};
	numbers.forEach((payload, seq) => node.receive({ payload, seq }));
	await waitFor('completed messages', () => collected.completed.length, 2_000);
	const lookups = sandbox.requests.filter((r) => r.kind === 'lookup');
	// Batches of 2 × 100 × 2 = 400 … but at least 1,000 numbers: two batches, whole requests only.
	expect(lookups).toHaveLength(20);
	expect(lookups.every((r) => r.numbers.length === 100)).toBe(true);
	// The first batch's messages leave before the second batch's last answer has come back
	// (one batch of 2,000 would send nothing until then).
	const lastAnswerAt = Math.max(...lookups.map((r) => r.finishedAt ?? Infinity));
	expect(firstOutAt).toBeGreaterThan(0);
	expect(firstOutAt).toBeLessThan(lastAnswerAt);
	expect(resultsOf(collected).every(({ item, json }) => json.number === numbers[item] && json.lookedUp)).toBe(true);
});
