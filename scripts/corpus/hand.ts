/**
 * Hand-written corpus lines (written for this project): hard cases the templates do not cover —
 * one-word messages, personal chat that reaches a public SMS number, statements that mention a
 * problem without a grievance, complaints phrased as questions, sarcasm, and spam dressed as a
 * complaint.
 */
type L = 'complaint' | 'statement' | 'question' | 'spam';
export interface HandRow { text: string; label: L; division?: string; lang?: 'id' | 'sms' | 'jv' | 'kr' | 'en' | 'mix' }

const c = (division: string, ...texts: string[]): HandRow[] => texts.map((text) => ({ text, label: 'complaint', division }));
const s = (...texts: string[]): HandRow[] => texts.map((text) => ({ text, label: 'statement' }));
const q = (division: string | undefined, ...texts: string[]): HandRow[] => texts.map((text) => ({ text, label: 'question', ...(division ? { division } : {}) }));
const sp = (...texts: string[]): HandRow[] => texts.map((text) => ({ text, label: 'spam' }));

export const HAND: HandRow[] = [
  // ---- terse complaints
  ...c('komisi-c', 'jalan rusak', 'pju mati', 'lampu mati', 'banjir lagi', 'sampah!!!', 'got mampet', 'macet parah', 'jalan ambles', 'jalan bolong',
    'lampu jalan depan gang mati', 'sampah blm diangkut', 'pohon mau tumbang', 'aspal ngelupas', 'parkir liar', 'selokan meluap', 'bau sampah',
    'tolong jalan di depan SD Muhammadiyah diperbaiki, udah banyak yang jatuh', 'min itu lampu bangjo tugu mati dr pagi', 'jln kampung kami kapan diaspal? tiap hujan becek',
    'Tiap malam truk besar lewat jalan kampung, jalan jadi rusak dan rumah bergetar.', 'Kabel listrik dan kabel internet menjuntai rendah di Jl. Kenari, bahaya kena kepala.',
    'Proyek galian pipa di depan rumah tidak ditutup kembali sudah dua minggu.', 'Ada kubangan air besar di jalan, motor saya selip.',
    'Bau menyengat dari TPS dekat sekolah, anak-anak mual.', 'Sungai Code penuh sampah plastik, mohon dibersihkan.', 'Saluran air di gang kami dicor tetangga, air jadi menggenang.',
    'Zebra cross di depan sekolah sudah pudar, anak-anak susah menyeberang.', 'Rambu lalu lintas tertutup pohon, banyak yang melanggar tanpa sadar.',
    'Ojol mangkal di bahu jalan bikin macet tiap sore.', 'Depo sampah Mandala Krida ditutup, warga bingung buang sampah ke mana.',
    'dalan neng ngarep omahku rusak parah pak, wis suwe', 'lampu dalan mati kabeh, peteng ndhedhet', 'sampah numpuk neng pinggir kali, mambu banget',
    'nyuwun sewu, selokan ngajeng griya kula mampet', 'The bus stop near Malioboro has no roof and the bench is broken.', 'Garbage truck never came this week.',
    'Trotoar dipakai jualan, pejalan kaki terpaksa turun ke jalan.', 'Kapan jalan di Giwangan diaspal ulang? Sudah setahun rusak.',
    'Apakah harus ada korban dulu baru lubang di Jalan Wates ditutup?', 'Ini jalan atau kolam ikan? Tiap hujan tergenang.'),
  ...c('komisi-b', 'air pdam mati', 'pdam mati lagi', 'tagihan air mahal', 'air mati dari subuh', 'pbb naik', 'gaji blm dibayar',
    'Tagihan PDAM saya bulan ini 900 ribu padahal biasanya 80 ribu. Tolong dicek.', 'Sudah 4 hari air PDAM tidak mengalir di rumah saya, kami beli air galon terus.',
    'Pedagang Pasar Kranggan keberatan dengan kenaikan retribusi, fasilitas tidak ada yang diperbaiki.', 'Kami PKL di Malioboro dipindah tapi lokasi baru sepi pembeli, kami rugi.',
    'Saya sudah bayar PBB lewat bank tapi di sistem masih tercatat menunggak.', 'Perusahaan tempat saya kerja membayar gaji di bawah UMK dan tidak ada BPJS Ketenagakerjaan.',
    'Harga tiket masuk kawasan wisata naik tapi toilet kotor dan parkir semrawut.', 'Gas elpiji 3 kg langka di pengecer, kalaupun ada harganya 30 ribu.',
    'Banyu PDAM mati telung dina, piye iki', 'Toya PDAM mboten mili sampun kalih dinten, nyuwun tulung', 'PDAM water has been off for three days in Jetis.',
    'Minimarket baru buka di depan pasar, pedagang kecil jadi sepi. Mana perlindungan untuk UMKM?', 'Kenapa tarif air naik terus tapi airnya sering mati?'),
  ...c('komisi-a', 'ktp blm jadi', 'klitih lagi', 'balap liar tiap malam', 'kk salah nama', 'pungli di kelurahan',
    'Saya rekam KTP sejak Maret tapi sampai sekarang belum jadi, katanya blangko habis.', 'Pegawai kecamatan menolak melayani karena sudah jam 2 siang padahal jam layanan sampai jam 3.',
    'Setiap malam ada anak-anak nongkrong bawa senjata tajam di perempatan, warga takut.', 'Ada rumah kos dijadikan tempat judi dan mabuk-mabukan, mohon ditertibkan.',
    'Oknum Satpol PP meminta uang damai kepada pedagang.', 'Surat pengantar dari kelurahan harus bayar 50 ribu, apakah itu resmi?',
    'Nama anak saya salah di akta, sudah tiga kali bolak-balik Dukcapil belum juga dibetulkan.', 'Tetangga membangun rumah melebihi batas tanah kami, RT dan kelurahan diam saja.',
    'KTP-ku durung dadi wis nem sasi', 'Karaoke ing kampung rame nganti jam telu bengi', 'Motorbike stolen from in front of the mosque, police slow to respond.',
    'Saya tanya, kenapa ngurus surat pindah harus nunggu sebulan?', 'Ini kantor pelayanan apa kantor tidur? Jam 10 belum ada petugas.'),
  ...c('komisi-d', 'bansos ga dapat', 'bpjs nonaktif', 'obat kosong', 'anak ga ketrima sekolah', 'puskesmas tutup',
    'Kami keluarga miskin tapi tidak pernah dapat bansos, yang dapat malah tetangga yang punya mobil.', 'Anak saya ditolak SMP negeri padahal rumah kami 300 meter dari sekolah.',
    'Sekolah meminta sumbangan gedung 2 juta, katanya wajib. Bukankah sekolah negeri gratis?', 'Ibu saya ditolak IGD rumah sakit karena BPJS-nya tidak aktif, padahal iuran dibayar tiap bulan.',
    'Di puskesmas antre dari jam 7 baru dilayani jam 12, dokternya cuma satu.', 'Guru honorer di sekolah kami belum menerima honor tiga bulan.',
    'Ada anak putus sekolah karena orang tuanya tidak mampu bayar seragam, mohon dibantu.', 'Tetangga saya sering memukuli anaknya, saya sudah lapor RT tapi tidak ada tindakan.',
    'Di kampung kami ada lima warga kena DBD tapi belum ada fogging.', 'Lansia di RT kami tidak terdaftar bantuan, padahal hidup sendiri dan sakit.',
    'Anakku ora ketampa SMP negeri, padahal omahe cedhak', 'Bansos ora tekan, sing oleh malah sing sugih', 'Nyuwun pirsa, kenging menapa simbah kula mboten angsal bantuan?',
    'My daughter was bullied at school and the teachers did nothing.', 'The community health centre turned away my elderly father.',
    'Kenapa kartu KIS saya tiba-tiba tidak berlaku?', 'Kursi roda tidak bisa masuk kantor kelurahan karena tidak ada ramp.'),
  ...c('humas', 'Sudah 3 kali kirim aduan ke DPRD tidak pernah dibalas.', 'Nomor pengaduan DPRD tidak pernah diangkat.',
    'Anggota dewan dapil kami tidak pernah datang reses ke kampung.', 'Website DPRD error terus waktu mau kirim aspirasi.', 'aduan saya minggu lalu belum ada tindak lanjut sama sekali'),
  // ---- statements: thanks, greetings, opinions, reports without grievance, PUAS
  ...s('PUAS', 'puas', 'Puas, terima kasih', 'terima kasih', 'makasih', 'Terima kasih banyak', 'matur nuwun', 'Matur nuwun sanget', 'ok', 'oke siap', 'sip',
    'Siap pak', 'baik', 'Baik, terima kasih infonya.', 'halo', 'Halo min', 'Selamat pagi', 'pagi', 'tes', 'test', 'p', 'assalamualaikum', 'Waalaikumsalam',
    'Sugeng enjing', 'Thank you', 'thanks a lot', 'good morning', '👍', '🙏🙏', 'ya', 'iya', 'nggih', 'hatur nuhun', 'mantap', 'keren',
    'Terima kasih, lampu di gang kami sudah menyala lagi sejak semalam.', 'Alhamdulillah jalan depan rumah sudah diaspal, terima kasih DPRD.',
    'Terima kasih atas respons cepatnya, petugas sudah datang tadi pagi.', 'Saya sangat puas dengan pelayanan Dukcapil sekarang, cepat dan ramah.',
    'Matur nuwun, sampahe wis diangkut.', 'Wis beres pak, matur suwun.', 'The street light was repaired yesterday, thank you.',
    'Semoga DPRD Kota Yogyakarta semakin amanah.', 'Selamat hari jadi Kota Yogyakarta!', 'Selamat atas pelantikan anggota dewan yang baru.',
    'Saya hanya ingin menyampaikan apresiasi untuk petugas kebersihan yang bekerja sejak subuh.', 'Menurut saya Malioboro sekarang lebih nyaman untuk pejalan kaki.',
    'Saran: mungkin bisa diadakan car free day di Jalan Sudirman tiap Minggu.', 'Usul, bagaimana kalau ada lomba kampung bersih antar RW.',
    'Hari ini kerja bakti membersihkan selokan bersama warga RW 05, alhamdulillah lancar.', 'Info: besok ada pemadaman listrik bergilir di wilayah Umbulharjo jam 9-12.',
    'Petugas DLH sudah mengangkut sampah di depo Kotagede pagi ini.', 'Tim URC sedang mengerjakan perbaikan saluran di Jalan Batikan.',
    'Pengerukan sedimen sungai Winongo dilakukan hari ini oleh petugas.', 'Dinas PUPR telah menambal 20 titik lubang jalan minggu ini.',
    'Kemarin hujan deras tapi kampung kami tidak banjir lagi, drainase baru berfungsi baik.', 'Tadi lewat Jalan Kaliurang, macet karena ada acara wisuda, wajar sih.',
    'Lampu taman di alun-alun bagus sekali sekarang.', 'Saya warga Jetis, hanya ingin berkenalan dengan admin.', 'Semangat terus bapak ibu dewan!',
    'Kula namung badhe ngaturaken panuwun dhumateng petugas.', 'Salam kenal, saya mahasiswa yang sedang meneliti pelayanan publik.',
    'Aduan saya sudah ditangani dengan baik, terima kasih.', 'Laporan saya sudah selesai, saya puas dengan hasilnya.', 'maaf salah kirim',
    'Maaf pak, pesan sebelumnya salah ketik.', 'Ok noted', 'Saya sudah terima nomor aduannya, terima kasih.',
    'Jalan di depan rumah memang sempat rusak, tapi sekarang sudah bagus.', 'Dulu di sini sering banjir, sekarang sudah tidak lagi.',
    'Lubang di Jalan Magelang yang kemarin dilaporkan sudah ditambal, terima kasih.',
    // personal chat that reaches a public number (normal SMS, not spam)
    'Nanti aku jemput jam 5 ya', 'Bu, aku sudah sampai rumah', 'Jangan lupa beli beras pulang kerja', 'Mas, rapat RT diundur jadi besok malam',
    'Uang SPP sudah saya transfer tadi pagi ya bu', 'Oke nanti aku kabari lagi', 'Aku otw, 10 menit lagi sampai', 'Besok kumpul di rumah Pak RW jam 8',
    'Selamat ulang tahun ya nak, semoga sehat selalu', 'Lagi di mana? aku di depan', 'Pulsa sudah masuk, makasih ya', 'Nanti malam ada pengajian di masjid',
    'Arisan bulan ini di rumah Bu Sri', 'Kunci motor ketinggalan di meja', 'Jadi berangkat jam berapa besok?', 'Mbak, paketnya sudah aku ambil',
    'Aku wis tekan omah', 'Sesuk mangkat jam pira?', 'Nggih, mangke kula kabari', 'Udah makan belum?', 'Aku lagi kerja, nanti aku telepon',
    'Transfer sudah aku terima, 250 ribu ya', 'Kirim foto KTP kamu buat daftar BPJS ya, biar aku bantu isi', 'Rapat karang taruna jam 7 malam di balai RW'),
  // ---- questions (information requests, no grievance)
  ...q('komisi-a', 'Syarat membuat KTP untuk pemula apa saja?', 'Apakah Dukcapil buka hari Sabtu?', 'Bagaimana cara mengurus surat keterangan pindah?',
    'ngurus kk baru syaratnya apa ya min?', 'Piye carane ngurus akta lair?', 'How can I get a residence letter for foreigners?'),
  ...q('komisi-b', 'Kapan batas akhir pembayaran PBB tahun ini?', 'Bagaimana cara daftar jadi pedagang di pasar Beringharjo?', 'Berapa tarif pasang baru PDAM?'),
  ...q('komisi-c', 'Kapan jadwal pengangkutan sampah di wilayah Kotagede?', 'Ke mana saya mengajukan pemasangan lampu jalan baru?'),
  ...q('komisi-d', 'Kapan pendaftaran PPDB SD dibuka?', 'Apakah ada beasiswa untuk anak yatim dari pemkot?', 'Puskesmas Umbulharjo buka sampai jam berapa?'),
  ...q(undefined, 'Nomor telepon DPRD Kota Yogyakarta berapa?', 'Apakah saya bisa menemui anggota dewan langsung?', 'Kapan sidang paripurna berikutnya?',
    'Alamat kantor DPRD di mana ya?', 'Bisa minta kontak Komisi C?', 'Apakah aduan saya sudah diteruskan?', 'Nomor aduan saya berapa ya?',
    'Bagaimana cara cek status aduan?', 'min ini nomor resmi dprd ya?', 'Apakah layanan aduan ini gratis?', 'Nyuwun pirsa, kantor DPRD bika jam pinten?',
    'What are the office hours of the council?', 'Bisa kirim aduan lewat email?', 'kapan reses dewan dapil 3?', 'Apa bedanya Komisi A dan Komisi D?'),
  // ---- spam dressed as a complaint or as a government message
  ...sp('PENGUMUMAN DPRD: Warga penerima bantuan silakan klaim dana Rp 2.400.000 di link bit.ly/bansos-dprd', 'Bantuan sosial tunai 2026 sudah cair! Cek nama anda di s.id/cek-bansos-2026',
    'Aduan anda DITERIMA. Untuk proses lebih lanjut transfer biaya administrasi Rp 150.000 ke rek BRI 0123456789', 'Info lowongan kerja PNS tanpa tes, hubungi 081234567890, kuota terbatas',
    'Jual data nasabah lengkap dan database no HP aktif, minat WA 085600000000', 'Dapatkan sertifikat vaksin tanpa vaksin, proses kilat hub 0812xxxx',
    'Anda terpilih mendapat subsidi listrik gratis dari pemerintah, isi data di http://subsidi-pln.xyz', 'Pak dewan, ada penawaran kerja sama pengadaan barang fee 20%, hub saya',
    'Bansos PKH tahap 3 dapat diambil, kirim foto KTP & KK ke WA 0857xxxxxxx', 'Rekrutmen anggota Satpol PP tanpa tes, biaya 15 juta langsung SK',
    'MAU UANG CEPAT? Kerja dari rumah cuma like dan share video dapat 500rb/hari', 'Mohon bantu share: cuma like video TikTok dibayar 10rb per video, daftar t.me/kerjaonline',
    'Selamat, akun Anda terpilih mendapatkan saldo DANA kaget 1 juta! Klaim di link', 'Kak, mau tawarin produk skincare BPOM diskon 70% nih',
    'slot', 'togel', 'depo 10k', 'pinjol cair', 'cek link ini', 'Hadiah menanti anda!'),
];
