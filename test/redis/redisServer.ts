import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A real redis-server (Debian's) on a free loopback port, for one suite: no persistence, so a
 * restart starts empty, the way a Redis without persistence comes back after a crash.
 */
export interface RedisServer {
	port: number;
	url: string;
	/** Stops the server (SIGKILL when `hard`), waiting until it is gone. */
	stop(options?: { hard?: boolean }): Promise<void>;
	/** Starts it again on the same port, waiting until it answers PING. */
	start(): Promise<void>;
	/** Sends one command through redis-cli and returns its raw output (tests only). */
	cli(...args: string[]): string;
}

export async function startRedis(): Promise<RedisServer> {
	if (spawnSync('redis-server', ['--version']).error) {
		throw new Error(
			'redis-server is not installed: these tests need a real Redis (apt-get install redis-server).',
		);
	}
	const port = await freePort();
	let child: ChildProcess | null = null;
	const server: RedisServer = {
		port,
		url: `redis://127.0.0.1:${port}/0`,
		async start() {
			child = spawn(
				'redis-server',
				['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
				{
					stdio: 'ignore',
				},
			);
			await waitForPing(port);
		},
		async stop({ hard = false } = {}) {
			const running = child;
			child = null;
			if (!running || running.exitCode !== null) return;
			const exited = new Promise((resolve) => running.once('exit', resolve));
			running.kill(hard ? 'SIGKILL' : 'SIGTERM');
			await exited;
		},
		cli(...args) {
			const result = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], {
				encoding: 'utf8',
			});
			return result.stdout.trim();
		},
	};
	await server.start();
	return server;
}

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
	});
}

/** Until the server answers PING (10 s at most). */
async function waitForPing(port: number): Promise<void> {
	const deadline = Date.now() + 10_000;
	for (;;) {
		if (await ping(port)) return;
		if (Date.now() > deadline)
			throw new Error(`redis-server on port ${port} did not answer PING within 10 s`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

async function ping(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const socket = createConnection({ host: '127.0.0.1', port });
		let answer = '';
		socket.setTimeout(1_000, () => socket.destroy());
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			answer += chunk.toString();
			if (answer.includes('\r\n')) socket.end();
		});
		socket.on('close', () => resolve(answer.startsWith('+PONG')));
		socket.on('error', () => undefined);
	});
}

/** A TCP relay to `targetPort` that counts the connections made to it (was Redis contacted?). */
export async function countingRelay(targetPort: number): Promise<CountingServer> {
	const open = new Set<Socket>();
	let count = 0;
	const relay = createServer((client) => {
		count++;
		joinSockets(client, createConnection({ host: '127.0.0.1', port: targetPort }), open);
	});
	return await listen(relay, open, () => count);
}

/** An HTTP proxy that only tunnels (CONNECT), counting the tunnels it opened. */
export async function connectProxy(): Promise<CountingServer> {
	const open = new Set<Socket>();
	let count = 0;
	const proxy = createHttpServer((_request, response) => response.writeHead(405).end());
	proxy.on('connect', (request, client: Socket, head: Buffer) => {
		count++;
		const [host, port] = String(request.url).split(':');
		const upstream = createConnection({ host, port: Number(port) }, () => {
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			upstream.write(head);
		});
		joinSockets(client, upstream, open);
	});
	return await listen(proxy, open, () => count);
}

export interface CountingServer {
	port: number;
	/** Connections (relay) or tunnels (proxy) made so far. */
	count: () => number;
	close: () => Promise<void>;
}

/** Pipes two sockets both ways; either closing closes the other. */
function joinSockets(client: Socket, upstream: Socket, open: Set<Socket>): void {
	for (const socket of [client, upstream]) {
		open.add(socket);
		socket.on('error', () => undefined);
		socket.on('close', () => open.delete(socket));
	}
	client.pipe(upstream).pipe(client);
	client.on('close', () => upstream.destroy());
	upstream.on('close', () => client.destroy());
}

async function listen(
	server: Server,
	open: Set<Socket>,
	count: () => number,
): Promise<CountingServer> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as { port: number }).port,
		count,
		close: async () => {
			for (const socket of open) socket.destroy();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}
