import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface WorkerResult {
	pid: number;
	ms: number;
	status: string;
	error: string | null;
	items: number;
	notLookedUp: Record<string, number>;
	notices: string[];
	sharedAcrossProcesses: boolean;
	crashed?: string;
}

export interface Worker {
	child: ChildProcess;
	/** The child's RESULT line; rejects if it exits without one (killed, crashed). */
	result: Promise<WorkerResult>;
	/** With CHILD_WAIT_FOR_GO=1: resolves once the child is loaded and waits for go(). */
	ready: Promise<void>;
	go(): void;
}

const CHILD = join(__dirname, 'lookupChild.ts');

/** A process of its own running the node through n8n's engine (lookupChild.ts). */
export function startWorker(env: Record<string, string>): Worker {
	const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
		cwd: join(__dirname, '..', '..'),
		env: {
			...process.env,
			N8N_USER_FOLDER: mkdtempSync(join(tmpdir(), 'npl-redis-worker-')),
			N8N_LOG_LEVEL: 'silent',
			...env,
		},
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	let onReady: () => void = () => undefined;
	const ready = new Promise<void>((resolve) => (onReady = resolve));
	child.stdout!.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
		if (stdout.includes('READY\n')) onReady();
	});
	child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const result = new Promise<WorkerResult>((resolve, reject) => {
		child.once('exit', (code, signal) => {
			const line = stdout.split('\n').find((text) => text.startsWith('RESULT '));
			if (line) resolve(JSON.parse(line.slice('RESULT '.length)) as WorkerResult);
			else
				reject(
					new Error(
						`worker ${child.pid} ended (${signal ?? code}) without a result: ${stderr.slice(-2000)}`,
					),
				);
		});
	});
	return { child, result, ready, go: () => child.stdin!.write('GO\n') };
}

/** Kills every worker still running (afterEach/afterAll, also when a test failed). */
export function stopWorkers(workers: Worker[]): void {
	for (const { child } of workers.splice(0)) {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	}
}
