-- Near-duplicate buckets: integer band keys, only (band_key, case_id), in a WITHOUT ROWID table —
-- one compact b-tree instead of a table plus its primary-key index (a lookup at 10^6 cases reads
-- ~100 MB of index instead of ~900 MB of table and index). The old text keys cannot be converted in
-- SQL: the marker row below makes the intake worker rebuild them from the stored cases, in
-- batches and resumable (core/understanding/dedupe.ts rebuildBucketsStep).
CREATE TABLE `__new_dedupe_buckets` (
	`band_key` integer NOT NULL,
	`case_id` integer NOT NULL,
	PRIMARY KEY(`band_key`, `case_id`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
DROP TABLE `dedupe_buckets`;--> statement-breakpoint
ALTER TABLE `__new_dedupe_buckets` RENAME TO `dedupe_buckets`;--> statement-breakpoint
INSERT INTO `counters` (`name`, `value`) VALUES ('dedupe_rebuild_after', 0) ON CONFLICT(`name`) DO NOTHING;
