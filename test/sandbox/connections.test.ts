import { connect, type Socket } from 'node:net';

import { Client, Pool } from 'undici';

import { TEST_NUMBERS, type Sandbox } from '../../sandbox';
import { sandboxes, waitFor } from './helpers';

const start = sandboxes();

interface Answer {
	status: number;
	text: string;
	connection: string | undefined;
}

async function lookupVia(
	client: Client | Pool,
	params: Record<string, string> = { user: 'demo', pass: 'demo' },
): Promise<Answer> {
	const res = await client.request({
		path: '/npl',
		method: 'POST',
		body: new URLSearchParams({ ...params, msisdn: TEST_NUMBERS[0], format: 'json' }).toString(),
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
	});
	const connection = res.headers.connection?.toString();
	return { status: res.statusCode, text: await res.body.text(), connection };
}

function clientsFor(sb: Sandbox, count: number): Client[] {
	return Array.from({ length: count }, () => new Client(sb.origin));
}

async function destroyAll(clients: Array<Client | Pool>): Promise<void> {
	await Promise.allSettled(clients.map((c) => c.destroy()));
}

describe('connection limit per account (open sockets, idle keep-alive included)', () => {
	test('5 idle keep-alive sockets fill the account; a 6th is refused; closing one frees a slot', async () => {
		const sb = await start();
		const clients = clientsFor(sb, 6);
		try {
			for (const client of clients.slice(0, 5)) {
				expect(JSON.parse((await lookupVia(client)).text)).toHaveLength(1);
			}
			// All five are idle now, yet still open: they still count.
			expect(sb.connections.openSockets('demo')).toBe(5);
			const refused = await lookupVia(clients[5]);
			expect(refused).toEqual({
				status: 200,
				text: 'ERR RATE_LIMIT_EXCEEDED',
				connection: 'close',
			});
			expect(sb.requests.at(-1)?.outcome).toBe('rate_limited');
			expect(sb.ledger.entries).toHaveLength(5);

			await clients[0].close();
			await waitFor(
				() => sb.connections.openSockets('demo') === 4,
				3000,
				'the closed socket to be counted out',
			);
			expect(JSON.parse((await lookupVia(clients[5])).text)).toHaveLength(1);
			expect(sb.connections.openSockets('demo')).toBe(5);
			expect(sb.connections.peakOpenSockets('demo')).toBe(5);
		} finally {
			await destroyAll(clients);
		}
	});

	test('the refused socket is closed by the server and never counted', async () => {
		const sb = await start({ maxConnections: 1 });
		const [first, second] = clientsFor(sb, 2);
		try {
			await lookupVia(first);
			const refused = await lookupVia(second);
			expect(refused.text).toBe('ERR RATE_LIMIT_EXCEEDED');
			await waitFor(() => sb.connections.openSockets() === 1, 3000, 'the refused socket to close');
			expect(sb.connections.peakOpenSockets('demo')).toBe(1);
		} finally {
			await destroyAll([first, second]);
		}
	});

	test('maxConnections 1 reproduces the older "one concurrent connection" rule', async () => {
		const sb = await start({ maxConnections: 1, latency: { perNumberMs: 100 } });
		const pool = new Pool(sb.origin, { connections: 2 });
		try {
			const answers = await Promise.all([lookupVia(pool), lookupVia(pool)]);
			expect(answers.map((a) => a.text.startsWith('[')).sort()).toEqual([false, true]);
			expect(answers.some((a) => a.text === 'ERR RATE_LIMIT_EXCEEDED')).toBe(true);
		} finally {
			await destroyAll([pool]);
		}
	});

	test('six concurrent requests on six sockets: five answered, one refused', async () => {
		const sb = await start({ latency: { baseMs: 300 } });
		const pool = new Pool(sb.origin, { connections: 6 });
		try {
			const answers = await Promise.all(Array.from({ length: 6 }, () => lookupVia(pool)));
			expect(answers.filter((a) => a.text === 'ERR RATE_LIMIT_EXCEEDED')).toHaveLength(1);
			expect(answers.filter((a) => a.text.startsWith('['))).toHaveLength(5);
			expect(sb.connections.peakOpenSockets('demo')).toBe(5);
		} finally {
			await destroyAll([pool]);
		}
	});

	test('accounts are counted separately', async () => {
		const sb = await start({
			accounts: [
				{ user: 'demo', pass: 'demo', credit: 100 },
				{ user: 'acme', pass: 'acme', credit: 100 },
			],
			maxConnections: 2,
		});
		const clients = clientsFor(sb, 4);
		try {
			await lookupVia(clients[0]);
			await lookupVia(clients[1]);
			expect(
				(await lookupVia(clients[2], { user: 'acme', pass: 'acme' })).text.startsWith('['),
			).toBe(true);
			expect((await lookupVia(clients[3])).text).toBe('ERR RATE_LIMIT_EXCEEDED');
			expect(sb.connections.openSockets('demo')).toBe(2);
			expect(sb.connections.openSockets('acme')).toBe(1);
		} finally {
			await destroyAll(clients);
		}
	});

	test('sockets without an authenticated request belong to nobody', async () => {
		const sb = await start({ maxConnections: 2 });
		const raw: Socket[] = [];
		const clients = clientsFor(sb, 3);
		try {
			for (let i = 0; i < 3; i++) {
				raw.push(
					await new Promise<Socket>((resolve) => {
						const s = connect(sb.port, '127.0.0.1', () => resolve(s));
					}),
				);
			}
			// A wrong password does not claim the socket either.
			expect((await lookupVia(clients[0], { user: 'demo', pass: 'nope' })).text).toBe(
				'FAIL Invalid password',
			);
			expect(sb.connections.openSockets('demo')).toBe(0);
			expect((await lookupVia(clients[0])).text.startsWith('[')).toBe(true);
			expect((await lookupVia(clients[1])).text.startsWith('[')).toBe(true);
			expect((await lookupVia(clients[2])).text).toBe('ERR RATE_LIMIT_EXCEEDED');
			expect(sb.connections.openSockets('demo')).toBe(2);
			expect(sb.connections.peakOpenSockets()).toBeGreaterThanOrEqual(6);
		} finally {
			raw.forEach((s) => s.destroy());
			await destroyAll(clients);
		}
	});

	test('idle keep-alive sockets are closed by the server after keepAliveTimeoutMs, freeing the slot', async () => {
		// A raw socket, so that only the server decides when the idle connection ends.
		const sb = await start({ keepAliveTimeoutMs: 400 });
		const socket = await new Promise<Socket>((resolve) => {
			const s = connect(sb.port, '127.0.0.1', () => resolve(s));
		});
		try {
			const body = `user=demo&pass=demo&format=json&msisdn=${TEST_NUMBERS[0]}`;
			let received = '';
			socket.on('data', (chunk) => (received += chunk.toString()));
			const closed = new Promise<number>((resolve) =>
				socket.once('close', () => resolve(Date.now())),
			);
			socket.write(
				`POST /npl HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
					`Content-Length: ${body.length}\r\n\r\n${body}`,
			);
			await waitFor(
				() => received.endsWith(']') || received.includes('\r\n0\r\n\r\n'),
				3000,
				'the answer',
			);
			const answeredAt = Date.now();
			expect(received).toMatch(/^HTTP\/1\.1 200 OK/);
			expect(sb.connections.openSockets('demo')).toBe(1);
			const closedAt = await closed;
			expect(closedAt - answeredAt).toBeGreaterThanOrEqual(300);
			await waitFor(() => sb.connections.openSockets('demo') === 0, 3000, 'the slot to be freed');
		} finally {
			socket.destroy();
		}
	});
});
