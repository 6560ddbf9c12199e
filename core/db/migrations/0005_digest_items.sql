CREATE TABLE `digest_items` (
	`case_id` integer PRIMARY KEY NOT NULL,
	`holder_case_id` integer NOT NULL,
	`division_id` text NOT NULL,
	`joined_at` text NOT NULL,
	`outbox_id` text,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`holder_case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `digest_items_pending_idx` ON `digest_items` (`outbox_id`,`holder_case_id`);