/** Server-rendered Indonesian pages: work without JavaScript, accessible labels, small for cheap phones. */
import { exampleCaseNumber, yearIn } from '../../core/case-number.ts';
import { WITHHELD_EMPTY, WITHHELD_NOT_IMAGE } from './web.upload.ts';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
label{display:block;margin-top:1rem;font-weight:600}input,textarea{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}
textarea{min-height:10rem}button{margin-top:1.25rem;padding:.75rem 1.5rem;font-size:1rem;background:#8a1c1c;color:#fff;border:0;border-radius:4px}
.hp{position:absolute;left:-10000px}.err{background:#fde8e8;border-left:4px solid #b00;padding:.5rem 1rem}.ok{background:#e8f5e9;border-left:4px solid #2e7d32;padding:.5rem 1rem}
.hint{font-weight:400;color:#555;font-size:.9rem}fieldset{margin:1rem 0 0;padding:.25rem .75rem .75rem;border:1px solid #bbb;border-radius:4px;min-width:0}legend{font-weight:600;padding:0 .25rem}fieldset label{font-weight:400;margin-top:.5rem}.num{font-size:1.6rem;font-weight:700;letter-spacing:.05em}`;

function page(title: string, body: string, head = ''): string {
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">${head}<title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export interface FormValues {
  name?: string;
  phone?: string;
  email?: string;
  subject?: string;
  text?: string;
}

/** The form's photo field: how many photos, how large each (storage.maxAttachmentBytes). */
export interface PhotoField {
  maxFiles: number;
  maxFileBytes: number;
}

/** A size as citizens read it: "10 MB", "2,5 MB", "500 KB". */
export function sizeText(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return `${Number.isInteger(mb) ? mb : mb.toFixed(1).replace('.', ',')} MB`;
  return `${Math.floor(bytes / 1024)} KB`;
}

/**
 * The form. `token` is a random id rendered as a hidden field (a new one per fresh form, the same one
 * when the form comes back after an error): a double tap on Kirim or a resend after "sistem sedang
 * sibuk" is the same submission, hence one message.
 */
export function formPage(instance: string, values: FormValues = {}, error?: string, token?: string, photos?: PhotoField): string {
  const v = (k: keyof FormValues): string => esc(values[k] ?? '');
  // Photos (optional): one input opens the phone's camera at once (capture), the other picks photos
  // taken earlier (with capture, a phone offers no gallery). Both are "foto": at most maxFiles together.
  const photoField = photos === undefined ? '' : `<fieldset id="foto-field" aria-describedby="foto-hint"><legend>Foto <span class="hint">(tidak wajib, paling banyak ${photos.maxFiles}, masing-masing maks. ${esc(sizeText(photos.maxFileBytes))})</span></legend>
<label for="foto">Ambil foto dengan kamera HP</label>
<input id="foto" name="foto" type="file" accept="image/*" multiple capture="environment">
<label for="foto-galeri">atau pilih foto yang sudah ada</label>
<input id="foto-galeri" name="foto" type="file" accept="image/*" multiple>
<p class="hint" id="foto-hint">Misalnya foto jalan berlubang atau lampu yang mati. Berkas JPEG, PNG, WebP atau HEIC.</p>
</fieldset>
`;
  return page(`Aduan Masyarakat — ${instance}`, `
<main>
<h1>Sampaikan Aduan</h1>
<p>${esc(instance)} menerima aduan masyarakat. Ceritakan <b>apa</b> masalahnya, <b>di mana</b> dan <b>sejak kapan</b>. Anda akan menerima nomor aduan untuk menanyakan perkembangannya.</p>
${error ? `<p class="err" role="alert" id="form-error">${esc(error)}</p>` : ''}
<form method="post" action="/kirim" accept-charset="utf-8"${photos === undefined ? '' : ' enctype="multipart/form-data"'}>
${token !== undefined ? `<input type="hidden" name="token" value="${esc(token)}">\n` : ''}<label for="name">Nama <span class="hint">(boleh dikosongkan)</span></label>
<input id="name" name="name" autocomplete="name" maxlength="200" value="${v('name')}">
<label for="phone">Nomor HP <span class="hint">(isi nomor HP atau e-mail, minimal salah satu)</span></label>
<input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" maxlength="40" value="${v('phone')}">
<label for="email">E-mail</label>
<input id="email" name="email" type="email" autocomplete="email" maxlength="320" value="${v('email')}">
<label for="subject">Judul <span class="hint">(singkat, boleh dikosongkan)</span></label>
<input id="subject" name="subject" maxlength="300" value="${v('subject')}">
<label for="text">Isi aduan</label>
<textarea id="text" name="text" required maxlength="10000" aria-describedby="text-hint">${v('text')}</textarea>
<p class="hint" id="text-hint">Paling banyak 10.000 karakter. Jangan menuliskan data rahasia seperti PIN atau kata sandi.</p>
${photoField}<div class="hp" aria-hidden="true"><label for="website">Jangan diisi</label><input id="website" name="website" tabindex="-1" autocomplete="off"></div>
<button type="submit">Kirim aduan</button>
</form>
</main>`);
}

/**
 * How long a queued message's receipt page has been refreshing: `since` (unix seconds, carried by each
 * refresh), `stopped` once it is time to stop; whether the sender gave an e-mail / phone (unknown while
 * Redis cannot be asked).
 */
export interface ReceiptWait {
  since: number;
  stopped: boolean;
  email?: boolean;
  phone?: boolean;
}

/** A photo sent with the form and not kept (no image by its bytes, a type not allowed): its name and the stored reason. */
export interface WithheldPhoto {
  filename: string;
  reason: string;
}

/** The reason a photo was withheld, as the citizen reads it on the receipt page. */
function photoReason(reason: string): string {
  if (reason === WITHHELD_EMPTY) return 'berkasnya kosong';
  if (reason === WITHHELD_NOT_IMAGE) return 'isinya bukan gambar JPEG, PNG, WebP atau HEIC';
  return reason;
}

/**
 * The receipt page's note on photos not kept: one line each (a citizen who gave no e-mail learns it only
 * here), and how to send them again — with the case number, so the photo joins the report.
 */
function withheldNote(withheld: readonly WithheldPhoto[], caseNumber: string | null, numberComing: boolean): string {
  if (withheld.length === 0) return '';
  const lines = withheld.map((w) => `Foto «${esc(w.filename)}» tidak disimpan: ${esc(photoReason(w.reason))}.`);
  const how = caseNumber
    ? `Bila foto itu penting, kirim ulang foto yang benar lewat <a href="/">formulir aduan</a> dengan nomor HP dan alamat e-mail persis seperti yang Anda isi tadi, dan tuliskan nomor aduan ${esc(caseNumber)} di isi aduan.`
    : numberComing
      ? 'Bila foto itu penting, kirim ulang foto yang benar lewat <a href="/">formulir aduan</a> setelah nomor aduan muncul di halaman ini, dengan nomor HP dan alamat e-mail persis seperti yang Anda isi tadi, dan tuliskan nomor itu di isi aduan.'
      : 'Bila foto itu penting, kirim ulang foto yang benar lewat <a href="/">formulir aduan</a>.';
  return `\n<p class="err" id="foto-tidak-disimpan">${lines.join('<br>')}<br>${how}</p>`;
}

/**
 * The message named another case number than the one it is recorded on ("susulan foto untuk ADU-…" with
 * another phone and e-mail than that case's, or on a case a channel proved the citizen of: an SMS,
 * WhatsApp, Telegram or e-mail report): why it was not added there, and how it would be. Says
 * nothing of that case, nor whether it exists (anyone can type a number).
 */
function namedOtherNote(named: string | undefined, caseNumber: string): string {
  if (named === undefined || named === caseNumber) return '';
  return `\n<p id="nomor-lain">Pesan Anda menyebut nomor aduan ${esc(named)}, tetapi dicatat sebagai aduan tersendiri dengan nomor di atas. Lewat formulir ini, tambahan keterangan atau foto hanya kami satukan dengan aduan yang dilaporkan lewat formulir dengan nomor HP dan alamat e-mail persis sama; aduan yang dilaporkan lewat SMS, WhatsApp, Telegram atau e-mail dilengkapi lewat saluran itu. Petugas tetap membaca pesan Anda beserta nomor yang Anda sebut. Bila Anda pelapor aduan ${esc(named)}, kirim lagi dengan nomor HP dan alamat e-mail yang sama seperti saat melapor, atau lewat saluran tempat Anda melapor.</p>`;
}

/**
 * The receipt page (/laporan/<id>); `statusUrl`, once the case has a number: its status link (web channel
 * publicUrl); `withheld`: the photos sent with it that were not kept, named with the reason; `named`: the
 * case number its text names (said when it is another than its own).
 */
export function statusPage(instance: string, id: string, caseNumber: string | null, state: 'queued' | 'recorded' | 'kept' | 'unmatched' | 'failed' | 'unknown', wait: ReceiptWait = { since: Math.floor(Date.now() / 1000), stopped: false }, statusUrl?: string, withheld: readonly WithheldPhoto[] = [], named?: string): string {
  if (caseNumber) {
    const link = statusUrl === undefined ? '' : `
<p>Pantau perkembangan aduan: <a href="${esc(statusUrl)}" id="status-link">${esc(statusUrl)}</a><br><span class="hint">Simpan tautan ini dan jangan dibagikan: siapa pun yang memilikinya dapat melihat perkembangan aduan Anda.</span></p>`;
    return page(`Aduan diterima — ${caseNumber}`, `
<main><h1>Aduan Anda diterima</h1>
<p class="ok" role="status">Nomor aduan Anda: <span class="num" id="case-number">${esc(caseNumber)}</span></p>
<p>Simpan nomor ini. Sebutkan nomor tersebut bila menanyakan perkembangan aduan kepada ${esc(instance)}.</p>${namedOtherNote(named, caseNumber)}${withheldNote(withheld, caseNumber, false)}${link}
<p><a href="/">Kirim aduan lain</a></p></main>`);
  }
  if (state === 'unknown') {
    return page('Aduan tidak ditemukan', `<main><h1>Aduan tidak ditemukan</h1><p>Periksa kembali tautan Anda.</p><p><a href="/">Kembali ke formulir</a></p></main>`);
  }
  if (state === 'unmatched') {
    // only a question about a case (its number, or "laporan saya") that is not on what was typed here: the
    // same words whether that case exists or not, and where to ask — the status page takes the proof
    return page('Menanyakan aduan', `<main><h1>Pesan Anda tidak dicatat sebagai aduan baru</h1>
<p role="status" id="menanyakan">Pesan Anda hanya menanyakan aduan${named === undefined ? '' : ` ${esc(named)}`}; aduan itu tidak kami temukan untuk nomor HP dan alamat e-mail yang Anda isi, jadi tidak ada aduan baru yang dicatat.</p>
<p>Perkembangan aduan dapat dilihat di halaman <a href="/status">Cek perkembangan aduan</a> dengan nomor aduan dan empat angka terakhir nomor HP atau alamat e-mail yang Anda pakai saat melapor, atau tanyakan lewat saluran tempat Anda melapor.</p>
<p>Bila Anda hendak mengadukan suatu masalah, kirim lewat <a href="/">formulir aduan</a>: apa masalahnya, di mana, dan sejak kapan.</p>
<p>Kode penerimaan: <code>${esc(id)}</code></p></main>`);
  }
  if (state === 'kept' || state === 'failed') {
    return page('Pesan tercatat', `<main><h1>Pesan Anda tercatat</h1>
<p role="status">Pesan Anda tersimpan dan akan diperiksa petugas ${esc(instance)}. Bila perlu, petugas menghubungi Anda.</p>${withheldNote(withheld, null, false)}
<p>Kode penerimaan: <code>${esc(id)}</code></p>
<p><a href="/">Kirim aduan lain</a></p></main>`);
  }
  const again = `/laporan/${esc(id)}?sejak=${wait.since}`;
  if (wait.stopped) {
    // (web acknowledgements go by e-mail only: a phone number alone gets no number sent)
    const how = wait.email === true
      ? 'Nomor aduan akan kami kirim ke alamat e-mail yang Anda isi begitu aduan tercatat.'
      : wait.email === false
        ? `Karena Anda tidak mengisi alamat e-mail, nomor aduan tidak dikirimkan kepada Anda: lihat nomornya di halaman ini nanti.${wait.phone ? ` Bila perlu, petugas ${esc(instance)} menghubungi Anda lewat nomor HP yang Anda isi.` : ''}`
        : 'Bila Anda mengisi alamat e-mail, nomor aduan akan kami kirim ke sana begitu aduan tercatat.';
    return page('Aduan diterima, menunggu dicatat', `
<main><h1>Aduan Anda sudah kami terima</h1>
<p class="ok" role="status">Aduan Anda tersimpan dengan aman dan sedang mengantre untuk dicatat. Pencatatan kali ini lebih lama dari biasanya; Anda <b>tidak perlu mengirim ulang</b> aduan.</p>
<p id="how">${how}</p>${withheldNote(withheld, null, true)}
<p>Anda juga dapat memuat ulang halaman ini nanti (simpan atau tandai alamatnya) untuk melihat nomor aduan.</p>
<p>Kode penerimaan: <code>${esc(id)}</code></p>
<p><a href="${again}" id="reload">Muat ulang halaman ini</a> · <a href="/">Kirim aduan lain</a></p></main>`);
  }
  return page('Aduan sedang dicatat', `
<main><h1>Aduan Anda sedang dicatat</h1>
<p role="status">Aduan sudah kami terima dan sedang diberi nomor. Halaman ini diperbarui otomatis dalam beberapa detik.</p>${withheldNote(withheld, null, true)}
<p>Kode penerimaan: <code>${esc(id)}</code></p>
<p><a href="${again}">Muat ulang</a></p></main>`, `<meta http-equiv="refresh" content="2;url=${again}">`);
}

export interface TimelineView {
  number: string;
  status: string;
  timeline: { at: string; label: string; text: string | null }[];
}

/**
 * GET/POST /status: case number + last four phone digits or the e-mail → the case's timeline. The number
 * field's example is one of this instance (its casePrefix, this year), as citizens' numbers look.
 */
export function caseStatusPage(instance: { timezone: string; casePrefix: string }, view?: TimelineView, notFound = false, values: { nomor?: string } = {}, error?: string, now = new Date()): string {
  const { timezone } = instance;
  const fmt = (iso: string): string => new Intl.DateTimeFormat('id-ID', { timeZone: timezone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  const example = exampleCaseNumber(instance.casePrefix, yearIn(now, timezone));
  const form = `<form method="post" action="/status" accept-charset="utf-8">
<label for="nomor">Nomor aduan</label><input id="nomor" name="nomor" required placeholder="${esc(example)}" maxlength="40" value="${esc(values.nomor ?? '')}">
<label for="bukti">Empat angka terakhir nomor HP, atau alamat e-mail yang Anda pakai</label><input id="bukti" name="bukti" required maxlength="320" autocomplete="off">
<button type="submit">Lihat perkembangan</button></form>`;
  const body = view
    ? `<h1>Perkembangan aduan ${esc(view.number)}</h1><ol id="timeline">${view.timeline.map((t) => `<li><b>${esc(t.label)}</b> — ${esc(fmt(t.at))}${t.text ? `<br>${esc(t.text)}` : ''}</li>`).join('')}</ol><p><a href="/status">Cek aduan lain</a></p>`
    : `<h1>Cek perkembangan aduan</h1>${error ? `<p class="err" role="alert">${esc(error)}</p>` : notFound ? '<p class="err" role="alert">Aduan tidak ditemukan, atau data pembuktian tidak cocok.</p>' : ''}${form}`;
  return page('Cek perkembangan aduan', `<main>${body}</main>`);
}

/** Any address the channel does not have, asked for by a browser. */
export function notFoundPage(): string {
  return page('Halaman tidak ditemukan', `<main><h1>Halaman tidak ditemukan</h1>
<p>Alamat yang Anda buka tidak ada. Periksa kembali alamatnya.</p>
<p><a href="/">Kirim aduan</a> · <a href="/status">Cek perkembangan aduan</a></p></main>`);
}

/** An address that cannot be read (a malformed %-escape: a link cut short when copied), asked for by a browser. */
export function badAddressPage(): string {
  return page('Alamat tidak valid', `<main><h1>Alamat tidak valid</h1>
<p>Alamat yang Anda buka tidak dapat dibaca, mungkin terpotong saat disalin. Periksa kembali alamatnya.</p>
<p><a href="/">Kirim aduan</a> · <a href="/status">Cek perkembangan aduan</a></p></main>`);
}

/**
 * Any other error a browser meets (a refused POST /status, a fault of ours), instead of the API's English
 * JSON: what happened and what to do, in Indonesian. `seconds`: how long a rate limit holds.
 */
export function errorPage(kind: 'rate' | 'busy' | 'bad' | 'internal', seconds?: number): string {
  const wait = seconds === undefined ? 'sebentar lagi' : seconds > 90 ? `dalam ${Math.ceil(seconds / 60)} menit` : `dalam ${seconds} detik`;
  const texts: Record<typeof kind, readonly [string, string]> = {
    rate: ['Terlalu banyak permintaan', `Terlalu banyak permintaan dari jaringan Anda dalam waktu singkat. Silakan coba lagi ${wait}.`],
    busy: ['Sistem sedang sibuk', 'Maaf, sistem sedang sibuk. Silakan coba lagi beberapa saat lagi.'],
    bad: ['Permintaan tidak dapat diproses', 'Data yang dikirim tidak dapat dibaca. Muat ulang halaman formulir, lalu isi dan kirim lagi.'],
    internal: ['Terjadi gangguan', 'Maaf, terjadi gangguan pada sistem kami. Silakan coba lagi beberapa saat lagi. Bila Anda sedang mengirim aduan dan belum melihat nomor aduan, aduan itu belum tentu tersimpan: kirim ulang nanti.'],
  };
  const [title, text] = texts[kind];
  return page(title, `<main><h1>${esc(title)}</h1>
<p class="err" role="alert">${esc(text)}</p>
<p><a href="/">Kirim aduan</a> · <a href="/status">Cek perkembangan aduan</a></p></main>`);
}
