/**
 * Samples the process's resident set size every `intervalMs` from a worker thread, so samples
 * keep coming while the main thread is busy (n8n reads item parameters synchronously, for
 * seconds at 100,000 items). RSS is process-wide, so the worker sees the main thread's memory.
 */
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let peak = process.memoryUsage.rss();
let samples = 1;
const timer = setInterval(() => {
	const rss = process.memoryUsage.rss();
	if (rss > peak) peak = rss;
	samples++;
}, workerData.intervalMs);
parentPort.on('message', () => {
	clearInterval(timer);
	const rss = process.memoryUsage.rss();
	parentPort.postMessage({ peak: Math.max(peak, rss), samples: samples + 1 });
});
parentPort.postMessage('ready');
`;

export interface RssPeak {
	/** Highest RSS seen, bytes. */
	peakBytes: number;
	samples: number;
}

export async function startRssSampler(intervalMs = 50): Promise<{ stop: () => Promise<RssPeak> }> {
	const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { intervalMs } });
	await new Promise<void>((resolve) => worker.once('message', () => resolve()));
	return {
		stop: async () => {
			const result = new Promise<{ peak: number; samples: number }>((resolve) =>
				worker.once('message', resolve),
			);
			worker.postMessage('stop');
			const { peak, samples } = await result;
			await worker.terminate();
			return { peakBytes: peak, samples };
		},
	};
}
