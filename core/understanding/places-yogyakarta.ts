/**
 * Places of Kota Yogyakarta that citizens name without a place word ("sampah numpuk di terban", "banjir
 * lagi di Baciro"): the 14 kecamatan, the kelurahan, kampung, streets, markets, rivers and landmarks
 * whose names are not also everyday words. problem.ts reads them as places wherever they stand, in any
 * case, so two reports naming one of them can be the same problem, and two near-identical texts naming
 * two different ones are not. `dedupe.placeNames` in the YAML adds names.
 *
 * Left out on purpose: kelurahan Bener and Tahunan ("bener" is "true", "tahunan" "yearly"; after
 * kelurahan/kampung/SD they are still read), street names every Indonesian city has (Sudirman,
 * Diponegoro …), and names of neighbouring regencies (Bantul, Sleman, Magelang …) that mostly mean
 * the region, not a street. Written apart or together is the same name ("Kota Gede", "Kotagede").
 */
export const YOGYAKARTA_PLACES: readonly string[] = [
  // kecamatan
  'Danurejan', 'Gedongtengen', 'Gondokusuman', 'Gondomanan', 'Jetis', 'Kotagede', 'Kraton', 'Keraton',
  'Mantrijeron', 'Mergangsan', 'Ngampilan', 'Pakualaman', 'Tegalrejo', 'Umbulharjo', 'Wirobrajan',
  // kelurahan
  'Bausasran', 'Suryatmajan', 'Tegalpanggung', 'Pringgokusuman', 'Sosromenduran', 'Baciro', 'Demangan',
  'Klitren', 'Kotabaru', 'Terban', 'Ngupasan', 'Prawirodirjan', 'Bumijo', 'Cokrodiningratan', 'Gowongan',
  'Kota Gede', 'Prenggan', 'Purbayan', 'Rejowinangun', 'Kadipaten', 'Panembahan', 'Patehan', 'Gedongkiwo',
  'Suryodiningratan', 'Brontokusuman', 'Keparakan', 'Wirogunan', 'Notoprajan', 'Gunungketur',
  'Purwokinanti', 'Karangwaru', 'Kricak', 'Giwangan', 'Mujamuju', 'Muja Muju', 'Pandeyan', 'Semaki',
  'Sorosutan', 'Warungboto', 'Pakuncen', 'Patangpuluhan',
  // kampung
  'Jogokaryan', 'Prawirotaman', 'Tirtodipuran', 'Karangkajen', 'Sosrowijayan', 'Sayidan', 'Badran',
  'Pingit', 'Gondolayu', 'Jlagran', 'Ngabean', 'Ledok Tukangan', 'Kauman', 'Ngasem', 'Pathuk',
  'Sorogenen', 'Nitikan', 'Tegalgendu', 'Basen', 'Celeban', 'Tungkak', 'Kemetiran', 'Sagan',
  'Pajeksan', 'Gandekan', 'Bintaran',
  // streets
  'Malioboro', 'Kusumanegara', 'Parangtritis', 'Mangkubumi', 'Margo Utomo', 'Marga Utama', 'Margo Mulyo',
  'Pangurakan', 'Tamansiswa', 'Taman Siswa', 'Gedong Kuning', 'Timoho', 'Glagahsari', 'Menteri Supeno',
  'Pakuningratan', 'Suryotomo', 'Ngeksigondo', 'Sugeng Jeroni', 'Bugisan', 'Tentara Pelajar',
  'Letjen Suprapto', 'Wahidin', 'Urip Sumoharjo', 'Affandi', 'Gejayan', 'Kaliurang', 'Jokteng',
  'Pojok Beteng', 'Plengkung Gading', 'Alkid', 'Alun-alun Kidul', 'Alun-alun Utara',
  // markets, stations, landmarks, rivers
  'Beringharjo', 'Kranggan', 'Lempuyangan', 'Kridosono', 'Mandala Krida', 'Gembira Loka', 'Gembiraloka',
  'Taman Pintar', 'Titik Nol', 'Winongo', 'Gajah Wong', 'Gajahwong',
];
