import { request } from 'undici';

import { Ledger, TEST_NUMBERS, type Sandbox } from '../../sandbox';
import { call, DEMO, lookupJson, poolFor, sandboxes, settled } from './helpers';

const start = sandboxes();
const [A, B, C] = [TEST_NUMBERS[0], TEST_NUMBERS.ported, TEST_NUMBERS[6]];

async function adminGet(sb: Sandbox, path: string): Promise<{ status: number; body: unknown }> {
	const res = await request(`${sb.origin}${path}`, { dispatcher: poolFor(sb) });
	const text = await res.body.text();
	return {
		status: res.statusCode,
		body: res.headers['content-type']?.toString().includes('json') ? JSON.parse(text) : text,
	};
}

/** Reads an answer that may be cut off; resolves with whatever arrived. */
async function readCut(sb: Sandbox, numbers: string[]): Promise<string> {
	let text = '';
	try {
		const res = await request(sb.url, {
			method: 'POST',
			body: new URLSearchParams({ ...DEMO, format: 'json', msisdn: numbers.join(',') }).toString(),
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			dispatcher: poolFor(sb),
		});
		for await (const chunk of res.body) text += chunk.toString();
	} catch {
		// cut off: expected
	}
	return text;
}

describe('Ledger (unit)', () => {
	test('totals, grouping and undelivered', () => {
		const ledger = new Ledger();
		const e1 = ledger.charge('a', A, 100, 1);
		ledger.charge('a', B, 120, 1);
		ledger.charge('b', A, 100, 2);
		e1.delivered = true;
		expect(ledger.entries.map((e) => e.seq)).toEqual([1, 2, 3]);
		expect(ledger.totalCharged()).toBe(3.2);
		expect(ledger.totalCharged('a')).toBe(2.2);
		expect(ledger.totalCharged('nobody')).toBe(0);
		expect([...ledger.chargesByNumber().keys()]).toEqual([A, B]);
		expect(
			ledger
				.chargesByNumber()
				.get(A)
				?.map((e) => e.account),
		).toEqual(['a', 'b']);
		expect(ledger.chargesByNumber('b').get(A)).toHaveLength(1);
		expect(ledger.undelivered().map((e) => e.seq)).toEqual([2, 3]);
		ledger.clear();
		expect(ledger.entries).toHaveLength(0);
		expect(ledger.charge('a', A, 100, 3).seq).toBe(4);
	});

	test('numbersChargedTwiceForDeliveredResult: only a charge after a delivered one counts, per account', () => {
		const ledger = new Ledger();
		// A: delivered, then charged again → paid twice for a result already received.
		ledger.charge('a', A, 100, 1).delivered = true;
		ledger.charge('a', A, 100, 2);
		// B: undelivered (dropped), then charged again → a fair retry.
		ledger.charge('a', B, 100, 1);
		ledger.charge('a', B, 100, 2).delivered = true;
		// C: delivered for account a, charged for account b → different customers, not a double charge.
		ledger.charge('a', C, 100, 1).delivered = true;
		ledger.charge('b', C, 100, 3);
		expect(ledger.numbersChargedTwiceForDeliveredResult()).toEqual([A]);
		expect(ledger.numbersChargedTwiceForDeliveredResult('b')).toEqual([]);
	});
});

describe('ledger over HTTP', () => {
	test('one entry per charged number, with account, msisdn, cost, request id, delivered', async () => {
		const sb = await start({
			accounts: [
				{ user: 'demo', pass: 'demo', credit: 100 },
				{ user: 'acme', pass: 's3cret', credit: 50 },
			],
		});
		await lookupJson(sb, [A, B]);
		await lookupJson(sb, [C], { user: 'acme', pass: 's3cret', msc: '1' });
		await settled(sb);
		expect(
			sb.ledger.entries.map(({ account, msisdn, cost, requestId, delivered }) => ({
				account,
				msisdn,
				cost,
				requestId,
				delivered,
			})),
		).toEqual([
			{ account: 'demo', msisdn: A, cost: 1, requestId: 1, delivered: true },
			{ account: 'demo', msisdn: B, cost: 1, requestId: 1, delivered: true },
			{ account: 'acme', msisdn: C, cost: 1.2, requestId: 2, delivered: true },
		]);
		expect(sb.ledger.totalCharged('demo')).toBe(2);
		expect(sb.ledger.totalCharged('acme')).toBe(1.2);
		expect(sb.balance('acme')).toBe(48.8);
	});

	test('text errors and faults answered before charging leave no entry', async () => {
		const sb = await start({ faults: { httpError: { rate: 1 } } });
		await call(sb, { ...DEMO, msisdn: A });
		await call(sb, { user: 'demo', pass: 'x', msisdn: A });
		await call(sb, { ...DEMO });
		expect(sb.ledger.entries).toHaveLength(0);
	});

	test('a drop then a retry of the missing numbers is not paying twice; asking again for a delivered one is', async () => {
		const sb = await start({ faults: { drop: { rate: 1, afterObjects: 1 } } });
		const cut = await readCut(sb, [A, B, C]);
		expect(cut).toContain(A);
		await settled(sb);
		// A was delivered, B charged but cut, C never charged.
		expect(sb.ledger.entries.map((e) => [e.msisdn, e.delivered])).toEqual([
			[A, true],
			[B, false],
		]);
		expect(sb.ledger.numbersChargedTwiceForDeliveredResult()).toEqual([]);
		// A careful client asks again only for B and C (this attempt is dropped after B).
		await readCut(sb, [B, C]);
		await settled(sb);
		expect(sb.ledger.numbersChargedTwiceForDeliveredResult()).toEqual([]);
		// A careless one asks for A again.
		await readCut(sb, [A]);
		await settled(sb);
		expect(sb.ledger.numbersChargedTwiceForDeliveredResult()).toEqual([A]);
		expect(sb.ledger.chargesByNumber().get(A)).toHaveLength(2);
	});
});

describe('admin path', () => {
	test('off by default: /__admin/* is 404 like any unknown path', async () => {
		const sb = await start();
		await lookupJson(sb, [A]);
		for (const path of [
			'/__admin/ledger',
			'/__admin/requests',
			'/__admin/connections',
			'/__admin/accounts',
		]) {
			const { status, body } = await adminGet(sb, path);
			expect(status).toBe(404);
			expect(JSON.stringify(body)).not.toContain(A);
		}
	});

	test('on with admin: true: ledger, requests (password redacted), connections, accounts', async () => {
		const sb = await start({ admin: true });
		await lookupJson(sb, [A, B], {}, { method: 'GET' });
		await settled(sb);
		const ledger = (await adminGet(sb, '/__admin/ledger')) as {
			status: number;
			body: Record<string, unknown>;
		};
		expect(ledger.status).toBe(200);
		expect(ledger.body).toMatchObject({
			totalCharged: 2,
			byAccount: { demo: 2 },
			undelivered: 0,
			numbersChargedTwiceForDeliveredResult: [],
		});
		expect((ledger.body.entries as Array<{ msisdn: string }>).map((e) => e.msisdn)).toEqual([A, B]);

		const requests = await adminGet(sb, '/__admin/requests');
		const text = JSON.stringify(requests.body);
		expect(text).toContain('pass=***');
		expect(text).not.toContain('pass=demo');
		expect((requests.body as unknown[]).length).toBe(1); // admin requests are not recorded

		const connections = await adminGet(sb, '/__admin/connections');
		expect(connections.body).toMatchObject({ accounts: { demo: { peak: 1 } } });
		const accounts = await adminGet(sb, '/__admin/accounts');
		expect(accounts.body).toEqual([{ user: 'demo', balance: 9998 }]);
		expect(JSON.stringify(accounts.body)).not.toContain('"pass"');

		expect((await adminGet(sb, '/__admin/nothing')).status).toBe(404);
		const post = await request(`${sb.origin}/__admin/ledger`, {
			method: 'POST',
			body: '',
			dispatcher: poolFor(sb),
		});
		expect(post.statusCode).toBe(405);
		await post.body.text();
	});
});
