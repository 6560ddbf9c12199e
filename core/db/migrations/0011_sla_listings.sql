-- Which late cases the scheduler's escalation mails list (core/lifecycle/sweeps.ts): kept in the memory of
-- the process that wrote the mail, so a second scheduler sweeping at the same time (PM2 restarting it while
-- the old one drains its sweep, a second host) or the next one after a stop listed the backlog's cases not
-- yet escalated again. A row a case and stage, written with the mail. IF NOT EXISTS: every process migrates
-- at once (pm2 start).
CREATE TABLE IF NOT EXISTS `sla_listings` (
	`case_id` integer NOT NULL,
	`stage` text NOT NULL,
	`clock` text NOT NULL,
	`what` text NOT NULL,
	`elapsed` integer NOT NULL,
	`outbox_id` text NOT NULL,
	`listed_at` text NOT NULL,
	PRIMARY KEY(`case_id`, `stage`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `sla_listings_outbox_idx` ON `sla_listings` (`outbox_id`);
