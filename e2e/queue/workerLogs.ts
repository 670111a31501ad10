/**
 * Which worker ran which execution, from the workers' own logs: n8n 2.41.1's job processor logs
 * "Worker started execution <id> (job <n>)" and "Worker finished execution <id> (job <n>)".
 */
import { existsSync, readFileSync } from 'node:fs';

export interface Worker {
	name: string;
	/** The process group (the worker and its task runner), as e2e/lib.sh start_bg made it. */
	pgid: number;
	log: string;
}

/** --workers name=pgid:log,name=pgid:log */
export function parseWorkers(spec: string): Worker[] {
	return spec
		.split(',')
		.filter(Boolean)
		.map((entry) => {
			const match = /^([^=]+)=(\d+):(.+)$/.exec(entry);
			if (!match) throw new Error(`--workers: "${entry}" is not name=pgid:log`);
			return { name: match[1], pgid: Number(match[2]), log: match[3] };
		});
}

export interface WorkerExecutions {
	started: Set<string>;
	finished: Set<string>;
}

export function executionsOf(worker: Worker): WorkerExecutions {
	const text = existsSync(worker.log) ? readFileSync(worker.log, 'utf8') : '';
	const ids = (verb: string) =>
		new Set(
			[...text.matchAll(new RegExp(`Worker ${verb} execution (\\d+)`, 'g'))].map((m) => m[1]),
		);
	return { started: ids('started'), finished: ids('finished') };
}

/** execution id → the worker that started it. */
export function workerByExecution(workers: readonly Worker[]): Map<string, string> {
	const map = new Map<string, string>();
	for (const worker of workers)
		for (const id of executionsOf(worker).started) map.set(id, worker.name);
	return map;
}
