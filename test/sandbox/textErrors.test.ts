import { Client } from 'undici';

import { TEST_NUMBERS, TEXT_ERRORS } from '../../sandbox';
import { call, DEMO, lookupJson, sandboxes } from './helpers';

const start = sandboxes();
const LIVE = TEST_NUMBERS[0];
const numbers = (count: number) =>
	Array.from({ length: count }, (_, i) => `4474009005${String(i).padStart(2, '0')}`).join(',');

describe('the five text errors, worded exactly', () => {
	test('the wording table', () => {
		expect(Object.values(TEXT_ERRORS).map((e) => e.text)).toEqual([
			'FAIL Invalid password',
			'FAIL Insufficient credit',
			'No numbers specified',
			'Request too long',
			'ERR RATE_LIMIT_EXCEEDED',
		]);
	});

	test('wrong password, unknown user, missing user or pass → FAIL Invalid password (HTTP 200)', async () => {
		const sb = await start();
		const attempts: Array<Record<string, string>> = [
			{ user: 'demo', pass: 'wrong', msisdn: LIVE },
			{ user: 'nobody', pass: 'demo', msisdn: LIVE },
			{ user: 'DEMO', pass: 'demo', msisdn: LIVE },
			{ pass: 'demo', msisdn: LIVE },
			{ user: 'demo', msisdn: LIVE },
			{ user: 'demo', pass: 'wrong' }, // authentication comes before "No numbers specified"
		];
		for (const params of attempts) {
			const reply = await call(sb, params);
			expect(reply).toMatchObject({ status: 200, text: 'FAIL Invalid password' });
			expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
		}
		expect(sb.ledger.entries).toHaveLength(0);
		expect(sb.requests.every((r) => r.outcome === 'invalid_password' && r.account === null)).toBe(
			true,
		);
	});

	test('no msisdn, an empty one, or only commas → No numbers specified, nothing charged', async () => {
		const sb = await start();
		for (const params of [{ ...DEMO }, { ...DEMO, msisdn: '' }, { ...DEMO, msisdn: ' , ,,' }]) {
			const reply = await call(sb, { ...params, format: 'json' });
			expect(reply).toMatchObject({ status: 200, text: 'No numbers specified' });
		}
		expect(sb.requests.map((r) => r.outcome)).toEqual(['no_numbers', 'no_numbers', 'no_numbers']);
		expect(sb.balance('demo')).toBe(10000);
	});

	test('more than 100 numbers → Request too long; exactly 100 pass', async () => {
		const sb = await start();
		expect((await call(sb, { ...DEMO, msisdn: numbers(101) })).text).toBe('Request too long');
		expect(sb.balance('demo')).toBe(10000);
		const reply = await call(sb, { ...DEMO, msisdn: numbers(100), format: 'json' });
		expect(JSON.parse(reply.text)).toHaveLength(100);
		expect(sb.balance('demo')).toBe(9900);
	});

	test('maxPerRequest 10 reproduces the older "more than ten" rule', async () => {
		const sb = await start({ maxPerRequest: 10 });
		expect((await call(sb, { ...DEMO, msisdn: numbers(11) })).text).toBe('Request too long');
		expect((await lookupJson(sb, numbers(10).split(','))).length).toBe(10);
	});

	test('credit below the whole request cost → FAIL Insufficient credit, nothing charged', async () => {
		const sb = await start();
		sb.setCredit('demo', 2);
		expect((await call(sb, { ...DEMO, msisdn: numbers(3) })).text).toBe('FAIL Insufficient credit');
		expect(sb.balance('demo')).toBe(2);
		expect(sb.ledger.entries).toHaveLength(0);
		const answers = await lookupJson(sb, numbers(2).split(','));
		expect(answers.map((a) => a.userbalance)).toEqual(['1.00', '0.00']);
		expect((await call(sb, { ...DEMO, msisdn: LIVE })).text).toBe('FAIL Insufficient credit');
		expect(sb.requests.map((r) => r.outcome)).toEqual([
			'insufficient_credit',
			'ok',
			'insufficient_credit',
		]);
	});

	test('with msc=1 the request must cover 1.20 per number', async () => {
		const sb = await start();
		sb.setCredit('demo', 2.3);
		expect((await call(sb, { ...DEMO, msisdn: numbers(2), msc: '1' })).text).toBe(
			'FAIL Insufficient credit',
		);
		expect((await lookupJson(sb, numbers(2).split(','))).length).toBe(2);
		expect(sb.balance('demo')).toBeCloseTo(0.3, 5);
	});

	test('concurrent requests of one account cannot overdraw it (whole cost reserved up front)', async () => {
		const sb = await start({ latency: { perNumberMs: 20 } });
		sb.setCredit('demo', 5);
		const replies = await Promise.all(
			[0, 1, 2].map(() => call(sb, { ...DEMO, msisdn: numbers(2), format: 'json' })),
		);
		const texts = replies.map((r) => r.text);
		expect(texts.filter((t) => t === 'FAIL Insufficient credit')).toHaveLength(1);
		expect(sb.balance('demo')).toBe(1);
	});

	test("textErrorStatus 'http' gives each text error a real status; the words stay the same", async () => {
		const sb = await start({ textErrorStatus: 'http', maxConnections: 1, retryAfterSeconds: 2 });
		const first = new Client(sb.origin);
		const other = new Client(sb.origin);
		try {
			const via = { dispatcher: first };
			expect(await call(sb, { user: 'demo', pass: 'x', msisdn: LIVE }, via)).toMatchObject({
				status: 401,
				text: 'FAIL Invalid password',
			});
			expect(await call(sb, { ...DEMO }, via)).toMatchObject({
				status: 400,
				text: 'No numbers specified',
			});
			expect(await call(sb, { ...DEMO, msisdn: numbers(101) }, via)).toMatchObject({
				status: 413,
				text: 'Request too long',
			});
			sb.setCredit('demo', 0);
			expect(await call(sb, { ...DEMO, msisdn: LIVE }, via)).toMatchObject({
				status: 402,
				text: 'FAIL Insufficient credit',
			});
			expect(new Set(sb.requests.map((r) => r.socketId)).size).toBe(1);
			// A second socket of the account while the first is still open (keep-alive) is refused with 429.
			const res = await other.request({
				path: '/npl?user=demo&pass=demo&query=balance',
				method: 'GET',
			});
			expect(res.statusCode).toBe(429);
			expect(res.headers['retry-after']).toBe('2');
			expect(await res.body.text()).toBe('ERR RATE_LIMIT_EXCEEDED');
		} finally {
			await Promise.all([first.close(), other.close()]);
		}
	});
});

describe('query=balance', () => {
	test.each([
		['plain', '9998.80', 'text/plain; charset=utf-8'],
		['ok', 'OK 9998.80', 'text/plain; charset=utf-8'],
		['json', '{"balance":9998.8}', 'application/json; charset=utf-8'],
	] as const)('balanceFormat %s → %s', async (balanceFormat, expected, contentType) => {
		const sb = await start({ balanceFormat });
		await lookupJson(sb, [LIVE], { msc: '1' });
		const reply = await call(sb, { ...DEMO, query: 'balance' });
		expect(reply).toMatchObject({ status: 200, text: expected });
		expect(reply.headers['content-type']).toBe(contentType);
	});

	test('works with GET, costs nothing, wins over msisdn, and checks the password', async () => {
		const sb = await start();
		expect((await call(sb, { ...DEMO, query: 'balance' }, { method: 'GET' })).text).toBe(
			'10000.00',
		);
		expect((await call(sb, { ...DEMO, query: 'balance', msisdn: LIVE })).text).toBe('10000.00');
		expect((await call(sb, { user: 'demo', pass: 'nope', query: 'balance' })).text).toBe(
			'FAIL Invalid password',
		);
		expect(sb.ledger.entries).toHaveLength(0);
		expect(sb.requests.map((r) => r.kind)).toEqual(['balance', 'balance', 'balance']);
	});

	test('several accounts keep separate credit', async () => {
		const sb = await start({
			accounts: [
				{ user: 'a', pass: 'pa', credit: 5 },
				{ user: 'b', pass: 'pb', credit: 7.5 },
			],
		});
		await call(sb, { user: 'a', pass: 'pa', msisdn: LIVE });
		expect((await call(sb, { user: 'a', pass: 'pa', query: 'balance' })).text).toBe('4.00');
		expect((await call(sb, { user: 'b', pass: 'pb', query: 'balance' })).text).toBe('7.50');
		expect((await call(sb, { user: 'a', pass: 'pb', query: 'balance' })).text).toBe(
			'FAIL Invalid password',
		);
		expect(() => sb.balance('c')).toThrow(RangeError);
	});
});
