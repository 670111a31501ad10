// node-red-node-test-helper ships no types: the part of its API the Node-RED suites use.
declare module 'node-red-node-test-helper' {
	interface TestNode {
		on(event: string, listener: (...args: never[]) => void): void;
		receive(msg: Record<string, unknown>): void;
	}
	const helper: {
		init(runtimePath: string, userSettings?: Record<string, unknown>): void;
		startServer(done: () => void): void;
		stopServer(done: () => void): void;
		load(nodes: unknown[], flow: unknown[], credentials?: Record<string, unknown>): Promise<void>;
		setFlows(flow: unknown[], type: 'full' | 'flows' | 'nodes', credentials?: Record<string, unknown>): Promise<void>;
		unload(): Promise<void>;
		getNode(id: string): TestNode;
	};
	export default helper;
}
