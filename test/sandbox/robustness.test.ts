import { connect } from 'node:net';

import { Pool, request } from 'undici';

import { TEST_NUMBERS, type Sandbox } from '../../sandbox';
import { call, DEMO, lookupJson, poolFor, sandboxes, settled } from './helpers';

const start = sandboxes();
const LIVE = TEST_NUMBERS[0];

/** Sends raw bytes and collects what comes back until the server closes (or 3 s pass). */
function raw(sb: Sandbox, bytes: string | Buffer, { endAfterWrite = false } = {}): Promise<string> {
	return new Promise((resolve) => {
		let received = '';
		const socket = connect(sb.port, '127.0.0.1', () => {
			socket.write(bytes);
			if (endAfterWrite) socket.end();
		});
		const timer = setTimeout(() => socket.destroy(), 3000);
		socket.on('data', (chunk) => (received += chunk.toString('latin1')));
		socket.on('error', () => undefined);
		socket.on('close', () => {
			clearTimeout(timer);
			resolve(received);
		});
	});
}

const statusOf = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);

async function stillAnswers(sb: Sandbox): Promise<void> {
	const [answer] = await lookupJson(sb, [LIVE]);
	expect(answer.errorcode).toBe('0');
}

describe('1,000 concurrent connections', () => {
	test('all answered when the account may hold them; the server keeps answering', async () => {
		const sb = await start({ maxConnections: 1000 });
		const pool = new Pool(sb.origin, { connections: 1000 });
		const t0 = Date.now();
		try {
			const replies = await Promise.all(
				Array.from({ length: 1000 }, async (_, i) => {
					const res = await pool.request({
						path: '/npl',
						method: 'POST',
						body: `user=demo&pass=demo&format=json&msisdn=4475${String(10000000 + i * 37)}`,
						headers: { 'content-type': 'application/x-www-form-urlencoded' },
					});
					return { status: res.statusCode, text: await res.body.text() };
				}),
			);
			expect(replies.every((r) => r.status === 200 && r.text.startsWith('[{'))).toBe(true);
			expect(Date.now() - t0).toBeLessThan(20_000);
			expect(sb.connections.peakOpenSockets()).toBeGreaterThan(100);
			expect(sb.ledger.entries).toHaveLength(1000);
			expect(sb.balance('demo')).toBe(9000);
		} finally {
			await pool.destroy();
		}
		await stillAnswers(sb);
	});

	test('300 at once with the default limit of 5: each gets an answer, never more than 5 sockets per account', async () => {
		const sb = await start({ latency: { baseMs: 50 } });
		const pool = new Pool(sb.origin, { connections: 300 });
		try {
			const texts = await Promise.all(
				Array.from({ length: 300 }, async () => {
					const res = await pool.request({
						path: '/npl',
						method: 'POST',
						body: `user=demo&pass=demo&format=json&msisdn=${LIVE}`,
						headers: { 'content-type': 'application/x-www-form-urlencoded' },
					});
					return res.body.text();
				}),
			);
			const ok = texts.filter((t) => t.startsWith('[{')).length;
			const refused = texts.filter((t) => t === 'ERR RATE_LIMIT_EXCEEDED').length;
			expect(ok + refused).toBe(300);
			expect(ok).toBeGreaterThanOrEqual(5);
			expect(refused).toBeGreaterThan(0);
			expect(sb.connections.peakOpenSockets('demo')).toBeLessThanOrEqual(5);
			expect(sb.ledger.entries).toHaveLength(ok);
		} finally {
			await pool.destroy();
		}
		await settled(sb);
		await stillAnswers(sb);
	});
});

describe('malformed requests never crash the server', () => {
	test('garbage instead of HTTP → 400 from the parser, counted as a protocol error', async () => {
		const sb = await start();
		expect(statusOf(await raw(sb, 'HELLO WORLD\r\n\r\n'))).toBe(400);
		expect(statusOf(await raw(sb, Buffer.from([0, 255, 1, 254, 13, 10, 13, 10])))).toBe(400);
		expect(statusOf(await raw(sb, 'BREW /npl HTTP/1.1\r\nHost: x\r\n\r\n'))).toBe(400);
		expect(sb.connections.protocolErrors()).toBeGreaterThanOrEqual(3);
		await stillAnswers(sb);
	});

	test('a request cut in the middle, and a client that vanishes mid-body', async () => {
		const sb = await start();
		await raw(sb, 'POST /npl HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\nuser=demo&pa', {
			endAfterWrite: true,
		});
		await raw(sb, 'GET /npl?user=demo&pass=de', { endAfterWrite: true });
		await stillAnswers(sb);
	});

	test('headers too large → 431', async () => {
		const sb = await start();
		const response = await raw(
			sb,
			`GET /npl HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`,
		);
		expect(statusOf(response)).toBe(431);
		await stillAnswers(sb);
	});

	test('other methods → 405 with Allow; other paths → 404', async () => {
		const sb = await start();
		for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const) {
			const res = await request(`${sb.url}?user=demo&pass=demo&msisdn=${LIVE}`, {
				method,
				dispatcher: poolFor(sb),
			});
			expect(res.statusCode).toBe(405);
			expect(res.headers.allow).toBe('GET, POST');
			await res.body.text();
		}
		const head = await request(sb.url, { method: 'HEAD', dispatcher: poolFor(sb) });
		expect(head.statusCode).toBe(405);
		await head.body.text();
		for (const path of ['/', '/npl/x', '/../../etc/passwd', '/NPL', '/favicon.ico']) {
			const res = await request(`${sb.origin}${path}`, { dispatcher: poolFor(sb) });
			expect(res.statusCode).toBe(404);
			expect(await res.body.text()).toBe('Not found');
		}
		expect(
			statusOf(
				await raw(
					sb,
					'GET http://elsewhere.example/npl?user=demo&pass=demo&query=balance HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
				),
			),
		).toBe(200);
		expect(sb.ledger.entries).toHaveLength(0);
	});

	test('bad percent-encoding in path, query or body → 400 Bad request, nothing charged', async () => {
		const sb = await start();
		for (const target of [
			'/npl?user=demo&pass=demo&msisdn=%ZZ',
			'/npl?user=demo&pass=%E0%A4%A',
			'/%E0%A4%A?x=1',
		]) {
			const response = await raw(
				sb,
				`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
			);
			expect(statusOf(response)).toBe(400);
			expect(response.endsWith('Bad request')).toBe(true);
		}
		const res = await request(sb.url, {
			method: 'POST',
			body: `user=demo&pass=demo&msisdn=${LIVE}%`,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			dispatcher: poolFor(sb),
		});
		expect(res.statusCode).toBe(400);
		expect(await res.body.text()).toBe('Bad request');
		expect(sb.ledger.entries).toHaveLength(0);
		expect(sb.requests.filter((r) => r.outcome === 'bad_request').length).toBeGreaterThanOrEqual(3);
		await stillAnswers(sb);
	});

	test('a body above maxBodyBytes → 413 (declared length or streamed), nothing charged', async () => {
		const sb = await start({ maxBodyBytes: 2048 });
		const big = `user=demo&pass=demo&msisdn=${Array(400).fill(LIVE).join(',')}`;
		expect(big.length).toBeGreaterThan(2048);
		const declared = await call(sb, { ...DEMO, msisdn: Array(400).fill(LIVE).join(',') });
		expect(declared.status).toBe(413);
		expect(declared.text).toBe('Request body too large (limit 2048 bytes)');
		const { Readable } = await import('node:stream');
		const streamed = await request(sb.url, {
			method: 'POST',
			body: Readable.from([big.slice(0, 1000), big.slice(1000)]),
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			dispatcher: poolFor(sb),
		});
		expect(streamed.statusCode).toBe(413);
		await streamed.body.text();
		expect(sb.ledger.entries).toHaveLength(0);
		expect(sb.requests.map((r) => r.outcome)).toEqual(['body_too_large', 'body_too_large']);
		await stillAnswers(sb);
	});

	test('the default cap (64 KiB) holds 100 numbers with room to spare', async () => {
		const sb = await start();
		expect(sb.options.maxBodyBytes).toBe(65536);
		const hundred = Array.from(
			{ length: 100 },
			(_, i) => `4474009005${String(i).padStart(2, '0')}`,
		);
		expect(await lookupJson(sb, hundred)).toHaveLength(100);
	});

	test('a body that is not a form is ignored (only the query string counts)', async () => {
		const sb = await start();
		const res = await request(`${sb.url}?user=demo&pass=demo`, {
			method: 'POST',
			body: JSON.stringify({ msisdn: LIVE }),
			headers: { 'content-type': 'application/json' },
			dispatcher: poolFor(sb),
		});
		expect(await res.body.text()).toBe('No numbers specified');
	});

	test('odd but legal parameters: repeated keys (last wins), keys without value, unicode', async () => {
		const sb = await start();
		const reply = await call(sb, {}, { query: {} });
		expect(reply.text).toBe('FAIL Invalid password');
		const res = await request(
			`${sb.url}?user=demo&pass=demo&format=json&msisdn=1&msisdn=${LIVE}&msc&%C3%A9=%F0%9F%93%9E`,
			{ dispatcher: poolFor(sb) },
		);
		const answers = JSON.parse(await res.body.text()) as Array<Record<string, string>>;
		expect(answers.map((a) => a.msisdn)).toEqual([LIVE]);
	});
});
