/**
 * The verdict check's own knowledge of what a citizen reports, beside the classifier's problem lexicon
 * (understanding/lexicon.ts, which feeds the model's features and changes only with a retrain).
 *
 * While a case waits for PUAS / TIDAK PUAS, "tidak ada air sejak kemarin", "ga ada listrik di gang",
 * "tidak bisa urus KTP" begin like a TIDAK PUAS but name none of the lexicon's problem words: what
 * they lack is a public service (water, electricity, an identity card). Such a text names a problem of
 * its own when the public service it says is missing or not working is none the waiting case speaks
 * of; "tidak ada air" on a case about the water is that case's TIDAK PUAS.
 */
import { FUNCTION } from '../understanding/lexicon.ts';
import { tokenize } from '../understanding/normalize.ts';

/** Public services and the things citizens lack of them (after normalize.ts), each → the service it belongs to. */
const SERVICE: ReadonlyMap<string, string> = new Map(Object.entries({
  // water
  air: 'air', pdam: 'air', sumur: 'air', ledeng: 'air', banyu: 'air', toya: 'air',
  // electricity and lighting (a street light and "the power" are often one complaint)
  listrik: 'listrik', pln: 'listrik', token: 'listrik', lampu: 'listrik', pju: 'listrik', penerangan: 'listrik', setrum: 'listrik',
  // waste
  sampah: 'sampah', tps: 'sampah', kebersihan: 'sampah',
  // drainage
  selokan: 'selokan', saluran: 'selokan', drainase: 'selokan', gorong: 'selokan', parit: 'selokan',
  // traffic signs (the road itself is in nearly every address, and "tidak jalan" says something is not
  // running: a road's problems are the lexicon's words, "rusak", "berlubang")
  rambu: 'rambu', marka: 'rambu', apill: 'rambu',
  // population registry (not "kk": also "kakak" in chat)
  ktp: 'adminduk', ektp: 'adminduk', akta: 'adminduk', akte: 'adminduk', nik: 'adminduk', kia: 'adminduk', dukcapil: 'adminduk',
  // health
  bpjs: 'kesehatan', kis: 'kesehatan', puskesmas: 'kesehatan', dokter: 'kesehatan', obat: 'kesehatan', ambulans: 'kesehatan', ambulan: 'kesehatan', berobat: 'kesehatan', bidan: 'kesehatan',
  // schools
  sekolah: 'sekolah', ppdb: 'sekolah', zonasi: 'sekolah', guru: 'sekolah', seragam: 'sekolah', kip: 'sekolah', beasiswa: 'sekolah',
  // social aid
  bansos: 'bansos', blt: 'bansos', pkh: 'bansos', sembako: 'bansos', beras: 'bansos',
  // cooking gas, fuel, signal, transport, parking
  gas: 'gas', elpiji: 'gas', lpg: 'gas', bbm: 'bbm', solar: 'bbm', pertalite: 'bbm',
  sinyal: 'sinyal', internet: 'sinyal', wifi: 'sinyal',
  angkot: 'angkutan', bus: 'angkutan', bis: 'angkutan', transjogja: 'angkutan', halte: 'angkutan',
  parkir: 'parkir',
  // registering for a service at all ("tidak bisa daftar")
  daftar: 'daftar', mendaftar: 'daftar', didaftarkan: 'daftar', mendaftarkan: 'daftar', pendaftaran: 'daftar',
}));

/**
 * Words saying something is not there or does not work (after normalize.ts: ga, gak, tdk → tidak; blm →
 * belum), and the few states a service is reported in ("listrik mati", "mati lampu", "sumur kering",
 * "gas langka", "pipa PDAM bocor").
 */
const NOT = new Set(`
  tidak belum ora mboten boten dereng durung urung gada gaada
  mati padam kering keruh habis langka putus hilang bocor mampet
`.split(/\s+/).filter(Boolean));

/**
 * Words that do not count towards the distance between a "not" and its thing: "tidak **ada** air",
 * "belum **ada** petugas **yang** ambil sampah", "tidak **bisa** urus KTP", "ora **ana** banyu".
 */
const LINKING = new Set([...FUNCTION, ...'ada ana ono onten wonten bisa isa iso saged dapat boleh pernah lagi juga sama sekali pak bu bapak ibu mas mbak kok sih'.split(' ')]);

/** Words that end the part of a sentence a "not" speaks of ("tidak bisa lewat **karena** air menggenang"). */
const CLAUSE_END = new Set('karena sebab soalnya tapi tetapi namun padahal sehingga kalau sedangkan lalu'.split(' '));

/** A thing as far as this many counted words after a "not" ("belum ada petugas kebersihan"), or before it ("air PDAM di rumah saya tidak mengalir"). */
const AFTER = 2;
const BEFORE = 3;

/** Water that is no service: rain, a gutter's, a river's ("belum pak air hujan menggenang di lubangnya"). */
const NOT_THE_SERVICE = new Set('hujan mata selokan comberan limbah banjir sungai kali laut'.split(' '));

/** A public service of SERVICE, also with a suffix ("airnya", "lampune", "ktpku"); `next` is the word after it. */
function serviceOf(token: string, next?: string): string | undefined {
  const s = SERVICE.get(token) ?? SERVICE.get(token.replace(/(?:nya|ne|ku|mu|e)$/, ''));
  return s === 'air' && next !== undefined && NOT_THE_SERVICE.has(next) ? undefined : s;
}

/** Every public service the text names (the waiting case's own words, read the same way). */
export function servicesNamed(text: string): Set<string> {
  const out = new Set<string>();
  const tokens = tokenize(text);
  tokens.forEach((t, i) => {
    const s = serviceOf(t, tokens[i + 1]);
    if (s !== undefined) out.add(s);
  });
  return out;
}

/**
 * The public services the text says are missing or do not work: a thing of SERVICE near a "not" in
 * the same part of a sentence — "tidak ada air", "ga ada listrik di gang", "tidak bisa urus KTP",
 * "belum ada petugas kebersihan", "air PDAM tidak mengalir", "KTP saya belum jadi", "listrik di gang mati".
 */
export function servicesLacking(text: string): Set<string> {
  const out = new Set<string>();
  // (a comma or full stop ends what a "not" speaks of: "Belum, air hujan menggenang di lubangnya")
  for (const clause of text.split(/[.,;:!?\n]+|\s[-\u2013\u2014]\s/)) {
    const tokens = tokenize(clause);
    tokens.forEach((t, i) => {
      if (!NOT.has(t)) return;
      const near = (step: 1 | -1, max: number): void => {
        let counted = 0;
        for (let k = i + step; k >= 0 && k < tokens.length && counted < max; k += step) {
          const w = tokens[k]!;
          if (CLAUSE_END.has(w) || NOT.has(w)) return;
          const s = serviceOf(w, tokens[k + 1]);
          if (s !== undefined) { out.add(s); return; }
          if (!LINKING.has(w)) counted++;
        }
      };
      near(1, AFTER);
      near(-1, BEFORE);
    });
  }
  return out;
}

/**
 * A message, on a case waiting for the citizen's verdict, that says a public service is missing or
 * not working which the case's own words (`caseText`) do not speak of: a new report ("tidak ada air
 * sejak kemarin" on a road case), not that case's TIDAK PUAS ("tidak ada air" on a water case is).
 */
export function lacksAnotherService(text: string, caseText: string): boolean {
  const lacking = servicesLacking(text);
  if (lacking.size === 0) return false;
  const theirs = servicesNamed(caseText);
  return [...lacking].some((s) => !theirs.has(s));
}
