import { request, type Dispatcher } from 'undici';

import {
	planFaults,
	resolveOptions,
	TEST_NUMBERS,
	type Sandbox,
	type SandboxOptionsInput,
} from '../../sandbox';
import { call, DEMO, poolFor, sandboxes, settled } from './helpers';

const start = sandboxes();
const FIVE = [0, 6, 13, 27, 36].map((code) => TEST_NUMBERS[code as keyof typeof TEST_NUMBERS]);

interface Outcome {
	status: number | null;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	/** The error that ended the exchange, if it did not end cleanly. */
	error: (Error & { code?: string }) | null;
}

/** One lookup that may break anywhere: never throws, reports what arrived and how it ended. */
async function attempt(
	sb: Sandbox,
	numbers: readonly string[],
	extra: Record<string, string> = {},
	options: { headersTimeout?: number; dispatcher?: Dispatcher } = {},
): Promise<Outcome> {
	let text = '';
	try {
		const res = await request(sb.url, {
			method: 'POST',
			body: new URLSearchParams({
				...DEMO,
				format: 'json',
				msisdn: numbers.join(','),
				...extra,
			}).toString(),
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			headersTimeout: options.headersTimeout,
			dispatcher: options.dispatcher ?? poolFor(sb),
		});
		try {
			for await (const chunk of res.body) text += chunk.toString();
			return { status: res.statusCode, headers: res.headers, text, error: null };
		} catch (error) {
			return { status: res.statusCode, headers: res.headers, text, error: error as Error };
		}
	} catch (error) {
		return { status: null, headers: {}, text, error: error as Error };
	}
}

/** Complete (parseable) objects found in a possibly cut JSON array. */
function completeObjects(text: string): Array<Record<string, string>> {
	const objects: Array<Record<string, string>> = [];
	for (const match of text.matchAll(/\{[^{}]*\}/g)) {
		try {
			objects.push(JSON.parse(match[0]) as Record<string, string>);
		} catch {
			// not an object: garbage
		}
	}
	return objects;
}

function expectedPattern(
	input: SandboxOptionsInput,
	count: number,
	pick: (p: ReturnType<typeof planFaults>) => boolean,
) {
	const options = resolveOptions(input);
	return Array.from({ length: count }, (_, i) =>
		pick(planFaults(options.faults, options.seed, i + 1)),
	);
}

describe('fault: dropped connection after K objects', () => {
	test('streaming, K=2 of 5: two objects delivered, the third charged but cut, the rest never charged', async () => {
		const sb = await start({ faults: { drop: { rate: 1, afterObjects: 2 } } });
		const out = await attempt(sb, FIVE);
		expect(out.status).toBe(200);
		expect(out.error).not.toBeNull();
		expect(completeObjects(out.text).map((o) => o.msisdn)).toEqual(FIVE.slice(0, 2));
		expect(out.text.length).toBeGreaterThan(out.text.lastIndexOf('}') + 2); // part of the third object arrived
		expect(out.text.endsWith(']')).toBe(false);
		await settled(sb);
		expect(sb.ledger.entries.map((e) => [e.msisdn, e.delivered])).toEqual([
			[FIVE[0], true],
			[FIVE[1], true],
			[FIVE[2], false],
		]);
		expect(sb.balance('demo')).toBe(9997);
		expect(sb.requests[0]).toMatchObject({
			outcome: 'fault:drop',
			faults: ['drop'],
			charged: 3,
			delivered: 2,
			clientAborted: false,
		});
	});

	test('streaming, K=0: the connection dies inside the first object, which is charged', async () => {
		const sb = await start({ faults: { drop: { rate: 1, afterObjects: 0 } } });
		const out = await attempt(sb, FIVE);
		expect(out.error).not.toBeNull();
		expect(completeObjects(out.text)).toHaveLength(0);
		expect(out.text.startsWith('[{')).toBe(true);
		await settled(sb);
		expect(sb.ledger.entries.map((e) => e.delivered)).toEqual([false]);
		expect(sb.ledger.undelivered()).toHaveLength(1);
	});

	test('K >= the number count: every object delivered, the closing ] never comes', async () => {
		const sb = await start({ faults: { drop: { rate: 1, afterObjects: 9 } } });
		const out = await attempt(sb, FIVE.slice(0, 3));
		expect(out.error).not.toBeNull();
		expect(completeObjects(out.text)).toHaveLength(3);
		expect(out.text.endsWith('}')).toBe(true);
		await settled(sb);
		expect(sb.ledger.entries.every((e) => e.delivered)).toBe(true);
		expect(sb.ledger.entries).toHaveLength(3);
	});

	test('buffered, K=2 of 5: every number was charged when the answer was built; only two delivered', async () => {
		const sb = await start({ streaming: false, faults: { drop: { rate: 1, afterObjects: 2 } } });
		const out = await attempt(sb, FIVE);
		expect(out.error).not.toBeNull();
		expect(completeObjects(out.text)).toHaveLength(2);
		await settled(sb);
		expect(sb.ledger.entries.map((e) => e.delivered)).toEqual([true, true, false, false, false]);
		expect(sb.balance('demo')).toBe(9995);
	});

	test('CSV drops too: K complete lines, then part of the next', async () => {
		const sb = await start({ faults: { drop: { rate: 1, afterObjects: 1 } } });
		const out = await attempt(sb, FIVE, { format: 'csv' });
		expect(out.error).not.toBeNull();
		const lines = out.text.split('\n');
		expect(lines).toHaveLength(2);
		expect(lines[0]).toMatch(/^447400900000 23415,/);
		expect(lines[1].length).toBeGreaterThan(0);
	});

	test('the rate picks requests reproducibly from the seed (and a different seed picks others)', async () => {
		const run = async (seed: number) => {
			const input = { seed, faults: { drop: { rate: 0.5, afterObjects: 0 } } };
			const sb = await start(input);
			for (let i = 0; i < 16; i++) await attempt(sb, [FIVE[0]]);
			await settled(sb);
			const seen = sb.requests.map((r) => r.outcome === 'fault:drop');
			expect(seen).toEqual(expectedPattern(input, 16, (p) => p.dropAfter !== null));
			return seen;
		};
		const a = await run(11);
		expect(await run(11)).toEqual(a);
		expect(a.filter(Boolean).length).toBeGreaterThan(2);
		expect(a.filter(Boolean).length).toBeLessThan(14);
		expect(await run(12)).not.toEqual(a);
	});
});

describe('fault: HTTP 5xx', () => {
	test('answered before anything is charged', async () => {
		const sb = await start({ faults: { httpError: { rate: 1, statuses: [502] } } });
		const out = await attempt(sb, FIVE);
		expect(out.status).toBe(502);
		expect(out.text).toContain('502 Bad Gateway');
		expect(out.headers['content-type']).toMatch(/^text\/html/);
		expect(sb.ledger.entries).toHaveLength(0);
		expect(sb.balance('demo')).toBe(10000);
		expect(sb.requests[0]).toMatchObject({
			outcome: 'fault:http_error',
			status: 502,
			faults: ['http_error'],
		});
	});

	test('statuses are picked from the list, seeded', async () => {
		const sb = await start({ faults: { httpError: { rate: 1 } } });
		const statuses = new Set<number | null>();
		for (let i = 0; i < 24; i++) statuses.add((await attempt(sb, [FIVE[0]])).status);
		expect([...statuses].sort()).toEqual([500, 502, 503]);
	});

	test('balance queries can fail too; a wrong password is never faulted', async () => {
		const sb = await start({ faults: { httpError: { rate: 1, statuses: [503] } } });
		expect((await call(sb, { ...DEMO, query: 'balance' })).status).toBe(503);
		expect(await call(sb, { user: 'demo', pass: 'bad', query: 'balance' })).toMatchObject({
			status: 200,
			text: 'FAIL Invalid password',
		});
	});

	test('a share of requests, reproducibly', async () => {
		const input = { seed: 4, faults: { httpError: { rate: 0.3 } } };
		const sb = await start(input);
		const seen: boolean[] = [];
		for (let i = 0; i < 20; i++) seen.push((await attempt(sb, [FIVE[0]])).status !== 200);
		expect(seen).toEqual(expectedPattern(input, 20, (p) => p.httpErrorStatus !== null));
		expect(seen.some(Boolean)).toBe(true);
		expect(seen.every(Boolean)).toBe(false);
		expect(sb.ledger.entries).toHaveLength(seen.filter((x) => !x).length);
	});
});

describe('fault: malformed body', () => {
	test('HTTP 200 with a body that is not the protocol; nothing charged', async () => {
		const sb = await start({ faults: { malformed: { rate: 1 } } });
		const bodies: string[] = [];
		for (let i = 0; i < 12; i++) {
			const out = await attempt(sb, FIVE);
			expect(out.status).toBe(200);
			expect(out.error).toBeNull();
			expect(() => JSON.parse(out.text)).toThrow();
			expect(completeObjects(out.text)).toHaveLength(0);
			bodies.push(out.text);
		}
		expect(bodies.some((b) => b.includes('<html>'))).toBe(true);
		expect(bodies.some((b) => b.startsWith('[{"countrycode"'))).toBe(true);
		expect(bodies.some((b) => b.includes('\u0000'))).toBe(true);
		expect(sb.ledger.entries).toHaveLength(0);
		expect(sb.balance('demo')).toBe(10000);
		expect(sb.requests.every((r) => r.outcome === 'fault:malformed')).toBe(true);
	});
});

describe('fault: slow headers', () => {
	test('a client with a short headers timeout gives up; nothing is charged', async () => {
		// undici checks its timeouts about once a second: a 100 ms headersTimeout fires after ~1 s.
		const sb = await start({ faults: { slowHeaders: { rate: 1, delayMs: 2500 } } });
		const t0 = Date.now();
		const out = await attempt(sb, FIVE, {}, { headersTimeout: 100 });
		expect(out.status).toBeNull();
		expect(out.error?.code).toBe('UND_ERR_HEADERS_TIMEOUT');
		await settled(sb);
		expect(sb.requests[0]).toMatchObject({
			outcome: 'fault:slow_headers',
			faults: ['slow_headers'],
			status: null,
			clientAborted: true,
		});
		// Past the moment the answer would have been produced: still nothing charged.
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, 2600 - (Date.now() - t0))));
		expect(sb.ledger.entries).toHaveLength(0);
		expect(sb.balance('demo')).toBe(10000);
	});

	test('a patient client gets the answer after the delay', async () => {
		const sb = await start({ faults: { slowHeaders: { rate: 1, delayMs: 300 } } });
		const t0 = Date.now();
		const out = await attempt(sb, FIVE, {}, { headersTimeout: 5000 });
		expect(Date.now() - t0).toBeGreaterThanOrEqual(295);
		expect(JSON.parse(out.text)).toHaveLength(5);
		expect(sb.requests[0].outcome).toBe('fault:slow_headers');
	});
});

describe('fault: rate limit whatever the load', () => {
	test('ERR RATE_LIMIT_EXCEEDED on a single connection, connection closed, Retry-After when set', async () => {
		const sb = await start({ retryAfterSeconds: 7, faults: { rateLimit: { rate: 1 } } });
		const out = await attempt(sb, FIVE);
		expect(out).toMatchObject({ status: 200, text: 'ERR RATE_LIMIT_EXCEEDED' });
		expect(out.headers.connection).toBe('close');
		expect(out.headers['retry-after']).toBe('7');
		expect(sb.ledger.entries).toHaveLength(0);
		expect(sb.requests[0]).toMatchObject({ outcome: 'fault:rate_limit', faults: ['rate_limit'] });
		expect(sb.connections.peakOpenSockets('demo')).toBe(1);
	});

	test('without retryAfterSeconds there is no Retry-After header', async () => {
		const sb = await start({ faults: { rateLimit: { rate: 1 } } });
		const out = await attempt(sb, FIVE);
		expect(out.headers['retry-after']).toBeUndefined();
	});

	test('a share of requests, reproducibly', async () => {
		const input = { seed: 9, faults: { rateLimit: { rate: 0.4 } } };
		const sb = await start(input);
		const seen: boolean[] = [];
		for (let i = 0; i < 20; i++)
			seen.push((await attempt(sb, [FIVE[0]])).text === 'ERR RATE_LIMIT_EXCEEDED');
		expect(seen).toEqual(expectedPattern(input, 20, (p) => p.rateLimit));
		expect(seen.some(Boolean) && !seen.every(Boolean)).toBe(true);
	});
});
