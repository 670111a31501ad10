import { request } from 'undici';

import { requestDelayMs, TEST_NUMBERS, type Sandbox } from '../../sandbox';
import { call, DEMO, lookupJson, poolFor, sandboxes, settled } from './helpers';

const start = sandboxes();
const FIVE = [0, 1, 5, 6, 7].map((code) => TEST_NUMBERS[code as keyof typeof TEST_NUMBERS]);

interface Timeline {
	headersAt: number;
	firstObjectAt: number;
	endAt: number;
	/** Ledger length when the first object arrived. */
	chargedAtFirstObject: number;
	text: string;
	headers: Record<string, string | string[] | undefined>;
}

/** Reads the answer chunk by chunk, noting when the first complete object arrived. */
async function timeline(
	sb: Sandbox,
	numbers: readonly string[],
	format = 'json',
): Promise<Timeline> {
	const started = Date.now();
	const res = await request(sb.url, {
		method: 'POST',
		body: new URLSearchParams({ ...DEMO, format, msisdn: numbers.join(',') }).toString(),
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		dispatcher: poolFor(sb),
	});
	const headersAt = Date.now() - started;
	let text = '';
	let firstObjectAt = -1;
	let chargedAtFirstObject = -1;
	const complete =
		format === 'json' ? (t: string) => t.includes('}') : (t: string) => t.includes('\n');
	for await (const chunk of res.body) {
		text += chunk.toString();
		if (firstObjectAt < 0 && complete(text)) {
			firstObjectAt = Date.now() - started;
			chargedAtFirstObject = sb.ledger.entries.length;
		}
	}
	return {
		headersAt,
		firstObjectAt,
		endAt: Date.now() - started,
		chargedAtFirstObject,
		text,
		headers: res.headers,
	};
}

describe('latency', () => {
	test('defaults are zero: a 5-number lookup is fast', async () => {
		const sb = await start();
		const t0 = Date.now();
		await lookupJson(sb, FIVE);
		expect(Date.now() - t0).toBeLessThan(1000);
		expect(sb.requests[0].plannedDelayMs).toBe(0);
	});

	test('baseMs delays each lookup request (lower bound only)', async () => {
		const sb = await start({ latency: { baseMs: 200 } });
		const t0 = Date.now();
		await lookupJson(sb, [FIVE[0]]);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(195);
	});

	test('perNumberMs adds up per number, streaming and buffered', async () => {
		for (const streaming of [true, false]) {
			const sb = await start({ streaming, latency: { perNumberMs: 60 } });
			const t0 = Date.now();
			await lookupJson(sb, FIVE);
			expect(Date.now() - t0).toBeGreaterThanOrEqual(295);
		}
	});

	test('balance queries and text errors have no latency', async () => {
		const sb = await start({ latency: { baseMs: 2000 } });
		const t0 = Date.now();
		await call(sb, { ...DEMO, query: 'balance' });
		await call(sb, { ...DEMO });
		expect(Date.now() - t0).toBeLessThan(1500);
	});

	test('jitter is drawn from the seed: within [base, base+jitter], the same for the same seed', async () => {
		const latency = { baseMs: 20, jitterMs: 80 };
		const planned = async (seed: number) => {
			const sb = await start({ seed, latency });
			for (let i = 0; i < 4; i++) await lookupJson(sb, [FIVE[0]]);
			return sb.requests.map((r) => r.plannedDelayMs);
		};
		const a = await planned(3);
		expect(await planned(3)).toEqual(a);
		for (const ms of a) {
			expect(ms).toBeGreaterThanOrEqual(20);
			expect(ms).toBeLessThanOrEqual(100);
		}
		expect(new Set(a).size).toBeGreaterThan(1);
		expect(a).toEqual(
			[1, 2, 3, 4].map((id) => requestDelayMs({ ...latency, perNumberMs: 0 }, 3, id)),
		);
	});

	test('the measured time covers the planned jitter', async () => {
		const sb = await start({ latency: { baseMs: 50, jitterMs: 150 } });
		const t0 = Date.now();
		await lookupJson(sb, [FIVE[0]]);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(sb.requests[0].plannedDelayMs - 5);
	});
});

describe('streaming vs buffered', () => {
	test('streaming: headers at once, the first object arrives before the last number is computed', async () => {
		const sb = await start({ latency: { perNumberMs: 100 } });
		const t = await timeline(sb, FIVE);
		expect(t.headers['transfer-encoding']).toBe('chunked');
		expect(t.headers['content-length']).toBeUndefined();
		expect(t.headersAt).toBeLessThan(t.firstObjectAt);
		// When the first object reached the client, the later numbers had not even been charged.
		expect(t.chargedAtFirstObject).toBeGreaterThanOrEqual(1);
		expect(t.chargedAtFirstObject).toBeLessThan(FIVE.length);
		expect(t.endAt).toBeGreaterThanOrEqual(495);
		expect(t.firstObjectAt).toBeLessThan(t.endAt - 200);
		expect(JSON.parse(t.text)).toHaveLength(5);
	});

	test('buffered: nothing arrives until every number is computed and charged', async () => {
		const sb = await start({ streaming: false, latency: { perNumberMs: 100 } });
		const t = await timeline(sb, FIVE);
		expect(t.headers['content-length']).toBe(String(Buffer.byteLength(t.text)));
		expect(t.headersAt).toBeGreaterThanOrEqual(495);
		expect(t.chargedAtFirstObject).toBe(FIVE.length);
		expect(JSON.parse(t.text)).toHaveLength(5);
	});

	test('streaming and buffered bodies are byte-identical', async () => {
		const a = await timeline(await start(), FIVE);
		const b = await timeline(await start({ streaming: false }), FIVE);
		expect(b.text).toBe(a.text);
		expect(a.text.startsWith('[{')).toBe(true);
		expect(a.text.endsWith('}]')).toBe(true);
	});

	test('CSV streams line by line too', async () => {
		const sb = await start({ latency: { perNumberMs: 100 } });
		const t = await timeline(sb, FIVE, 'csv');
		expect(t.chargedAtFirstObject).toBeLessThan(FIVE.length);
		expect(t.text.trim().split('\n')).toHaveLength(5);
	});

	test('a client that leaves mid-stream is charged only for what was produced before it left', async () => {
		const sb = await start({ latency: { perNumberMs: 100 } });
		const controller = new AbortController();
		const res = await request(sb.url, {
			method: 'POST',
			body: new URLSearchParams({ ...DEMO, format: 'json', msisdn: FIVE.join(',') }).toString(),
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			signal: controller.signal,
			dispatcher: poolFor(sb),
		});
		let text = '';
		await expect(
			(async () => {
				for await (const chunk of res.body) {
					text += chunk.toString();
					if (text.includes('}')) controller.abort();
				}
			})(),
		).rejects.toThrow();
		await settled(sb);
		await new Promise((resolve) => setTimeout(resolve, 250));
		expect(sb.ledger.entries.length).toBeLessThan(FIVE.length);
		expect(sb.ledger.entries[0].delivered).toBe(true);
		expect(sb.requests[0].clientAborted).toBe(true);
		expect(sb.balance('demo')).toBe(10000 - sb.ledger.entries.length);
	});
});
