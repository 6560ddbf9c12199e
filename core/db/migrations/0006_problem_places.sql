-- The places each case names (core/understanding/problem.ts) with the case's problem words, so that a
-- report of the same problem in other words is found; such a report is marked linked_by_problem (answered
-- on its own). The marker row makes the intake worker index the stored cases, in batches and resumable
-- (core/understanding/dedupe.ts rebuildBucketsStep).
CREATE TABLE `problem_places` (
	`place_key` integer NOT NULL,
	`case_id` integer NOT NULL,
	`words` blob NOT NULL,
	PRIMARY KEY(`place_key`, `case_id`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
ALTER TABLE `cases` ADD `linked_by_problem` integer DEFAULT false NOT NULL;--> statement-breakpoint
INSERT INTO `counters` (`name`, `value`) VALUES ('dedupe_rebuild_after', 0) ON CONFLICT(`name`) DO UPDATE SET `value` = 0;
