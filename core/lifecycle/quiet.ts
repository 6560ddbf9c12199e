// Channels that have gone quiet (`quietAlertHours`): a GSM modem that hangs, a SIM out of credit, an
// IMAP password changed, a revoked bot token, a website whose form no longer posts — the channel stops
// taking in complaints and nobody sees it: the citizen only sees no answer. The scheduler tells
// escalation.address once when a watched channel has taken in nothing for that long, and once when
// input comes back. State is in SQLite (connector_state), so restarts neither repeat nor miss a mail.
import type { AduanConfig } from '../config/schema.ts';
import type { Db } from '../db/client.ts';
import type { Tx } from '../repo/contacts.repo.ts';
import type { Logger } from '../logger.ts';
import { formatTime, ourMessageId } from '../mail/compose.ts';
import { QUEUES } from '../queue.ts';
import { insertOutbox } from '../repo/outbox.repo.ts';
import { deleteState, getState, LAST_INPUT, setState } from '../repo/state.repo.ts';

/**
 * When the watch last (re)started: the first look at a channel, and again after a gap in watching (the
 * scheduler or the whole gateway down, the channel disabled, quietAlertHours newly set). The quiet clock
 * counts from the later of this and the last input: time nobody watched is no quiet spell — after a
 * weekend's power cut the connectors still hold their backlog, and the modem was never at fault.
 */
const WATCH_SINCE = 'quietWatchSince';
/** The last time the watch looked (each scheduler sweep, every minute). */
const WATCHED_AT = 'quietWatchedAt';
/** A gap in watching longer than this restarts the watch. */
const WATCH_GAP_MS = 10 * 60_000;
/** The quiet spell already told (`since`: the last input, or the watch's start, it counts from). */
const ALERTED = 'quietAlerted';

/** Where to look first, per channel type (Indonesian: the secretariat's IT staff read it). */
const HINTS: Record<string, string> = {
  gammu: 'modem GSM menyala dan terhubung, pulsa dan masa aktif kartu SIM, layanan gammu-smsd berjalan (systemctl status gammu-smsd), folder inbox Gammu',
  'android-sms-gateway': 'ponsel gateway menyala dan terhubung ke internet, aplikasi SMS Gateway berjalan, pulsa kartu SIM, webhook masih terdaftar',
  twilio: 'nomor masih aktif di konsol Twilio, alamat webhook dan sertifikat TLS, saldo akun',
  telegram: 'token bot masih berlaku (@BotFather), mode polling/webhook, koneksi ke api.telegram.org',
  email: 'kata sandi IMAP, kotak surat tidak penuh, server IMAP dapat dihubungi',
  web: 'formulir di situs DPRD dapat dibuka dan dikirim, proxy/TLS di depan gateway',
};

/** When the scheduler told that this channel has gone quiet, while it still is; undefined when it is not (or not watched). */
export function quietToldAt(tx: Tx, channelId: string): string | undefined {
  return getState<{ at: string }>(tx, channelId, ALERTED)?.at;
}

export interface QuietResult {
  /** Channels told as quiet by this run. */
  quiet: string[];
  /** Channels told as taking input again by this run. */
  back: string[];
}

export function watchQuietChannels(deps: { config: Readonly<AduanConfig>; db: Db; logger?: Logger }, now: Date = new Date()): QuietResult {
  const { config, db, logger } = deps;
  const result: QuietResult = { quiet: [], back: [] };
  const at = now.toISOString();
  for (const c of config.channels) {
    const hours = (c as { quietAlertHours?: number }).quietAlertHours;
    if (!c.enabled || hours === undefined) {
      // not watched (any more): a quiet spell told before is over, without a "back" mail later
      if (getState(db, c.id, ALERTED) !== undefined || getState(db, c.id, WATCHED_AT) !== undefined) {
        db.transaction((tx) => { for (const k of [ALERTED, WATCHED_AT, WATCH_SINCE]) deleteState(tx, c.id, k); });
      }
      continue;
    }
    db.transaction((tx) => {
      const last = getState<string>(tx, c.id, LAST_INPUT);
      const watchedAt = getState<string>(tx, c.id, WATCHED_AT);
      setState(tx, c.id, WATCHED_AT, at, at);
      let watchSince = getState<string>(tx, c.id, WATCH_SINCE);
      if (watchSince === undefined || watchedAt === undefined || now.getTime() - Date.parse(watchedAt) > WATCH_GAP_MS) {
        setState(tx, c.id, WATCH_SINCE, at, at);
        watchSince = at;
      }
      const since = last !== undefined && last > watchSince ? last : watchSince;
      const quietMs = now.getTime() - Date.parse(since);
      const told = getState<{ since: string; at: string }>(tx, c.id, ALERTED);
      const to = config.escalation.address;
      const mail = (purpose: string, subject: string, text: string): void => {
        if (!to) return;
        insertOutbox(tx, {
          id: `channel.${c.id}.${purpose}`, caseId: null, kind: 'mail', queue: QUEUES.mail, now: at,
          payload: { to: [to], subject, text, messageId: ourMessageId(config, `SALURAN-${c.id}`, purpose), headers: { 'Auto-Submitted': 'auto-generated', 'X-Aduan-Channel': c.id }, attachments: [] },
        });
      };
      if (told && last !== undefined && last > told.since) {
        // input again after the quiet spell that was told
        const spell = Math.round((Date.parse(last) - Date.parse(told.since)) / 3_600_000);
        mail(`back-${Date.parse(last)}`, `Saluran ${c.id} (${c.type}) kembali menerima pesan`,
          `Saluran ${c.id} (${c.type}) menerima pesan lagi pada ${formatTime(last, config.instance.timezone)}, setelah sekitar ${spell} jam tanpa pesan `
          + `(sejak ${formatTime(told.since, config.instance.timezone)}). Periksa apakah ada aduan warga yang tidak sampai selama itu.`);
        deleteState(tx, c.id, ALERTED);
        logger?.info({ channel: c.id, quietHours: spell }, `channel ${c.id} takes input again after about ${spell} h without any`);
        result.back.push(c.id);
        return;
      }
      if (told || quietMs < hours * 3_600_000) return;
      const spell = Math.floor(quietMs / 3_600_000);
      const what = since !== last ? `tidak menerima pesan apa pun sejak dipantau (${formatTime(since, config.instance.timezone)})` : `tidak menerima pesan apa pun sejak ${formatTime(since, config.instance.timezone)}`;
      mail(`quiet-${Date.parse(since)}`, `Saluran ${c.id} (${c.type}) tidak menerima pesan selama ${spell} jam`,
        `Saluran ${c.id} (${c.type}) ${what}: ${spell} jam (batas channels[].quietAlertHours: ${hours} jam). `
        + `Aduan warga lewat saluran ini mungkin tidak sampai, dan warga tidak menerima nomor aduan.\n\n`
        + `Periksa: ${HINTS[c.type] ?? 'proses dan kredensial saluran'}.\nLog: pm2 logs aduan-connector-${c.id}; periksa juga dengan: aduan status dan aduan doctor `
        + '(bila pesan menumpuk di antrean intake, yang berhenti adalah worker intake, bukan saluran ini).\n\n'
        + 'Surat ini dikirim sekali; bila saluran menerima pesan lagi, Anda diberi tahu.');
      setState(tx, c.id, ALERTED, { since, at }, at);
      logger?.warn({ channel: c.id, quietHours: spell, since, limitHours: hours },
        `channel ${c.id} (${c.type}) has taken in nothing for ${spell} h (quietAlertHours ${hours})${to ? `; ${to} told` : '; set escalation.address to be mailed'} — check the channel (pm2 logs aduan-connector-${c.id}, aduan doctor)`);
      result.quiet.push(c.id);
    }, { behavior: 'immediate' });
  }
  return result;
}
