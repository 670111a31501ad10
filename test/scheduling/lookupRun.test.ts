import { nodeClock } from '../../transport/nodeClock';
import {
	runLookups,
	startLookups,
	type LookupJob,
} from '../../engine/scheduling/lookupRun';
import { ScriptedTransport } from './scriptedTransport';

const jobsFor = (count: number, start = 447700000000): LookupJob[] =>
	Array.from({ length: count }, (_, i) => ({ key: String(start + i), digits: String(start + i) }));

const fast = { baseDelayMs: 1, maxDelayMs: 2 };
const base = { numbersPerRequest: 100, maxConnections: 5, costPerNumber: 1, retry: fast, clock: nodeClock };

describe('runLookups', () => {
	it('looks every number up once, in requests of at most numbersPerRequest, within maxConnections', async () => {
		const transport = new ScriptedTransport();
		const report = await runLookups(jobsFor(1050), { ...base, transport });
		expect(report.outcomes.size).toBe(1050);
		expect([...report.outcomes.values()].every((o) => o.lookedUp)).toBe(true);
		expect(transport.requests.map((r) => r.length)).toEqual([...Array(10).fill(100), 50]);
		expect(transport.peakInFlight).toBeLessThanOrEqual(5);
		expect(transport.peakInFlight).toBeGreaterThan(1);
		expect(report.creditsSpent).toBe(1050);
	});

	it('drops to 10 per request on "Request too long", then halves, losing nothing', async () => {
		const transport = new ScriptedTransport((numbers) =>
			numbers.length > 5 ? { answer: [], failure: { kind: 'request_too_long' } } : {},
		);
		const report = await runLookups(jobsFor(57), { ...base, transport });
		expect([...report.outcomes.values()].filter((o) => o.lookedUp)).toHaveLength(57);
		expect(report.finalNumbersPerRequest).toBe(5);
		expect(Math.max(...[...transport.charged.values()])).toBe(1);
	});

	it('resends only the numbers whose answers were lost when a connection breaks', async () => {
		const transport = new ScriptedTransport((numbers, request) =>
			request === 0 ? { answer: numbers.slice(0, 3), failure: { kind: 'truncated', message: 'cut' } } : {},
		);
		const report = await runLookups(jobsFor(10), { ...base, transport });
		expect(transport.requests[1]).toEqual(transport.requests[0].slice(3));
		expect([...report.outcomes.values()].every((o) => o.lookedUp)).toBe(true);
		expect([...transport.charged.values()].every((count) => count === 1)).toBe(true);
		expect(report.unconfirmedCharges).toBe(7);
	});

	it('backs off and narrows on rate limits, then finishes every number', async () => {
		let refusals = 0;
		const transport = new ScriptedTransport((_numbers, request) =>
			request % 3 === 0 && refusals++ < 6 ? { answer: [], failure: { kind: 'rate_limited' } } : {},
		);
		const report = await runLookups(jobsFor(300), { ...base, numbersPerRequest: 10, transport });
		expect([...report.outcomes.values()].filter((o) => o.lookedUp)).toHaveLength(300);
		expect(transport.requests.length).toBe(30 + 6);
	});

	it('gives up on a number after the retry budget, with the reason', async () => {
		const transport = new ScriptedTransport(() => ({
			answer: [],
			failure: { kind: 'http_status', status: 503, message: 'HTTP 503' },
		}));
		const report = await runLookups(jobsFor(3), { ...base, transport, retry: { ...fast, maxAttempts: 3 } });
		expect(transport.requests).toHaveLength(3);
		expect([...report.outcomes.values()]).toEqual(
			Array(3).fill({ lookedUp: false, reason: 'service_unavailable', detail: 'HTTP 503' }),
		);
	});

	it('stops sending when credit runs out and marks the rest insufficient_credit', async () => {
		const transport = new ScriptedTransport((_n, request) =>
			request >= 2 ? { answer: [], failure: { kind: 'insufficient_credit' } } : {},
		);
		const report = await runLookups(jobsFor(500), { ...base, maxConnections: 1, transport });
		const outcomes = [...report.outcomes.values()];
		expect(outcomes.filter((o) => o.lookedUp)).toHaveLength(200);
		expect(outcomes.filter((o) => !o.lookedUp && o.reason === 'insufficient_credit')).toHaveLength(300);
		expect(transport.requests).toHaveLength(3);
	});

	it('never spends past maxCredits', async () => {
		const transport = new ScriptedTransport(undefined, '1.20');
		const report = await runLookups(jobsFor(100), {
			...base,
			numbersPerRequest: 30,
			costPerNumber: 1.2,
			maxCredits: 50,
			transport,
		});
		const looked = [...report.outcomes.values()].filter((o) => o.lookedUp).length;
		expect(looked).toBe(41); // 41 × 1.2 = 49.2 ≤ 50 < 42 × 1.2
		expect([...report.outcomes.values()].filter((o) => !o.lookedUp && o.reason === 'credit_cap')).toHaveLength(59);
	});

	it('reports refused credentials and sends nothing more', async () => {
		const transport = new ScriptedTransport(() => ({ answer: [], failure: { kind: 'invalid_password' } }));
		const report = await runLookups(jobsFor(250), { ...base, maxConnections: 1, transport });
		expect(report.invalidCredentials).toBe(true);
		expect(transport.requests).toHaveLength(1);
		expect([...report.outcomes.values()].every((o) => !o.lookedUp && o.reason === 'invalid_credentials')).toBe(true);
	});

	it('keeps two copies of a number out of one request when duplicates are looked up separately', async () => {
		const transport = new ScriptedTransport();
		const jobs = [0, 1, 2].map((i) => ({ key: `447700000001#${i}`, digits: '447700000001' }));
		const report = await runLookups(jobs, { ...base, transport });
		expect(transport.requests).toEqual([['447700000001'], ['447700000001'], ['447700000001']]);
		expect(report.outcomes.size).toBe(3);
	});
});

describe('startLookups (jobs arriving while requests are in flight)', () => {
	const settle = async () => await new Promise((resolve) => setTimeout(resolve, 20));

	it('sends only full batches until the input closes, then the rest', async () => {
		const transport = new ScriptedTransport();
		const run = startLookups({ ...base, numbersPerRequest: 10, transport });
		for (const job of jobsFor(25)) run.add(job);
		await settle();
		expect(transport.requests.map((r) => r.length)).toEqual([10, 10]);
		run.close();
		const report = await run.report;
		expect(transport.requests.map((r) => r.length)).toEqual([10, 10, 5]);
		expect([...report.outcomes.values()].filter((o) => o.lookedUp)).toHaveLength(25);
	});

	it('on abort, lets requests in flight land and gives every unsent job the reason', async () => {
		const transport = new ScriptedTransport();
		const run = startLookups({ ...base, numbersPerRequest: 10, transport });
		for (const job of jobsFor(15)) run.add(job);
		run.abort('request_rejected', 'stopped');
		const report = await run.report;
		const outcomes = [...report.outcomes.values()];
		expect(outcomes).toHaveLength(15);
		expect(outcomes.filter((o) => o.lookedUp)).toHaveLength(transport.requests.flat().length);
		expect(outcomes.filter((o) => !o.lookedUp && o.reason === 'request_rejected')).toHaveLength(15 - transport.requests.flat().length);
	});
});
