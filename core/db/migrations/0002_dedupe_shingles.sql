-- Repeat verification compares the sorted 32-bit hashes of a case's word shingles, stored with the
-- case, instead of tokenizing its summary for every candidate (at 10^6 cases most candidates are not
-- in any cache). The marker row makes the intake worker fill them for stored cases, in batches and
-- resumable (core/understanding/dedupe.ts rebuildBucketsStep); until then a case without hashes is
-- compared through its summary.
ALTER TABLE `cases` ADD `shingles` blob;--> statement-breakpoint
INSERT INTO `counters` (`name`, `value`) VALUES ('dedupe_rebuild_after', 0) ON CONFLICT(`name`) DO UPDATE SET `value` = 0;
