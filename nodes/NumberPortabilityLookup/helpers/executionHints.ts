import type { IExecuteFunctions } from 'n8n-workflow';

import type { RunSummary } from '../../../engine/results/runSummary';

/**
 * The run's summary in the node's output pane, as execution hints (n8n ≥ 1.79): one info hint,
 * and a warning for each thing the user can change. On an older n8n nothing is shown.
 */
export function addSummaryHints(ctx: IExecuteFunctions, summary: RunSummary): void {
	if (typeof ctx.addExecutionHints !== 'function') return;
	ctx.addExecutionHints(
		{ message: summary.info, type: 'info', location: 'outputPane' },
		...summary.warnings.map((message) => ({ message, type: 'warning' as const, location: 'outputPane' as const })),
	);
}
