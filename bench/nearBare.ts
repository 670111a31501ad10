/**
 * Each host against a bare client on one cell (L = 200 ms, where the service's real latency
 * lies), in rounds: a round runs the bare client, the two n8n packages and the Node-RED node one
 * after the other, so a change in the machine's load falls on all of them alike, and each host
 * is compared with its own round's bare client. One such comparison moves by about ±1 % from run
 * to run on this shared machine: the target is judged on the median of the rounds.
 */
import { median, sandboxCeiling, throughputCell, type CellResult, type CellSpec } from './measure';
import { nodeRedCell, type NodeRedCellResult } from './nodeRedCell';
import type { SandboxProcess } from './sandboxProcess';

export const HOSTS = ['verified', 'queue-mode', 'node-red'] as const;
export type Host = (typeof HOSTS)[number];

export interface NearBareRound {
	/** Numbers a second the bare client got from the sandbox in this round. */
	bare: number;
	cells: Record<Host, CellResult | NodeRedCellResult>;
	/** Each host's numbers a second ÷ this round's bare client. */
	ofBare: Record<Host, number>;
}

export interface NearBareResult {
	cell: CellSpec;
	rounds: NearBareRound[];
	/** The median of the rounds' ratios, per host. */
	medianOfBare: Record<Host, number>;
}

export async function nearBareRounds(
	sandbox: SandboxProcess,
	cell: CellSpec,
	rounds: number,
	capSeconds: number,
	say: (line: string) => void,
): Promise<NearBareResult> {
	const results: NearBareRound[] = [];
	for (let round = 1; round <= rounds; round++) {
		const bare = (await sandboxCeiling(sandbox, cell)).throughput;
		const cells: NearBareRound['cells'] = {
			verified: await throughputCell(sandbox, { ...cell, package: 'verified' }, capSeconds),
			'queue-mode': await throughputCell(sandbox, { ...cell, package: 'queue-mode' }, capSeconds),
			'node-red': await nodeRedCell(sandbox, cell),
		};
		const ofBare = Object.fromEntries(HOSTS.map((host) => [host, cells[host].throughput / bare])) as Record<Host, number>;
		results.push({ bare, cells, ofBare });
		say(`  round ${round}: bare client ${bare.toFixed(0)}/s; ${HOSTS.map((host) => `${host} ${ofBare[host].toFixed(3)}`).join(', ')} of it`);
	}
	const medianOfBare = Object.fromEntries(
		HOSTS.map((host) => [host, median(results.map((round) => round.ofBare[host]))]),
	) as Record<Host, number>;
	return { cell, rounds: results, medianOfBare };
}
