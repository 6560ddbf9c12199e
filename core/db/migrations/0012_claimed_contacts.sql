-- The phone and e-mail typed into the web form (or the JSON API) are never verified: a web message is
-- recorded under a web-only contact ("claimed", keyed by exactly what was typed), never under a contact
-- whose phone, e-mail or Telegram chat a channel proved (core/repo/contacts.repo.ts, resolveContact). A
-- proven phone or e-mail is unique among proven contacts, a typed pair among web-only ones; the plain
-- indexes serve lookups of either kind. Contacts that wrote only through the web so far become web-only
-- ones. (Each statement may run twice when processes migrate at once: drizzle then finds it applied.)
DROP INDEX IF EXISTS `contacts_phone_uq`;--> statement-breakpoint
DROP INDEX IF EXISTS `contacts_email_uq`;--> statement-breakpoint
ALTER TABLE `contacts` ADD `claimed` integer DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE `contacts` SET `claimed` = 1 WHERE `id` IN (SELECT `contact_id` FROM `messages` WHERE `contact_id` IS NOT NULL GROUP BY `contact_id` HAVING min(`channel` = 'web') = 1);--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS `contacts_phone_uq` ON `contacts` (`phone`) WHERE claimed = 0;--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS `contacts_email_uq` ON `contacts` (`email`) WHERE claimed = 0;--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS `contacts_claimed_uq` ON `contacts` (ifnull(`phone`, ''), ifnull(`email`, '')) WHERE claimed = 1;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `contacts_phone_idx` ON `contacts` (`phone`);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `contacts_email_idx` ON `contacts` (`email`);
