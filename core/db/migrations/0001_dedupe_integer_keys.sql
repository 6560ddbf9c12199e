-- Near-duplicate buckets get integer band keys in a WITHOUT ROWID table: one compact b-tree
-- instead of a table plus its primary-key index (about half the pages a lookup touches at 10^6
-- cases). The old text keys cannot be converted in SQL; the intake worker rebuilds the buckets
-- from the stored cases on its next start (core/understanding/dedupe.ts rebuildBuckets).
CREATE TABLE `__new_dedupe_buckets` (
	`band_key` integer NOT NULL,
	`case_id` integer NOT NULL,
	`contact_id` integer,
	`created_at` text NOT NULL,
	PRIMARY KEY(`band_key`, `case_id`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
DROP TABLE `dedupe_buckets`;--> statement-breakpoint
ALTER TABLE `__new_dedupe_buckets` RENAME TO `dedupe_buckets`;
