import { citizenStateLabel } from '../../core/lifecycle/states.ts';

/**
 * Indonesian texts the bot answers with itself (commands, withheld files); placeholders are `{name}`.
 * (telegramText takes overrides by the same key, but the config's `templates` accepts only the names of
 * core/templates.ts, so none reach it yet.)
 * `{exampleNumber}` (start, help, status usage) is a case number of this instance: its casePrefix, this year.
 */
export const TELEGRAM_TEXTS = {
  telegramStart: [
    'Selamat datang di layanan pengaduan {instance}.',
    '',
    'Untuk menyampaikan aduan, cukup kirim pesan di sini dan ceritakan:',
    '• apa masalahnya,',
    '• di mana tepatnya (alamat, patokan, atau kirim lokasi),',
    '• sejak kapan atau kapan terjadi.',
    'Foto atau dokumen pendukung sangat membantu.',
    '',
    'Setiap aduan mendapat nomor (contoh: {exampleNumber}). Ketik /status <nomor> untuk melihat perkembangannya, atau /bantuan untuk petunjuk.',
  ].join('\n'),
  telegramHelp: [
    'Petunjuk layanan pengaduan {instance}:',
    '• Kirim aduan sebagai pesan biasa: apa, di mana, kapan. Lampirkan foto bila ada.',
    '• /status <nomor aduan> — melihat status aduan Anda, contoh: /status {exampleNumber}',
    '• /bantuan — menampilkan petunjuk ini.',
    'Di grup, sebut @{bot} atau balas pesan bot agar pesan Anda tercatat.',
  ].join('\n'),
  telegramStatus: 'Aduan {caseNumber}: {status}.\nDitangani oleh: {division}.\nPembaruan terakhir: {updatedAt}.',
  telegramStatusUnknown: 'Aduan {caseNumber} tidak ditemukan atau tidak terdaftar atas nama Anda. Periksa kembali nomornya.',
  telegramStatusUsage: 'Tulis nomor aduan setelah perintah, contoh: /status {exampleNumber}',
  telegramFileWithheld: 'Maaf, berkas {filename} tidak dapat kami terima: {reason}. Pesan Anda tetap tercatat. Bila berkas itu penting, kirim ulang dalam ukuran lebih kecil (misalnya foto atau PDF) atau lewat e-mail.',
} as const;

export type TelegramTextName = keyof typeof TELEGRAM_TEXTS;

/** A case's status in the /status answer: as every text for citizens says it (core/lifecycle/states.ts), never its internal name. */
export function statusLabel(status: string): string {
  return citizenStateLabel(status);
}

export function telegramText(name: TelegramTextName, vars: Readonly<Record<string, string | number>>, overrides: Readonly<Record<string, string>> = {}): string {
  const template = overrides[name] ?? TELEGRAM_TEXTS[name];
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in vars ? String(vars[key]) : whole));
}
