import { startRedis, type RedisServer } from './redisServer';
import { stopWorkers, type Worker } from './workers';

/** One redis-server for the suite, stopped after it (also when a test failed). */
export function useRedis(): () => RedisServer {
	let redis: RedisServer | undefined;
	beforeAll(async () => {
		redis = await startRedis();
	});
	afterAll(async () => {
		await redis?.stop();
	});
	return () => redis!;
}

/** Worker processes started by a test, killed after it if still running. */
export function useWorkers(): Worker[] {
	const workers: Worker[] = [];
	afterEach(() => stopWorkers(workers));
	return workers;
}

/** Clears these environment variables before each test and puts them back after it. */
export function useEnv(names: readonly string[]): void {
	const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
	beforeEach(() => {
		for (const name of names) delete process.env[name];
	});
	afterEach(() => {
		for (const [name, value] of Object.entries(saved)) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
	});
}

/** Members of the account's lease set (there is one account in these tests): "pid-random:n". */
export function leaseMembers(redis: RedisServer, prefix = 'n8n-nodes-npl:'): string[] {
	const script =
		"local k = redis.call('KEYS', ARGV[1]) if #k == 0 then return {} end return redis.call('ZRANGE', k[1], 0, -1)";
	return redis.cli('EVAL', script, '0', `${prefix}leases:*`).split('\n').filter(Boolean);
}
