import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface MachineInfo {
	cpuModel: string;
	/** What `nproc` prints: the CPUs this process may use. */
	nproc: number;
	memoryGiB: number;
	node: string;
	platform: string;
	n8nCore: string;
	n8nWorkflow: string;
	/** 1-minute load average when the bench started (other work on the machine skews results). */
	loadAtStart: number;
}

function cpuModel(): string {
	try {
		const line = readFileSync('/proc/cpuinfo', 'utf8')
			.split('\n')
			.find((l) => l.startsWith('model name'));
		if (line) return line.split(':')[1].trim();
	} catch {
		// Not Linux: fall back to what Node reports.
	}
	return os.cpus()[0]?.model ?? 'unknown';
}

function versionOf(pkg: string): string {
	try {
		const file = path.join(__dirname, '..', 'node_modules', pkg, 'package.json');
		return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
	} catch {
		return 'unknown';
	}
}

export function machineInfo(): MachineInfo {
	return {
		cpuModel: cpuModel(),
		nproc: os.availableParallelism(),
		memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
		node: process.version,
		platform: `${os.type()} ${os.release()} ${os.arch()}`,
		n8nCore: versionOf('n8n-core'),
		n8nWorkflow: versionOf('n8n-workflow'),
		loadAtStart: os.loadavg()[0],
	};
}
