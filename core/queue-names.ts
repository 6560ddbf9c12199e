// The queues' names, apart from core/queue.ts: the lifecycle service writes them into outbox rows, and an
// officer's `aduan cases resolve` (which only writes rows) need not load BullMQ and ioredis for them.
export const QUEUES = {
  intake: 'intake',
  mail: 'mail',
  scheduler: 'scheduler',
} as const;

/** Queue of one connector's outgoing replies (BullMQ forbids ':' in names, hence the dash). */
export function outboundQueueName(connectorId: string): string {
  return `outbound-${connectorId}`;
}
