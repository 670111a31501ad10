/**
 * The part of Node-RED's runtime API these nodes use, typed here: @types/node-red describes
 * Node-RED 1.x and would be one more dependency to keep in step; this is all the nodes touch.
 */

export interface NodeMessage {
	_msgid?: string;
	payload?: unknown;
	[property: string]: unknown;
}

/** `send` of the input handler: one message, or one entry (a message, a list, null) per output. */
export type NodeSend = (messages: NodeMessage | Array<NodeMessage | NodeMessage[] | null>) => void;
export type NodeDone = (error?: Error) => void;

export interface NodeStatus {
	fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
	shape?: 'ring' | 'dot';
	text?: string;
}

/** A node's properties as the editor saved them (flows.json). */
export interface NodeDef {
	id: string;
	type: string;
	name?: string;
	z?: string;
}

export interface Node<Credentials = Record<string, string | undefined>> {
	id: string;
	type: string;
	name?: string;
	credentials?: Credentials;
	on(
		event: 'input',
		listener: (message: NodeMessage, send: NodeSend, done: NodeDone) => void,
	): void;
	/** Node-RED waits for `done` (at most its nodeCloseTimeout, 15 s by default). */
	on(event: 'close', listener: (removed: boolean, done: () => void) => void): void;
	status(status: NodeStatus | Record<string, never>): void;
	log(message: string): void;
	warn(message: string): void;
	error(message: string | Error, message2?: NodeMessage): void;
	debug(message: string): void;
	/** The node's own context store (memory by default: kept across messages, not restarts). */
	context(): { get(key: string): unknown; set(key: string, value: unknown): void };
}

export interface NodeAPI {
	nodes: {
		createNode(node: object, def: NodeDef): void;
		registerType(
			type: string,
			constructor: (this: Node, def: never) => void,
			options?: { credentials?: Record<string, { type: 'text' | 'password' }> },
		): void;
		getNode(id: string): Node | null;
	};
	util: { cloneMessage<T>(message: T): T };
}
