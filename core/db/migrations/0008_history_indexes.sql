-- Indexes for a history of years (10^6 cases, millions of outbox rows and events). Without them:
-- the scheduler's delivery clocks read the whole outbox every minute (status NOT IN …), the forward worker's
-- per-recipient cap of automatic mails read every sent mail for each auto-reply, a citizen's reply on their
-- case read the whole outbox (its "noted" answer at most once an hour), and `aduan report --month` /
-- `aduan export --from` read every case. outbox_status_idx is replaced by the two (status, …) indexes.
DROP INDEX IF EXISTS `outbox_status_idx`;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `outbox_status_created_idx` ON `outbox` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `outbox_status_sent_idx` ON `outbox` (`status`,`sent_at`);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `outbox_case_idx` ON `outbox` (`case_id`);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `cases_created_idx` ON `cases` (`created_at`);
