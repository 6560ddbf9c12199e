-- A forward may wait a few minutes before it is queued: while a citizen sends one report in several SMS
-- or chat messages, the first fragment's forward is held and rewritten with each later one
-- (core/intake.ts, dedupe.continuationMinutes). NULL: queue at once.
ALTER TABLE `outbox` ADD `not_before` text;
