-- Recurring cases point at the first case of their problem; the forwarded mail lists the earlier
-- reports, found through this index (without it, a full scan of `cases` per recurring report).
CREATE INDEX `cases_related_idx` ON `cases` (`related_to_case_id`);