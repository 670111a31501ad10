import { readFileSync } from 'node:fs';

/**
 * Where the connection budget lives, read from the environment the way n8n reads its own:
 * NPL_CONNECTION_BUDGET = auto (Redis in queue mode) | redis | process; n8n's QUEUE_BULL_REDIS_*
 * settings (each also as …_FILE) unless NPL_REDIS_URL is set; NPL_REDIS_KEY_PREFIX.
 */
export interface RedisLocation {
	/** A redis:// or rediss:// URL, when NPL_REDIS_URL gave one. */
	url?: string;
	host: string;
	port: number;
	db: number;
	username?: string;
	password?: string;
	tls: boolean;
	/** host:port/db, for notices: never a user or password. */
	where: string;
}

export type BudgetSettings =
	| { mode: 'process'; problem?: string }
	| { mode: 'redis'; redis: RedisLocation; keyPrefix: string; leaseMs: number };

export const DEFAULT_KEY_PREFIX = 'n8n-nodes-npl:';
/** A lease outlives its process by at most this long (SIGKILL, lost network). */
export const DEFAULT_LEASE_MS = 10_000;

type Env = Record<string, string | undefined>;

export function readBudgetSettings(env: Env = process.env): BudgetSettings {
	const mode = (env.NPL_CONNECTION_BUDGET ?? 'auto').trim().toLowerCase() || 'auto';
	if (mode === 'process') return { mode: 'process' };
	if (mode !== 'redis' && mode !== 'auto') {
		return {
			mode: 'process',
			problem: `NPL_CONNECTION_BUDGET is "${mode.slice(0, 20)}", not auto, redis or process, so connections were counted in this process only.`,
		};
	}
	if (mode === 'auto' && (env.EXECUTIONS_MODE ?? '').trim() !== 'queue') return { mode: 'process' };
	if (!env.NPL_REDIS_URL?.trim() && env.QUEUE_BULL_REDIS_CLUSTER_NODES?.trim()) {
		return {
			mode: 'process',
			problem:
				'n8n uses a Redis Cluster (QUEUE_BULL_REDIS_CLUSTER_NODES), which the connection budget does not support, so connections were counted in this process only. Set NPL_REDIS_URL to a single Redis to share the budget.',
		};
	}
	let redis: RedisLocation;
	try {
		redis = env.NPL_REDIS_URL?.trim() ? fromUrl(env.NPL_REDIS_URL.trim()) : fromQueueSettings(env);
	} catch (error) {
		return {
			mode: 'process',
			problem: `${(error as Error).message} Connections were counted in this process only.`,
		};
	}
	return {
		mode: 'redis',
		redis,
		keyPrefix: env.NPL_REDIS_KEY_PREFIX ?? DEFAULT_KEY_PREFIX,
		leaseMs: clampedInteger(env.NPL_REDIS_LEASE_MS, DEFAULT_LEASE_MS, 1_000, 600_000),
	};
}

function fromUrl(text: string): RedisLocation {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new Error('NPL_REDIS_URL is not a URL (expected redis://host:port/db or rediss://…).');
	}
	if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
		throw new Error(`NPL_REDIS_URL must start with redis:// or rediss://, not ${url.protocol}//.`);
	}
	const host = url.hostname.replace(/^\[|\]$/g, '') || 'localhost';
	const port = Number(url.port || 6379);
	const db = Number(url.pathname.slice(1) || 0);
	return {
		url: text,
		host,
		port,
		db: Number.isInteger(db) ? db : 0,
		tls: url.protocol === 'rediss:',
		where: `${url.protocol}//${url.host}/${Number.isInteger(db) ? db : 0}`,
	};
}

/** n8n's own queue settings (packages/@n8n/config ScalingModeConfig), …_FILE included. */
function fromQueueSettings(env: Env): RedisLocation {
	const host = setting(env, 'QUEUE_BULL_REDIS_HOST') || 'localhost';
	const port = clampedInteger(setting(env, 'QUEUE_BULL_REDIS_PORT'), 6379, 1, 65_535);
	const db = clampedInteger(setting(env, 'QUEUE_BULL_REDIS_DB'), 0, 0, 10_000);
	const tls = setting(env, 'QUEUE_BULL_REDIS_TLS') === 'true';
	return {
		host,
		port,
		db,
		username: setting(env, 'QUEUE_BULL_REDIS_USERNAME') || undefined,
		password: setting(env, 'QUEUE_BULL_REDIS_PASSWORD') || undefined,
		tls,
		where: `${tls ? 'rediss' : 'redis'}://${host.includes(':') ? `[${host}]` : host}:${port}/${db}`,
	};
}

/** NAME, or the content of the file NAME_FILE points at (as n8n reads it), trimmed. */
function setting(env: Env, name: string): string | undefined {
	const file = env[`${name}_FILE`];
	if (file) {
		try {
			return readFileSync(file, 'utf8').trim();
		} catch {
			throw new Error(`${name}_FILE names a file that cannot be read.`);
		}
	}
	return env[name]?.trim();
}

function clampedInteger(
	text: string | undefined,
	fallback: number,
	min: number,
	max: number,
): number {
	const value = Number(text);
	if (text === undefined || text.trim() === '' || !Number.isInteger(value)) return fallback;
	return Math.min(max, Math.max(min, value));
}
