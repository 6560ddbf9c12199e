/**
 * Routing-focused corpus rows (written for this project from general knowledge of Indonesian city
 * services; no real citizen text): complaints, requests ("mohon bantuan") and data-status questions
 * in the register of a city complaint centre — long formal letters, terse informal reports — with
 * many paraphrases that the YAML keyword rules do not catch. Weighted towards Komisi A
 * (pemerintahan: kependudukan, kelurahan/kecamatan, ASN, ketertiban, kominfo, perizinan, hukum,
 * keamanan) and Komisi B (PDAM, pajak/retribusi, pasar, UMKM, tenaga kerja, harga pangan, aset).
 *
 * Has its own seeded RNG so that adding it does not move the rows generate.ts draws.
 */
import { seededRandom } from './rng.ts';
export interface RoutingRow { text: string; label: 'complaint' | 'question'; division: string; lang: 'id' | 'sms' }

const rnd = seededRandom(20261128);
function pick<T>(xs: readonly T[]): T { return xs[Math.floor(rnd() * xs.length)]!; }
function fill(t: string, v: Record<string, string>): string {
  return t.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? '').replace(/\s+([,.?!])/g, '$1').replace(/([.?!])\s*\./g, '$1').replace(/\s{2,}/g, ' ').trim();
}
function cap(s: string): string { return s.charAt(0).toUpperCase() + s.slice(1); }

type Div = 'komisi-a' | 'komisi-b' | 'komisi-c' | 'komisi-d';
interface Topic {
  div: Div;
  /** Formal problem clauses ("... saya belum jadi"). */
  p: string[];
  /** Informal / SMS problem clauses. */
  s: string[];
  /** What is asked for ("mohon {ask}"). */
  ask: string[];
  /** Data-status or procedure questions (label question). */
  q?: string[];
}

const T: Topic[] = [
  // ======================= Komisi A: kependudukan =======================
  { div: 'komisi-a',
    p: ['KTP elektronik saya belum jadi padahal sudah rekam {dur}', 'blangko KTP di kecamatan selalu habis sehingga saya hanya diberi surat keterangan', 'KTP saya hilang dan pengajuan cetak ulang belum diproses',
      'data nama di KTP saya salah ketik dan sudah dua kali mengajukan perbaikan', 'ibu saya yang sudah lansia dan sakit tidak bisa datang untuk perekaman data diri', 'NIK saya dinyatakan tidak ditemukan saat mendaftar layanan',
      'NIK anak saya ternyata ganda dengan orang lain', 'status perkawinan di data kependudukan saya masih belum kawin padahal sudah menikah', 'foto dan tanda tangan saya tidak bisa direkam karena alat perekaman rusak',
      'KTP digital saya tidak bisa diaktivasi karena barcode tidak muncul', 'alamat di KTP belum berubah padahal sudah pindah rumah {dur}'],
    s: ['ktp sy blm jadi2 padahal udh rekam {dur}', 'blangko ktp habis mulu', 'nik ga kebaca di sistem', 'nik sy ganda sm org lain', 'e-ktp ilang mau cetak ulang ribet', 'data ktp salah nama', 'ktp digital ga bisa aktivasi'],
    ask: ['percepatan pencetakan KTP saya', 'perekaman KTP di rumah untuk orang tua saya', 'pembetulan data NIK saya', 'kejelasan kapan KTP bisa diambil', 'bantuan agar NIK saya bisa dipadankan'],
    q: ['apakah KTP saya sudah dicetak dan bisa diambil di mana', 'berapa lama proses cetak ulang KTP yang hilang', 'bagaimana cara mengecek status NIK saya sudah aktif atau belum', 'apakah perekaman KTP bisa dilakukan di rumah untuk warga yang sakit',
      'kenapa status pengajuan KTP saya masih verifikasi terus'] },
  { div: 'komisi-a',
    p: ['kartu keluarga kami belum diperbarui setelah anak kedua lahir', 'pengajuan pecah KK sudah {dur} belum selesai', 'nama anggota keluarga yang sudah meninggal masih tercantum di KK',
      'alamat di kartu keluarga berbeda dengan alamat tempat tinggal sekarang', 'permohonan tambah anggota keluarga di KK ditolak tanpa penjelasan', 'KK saya ternyata sudah dinonaktifkan tanpa pemberitahuan',
      'hubungan keluarga di KK tertulis salah sehingga anak saya kesulitan daftar sekolah'],
    s: ['kk blm update pdhl anak udh lahir', 'pecah kk lama bgt', 'kk sy tiba2 nonaktif', 'nama almarhum msh ada di kk', 'alamat kk beda sm rumah'],
    ask: ['pembaruan kartu keluarga kami', 'penerbitan KK baru', 'perbaikan data hubungan keluarga', 'pengaktifan kembali data KK saya'],
    q: ['apakah pengajuan pecah KK saya sudah selesai', 'syarat tambah anggota keluarga di KK apa saja', 'bagaimana cara cek KK saya masih aktif', 'apakah KK bisa dicetak sendiri di rumah'] },
  { div: 'komisi-a',
    p: ['akta kelahiran anak saya belum terbit {dur}', 'nama orang tua di akta kelahiran anak saya salah', 'pengurusan akta kematian ayah saya dipersulit', 'permohonan akta kelahiran terlambat diminta penetapan pengadilan',
      'akta perkawinan kami belum dicatat di catatan sipil', 'kartu identitas anak untuk anak saya belum jadi', 'pencatatan perceraian belum diperbarui di data kependudukan'],
    s: ['akta lahir anak blm jadi', 'akta kematian bapak sy dipersulit', 'kia anak blm jadi', 'akta salah nama ortu', 'urus akta kelahiran telat ribet bgt'],
    ask: ['penerbitan akta kelahiran anak saya', 'pembetulan akta', 'kemudahan pengurusan akta kematian', 'pencetakan KIA anak saya'],
    q: ['apakah akta kelahiran anak saya sudah terbit', 'bagaimana cara mengurus akta kematian untuk orang tua', 'berapa lama pembuatan KIA', 'apakah akta bisa diunduh sendiri'] },
  { div: 'komisi-a',
    p: ['surat pindah saya dari luar kota belum bisa diproses', 'permohonan pindah datang sudah {dur} masih berstatus menunggu', 'setelah pindah alamat, data saya hilang dari sistem',
      'saya diminta kembali ke daerah asal hanya untuk mengurus surat pindah', 'warga pendatang di kampung kami tidak melapor dan tidak didata', 'banyak penghuni kos tidak terdata sebagai penduduk musiman'],
    s: ['surat pindah blm jadi', 'pindah datang lama bgt prosesnya', 'data sy ilang stlh pindah', 'pendatang ga lapor rt', 'anak kos ga didata'],
    ask: ['proses pindah datang saya', 'pendataan penduduk pendatang', 'kejelasan status perpindahan data saya'],
    q: ['apakah surat pindah bisa diurus online', 'bagaimana status permohonan pindah datang saya', 'syarat pindah domisili ke kota ini apa saja'] },
  { div: 'komisi-a',
    p: ['aplikasi layanan kependudukan online sering error saat mengunggah berkas', 'kode OTP pendaftaran akun layanan online tidak pernah masuk', 'kuota antrean online layanan dokumen selalu penuh sejak pagi',
      'pengajuan online saya ditolak berkali-kali tanpa keterangan', 'tanda tangan elektronik pada dokumen tidak bisa diverifikasi', 'dokumen yang sudah disetujui tidak bisa diunduh'],
    s: ['aplikasi adminduk error trs', 'otp ga masuk2', 'antrian online full trs', 'pengajuan ditolak mulu ga jelas alasannya', 'dokumen ga bisa didownload'],
    ask: ['perbaikan sistem layanan online', 'penjelasan alasan penolakan berkas saya', 'penambahan kuota antrean'],
    q: ['kenapa pengajuan saya di aplikasi ditolak', 'apakah berkas saya sudah diverifikasi', 'bagaimana cara reset akun layanan online'] },
  // ======================= Komisi A: kelurahan / kecamatan, RT RW =======================
  { div: 'komisi-a',
    p: ['petugas di kantor kelurahan tidak ada di tempat saat jam pelayanan', 'pelayanan di kantor kecamatan sangat lambat dan antrean tidak tertib', 'saya dimintai uang untuk surat pengantar yang seharusnya gratis',
      'lurah sulit ditemui untuk menandatangani surat', 'pengajuan surat keterangan usaha di kelurahan dipersulit', 'petugas pelayanan bersikap ketus dan membentak warga', 'kantor kelurahan tutup sebelum jam pelayanan berakhir',
      'berkas saya hilang di kelurahan dan saya diminta mengulang dari awal', 'pengaduan warga ke kelurahan tidak pernah ditanggapi', 'camat tidak menindaklanjuti laporan warga soal batas wilayah'],
    s: ['kantor kelurahan kosong jam kerja', 'pelayanan kecamatan lelet', 'ngurus surat dimintai duit', 'lurahnya ga bisa ditemui', 'petugas kelurahan jutek', 'berkas sy ilang di kelurahan', 'lapor ke kelurahan ga ditanggepin'],
    ask: ['teguran kepada petugas pelayanan', 'perbaikan pelayanan di kantor kelurahan', 'tindak lanjut atas pungutan tersebut', 'kejelasan prosedur dan biaya'],
    q: ['jam pelayanan kantor kelurahan sebenarnya sampai jam berapa', 'apakah surat pengantar dari kelurahan dikenakan biaya', 'ke mana saya harus melapor jika petugas kelurahan meminta uang'] },
  { div: 'komisi-a',
    p: ['pemilihan ketua RT di lingkungan kami tidak transparan', 'iuran warga tidak jelas penggunaannya dan pengurus menolak memberi laporan', 'balai warga dipakai untuk kepentingan pribadi pengurus',
      'fasilitas umum kampung dikuasai satu orang warga', 'pengurus RW menahan surat pengantar karena saya belum membayar iuran', 'ada perselisihan batas tanah dengan tetangga yang tidak selesai di tingkat RT',
      'tetangga membangun pagar yang menutup akses jalan keluar rumah kami', 'kegiatan hajatan menutup jalan kampung tanpa pemberitahuan', 'warga memelihara puluhan ekor unggas di permukiman sehingga bau dan bising'],
    s: ['pemilihan rt curang', 'iuran warga ga jelas larinya kemana', 'balai rw dipake pribadi', 'fasum kampung dikuasai 1 org', 'surat pengantar ditahan rt gara2 iuran', 'tetangga bikin pagar nutup akses rumah', 'tetangga pelihara ayam banyak bau'],
    ask: ['mediasi dari kelurahan', 'penegakan aturan di tingkat wilayah', 'pembinaan kepada pengurus RT dan RW', 'penyelesaian masalah ini secara adil'],
    q: ['siapa yang berwenang menyelesaikan sengketa antarwarga di kampung', 'apakah RT boleh menahan surat pengantar', 'bagaimana aturan masa jabatan ketua RW'] },
  // neighbour disputes that the kelurahan mediates (they mention sampah, parkir, saluran in passing)
  { div: 'komisi-a',
    p: ['tetangga selalu memarkir mobilnya di jalan kampung sehingga menutup akses warga lain', 'tetangga membuang sampah ke pekarangan kami dan tidak mau ditegur', 'tetangga menutup saluran di depan rumahnya sehingga air meluber ke rumah kami',
      'tetangga menjadikan rumahnya gudang rongsok dan mengganggu lingkungan', 'mobil tetangga parkir di depan pagar rumah kami setiap hari', 'warga yang tidak punya garasi memarkir mobil di gang sempit',
      'tetangga memelihara anjing yang dibiarkan lepas dan menggigit anak-anak', 'tetangga memutar musik keras sampai larut malam', 'tetangga membakar sampah setiap sore dan asapnya masuk rumah kami',
      'tetangga membangun teras melebihi batas sampai menutup jalan gang'],
    s: ['tetangga parkir mobil nutup jalan kampung', 'tetangga buang sampah ke halaman sy', 'tetangga nutup saluran air meluber ke rumah sy', 'tetangga nimbun rongsok', 'mobil tetangga parkir depan pagar sy tiap hari',
      'ga punya garasi parkir di gang', 'anjing tetangga dilepas gigit anak', 'tetangga setel musik kenceng tiap malem', 'tetangga bakar sampah asapnya masuk rumah', 'teras tetangga makan jalan gang'],
    ask: ['mediasi oleh kelurahan', 'teguran dari RT dan kelurahan', 'penyelesaian secara kekeluargaan yang difasilitasi kelurahan', 'ketegasan dari perangkat wilayah'],
    q: ['apakah kelurahan bisa memediasi masalah dengan tetangga', 'apa aturan parkir mobil di jalan kampung bagi yang tidak punya garasi'] },
  // ======================= Komisi A: ASN, honorer =======================
  { div: 'komisi-a',
    p: ['pegawai pemkot terlihat nongkrong di warung saat jam kerja', 'mobil dinas dipakai untuk keperluan pribadi di akhir pekan', 'seleksi pegawai kontrak di lingkungan pemkot tidak transparan',
      'tenaga honorer diberhentikan sepihak tanpa surat', 'seorang ASN terlibat kampanye politik secara terbuka', 'hasil seleksi PPPK diumumkan tanpa rincian nilai', 'pegawai kelurahan merangkap pekerjaan lain sehingga jarang masuk'],
    s: ['pns bolos nongkrong di warung', 'mobil dinas buat jalan2 keluarga', 'honorer dipecat sepihak', 'asn ikut kampanye', 'seleksi pppk ga transparan', 'pegawai pemkot jarang ngantor'],
    ask: ['pemeriksaan oleh inspektorat', 'sanksi disiplin kepada pegawai tersebut', 'keterbukaan hasil seleksi', 'kejelasan status tenaga honorer'],
    q: ['ke mana melaporkan ASN yang melanggar disiplin', 'apakah nilai seleksi PPPK bisa dilihat peserta', 'bagaimana nasib tenaga honorer tahun depan'] },
  // ======================= Komisi A: ketertiban (Satpol PP) =======================
  { div: 'komisi-a',
    p: ['pedagang berjualan di atas trotoar sehingga pejalan kaki turun ke jalan', 'lapak pedagang menutup badan jalan setiap sore', 'baliho dan spanduk dipasang sembarangan di tiang dan pohon',
      'reklame besar berdiri tanpa izin di tepi jalan', 'bangunan semi permanen didirikan di atas lahan fasilitas umum', 'warung remang-remang buka sampai pagi dan menjual minuman keras',
      'pengamen dan pengemis meminta dengan memaksa di perempatan', 'anak punk berkumpul dan mabuk di taman setiap malam', 'tempat karaoke melanggar jam operasional dan sangat bising', 'rumah kos dijadikan tempat prostitusi terselubung', 'PKL berjualan di bahu jalan dan trotoar sehingga arus kendaraan tersendat', 'gerobak PKL ditinggal di trotoar sepanjang malam',
      'manusia gerobak menginap di emperan toko', 'gudang di permukiman dipakai usaha tanpa izin dan mengganggu warga'],
    s: ['pedagang jualan di trotoar', 'lapak nutup jalan tiap sore', 'baliho dipaku di pohon', 'reklame liar gede bgt', 'warung remang2 jual miras', 'pengemis maksa di lampu merah', 'anak punk mabok di taman', 'karaoke berisik smp pagi',
      'kos dipake mesum', 'pkl jualan di trotoar', 'pkl makan bahu jalan', 'gerobak pkl ditinggal di trotoar', 'bangunan liar di lahan fasum'],
    ask: ['penertiban oleh Satpol PP', 'penindakan tegas sesuai perda', 'razia rutin di lokasi tersebut', 'pembongkaran bangunan tersebut', 'penurunan reklame tanpa izin'],
    q: ['ke mana melaporkan pedagang yang berjualan di trotoar', 'apakah reklame di lokasi tersebut sudah berizin', 'kapan jadwal penertiban di kawasan kami'] },
  // ======================= Komisi A: keamanan, kesbangpol =======================
  { div: 'komisi-a',
    p: ['pencurian sepeda motor terjadi berulang kali di kampung kami', 'sekelompok remaja membawa senjata tajam berkeliling pada malam hari', 'peredaran narkoba di sekitar tempat kos sangat meresahkan',
      'ada perjudian di pos ronda setiap malam', 'ormas meminta sumbangan dengan memaksa kepada pedagang', 'balapan liar terjadi setiap malam minggu di jalan utama', 'ronda malam tidak berjalan sehingga kampung rawan',
      'spanduk bernada provokatif dipasang di gapura kampung', 'terjadi penipuan berkedok arisan yang merugikan banyak warga'],
    s: ['maling motor lg marak', 'remaja bawa sajam keliling malem', 'narkoba di kos2an', 'judi di pos ronda', 'ormas minta sumbangan maksa', 'balap liar tiap malming', 'ronda ga jalan', 'spanduk provokatif di gapura', 'kena tipu arisan'],
    ask: ['peningkatan patroli malam', 'koordinasi dengan kepolisian', 'penindakan terhadap pelaku', 'pengaktifan kembali siskamling', 'pembinaan ormas oleh kesbangpol'],
    q: ['ke mana warga harus melapor jika ada ormas yang memaksa minta sumbangan', 'apakah ada bantuan hukum gratis untuk korban penipuan'] },
  // ======================= Komisi A: kominfo =======================
  { div: 'komisi-a',
    p: ['wifi gratis di balai RW sudah mati {dur}', 'kamera CCTV di simpang jalan mati sehingga kejadian tidak terekam', 'aplikasi pengaduan warga tidak bisa dibuka', 'website resmi pemerintah kota tidak bisa diakses',
      'nomor layanan darurat tidak pernah diangkat', 'informasi di website kelurahan tidak pernah diperbarui', 'data pribadi warga tersebar di grup percakapan', 'menara telekomunikasi berdiri di permukiman tanpa sosialisasi',
      'pengaduan saya lewat aplikasi tidak pernah dijawab', 'permohonan informasi publik saya tidak dijawab lebih dari sepuluh hari kerja', 'internet di taman kota tidak bisa tersambung'],
    s: ['wifi balai rw mati', 'cctv perempatan mati', 'aplikasi pengaduan ga bisa dibuka', 'web pemkot down', 'telp darurat ga diangkat', 'web kelurahan ga update', 'data warga bocor di grup wa', 'tower bts di kampung ga ada sosialisasi', 'lapor lewat aplikasi ga dibales'],
    ask: ['perbaikan jaringan internet publik', 'perbaikan CCTV tersebut', 'perbaikan aplikasi layanan', 'jawaban atas permohonan informasi saya', 'perlindungan data pribadi warga'],
    q: ['apakah rekaman CCTV di simpang bisa diminta warga', 'bagaimana cara mengajukan permohonan informasi publik', 'apakah wifi publik di balai RW masih berlaku'] },
  // ======================= Komisi A: perizinan, hukum =======================
  { div: 'komisi-a',
    p: ['permohonan persetujuan bangunan gedung saya sudah {dur} belum terbit', 'izin keramaian untuk acara kampung dipersulit', 'rumah kos di sebelah rumah kami beroperasi tanpa izin',
      'usaha bengkel di rumah tetangga beroperasi tanpa izin lingkungan', 'warga tidak mampu kesulitan mendapat bantuan hukum', 'tanah warisan keluarga kami disertifikatkan orang lain', 'peraturan daerah tentang kawasan tanpa rokok tidak ditegakkan'],
    s: ['pbg ga keluar2', 'izin keramaian dipersulit', 'kos sebelah ga ada izin', 'bengkel di rumah ga ada izin', 'tanah warisan diserobot org', 'perda ktr ga ditegakkan'],
    ask: ['percepatan proses perizinan', 'pengecekan izin usaha tersebut', 'pendampingan hukum', 'penegakan perda'],
    q: ['berapa lama proses persetujuan bangunan gedung', 'apakah usaha rumahan wajib punya izin', 'di mana mendapatkan bantuan hukum gratis'] },

  // ======================= Komisi B: PDAM =======================
  { div: 'komisi-b',
    p: ['air dari PDAM tidak mengalir {dur}', 'air yang keluar keruh dan berbau kaporit', 'aliran air hanya menetes pada malam hari', 'tagihan air bulan ini melonjak hampir lima kali lipat', 'meteran air rusak tetapi tagihan tetap dihitung rata-rata',
      'sambungan air kami diputus padahal tagihan sudah dibayar', 'pipa distribusi bocor dan air terbuang di pinggir jalan', 'permohonan sambungan baru air bersih belum dipasang {dur}', 'petugas pencatat meter tidak pernah datang sehingga tagihan ditaksir',
      'denda keterlambatan dikenakan padahal pembayaran lewat aplikasi sudah berhasil',
      'bekas galian pemasangan pipa air dibiarkan terbuka di depan rumah', 'pemasangan jaringan gas rumah tangga tertunda padahal sudah didata'],
    s: ['air mati {dur}', 'air keruh bau kaporit', 'air cuma netes', 'tagihan air naik 5x lipat', 'meter air rusak tp tagihan jalan trs', 'air diputus pdhl udh bayar', 'pipa bocor air muncrat', 'pasang baru air lama bgt', 'tagihan ditaksir ga dicatat'],
    ask: ['pengecekan aliran air ke rumah kami', 'koreksi tagihan air', 'penggantian meteran', 'penyambungan kembali', 'perbaikan pipa yang bocor'],
    q: ['kenapa tagihan air saya naik drastis bulan ini', 'kapan air di wilayah kami normal kembali', 'apakah ada keringanan tagihan air bagi warga tidak mampu', 'berapa biaya pasang baru sambungan air'] },
  // ======================= Komisi B: pajak daerah, PBB, retribusi =======================
  { div: 'komisi-b',
    p: ['SPPT PBB tahun ini belum kami terima', 'nilai PBB rumah kami naik tidak wajar dibanding tahun lalu', 'nama di SPPT masih atas nama pemilik lama walau sudah balik nama', 'tunggakan PBB yang sudah lunas masih muncul di sistem',
      'pembayaran pajak daerah lewat aplikasi gagal tetapi saldo terpotong', 'pengajuan pengurangan PBB untuk pensiunan belum diproses', 'luas tanah di SPPT tidak sesuai dengan sertifikat',
      'pajak reklame toko kami ditagih dua kali', 'retribusi kebersihan ditarik tanpa karcis resmi', 'pemungutan retribusi di pasar tidak disertai bukti pembayaran'],
    s: ['sppt pbb blm nyampe', 'pbb naik gila2an', 'nama di sppt msh pemilik lama', 'pbb udh lunas masih ada tunggakan', 'bayar pajak lwt aplikasi gagal saldo kepotong', 'luas tanah di sppt salah', 'retribusi ditarik tanpa karcis'],
    ask: ['pengecekan data pajak kami', 'koreksi nilai pajak', 'pengembalian kelebihan bayar', 'keringanan PBB', 'penerbitan ulang SPPT'],
    q: ['bagaimana cara cek tagihan PBB secara online', 'apakah ada pengurangan PBB untuk lansia', 'kenapa status PBB saya masih belum lunas padahal sudah bayar', 'sampai kapan batas pembayaran PBB tahun ini'] },
  // ======================= Komisi B: pasar, PKL (usaha) =======================
  { div: 'komisi-b',
    p: ['pembagian kios setelah revitalisasi pasar tidak adil', 'sewa kios di pasar naik tanpa sosialisasi', 'pedagang lama tidak mendapat tempat setelah pasar dibangun ulang', 'pasar baru sepi pembeli karena lokasinya tidak strategis',
      'pengelola pasar menarik pungutan di luar ketentuan', 'listrik di los pasar sering padam sehingga dagangan rusak', 'shelter relokasi pedagang kaki lima sepi pembeli', 'pendaftaran pedagang binaan tidak transparan',
      'timbangan pedagang di pasar banyak yang tidak ditera ulang'],
    s: ['bagi kios ga adil', 'sewa kios naik', 'pedagang lama ga dapet tempat', 'pasar baru sepi', 'pengelola pasar narik duit', 'listrik los pasar sering mati', 'shelter pkl sepi', 'timbangan pedagang curang'],
    ask: ['evaluasi pengelolaan pasar', 'penataan ulang pembagian kios', 'pendampingan pedagang', 'tera ulang timbangan'],
    q: ['bagaimana cara mendaftar kios di pasar', 'berapa tarif sewa los pasar sekarang', 'apakah pedagang kaki lima bisa mendapat tempat binaan'] },
  // ======================= Komisi B: UMKM, koperasi =======================
  { div: 'komisi-b',
    p: ['bantuan modal usaha mikro yang dijanjikan belum cair', 'pelatihan usaha dari pemkot hanya diikuti orang yang sama', 'pengurusan nomor induk berusaha untuk usaha kecil membingungkan',
      'program sertifikasi halal gratis kuotanya tidak jelas', 'koperasi simpan pinjam di kampung tidak mengembalikan simpanan anggota', 'rentenir berkedok koperasi menagih dengan kasar', 'produk pelaku usaha lokal tidak diberi tempat di pameran pemkot'],
    s: ['bantuan modal usaha blm cair', 'pelatihan usaha itu2 aja pesertanya', 'bikin nib bingung', 'sertifikat halal gratis kuotanya ga jelas', 'koperasi ga balikin simpanan', 'bank titil nagih kasar'],
    ask: ['kejelasan pencairan bantuan usaha', 'pendampingan bagi usaha kecil', 'pengawasan koperasi', 'pemerataan peserta pelatihan'],
    q: ['kapan bantuan modal usaha dicairkan', 'bagaimana cara mendaftar pelatihan usaha', 'apakah nama saya terdaftar sebagai penerima bantuan usaha mikro', 'apakah koperasi tersebut berizin'] },
  // ======================= Komisi B: tenaga kerja =======================
  { div: 'komisi-b',
    p: ['perusahaan tempat saya bekerja membayar upah di bawah ketentuan', 'tunjangan hari raya tahun ini tidak dibayarkan', 'saya diberhentikan tanpa pesangon', 'iuran jaminan sosial ketenagakerjaan dipotong dari gaji tetapi tidak disetorkan',
      'jam lembur tidak dibayar dan tidak ada kontrak kerja', 'pengurusan kartu pencari kerja berbelit', 'pelatihan kerja dari pemkot tidak ada penyaluran kerjanya', 'pekerja harian di pabrik tidak diberi alat pelindung diri'],
    s: ['gaji di bawah umk', 'thr ga dibayar', 'di-phk tanpa pesangon', 'iuran bpjs tk dipotong tp ga disetor', 'lembur ga dibayar', 'kartu kuning ribet', 'pelatihan kerja ga ada penyaluran', 'pekerja pabrik ga dikasih apd'],
    ask: ['pemeriksaan oleh pengawas ketenagakerjaan', 'mediasi perselisihan kerja', 'pemenuhan hak pekerja', 'kejelasan program penyaluran kerja'],
    q: ['ke mana melapor jika THR tidak dibayar', 'bagaimana cara membuat kartu pencari kerja', 'apakah ada pelatihan kerja gratis bulan ini', 'berapa upah minimum kota tahun ini'] },
  // ======================= Komisi B: harga, pangan, aset =======================
  { div: 'komisi-b',
    p: ['harga beras dan cabai di pasar terus naik', 'gas elpiji tiga kilogram langka di pangkalan', 'pangkalan elpiji menjual di atas harga eceran tertinggi', 'minyak goreng kemasan sederhana sulit didapat',
      'operasi pasar murah tidak sampai ke wilayah kami', 'tanah aset pemkot di kampung kami disewakan tanpa kejelasan', 'perpanjangan sewa tanah milik pemkot dipersulit', 'program pertanian kota tidak berlanjut setelah bibit dibagikan'],
    s: ['harga beras naik trs', 'gas melon langka', 'pangkalan gas jual mahal', 'minyak goreng susah', 'pasar murah ga nyampe kampung sini', 'tanah aset pemkot disewain ga jelas', 'sewa tanah pemkot dipersulit'],
    ask: ['pengendalian harga kebutuhan pokok', 'pengawasan distribusi elpiji', 'operasi pasar di wilayah kami', 'kejelasan status sewa aset'],
    q: ['kapan ada pasar murah di kecamatan kami', 'berapa harga eceran resmi elpiji tiga kilogram', 'bagaimana prosedur sewa tanah aset pemkot'] },
  // ======================= Komisi B: pariwisata (usaha) =======================
  { div: 'komisi-b',
    p: ['pedagang di kawasan wisata menaikkan harga makanan seenaknya kepada wisatawan', 'toko oleh-oleh memaksa wisatawan membeli', 'tarif becak dan andong di kawasan wisata tidak jelas', 'penginapan tidak berizin menjamur di kampung wisata'],
    s: ['harga makanan di tempat wisata nuthuk', 'toko oleh2 maksa beli', 'tarif becak wisata ngawur', 'homestay ga berizin menjamur'],
    ask: ['penertiban harga di kawasan wisata', 'pembinaan pelaku usaha wisata'],
    q: ['apakah ada daftar harga resmi di kawasan wisata'] },

  // ======================= Komisi C (paraphrases without keywords) =======================
  { div: 'komisi-c',
    p: ['jalan kampung kami bergelombang dan banyak bolong', 'lampu di jalan kampung padam sehingga gelap gulita', 'air meluap ke jalan setiap hujan karena saluran dangkal', 'tumpukan limbah rumah tangga tidak diangkut berhari-hari',
      'dahan besar menjuntai di atas jalan dan hampir patah', 'rumah warga retak akibat getaran alat berat proyek', 'tutup saluran pecah dan berbahaya bagi pejalan kaki', 'pengendara melawan arus karena tidak ada pembatas jalan'],
    s: ['jalan kampung bolong2', 'lampu kampung padam gelap', 'tiap ujan air naik ke jalan', 'limbah rumah tangga ga diangkut', 'dahan mau patah di atas jalan', 'rumah retak gara2 alat berat', 'tutup got pecah'],
    ask: ['perbaikan segera', 'pengerukan saluran', 'pengangkutan secepatnya', 'pemotongan dahan tersebut'],
    q: ['kapan perbaikan jalan kampung dijadwalkan', 'bagaimana cara mengajukan pengangkutan sisa kerja bakti'] },
  // ======================= Komisi D (paraphrases, data status) =======================
  { div: 'komisi-d',
    p: ['nama ibu saya tiba-tiba hilang dari daftar penerima bantuan', 'keluarga kami sangat tidak mampu tetapi tidak pernah didata', 'kepesertaan jaminan kesehatan gratis kami dinonaktifkan', 'anak saya tidak diterima di sekolah negeri terdekat',
      'sekolah menahan rapor anak saya karena tunggakan', 'pelayanan di layanan kesehatan tingkat pertama sangat lama', 'tetangga kami yang lansia hidup sendiri dan kekurangan makan', 'ada anak yang ditelantarkan orang tuanya di kampung kami',
      'warga dengan gangguan jiwa berkeliaran dan perlu penanganan'],
    s: ['nama ibu ilang dr daftar bantuan', 'keluarga ga mampu ga pernah didata', 'kis gratis dinonaktifkan', 'anak ga keterima sekolah negeri dkt rumah', 'rapor anak ditahan', 'lansia hidup sendiri kelaparan', 'anak ditelantarkan ortunya'],
    ask: ['pendataan ulang keluarga kami', 'pengaktifan kembali jaminan kesehatan', 'bantuan untuk keluarga tersebut', 'pendampingan dari dinas sosial'],
    q: ['apakah nama saya masih terdaftar sebagai penerima bantuan', 'bagaimana cara mengaktifkan kembali jaminan kesehatan gratis', 'apakah keluarga kami masuk data warga miskin tahun ini'] },
  { div: 'komisi-d',
    p: ['pengajuan kami sebagai keluarga tidak mampu belum juga diverifikasi', 'bantuan permakanan untuk lansia di rumah kami berhenti tanpa pemberitahuan', 'nama kami dicoret dari daftar keluarga prasejahtera padahal kondisi ekonomi tidak berubah',
      'bantuan tunai yang dijanjikan belum diterima sementara tetangga yang mampu justru menerima', 'kami diminta mengurus ulang pendataan kesejahteraan setiap tahun tanpa hasil', 'petugas survei tidak pernah datang ke rumah untuk pendataan',
      'anak saya yang berkebutuhan khusus belum mendapat layanan terapi', 'rumah singgah untuk warga terlantar penuh'],
    s: ['pengajuan keluarga tdk mampu blm diverifikasi', 'bantuan makan lansia berhenti', 'nama dicoret dr daftar prasejahtera', 'bantuan tunai blm diterima tetangga mampu malah dapet', 'petugas survei ga pernah dateng', 'anak berkebutuhan khusus blm dapet terapi'],
    ask: ['verifikasi ulang data keluarga kami', 'pencairan bantuan', 'survei ulang ke rumah kami', 'pendampingan sosial'],
    q: ['apakah pengajuan keluarga tidak mampu saya sudah disetujui', 'kapan bantuan tunai tahap berikutnya cair', 'bagaimana cara cek status kesejahteraan keluarga saya', 'apakah ibu saya masih terdaftar penerima bantuan makan lansia'] },
  { div: 'komisi-d',
    p: ['anak saya gagal mendaftar sekolah lanjutan karena sistem pendaftaran error', 'pungutan uang gedung di sekolah negeri memberatkan orang tua', 'bantuan perlengkapan belajar untuk anak tidak mampu belum dibagikan', 'anak saya dirundung teman di kelas dan pihak kelas tidak bertindak',
      'jadwal imunisasi di layanan kesehatan kelurahan dibatalkan mendadak', 'ibu hamil di kampung kami tidak mendapat makanan tambahan', 'ambulans gratis sulit dihubungi saat darurat', 'rujukan ke rumah sakit ditolak karena kamar penuh'],
    s: ['daftar sekolah gagal sistem error', 'uang gedung sekolah negeri mahal', 'perlengkapan belajar gratis blm dibagi', 'anak dibully di kelas', 'imunisasi batal mendadak', 'ambulans gratis susah dihubungi', 'rujukan ditolak kamar penuh'],
    ask: ['penanganan dari dinas terkait', 'kebijakan yang lebih adil bagi orang tua', 'pelayanan kesehatan yang layak', 'pendampingan bagi anak saya'],
    q: ['kapan pengumuman penerimaan murid baru', 'apakah sekolah negeri boleh menarik uang gedung', 'bagaimana cara mendapatkan ambulans gratis'] },
  { div: 'komisi-c',
    p: ['kabel utilitas menjuntai rendah melintang di atas gang', 'penutup lubang saluran hilang sehingga berbahaya', 'titik rawan kecelakaan di tikungan tidak ada cermin jalan', 'kendaraan besar melintas di jalan permukiman sehingga rusak',
      'lahan kosong dipenuhi rumput tinggi dan menjadi sarang ular', 'bau menyengat dari tempat pembuangan sementara tercium sampai rumah', 'air hujan masuk ke rumah karena permukaan jalan lebih tinggi'],
    s: ['kabel menjuntai rendah di gang', 'tutup saluran ilang', 'tikungan rawan ga ada cermin', 'truk gede lewat jalan kampung', 'lahan kosong rumput tinggi ada ular', 'air hujan masuk rumah jalan lebih tinggi'],
    ask: ['penataan kabel', 'pemasangan cermin tikungan', 'pembersihan lahan', 'peninggian saluran'],
    q: ['siapa yang bertanggung jawab atas kabel yang menjuntai', 'bagaimana mengajukan cermin tikungan'] },
  { div: 'komisi-c',
    p: ['bus kota tidak berhenti di tempat pemberhentian dan menurunkan penumpang di tengah jalan', 'palang pintu perlintasan kereta sering tidak turun', 'petunjuk arah di simpang hilang sehingga pengendara bingung',
      'penyeberangan di depan pasar berbahaya karena kendaraan melaju kencang', 'kendaraan angkutan barang bongkar muat di badan jalan pada jam sibuk', 'jadwal bus kota tidak menentu dan penumpang menunggu lebih dari satu jam'],
    s: ['bus kota nurunin penumpang sembarangan', 'palang perlintasan ga turun', 'petunjuk arah ilang', 'nyebrang bahaya kendaraan ngebut', 'truk bongkar muat di jalan jam sibuk', 'bus kota ga jelas jadwalnya'],
    ask: ['pengaturan arus kendaraan', 'penambahan petugas di lokasi', 'pemasangan kembali petunjuk arah', 'evaluasi layanan bus kota'],
    q: ['berapa jam sekali bus kota lewat halte kami', 'siapa yang mengatur bongkar muat di jalan'] },
  { div: 'komisi-c',
    p: ['usaha laundry membuang air sisa cucian ke kali', 'asap cerobong usaha pengasapan ikan masuk ke rumah warga', 'sumur warga berbau setelah ada pembuangan limbah di dekatnya', 'lahan hijau di ujung kampung diuruk untuk bangunan',
      'kali di belakang permukiman dangkal karena endapan lumpur', 'tanggul kali jebol sehingga air masuk permukiman', 'tiang listrik miring setelah hujan angin'],
    s: ['laundry buang air sisa ke kali', 'asap pengasapan ikan masuk rumah', 'sumur bau gara2 limbah', 'lahan hijau diuruk', 'kali dangkal penuh lumpur', 'tanggul kali jebol', 'tiang listrik miring abis ujan angin'],
    ask: ['pengecekan kualitas air', 'normalisasi kali', 'penindakan usaha pencemar', 'perbaikan tanggul'],
    q: ['kapan jadwal normalisasi kali di wilayah kami', 'ke mana melaporkan usaha yang membuang limbah'] },
  { div: 'komisi-d',
    p: ['obat yang diresepkan selalu kosong di apotek layanan kesehatan pemerintah', 'keluarga pasien peserta jaminan kesehatan diminta membayar biaya tambahan', 'kasus demam tinggi pada anak di kampung kami meningkat dan belum ada penyemprotan',
      'antrean pendaftaran layanan kesehatan dimulai subuh dan nomor cepat habis', 'bidan di layanan kesehatan kelurahan jarang ada di tempat', 'balita di kampung kami kekurangan gizi dan belum ditangani'],
    s: ['obat kosong trs di apotek pemerintah', 'peserta jaminan kesehatan disuruh bayar tambahan', 'banyak anak demam tinggi blm ada penyemprotan', 'antrean berobat dr subuh', 'bidan jarang ada', 'balita kurang gizi blm ditangani'],
    ask: ['pengawasan layanan kesehatan', 'penyemprotan sarang nyamuk', 'penanganan balita tersebut', 'penambahan tenaga kesehatan'],
    q: ['apakah peserta jaminan kesehatan gratis boleh dimintai biaya', 'kapan jadwal penyemprotan nyamuk di wilayah kami'] },
  { div: 'komisi-d',
    p: ['lapangan bola kampung yang biasa dipakai anak-anak rusak dan tidak terawat', 'sanggar tari anak di kampung tidak pernah mendapat pembinaan', 'bangunan bersejarah di kampung kami dibongkar untuk toko', 'kegiatan kepemudaan di kelurahan tidak mendapat dukungan dana',
      'korban kekerasan dalam rumah tangga di kampung kami butuh pendampingan', 'anak putus sekolah di lingkungan kami belum tersentuh program'],
    s: ['lapangan bola kampung rusak', 'sanggar tari anak ga ada pembinaan', 'bangunan bersejarah dibongkar', 'kegiatan pemuda ga didukung', 'korban kekerasan butuh pendampingan', 'anak putus sekolah blm dibantu'],
    ask: ['pembinaan dan bantuan', 'pelestarian bangunan tersebut', 'pendampingan korban', 'program bagi anak putus sekolah'],
    q: ['bagaimana mengajukan bantuan untuk sanggar seni', 'ke mana melaporkan kekerasan dalam rumah tangga'] },
];

const DUR = ['sejak bulan lalu', 'sudah dua minggu', 'sudah lebih dari tiga bulan', 'sejak awal tahun', 'sudah seminggu', 'hampir setahun', 'sejak Lebaran', 'sudah 45 hari'];
const DUR_S = ['udh sebulan', 'udh 2 mgg', 'dr thn lalu', 'seminggu ini', 'udh 3 bln', 'dr kmrn'];
const WHO = ['Saya warga {area}', 'Kami warga {area}', 'Saya, seorang ibu rumah tangga di {area},', 'Saya pensiunan yang tinggal di {area}', 'Saya perantau yang kini tinggal di {area}', 'Saya mewakili warga {area}', 'Saya pedagang di {area}', 'Saya karyawan swasta, domisili {area}'];
const AREA = ['RT 03 RW 05 Kelurahan Suryatmajan', 'Kelurahan Pandeyan', 'Kecamatan Umbulharjo', 'Kampung Prawirotaman', 'Kelurahan Bener', 'Kelurahan Sorosutan', 'Kecamatan Kraton', 'Kelurahan Wirobrajan', 'Kelurahan Terban',
  'Kecamatan Gondokusuman', 'Kelurahan Notoprajan', 'kampung Jogokariyan', 'Kelurahan Brontokusuman', 'Kecamatan Tegalrejo', 'Kelurahan Rejowinangun', 'Kelurahan Gedongkiwo', 'RW 07 Kelurahan Kricak', 'Kelurahan Purbayan'];
const OPEN_F = ['Yth. Bapak/Ibu pengelola layanan pengaduan,', 'Kepada Yth. Kepala Dinas terkait,', 'Dengan hormat,', 'Selamat pagi, Bapak/Ibu.', 'Assalamualaikum warahmatullahi wabarakatuh.', 'Selamat siang.', 'Mohon maaf mengganggu waktunya.', 'Kepada Yth. Pimpinan DPRD,', ''];
const OPEN_S = ['min', 'permisi min', 'pagi pak', 'slmt siang', 'assalamualaikum', 'halo', 'mau lapor', 'pak tolong', ''];
const REQ_F = ['Mohon bantuan {ask}.', 'Kami memohon {ask}.', 'Mohon kiranya dapat dibantu {ask}.', 'Saya sangat berharap ada {ask}.', 'Besar harapan kami agar segera ada {ask}.', 'Mohon ditindaklanjuti, khususnya {ask}.', 'Atas perhatian dan {ask}, saya ucapkan terima kasih.'];
const REQ_S = ['mohon bantuannya', 'tlg dibantu', 'mohon ditindak', 'tolong diurus dong', 'gmn solusinya', 'mohon solusinya pak', 'tlg ditindaklanjuti'];
const HIST = ['Saya sudah datang langsung dua kali tetapi hanya disuruh menunggu.', 'Sudah saya laporkan melalui telepon namun belum ada jawaban.', 'Petugas hanya mengatakan sedang diproses.', 'Kami sudah bertanya ke RT dan kelurahan tetapi diarahkan ke instansi lain.',
  'Keadaan ini sangat merugikan keluarga kami.', 'Banyak warga lain mengalami hal serupa.', 'Saya khawatir masalah ini berlarut-larut.', ''];
const CLOSE = ['Terima kasih.', 'Atas perhatiannya saya ucapkan terima kasih.', 'Wassalamualaikum.', 'Hormat saya.', 'Matur nuwun.', 'Demikian laporan saya.', ''];
const Q_OPEN = ['Mohon informasi, {q}?', 'Selamat siang, saya ingin menanyakan {q}.', 'Mau tanya min, {q}?', 'Permisi, {q}? Terima kasih.', 'Mohon dicek, {q}.', 'Izin bertanya, {q}?', 'Saya ingin konfirmasi {q}.', 'Bisa dibantu cek {q}? NIK saya sudah saya kirim lewat pesan.'];

function complaintRow(tp: Topic): RoutingRow {
  const r = rnd();
  const v = { area: pick(AREA), dur: pick(DUR) };
  if (r < 0.45) {
    const t = pick([
      '{o} {who} ingin menyampaikan keluhan bahwa {p}. {hist} {req} {c}',
      '{o} {who}. Bersama ini saya melaporkan {p}. {hist} {req} {c}',
      '{o} Saya ingin mengadukan masalah berikut: {p}. {req} {c}',
      '{o} {who} mohon bantuan karena {p}. {hist} {c}',
      '{o} Perihal pengaduan: {p}. {hist} {req}',
      '{o} {who}, izin menyampaikan bahwa {p}. Kondisi ini {dur} belum ada penyelesaian. {req} {c}',
      '{o} Kami ingin menanyakan tindak lanjut karena {p}. {hist} {req}',
      '{P}. {hist} {req} {c}',
    ]);
    const p = fill(pick(tp.p), v);
    return { text: fill(t, { o: pick(OPEN_F), who: fill(pick(WHO), v), p, P: cap(p), hist: pick(HIST), req: fill(pick(REQ_F), { ask: pick(tp.ask) }), c: pick(CLOSE), dur: pick(DUR) }), label: 'complaint', division: tp.div, lang: 'id' };
  }
  if (r < 0.8) {
    const t = pick(['{o} {s} {req}', '{s}, {req}', '{o} mau lapor {s}. {req}', '{s}!! udh lapor tp ga ada respon', '{o} {s} di {area}. {req}', 'lapor pak {s} {req}', '{s} gmn ini', 'tolong {s} {req} mksh']);
    const text = fill(t, { o: pick(OPEN_S), s: fill(pick(tp.s), { dur: pick(DUR_S) }), req: pick(REQ_S), area: pick(AREA) });
    return { text: rnd() < 0.5 ? text.toLowerCase() : text, label: 'complaint', division: tp.div, lang: 'sms' };
  }
  // request-only register: "mohon bantuan {ask}" with the problem as a reason
  const t = pick(['Mohon bantuan {ask} karena {p}.', 'Saya mengajukan permohonan {ask}. Alasannya, {p}.', 'Permohonan: {ask}. {P}.', 'Tolong dibantu {ask}, soalnya {s}.', 'Minta tolong {ask} ya pak, {s}']);
  const p = fill(pick(tp.p), v);
  return { text: fill(t, { ask: pick(tp.ask), p, P: cap(p), s: fill(pick(tp.s), { dur: pick(DUR_S) }) }), label: 'complaint', division: tp.div, lang: 'id' };
}

function questionRow(tp: Topic): RoutingRow {
  const q = pick(tp.q!);
  return { text: fill(pick(Q_OPEN), { q }), label: 'question', division: tp.div, lang: 'id' };
}

/** About 1,600 rows before de-duplication; Komisi A and B topics are drawn more often. */
export function routingRows(): RoutingRow[] {
  const out: RoutingRow[] = [];
  // rows per division per round (A and B get the most); spread over that division's topics, so that
  // the shared letter frame ("Dengan hormat, ...") does not become a Komisi A word
  const share: Record<Div, number> = { 'komisi-a': 110, 'komisi-b': 90, 'komisi-c': 50, 'komisi-d': 60 };
  const topics: Record<Div, number> = { 'komisi-a': 0, 'komisi-b': 0, 'komisi-c': 0, 'komisi-d': 0 };
  for (const tp of T) topics[tp.div]++;
  for (let round = 0; round < 6; round++) {
    for (const tp of T) {
      const n = Math.round((share[tp.div] / topics[tp.div]) * (0.8 + rnd() * 0.4));
      for (let i = 0; i < n; i++) out.push(tp.q && rnd() < 0.15 ? questionRow(tp) : complaintRow(tp));
    }
  }
  return out;
}
