import { TEST_NUMBERS } from '../../sandbox';
import { call, DEMO, GSM_FIELDS, lookupJson, sandboxes, settled } from './helpers';

const start = sandboxes();
const LIVE = TEST_NUMBERS[0];
const ABSENT = TEST_NUMBERS[6];
const PORTED = TEST_NUMBERS.ported;

describe('sandbox protocol: methods, formats, values', () => {
	test('POST form body, format=json: a top-level array, one object per number, in order', async () => {
		const sb = await start();
		const answers = await lookupJson(sb, [LIVE, ABSENT, PORTED]);
		expect(answers.map((a) => a.msisdn)).toEqual([LIVE, ABSENT, PORTED]);
		for (const answer of answers) {
			expect(Object.keys(answer).sort()).toEqual(GSM_FIELDS);
			for (const value of Object.values(answer)) expect(typeof value).toBe('string');
		}
		expect(answers[0]).toMatchObject({
			errorcode: '0',
			errortext: 'Lookup Complete',
			mobile: 'true',
			landline: 'false',
			ported: 'false',
			reachable: 'true',
			validnumber: 'true',
			transactioncost: '1.00',
			userbalance: '9999.00',
			countrycode: '44',
			countryiso: 'GB',
			countryname: 'United Kingdom',
			localformat: '07400 900000',
			mcc: '234',
			mnc: '15',
			plmn: '23415',
			operatorname: 'Vodafone UK',
			numbertype: 'MOBILE',
			timezone: 'Europe/London',
		});
		expect(answers[0].imsi).toMatch(/^23415\d{4}0{6}$/);
	});

	test('GET with a query string answers the same as POST', async () => {
		const sb = await start();
		const viaPost = await lookupJson(sb, [LIVE, PORTED]);
		const viaGet = await lookupJson(sb, [LIVE, PORTED], {}, { method: 'GET' });
		const strip = (list: Array<Record<string, unknown>>) =>
			list.map((answer) => ({ ...answer, userbalance: null }));
		expect(strip(viaGet)).toEqual(strip(viaPost));
		expect(viaGet[1].userbalance).toBe('9996.00');
		expect(sb.requests.map((r) => r.method)).toEqual(['POST', 'GET']);
	});

	test('query string and body are merged; the body wins for a key in both', async () => {
		const sb = await start();
		const reply = await call(
			sb,
			{ pass: 'demo', msisdn: ABSENT, format: 'json' },
			{ query: { user: 'demo', msisdn: LIVE } },
		);
		const answers = JSON.parse(reply.text) as Array<Record<string, string>>;
		expect(answers.map((a) => a.msisdn)).toEqual([ABSENT]);
		expect(sb.requests[0].queryKeys.sort()).toEqual(['msisdn', 'user']);
		expect(sb.requests[0].bodyKeys.sort()).toEqual(['format', 'msisdn', 'pass']);
	});

	test('unknown parameters are ignored', async () => {
		const sb = await start();
		const answers = await lookupJson(sb, [LIVE], { foo: 'bar', callback: 'x', Format: 'csv' });
		expect(answers).toHaveLength(1);
		expect(answers[0].errorcode).toBe('0');
	});

	test('legacy CSV without format=json: one "msisdn plmn,imsi,msc" line per number', async () => {
		const sb = await start();
		const reply = await call(sb, {
			...DEMO,
			msisdn: [LIVE, ABSENT, TEST_NUMBERS.nanpMobile].join(','),
		});
		expect(reply.status).toBe(200);
		expect(reply.headers['content-type']).toMatch(/^text\/plain/);
		const lines = reply.text.split('\n');
		expect(lines.pop()).toBe('');
		expect(lines[0]).toMatch(/^447400900000 23415,23415\d{4}000000,$/);
		expect(lines[1]).toBe('447400900006 23415,,');
		expect(lines[2]).toBe('12015550100 ,,');
	});

	test('CSV with msc=1 fills the msc prefix (up to 5 digits) and costs 1.20', async () => {
		const sb = await start();
		const reply = await call(sb, { ...DEMO, msisdn: `${LIVE},${ABSENT}`, msc: '1' });
		const [live, absent] = reply.text.trim().split('\n');
		expect(live).toMatch(/^447400900000 23415,\d{15},44\d{3}$/);
		expect(absent).toBe('447400900006 23415,,');
		expect(sb.balance('demo')).toBeCloseTo(10000 - 2.4, 2);
	});

	test('credit goes down 1.00 per lookup; userbalance is the balance after each deduction', async () => {
		const sb = await start();
		const answers = await lookupJson(sb, [LIVE, ABSENT, PORTED]);
		expect(answers.map((a) => a.transactioncost)).toEqual(['1.00', '1.00', '1.00']);
		expect(answers.map((a) => a.userbalance)).toEqual(['9999.00', '9998.00', '9997.00']);
		expect(sb.balance('demo')).toBe(9997);
	});

	test('msc=1 costs 1.20 per lookup and adds the msc field', async () => {
		const sb = await start();
		const answers = await lookupJson(sb, [LIVE, ABSENT], { msc: '1' });
		expect(answers.map((a) => a.transactioncost)).toEqual(['1.20', '1.20']);
		expect(answers.map((a) => a.userbalance)).toEqual(['9998.80', '9997.60']);
		expect(Object.keys(answers[0]).sort()).toEqual([...GSM_FIELDS, 'msc'].sort());
		expect(answers[0].msc).toMatch(/^44\d{3}$/);
		expect(answers[1].msc).toBe('');
		expect(sb.balance('demo')).toBe(9997.6);
		expect(sb.ledger.entries.map((e) => e.cost)).toEqual([1.2, 1.2]);
		const plain = await lookupJson(sb, [LIVE], { msc: '0' });
		expect(plain[0]).not.toHaveProperty('msc');
		expect(plain[0].transactioncost).toBe('1.00');
	});

	test('not ported: original* fields are present and empty; ported: filled with the range holder', async () => {
		const sb = await start();
		const [live, ported] = await lookupJson(sb, [LIVE, PORTED]);
		for (const key of ['originalmcc', 'originalmnc', 'originalcarrier', 'originaloperatorname']) {
			expect(live[key]).toBe('');
		}
		expect(ported).toMatchObject({
			ported: 'true',
			operatorname: 'O2 UK',
			plmn: '23410',
			originalmcc: '234',
			originalmnc: '15',
			originalcarrier: 'Vodafone UK',
			originaloperatorname: 'Vodafone UK',
		});
	});

	test('entries are trimmed, a leading + is dropped, empty entries are skipped, duplicates are charged each', async () => {
		const sb = await start();
		const answers = await lookupJson(sb, [` +${LIVE} `, '', LIVE, ' ']);
		expect(answers.map((a) => a.msisdn)).toEqual([LIVE, LIVE]);
		expect(sb.requests[0].numbers).toEqual([`+${LIVE}`, LIVE]);
		expect(sb.ledger.entries.map((e) => e.msisdn)).toEqual([LIVE, LIVE]);
		expect(sb.balance('demo')).toBe(9998);
	});

	test('format=JSON and msc are read as documented (format case-insensitive, msc only "1")', async () => {
		const sb = await start();
		const reply = await call(sb, { ...DEMO, msisdn: LIVE, format: 'JSON', msc: 'true' });
		const [answer] = JSON.parse(reply.text) as Array<Record<string, string>>;
		expect(answer.transactioncost).toBe('1.00');
	});

	test('headers: JSON content type, request id, and the request record', async () => {
		const sb = await start();
		const reply = await call(sb, { ...DEMO, msisdn: `${LIVE},${ABSENT}`, format: 'json' });
		expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
		expect(reply.headers['x-sandbox-request-id']).toBe('1');
		await settled(sb);
		expect(sb.requests[0]).toMatchObject({
			id: 1,
			account: 'demo',
			user: 'demo',
			method: 'POST',
			path: '/npl',
			url: '/npl',
			kind: 'lookup',
			format: 'json',
			numbers: [LIVE, ABSENT],
			outcome: 'ok',
			status: 200,
			charged: 2,
			delivered: 2,
			passwordInUrl: false,
			clientAborted: false,
		});
	});

	test('request ids keep counting when a test empties sb.requests', async () => {
		const sb = await start();
		await call(sb, { ...DEMO, query: 'balance' });
		sb.requests.length = 0;
		const reply = await call(sb, { ...DEMO, query: 'balance' });
		expect(reply.headers['x-sandbox-request-id']).toBe('2');
		expect(sb.requests.map((r) => r.id)).toEqual([2]);
	});

	test('the raw URL is recorded, so a password sent in the URL is visible to tests', async () => {
		const sb = await start();
		await call(sb, { ...DEMO, msisdn: LIVE });
		await call(sb, { ...DEMO, msisdn: LIVE }, { method: 'GET' });
		expect(sb.requests[0].url).toBe('/npl');
		expect(sb.requests[0].passwordInUrl).toBe(false);
		expect(sb.requests[1].url).toContain('pass=demo');
		expect(sb.requests[1].passwordInUrl).toBe(true);
	});

	test('/npl/ is the same endpoint; other paths are 404', async () => {
		const sb = await start();
		const { request } = await import('undici');
		const slash = await request(`${sb.origin}/npl/?user=demo&pass=demo&query=balance`);
		expect(await slash.body.text()).toBe('10000.00');
		const other = await request(`${sb.origin}/api/npl?user=demo&pass=demo&query=balance`);
		expect(other.statusCode).toBe(404);
		await other.body.text();
	});
});
