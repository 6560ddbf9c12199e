-- The scheduler's delivery clocks read every unfinished outbox row each minute, inside the write lock, and
-- skipped the ones they had escalated by looking up the escalation event — dead rows stay dead for years
-- (until `aduan dlq replay`), a set that only grows. clock_done_at marks a row the clocks are done with
-- (escalated, or no clock applies to it); outbox_clock_idx holds only the unfinished rows not yet marked.
-- The rows escalated before this migration are marked from their events. The index and the marking can be
-- applied again over themselves; the column, like 0007's, relies on runMigrations' second try (pm2 start).
ALTER TABLE `outbox` ADD `clock_done_at` text;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `outbox_clock_idx` ON `outbox` (`status`,`created_at`) WHERE clock_done_at IS NULL AND status IN ('pending', 'queued', 'sending', 'dead');--> statement-breakpoint
UPDATE `outbox` SET `clock_done_at` = (SELECT min(`at`) FROM `case_events` WHERE `case_events`.`case_id` = `outbox`.`case_id` AND `case_events`.`type` = 'sla_escalated:outbox:' || `outbox`.`id`)
  WHERE `status` IN ('pending', 'queued', 'sending', 'dead') AND `clock_done_at` IS NULL AND `case_id` IS NOT NULL;
