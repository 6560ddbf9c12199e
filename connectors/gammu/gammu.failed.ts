import type { ConnectorContext } from '../../core/connector.ts';

/** connector_state key recording that a reply's failure was reported (one row per reply). */
export const FAILED_STATE_PREFIX = 'reply-failed:';

/**
 * Reports a reply SMSD could not send to `ctx.replyFailed`, once per outbox id: across re-scans (the
 * failed file / row stays where SMSD put it) and restarts (the record is in connector_state, our
 * database, not in SMSD's folders or tables).
 */
export class FailedReplies {
  private readonly done = new Set<string>();

  constructor(private readonly ctx: ConnectorContext) {}

  /** Whether this reply's failure was reported already (by this process or an earlier one). */
  reported(outboxId: string): boolean {
    if (this.done.has(outboxId)) return true;
    if (this.ctx.state.get(FAILED_STATE_PREFIX + outboxId) === undefined) return false;
    this.done.add(outboxId);
    return true;
  }

  /** Mark the reply not delivered; false when it was reported before (nothing done). */
  report(outboxId: string, reason: string, detail: Record<string, unknown> = {}): boolean {
    if (this.reported(outboxId)) return false;
    // both synchronous, one right after the other: no restart can come between them
    this.ctx.replyFailed(outboxId, reason);
    this.ctx.state.set(FAILED_STATE_PREFIX + outboxId, { at: new Date().toISOString(), reason, ...detail });
    this.done.add(outboxId);
    return true;
  }
}
