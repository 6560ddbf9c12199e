-- A person's decision on a text: later copies of it follow the decided case's label and division.
CREATE TABLE `text_decisions` (
	`text_hash` text PRIMARY KEY NOT NULL,
	`case_id` integer NOT NULL,
	`at` text NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- decisions people made before this table existed: the latest labelled case per opening text
-- (SQLite takes the bare case_id from the row holding max(at))
INSERT INTO `text_decisions` (`text_hash`, `case_id`, `at`)
SELECT m.`text_hash`, e.`case_id`, max(e.`at`) FROM `case_events` e
JOIN `messages` m ON m.`case_id` = e.`case_id` AND m.`relation` IN ('new', 'recurring')
WHERE e.`type` IN ('classified', 'reclassified') AND m.`text_hash` IS NOT NULL
GROUP BY m.`text_hash`;
