-- Near-duplicate buckets: integer band keys, only (band_key, case_id), in a WITHOUT ROWID table —
-- one compact b-tree instead of a table plus its primary-key index (a lookup at 10^6 cases reads
-- ~100 MB of index instead of ~900 MB of table and index). The old text keys cannot be converted in
-- SQL; the intake worker rebuilds the buckets from the stored cases on its next start
-- (core/understanding/dedupe.ts rebuildBuckets).
CREATE TABLE `__new_dedupe_buckets` (
	`band_key` integer NOT NULL,
	`case_id` integer NOT NULL,
	PRIMARY KEY(`band_key`, `case_id`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
DROP TABLE `dedupe_buckets`;--> statement-breakpoint
ALTER TABLE `__new_dedupe_buckets` RENAME TO `dedupe_buckets`;
