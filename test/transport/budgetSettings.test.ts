import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { readBudgetSettings } from '../../transport/budgetSettings';

describe('where the connection budget lives (environment)', () => {
	it('stays in the process in regular mode, and with NPL_CONNECTION_BUDGET=process in queue mode', () => {
		expect(readBudgetSettings({})).toEqual({ mode: 'process' });
		expect(readBudgetSettings({ EXECUTIONS_MODE: 'regular' })).toEqual({ mode: 'process' });
		expect(
			readBudgetSettings({ EXECUTIONS_MODE: 'queue', NPL_CONNECTION_BUDGET: 'process' }),
		).toEqual({
			mode: 'process',
		});
	});

	it("uses n8n's own queue Redis settings in queue mode, with the default prefix and lease time", () => {
		expect(readBudgetSettings({ EXECUTIONS_MODE: 'queue' })).toEqual({
			mode: 'redis',
			redis: {
				host: 'localhost',
				port: 6379,
				db: 0,
				tls: false,
				where: 'redis://localhost:6379/0',
			},
			keyPrefix: 'n8n-nodes-npl:',
			leaseMs: 10_000,
		});
		const dir = mkdtempSync(join(tmpdir(), 'npl-settings-'));
		writeFileSync(join(dir, 'password'), 'from-a-file\n');
		const settings = readBudgetSettings({
			NPL_CONNECTION_BUDGET: 'redis',
			QUEUE_BULL_REDIS_HOST: 'redis.internal',
			QUEUE_BULL_REDIS_PORT: '6380',
			QUEUE_BULL_REDIS_DB: '2',
			QUEUE_BULL_REDIS_USERNAME: 'n8n',
			QUEUE_BULL_REDIS_PASSWORD_FILE: join(dir, 'password'),
			QUEUE_BULL_REDIS_TLS: 'true',
			NPL_REDIS_KEY_PREFIX: 'mine:',
		});
		expect(settings).toMatchObject({
			mode: 'redis',
			redis: {
				host: 'redis.internal',
				port: 6380,
				db: 2,
				username: 'n8n',
				password: 'from-a-file',
				tls: true,
			},
			keyPrefix: 'mine:',
		});
		expect(settings.mode === 'redis' && settings.redis.where).toBe(
			'rediss://redis.internal:6380/2',
		);
	});

	it('lets NPL_REDIS_URL win, and never puts its password in what notices show', () => {
		const settings = readBudgetSettings({
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: 'ignored',
			NPL_REDIS_URL: 'rediss://user:pa55@cache.example:6390/3',
		});
		expect(settings).toMatchObject({
			mode: 'redis',
			redis: {
				url: 'rediss://user:pa55@cache.example:6390/3',
				host: 'cache.example',
				port: 6390,
				db: 3,
				tls: true,
			},
		});
		expect(settings.mode === 'redis' && settings.redis.where).toBe('rediss://cache.example:6390/3');
	});

	it('falls back to the process budget, with a notice, for settings it cannot use', () => {
		expect(readBudgetSettings({ NPL_CONNECTION_BUDGET: 'cluster' })).toMatchObject({
			mode: 'process',
			problem: expect.stringContaining('NPL_CONNECTION_BUDGET is "cluster"'),
		});
		expect(
			readBudgetSettings({ NPL_CONNECTION_BUDGET: 'redis', NPL_REDIS_URL: 'http://x:1' }),
		).toMatchObject({
			mode: 'process',
			problem: expect.stringContaining('redis:// or rediss://'),
		});
		expect(
			readBudgetSettings({
				NPL_CONNECTION_BUDGET: 'redis',
				QUEUE_BULL_REDIS_PASSWORD_FILE: '/nonexistent/pw',
			}),
		).toMatchObject({
			mode: 'process',
			problem: expect.stringContaining('QUEUE_BULL_REDIS_PASSWORD_FILE'),
		});
		expect(
			readBudgetSettings({
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_CLUSTER_NODES: 'a:6379,b:6379',
			}),
		).toMatchObject({ mode: 'process', problem: expect.stringContaining('Redis Cluster') });
	});
});
