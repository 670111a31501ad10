import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../harness/n8nEngine';
import { credentialFor, jsonOf, useSandbox } from './sandboxAccount';

const sandboxes = useSandbox();

const numbers = (count: number, from = 0) =>
	Array.from({ length: count }, (_, i) => ({ phone: `447788${String(from + i).padStart(6, '0')}` }));

const lookup = { operation: 'lookup', phoneNumber: '={{ $json.phone }}' };

describe('Look Up Number when the service misbehaves', () => {
	it('stops when credit runs out part-way: paid numbers Valid, the rest Not Looked Up with the reason', async () => {
		const sandbox = await sandboxes.start({ accounts: [{ user: 'demo', pass: 'demo', credit: 150 }] });
		const { outputs, error } = await runNode({
			items: numbers(400),
			parameters: { ...lookup, options: { maxConnections: 1 } },
			credential: credentialFor(sandbox),
		});
		expect(error).toBeUndefined();
		const all = outputs.flat().map((item) => item.json as IDataObject);
		expect(all).toHaveLength(400);
		const lookedUp = all.filter((json) => json.lookedUp);
		const notLookedUp = jsonOf(outputs[3]);
		expect(lookedUp.length + notLookedUp.length).toBe(400);
		expect(notLookedUp.length).toBeGreaterThan(0);
		expect(notLookedUp.every((json) => json.reason === 'insufficient_credit')).toBe(true);
		expect(notLookedUp[0].reasonText).toMatch(/credit/i);
		expect(sandbox.ledger.entries).toHaveLength(lookedUp.length);
		expect(sandbox.ledger.totalCharged()).toBeLessThanOrEqual(150);
	});

	it('stops before Max Credits is passed', async () => {
		const sandbox = await sandboxes.start();
		const { outputs } = await runNode({
			items: numbers(120),
			parameters: { ...lookup, options: { maxCredits: 45, numbersPerRequest: 20 } },
			credential: credentialFor(sandbox),
		});
		const notLookedUp = jsonOf(outputs[3]);
		expect(sandbox.ledger.totalCharged()).toBe(45);
		expect(notLookedUp).toHaveLength(75);
		expect(notLookedUp.every((json) => json.reason === 'credit_cap')).toBe(true);
	});

	it('keeps what arrived before a dropped connection and asks again only for the rest', async () => {
		const sandbox = await sandboxes.start({ faults: { drop: { rate: 0.5, afterObjects: 7 } } });
		const { outputs, error } = await runNode({
			items: numbers(300),
			parameters: { ...lookup, options: { numbersPerRequest: 25 } },
			credential: credentialFor(sandbox),
		});
		expect(error).toBeUndefined();
		const all = outputs.flat().map((item) => item.json as IDataObject);
		expect(all.filter((json) => json.lookedUp)).toHaveLength(300);
		expect(sandbox.requests.some((r) => r.outcome.startsWith('fault:'))).toBe(true);
		expect(sandbox.ledger.numbersChargedTwiceForDeliveredResult()).toEqual([]);
		// Charged = delivered results + the ones lost in transit (the documented unknowns).
		const delivered = sandbox.ledger.entries.filter((entry) => entry.delivered).length;
		expect(delivered).toBe(300);
	});

	it('fails the execution once, saying to check the credential, when the password is wrong', async () => {
		const sandbox = await sandboxes.start();
		const { error, outputs } = await runNode({
			items: numbers(250),
			parameters: lookup,
			credential: credentialFor(sandbox, 'demo', 'wrong-password'),
		});
		expect(error?.message).toMatch(/refused the credential/);
		expect(error?.description).toMatch(/Check the user and password/);
		expect(JSON.stringify(error)).not.toContain('wrong-password');
		expect(outputs).toEqual([]);
		expect(sandbox.requests.filter((r) => r.outcome === 'invalid_password').length).toBeLessThanOrEqual(5);
	});

	it('with continue on fail, puts every item on Not Looked Up with the credential reason instead', async () => {
		const sandbox = await sandboxes.start();
		const { error, outputs } = await runNode({
			items: [...numbers(30), { phone: 'garbage' }],
			parameters: lookup,
			credential: credentialFor(sandbox, 'demo', 'wrong-password'),
			onError: 'continueRegularOutput',
		});
		expect(error).toBeUndefined();
		const notLookedUp = jsonOf(outputs[3]);
		expect(notLookedUp).toHaveLength(30);
		expect(notLookedUp.every((json) => json.reason === 'invalid_credentials')).toBe(true);
		expect(jsonOf(outputs[1]).map((json) => json.input)).toEqual(['garbage']);
	});

	it('fails clearly when the service cannot be reached at all, and routes with continue on fail', async () => {
		const sandbox = await sandboxes.start();
		const baseUrl = sandbox.url;
		await sandbox.close();
		const credential = { user: 'demo', password: 'demo', baseUrl };
		const parameters = { ...lookup };
		const failed = await runNode({ items: numbers(3), parameters, credential });
		expect(failed.error?.message).toMatch(/could not be used/);
		expect(failed.error?.description).toMatch(/ECONNREFUSED/);

		const routed = await runNode({ items: numbers(3), parameters, credential, onError: 'continueRegularOutput' });
		expect(jsonOf(routed.outputs[3]).map((json) => json.reason)).toEqual(Array(3).fill('network_error'));
	}, 60_000);

	it('shares one connection budget between two executions on the same account', async () => {
		const sandbox = await sandboxes.start({ maxConnections: 3, latency: { baseMs: 30, perNumberMs: 1 } });
		const run = (from: number) =>
			runNode({
				items: numbers(200, from),
				parameters: { ...lookup, options: { numbersPerRequest: 10, maxConnections: 3 } },
				credential: credentialFor(sandbox),
			});
		const [first, second] = await Promise.all([run(0), run(1000)]);
		for (const { outputs, error } of [first, second]) {
			expect(error).toBeUndefined();
			expect(outputs.flat().filter((item) => (item.json as IDataObject).lookedUp)).toHaveLength(200);
		}
		expect(sandbox.connections.peakOpenSockets('demo')).toBeLessThanOrEqual(3);
		expect(sandbox.requests.filter((r) => r.outcome === 'rate_limited')).toEqual([]);
	});
});

describe('an answer that stalls half-way', () => {
	it('times out on the Timeout setting, keeps the objects read before, and loses no number', async () => {
		// Two objects of a JSON answer, then silence: n8n's own client times out until the headers
		// only, so the verified package watches the body itself (the queue-mode one: undici's bodyTimeout).
		const requests: string[] = [];
		const server = http.createServer((req, res) => {
			let body = '';
			req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
			req.on('end', () => {
				requests.push(body);
				const numbers = (new URLSearchParams(body).get('msisdn') ?? '').split(',');
				res.writeHead(200, { 'content-type': 'application/json' });
				const object = (msisdn: string) =>
					JSON.stringify({ msisdn, errorcode: '0', validnumber: 'true', transactioncost: '1.00' });
				// The first answer brings two objects, later ones none: then nothing until the client gives up.
				res.write(requests.length === 1 ? `[${object(numbers[0])},${object(numbers[1])},` : '[');
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/npl`;
		const started = Date.now();
		try {
			const { outputs, error } = await runNode({
				items: numbers(5),
				parameters: { ...lookup, options: { timeout: 1, maxConnections: 1 } },
				credential: { user: 'demo', password: 'demo', baseUrl: url },
				onError: 'continueRegularOutput',
			});
			expect(error).toBeUndefined();
			const all = outputs.flat().map((item) => item.json as IDataObject);
			expect(all).toHaveLength(5);
			// The first request's two objects were kept; the other three were asked again, and again.
			expect(all.map((json) => json.reason)).toEqual([null, null, 'timeout', 'timeout', 'timeout']);
			const timedOut = all.filter((json) => json.reason === 'timeout');
			expect(String(timedOut[0].reasonText)).toMatch(/did not answer in time/);
			expect(requests.length).toBeGreaterThan(1);
		} finally {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		}
		// Four attempts, each cut after about a second (and back-off between), not the run's 2 minutes.
		expect(Date.now() - started).toBeLessThan(30_000);
	});
});
