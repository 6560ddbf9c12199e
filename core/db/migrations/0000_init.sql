CREATE TABLE `attachments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` integer NOT NULL,
	`filename` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text,
	`withheld` text,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `attachments_message_idx` ON `attachments` (`message_id`);--> statement-breakpoint
CREATE TABLE `case_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`at` text NOT NULL,
	`actor_type` text NOT NULL,
	`actor` text NOT NULL,
	`type` text NOT NULL,
	`from_status` text,
	`to_status` text,
	`text` text,
	`data` text,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_events_case_idx` ON `case_events` (`case_id`);--> statement-breakpoint
CREATE TABLE `cases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`number` text NOT NULL,
	`status` text NOT NULL,
	`kind` text DEFAULT 'complaint' NOT NULL,
	`division_id` text NOT NULL,
	`contact_id` integer,
	`channel` text NOT NULL,
	`connector_id` text NOT NULL,
	`subject` text,
	`summary` text NOT NULL,
	`related_to_case_id` integer,
	`report_count` integer DEFAULT 1 NOT NULL,
	`reopen_count` integer DEFAULT 0 NOT NULL,
	`token` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`closed_at` text,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cases_number_uq` ON `cases` (`number`);--> statement-breakpoint
CREATE INDEX `cases_status_idx` ON `cases` (`status`);--> statement-breakpoint
CREATE INDEX `cases_contact_idx` ON `cases` (`contact_id`);--> statement-breakpoint
CREATE TABLE `connector_state` (
	`connector_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`connector_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text,
	`phone` text,
	`email` text,
	`telegram_chat_id` text,
	`web_contact` text,
	`do_not_contact_until` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contacts_phone_uq` ON `contacts` (`phone`);--> statement-breakpoint
CREATE UNIQUE INDEX `contacts_email_uq` ON `contacts` (`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `contacts_telegram_uq` ON `contacts` (`telegram_chat_id`);--> statement-breakpoint
CREATE TABLE `corrective_actions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`cause` text NOT NULL,
	`plan` text NOT NULL,
	`owner` text NOT NULL,
	`due` text,
	`created_at` text NOT NULL,
	`actor` text NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `corrective_actions_case_idx` ON `corrective_actions` (`case_id`);--> statement-breakpoint
CREATE TABLE `counters` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `dedupe_buckets` (
	`band_key` text NOT NULL,
	`case_id` integer NOT NULL,
	`contact_id` integer,
	`created_at` text NOT NULL,
	PRIMARY KEY(`band_key`, `case_id`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ingest_id` text NOT NULL,
	`connector_id` text NOT NULL,
	`external_id` text NOT NULL,
	`channel` text NOT NULL,
	`contact_id` integer,
	`case_id` integer,
	`relation` text NOT NULL,
	`received_at` text NOT NULL,
	`recorded_at` text NOT NULL,
	`subject` text,
	`text` text NOT NULL,
	`thread` text,
	`meta` text,
	`raw_ref` text,
	`label` text,
	`confidence` real,
	`features` text,
	`text_hash` text,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_source_uq` ON `messages` (`connector_id`,`external_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `messages_ingest_uq` ON `messages` (`ingest_id`);--> statement-breakpoint
CREATE INDEX `messages_case_idx` ON `messages` (`case_id`);--> statement-breakpoint
CREATE INDEX `messages_hash_idx` ON `messages` (`text_hash`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` integer,
	`kind` text NOT NULL,
	`queue` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`sent_at` text,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `outbox_status_idx` ON `outbox` (`status`);--> statement-breakpoint
CREATE TABLE `quarantine` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`connector_id` text NOT NULL,
	`external_id` text,
	`code` text NOT NULL,
	`reason` text NOT NULL,
	`raw_ref` text,
	`payload` text,
	`created_at` text NOT NULL,
	`resolved_at` text
);
--> statement-breakpoint
CREATE INDEX `quarantine_connector_idx` ON `quarantine` (`connector_id`);