-- The reports linked to a problem's first report, by status. One answer moves the open reports of a problem
-- (a shared #kaji/#tindakan/#selesai), the SLA reminder lists them and a copy joining an open report looks up
-- its holder (intake, per recurring message): through cases_related_idx alone these read every report the
-- problem ever had (a problem reported for years, 20,000 reports: 40 ms a call), and asked for one status
-- SQLite read every case at that status instead. IF NOT EXISTS: every process migrates at once (pm2 start).
CREATE INDEX IF NOT EXISTS `cases_related_status_idx` ON `cases` (`related_to_case_id`,`status`);
