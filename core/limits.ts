/**
 * Every size limit and deadline in one place, so hostile input is bounded the same way everywhere.
 * Values are deliberately conservative for a 2-core box; config may lower some (storage.*) but the
 * hard caps here are never exceeded.
 */
export const LIMITS = {
  /** Characters of message text kept after normalisation (web form contract: 10,000). */
  textMaxChars: 10_000,
  /** Characters of a subject line. */
  subjectMaxChars: 300,
  /** Characters of a sender name. */
  nameMaxChars: 200,
  /** Bytes of an HTTP request body accepted by the provider webhooks. */
  httpBodyMaxBytes: 64 * 1024,
  /**
   * Bytes of a Telegram webhook update that came with the right secret header (checked before the body is
   * read; without it httpBodyMaxBytes holds). Telegram writes every character outside ASCII as \uXXXX (an
   * emoji: two of them, 12 bytes), so a real update goes well past 64 KB: a text of 4096 UTF-16 units is up to
   * 24 KB escaped; its entities, which the Bot API does not cap in number, take ~42 bytes each
   * (`{"offset":4095,"length":1,"type":"bold"}`), some 170 KB for one per unit; the message it answers
   * (`reply_to_message`) can be as large again, plus a quote (1024 units and its entities), a caption, a
   * keyboard (`reply_markup`). Two such messages are ~400 KB: 1 MiB holds them with room. What is larger
   * (text_link URLs on every character) is quarantined (TELEGRAM.TOO_LARGE), not lost.
   */
  telegramUpdateMaxBytes: 1024 * 1024,
  /**
   * Bytes of a body the web channel accepts (form and JSON API). A browser percent-encodes each byte of
   * a character outside ASCII (Aksara Jawa: 3 bytes, sent as 9): 10,000 characters of text plus the
   * other fields at their longest are ~100 KB, and must fit.
   */
  webBodyMaxBytes: 128 * 1024,
  /** Bytes of an oversized web form body still read (and dropped) so the browser gets the answer page. */
  webBodyDrainMaxBytes: 4 * 1024 * 1024,
  /**
   * Seconds the web receipt page (/laporan/<id>) refreshes itself while the message waits in the queue
   * (intake worker down): then it stops, telling the citizen the message is safe and how the number comes.
   */
  webReceiptRefreshSeconds: 120,
  /** Photos the public web form takes with one report; one more refuses the submission (the form asks to pick fewer). */
  webPhotosMax: 3,
  /**
   * A POST /v1/messages body that holds one of largeBodiesInFlight's slots (over 128 KiB, or chunked)
   * must keep coming: within `webLargeBodyGraceMs` of taking the slot, plus one second for every
   * `webLargeBodyMinBytesPerSecond` bytes of it received. A website's server sends faster by far (and the
   * server's requestTimeout of 5 minutes asks 140 KB/s of a 41 MB body anyway); a body trickled in to hold
   * the slot is cut off (408 WEB.BODY_TIMEOUT) after 30 seconds unless it keeps sending 64 KiB a second.
   */
  webLargeBodyGraceMs: 30_000,
  webLargeBodyMinBytesPerSecond: 64 * 1024,
  /** Bytes of the web form's photos together (each also at most storage.maxAttachmentBytes). */
  webPhotosTotalMaxBytes: 30 * 1024 * 1024,
  /**
   * Bytes of a refused web form upload (a photo too large, too many) still read and dropped, never kept,
   * so that the browser, still sending, shows the answer page; beyond them the connection is closed.
   */
  webUploadDrainMaxBytes: 64 * 1024 * 1024,
  /** Attachments per message. */
  attachmentsMax: 20,
  /** Bytes per attachment (default; storage.maxAttachmentBytes may lower it). */
  attachmentMaxBytes: 20 * 1024 * 1024,
  /** Bytes of a raw original (e-mail source, webhook body) kept on disk. */
  rawMaxBytes: 40 * 1024 * 1024,
  /** Keys in InboundMessage.meta, and bytes of its JSON. */
  metaMaxKeys: 50,
  metaMaxBytes: 16 * 1024,
  /** Milliseconds a connector waits for Redis to accept a job before answering 503. */
  enqueueTimeoutMs: 3_000,
  /** SMTP connection / greeting / socket timeouts (ms). */
  smtpConnectTimeoutMs: 10_000,
  smtpSocketTimeoutMs: 30_000,
  /** How long a stopping process waits for in-flight work before giving up (ms). PM2 kill_timeout exceeds it. */
  drainTimeoutMs: 10_000,
  /**
   * How long a sender keeps trying to record a mail or reply as sent once it has gone out (ms): the
   * database may be locked or full for a while, and failing the job would send it again.
   */
  recordSentRetryMs: 5 * 60_000,
  /** Outbox rows enqueued per dispatcher sweep. */
  outboxBatch: 200,
  /**
   * Case writes (closes, archivings, reminders, escalations) in one transaction of the scheduler's
   * sweep; more go on in the next, after `sweepPauseMs` in which other writers (intake) take the lock.
   */
  sweepWritesPerTransaction: 250,
  /** Milliseconds between a sweep's transactions: above SQLite's longest busy-handler wait (100 ms). */
  sweepPauseMs: 150,
  /**
   * Minutes after an escalation mail to the secretariat died (refused for good, or every try failed) that
   * the sweep lists its cases again in a new one: a wrong escalation.address makes one dead mail an hour.
   */
  escalationRelistMinutes: 60,
  /** Keys a connector's state prune (ConnectorContext.state.prune) reads in one transaction; other work runs between batches. */
  statePruneBatch: 500,
} as const;
