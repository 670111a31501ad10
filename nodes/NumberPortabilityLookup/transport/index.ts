/**
 * How the node reaches the service and tells time in the verified package: n8n's own HTTP helper
 * and n8n-workflow's sleep. The queue-mode package is built from the same node with this module
 * replaced (packages/queue-mode/transport.ts: undici and the Redis connection budget).
 */
export { n8nClock as hostClock } from './n8nClock';
export { n8nServiceLink as openServiceLink } from './n8nServiceLink';
export type { HttpContext } from './n8nServiceLink';
