//! The bounded mutational run: a fixed-seed generator mutates realistic inputs byte by byte and
//! feeds them to the targets. Bounded by iterations, not time, so a failure is reproducible:
//! the message names the target, the iteration and the input. `SERVA_FUZZ_ITERATIONS` and
//! `SERVA_FUZZ_SEED` run it longer or differently.

use super::*;

/// SplitMix64: small, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Bytes that mean something to one of the parsers, or to UTF-8.
const BYTES: &[u8] = &[
    b';', b',', b'"', b'\r', b'\n', b'\t', b' ', b'|', b'#', b'{', b'}', b'\\', b'-', b'.', b'=',
    b':', b'0', b'9', 0x00, 0x7f, 0x80, 0xc3, 0xe2, 0xe5, 0xff,
];

/// Tokens: numbers at the edges, separators, times and encodings.
const TOKENS: &[&str] = &[
    "99999999999999999999",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "89999999999999,99",
    "8999999999999999",
    "1e308",
    "-0",
    ".5",
    "0,005",
    "1,005",
    "00000000000000000000001",
    "NaN",
    "inf",
    "\u{a0}",
    "\u{202f}",
    "\u{feff}",
    "å",
    "Ö",
    "é",
    "\u{2028}",
    "\"\"",
    "\r\n",
    "+262143-12-31T23:59:59",
    "-262144-01-01T00:00:00",
    "-262143-01-01T00:30:00",
    "+10000-01-01",
    "2019-02-29",
    "2020-02-29",
    "2019-W35",
    "2019-08",
    "0000-0000001",
    "+201-12",
    "| choice | required | ",
    "#TRANS 3010 {1 \"3010\"} ",
    "#VER A 1 20190101\n",
    "#SIETYP 4\n",
    "{1 \"",
];

fn mutate(rng: &mut Rng, input: &[u8], pool: &[Vec<u8>], max: usize) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(10) {
            0 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] ^= 1 << rng.below(8);
            }
            1 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] = rng.next() as u8;
            }
            2 => out.insert(at, *rng.pick(BYTES)),
            3 => {
                let t = rng.pick(TOKENS).as_bytes();
                out.splice(at..at, t.iter().copied());
            }
            4 if !out.is_empty() => {
                let len = 1 + rng.below(out.len() / 4 + 1);
                let end = (at + len).min(out.len());
                out.drain(at.min(end)..end);
            }
            5 if !out.is_empty() => {
                let start = rng.below(out.len());
                let end = (start + 1 + rng.below(64)).min(out.len());
                let piece = out[start..end].to_vec();
                let at = rng.below(out.len() + 1);
                out.splice(at..at, piece);
            }
            6 => {
                let other = rng.pick(pool);
                let from = rng.below(other.len() + 1);
                out.truncate(at);
                out.extend_from_slice(&other[from..]);
            }
            7 => {
                // A run of digits becomes a token: numbers at their edges.
                let start = (at..out.len()).find(|&i| out[i].is_ascii_digit());
                if let Some(start) = start {
                    let end = (start..out.len())
                        .find(|&i| !out[i].is_ascii_digit())
                        .unwrap_or(out.len());
                    let t = rng.pick(TOKENS).as_bytes();
                    out.splice(start..end, t.iter().copied());
                }
            }
            8 => {
                // A whole line repeated: long files, many rows on one key.
                let start = out[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
                let end = out[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(out.len(), |i| at + i + 1);
                let line = out[start..end].to_vec();
                let most = if rng.below(8) == 0 { 2000 } else { 8 };
                let times = 1 + rng.below(most);
                for _ in 0..times {
                    if out.len() + line.len() > max {
                        break;
                    }
                    out.splice(end..end, line.iter().copied());
                }
            }
            _ => out.push(*rng.pick(BYTES)),
        }
        out.truncate(max);
    }
    out
}

fn env_number(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    let v = v.trim();
    match v.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => v.parse().ok(),
    }
}

/// Runs target `name` on its seeds, then on `iterations` mutants of them of at most `max` bytes.
fn run(name: &str, iterations: u64, max: usize) {
    let seeds = &seeds(name);
    let (_, target) = TARGETS
        .iter()
        .find(|t| t.0 == name)
        .expect("a known target");
    let iterations = env_number("SERVA_FUZZ_ITERATIONS").unwrap_or(iterations);
    let seed = env_number("SERVA_FUZZ_SEED").unwrap_or(0x5e12_7a00);
    let mut rng = Rng(seed ^ name.bytes().fold(0, |h, b| h * 31 + u64::from(b)));
    let mut pool = seeds.to_vec();
    let try_one = |input: &[u8], i: u64| {
        if let Err(e) = std::panic::catch_unwind(|| target(input)) {
            let why = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!(
                "fuzz target {name} failed at iteration {i} (seed {seed:#x}): {why}\ninput ({} bytes): {:?}",
                input.len(),
                String::from_utf8_lossy(input)
            );
        }
    };
    for s in seeds {
        try_one(s, 0);
    }
    for i in 1..=iterations {
        let base = rng.pick(&pool).clone();
        let input = mutate(&mut rng, &base, &pool, max);
        try_one(&input, i);
        // Mutants join the pool now and then, so mutations stack.
        if rng.below(4) == 0 {
            if pool.len() < 64 {
                pool.push(input);
            } else {
                let slot = seeds.len() + rng.below(pool.len() - seeds.len());
                pool[slot] = input;
            }
        }
    }
}

fn with_kind(kind: &str, body: &str) -> Vec<u8> {
    let k = KINDS.iter().position(|k| k.0 == kind).expect("a kind") as u8;
    let mut v = vec![k];
    v.extend_from_slice(body.as_bytes());
    v
}

/// Files in the formats of docs/import-formats.md, one or more per kind.
fn csv_seeds() -> Vec<Vec<u8>> {
    [
        ("units", "code,name,kind,parent,erp_code\nGIS,GIS-enheten,unit,SBF,3010\nSBF,Samhällsbyggnadsservice,administration,LK,30\nBYGG,Bygglovsservice,unit,SBF,3020\n"),
        ("budget", "year;unit;revenue;cost\n2020;GIS;12 500 000;12 500 000\n2020;BYGG;8 000 000,00;7 600 000\n"),
        ("budget", "\u{feff}year;unit;revenue;cost;note\r\n2019;\"LK;DATA\";\"1 234,50\";100;\"a \"\"b\"\"\"\r\n\r\n2019;EKS;2;-3;\"two\nlines\"\r\n"),
        ("forecast", "year,through,unit,revenue,cost\n2020,2020-04-30,GIS,12800000,12000000\n2020,2020-04-30,BYGG,8000000,8300000\n"),
        ("investments", "year,unit,project,frame,spent,income,forecast_spent,forecast_income\n2020,BYGG,E-tjänst bygglov,1000000,250000,0,1200000,100000\n"),
        ("calls", "call_id,unit,offered_at,wait_seconds,answered\nb1,BYGG,2020-03-02T09:00:00,30,true\nb2,BYGG,2020-03-02T09:05:00,60,1\nb3,BYGG,2020-03-02 09:10,200,true\nb4,BYGG,2020-03-31T02:30:00,3,false\nb5,BYGG,2020-10-25 02:30,100,nej\n"),
        ("calls", "call_id,unit,offered_at,wait_seconds,answered\nx,Y,-262143-01-01T00:30:00,0,0\nw,Y,-262144-01-01T00:30:00,0,0\nz,Y,+262143-12-31T23:59:59,1,1\n"),
        ("indicators", "code,unit,name,measure,direction,goal,band_low,band_high,period_type,kolada_id,min_group_size,computed_from\nSBF-NKI,SBF,Nöjd kund-index,index,higher,,,,year,U00405,0,\nSBF-SL,SBF,Svarsservice bygglov,%,band,,\"80,5\",95,month,,,service_level:BYGG\n"),
        ("indicator_values", "indicator,unit,period,gender,value,target\nSBF-NKI,SBF,2019,T,70,\nSBF-NKI,SBF,2020-04,T,75,74\nSBF-NKI,SBF,2019-W35,K,68,\nSBF-SL,SBF,2020-04-30,T,,80\n"),
        ("goals", "year,unit,area,municipal_goal,name,description\n2020,SBF,operations,En effektiv service,Snabba bygglov,Beslut inom tio veckor\n2020,SBF,staff,Attraktiv arbetsgivare,Goda arbetsplatser,\n"),
        ("staff", "period,unit,gender,metric,value,target\n2020-04,SBF,T,employees,42,\n2020-04,SBF,T,sick_leave,\"3,1\",4\n2020-04,SBF,K,sick_leave,3.5,4\n"),
        ("assignments", "year,unit,common,text,status,comment\n2020,SBF,true,Öka takten i digitaliseringen,not_started,\n"),
        ("controls", "year,unit,name,risk,method,frequency,owner\n2020,BYGG,Handläggningstider,Försenade beslut,Stickprov,Kvartalsvis,Enhetschef\n"),
    ]
    .iter()
    .map(|(k, b)| with_kind(k, b))
    .collect()
}

const SIE: &str = "#FLAGGA 0\n#FORMAT PC8\n#SIETYP 4\n#RAR 0 20200101 20201231\n#DIM 1 \"Ansvar\"\n\
    #VER A 1 20190210 \"Q1\"\n{\n#TRANS 3010 {1 \"3010\"} -3000000\n#TRANS 5010 {1 \"3010\"} 3500000\n#TRANS 1930 {} -500000\n}\n\
    #VER A 2 20190615\n{\n#TRANS 3010 {1 \"3010\" 6 \"P1\"} -7000000,50\n#TRANS 5010 {1 \"3010\"} 5500000\n#TRANS 1930 {} 1500000\n}\n\
    #VER A 3 20200315\n{\n#TRANS 3010 {1 \"3010\"} -4000000\n#TRANS 7010 {1 \"3010\"} 3200000 20200320\n#TRANS 5010 {} 10\n}\n";

fn sie_seeds() -> Vec<Vec<u8>> {
    let mut cp437 = b"#FORMAT PC8\n#SIETYP 4\n#VER A 1 20190105 \"".to_vec();
    cp437.extend_from_slice(&[0x99, 0x86, 0x84]);
    cp437.extend_from_slice(b"vrigt \\\"x\\\"\"\n{\n#TRANS 3010 {1 \"2010\"} -100\n}\n");
    vec![
        SIE.as_bytes().to_vec(),
        cp437,
        b"#SIETYP 4\n#VER A 1 2019-01-31\n{\n#TRANS 70x0 {} 1\n#TRANS 7010 {} abc\n}\n".to_vec(),
        b"#SIETYP 3\n".to_vec(),
    ]
}

fn strings(items: &[&str]) -> Vec<Vec<u8>> {
    items.iter().map(|s| s.as_bytes().to_vec()).collect()
}

fn form_input_seeds() -> Vec<Vec<u8>> {
    [
        (
            0,
            "startdatum=2019-09-02\nbehorighet=Utökad\novrigt=Samma som Anna",
        ),
        (0, "startdatum=igår\nbehorighet=\nx=1"),
        (1, "antal=1 234,5\nmodell=Stationär"),
        (
            1,
            "antal=12\nmodell=Bärbar lätt\nleveransadress=Stadshuset, rum 312",
        ),
        (2, "miljo=Test\nantal_cpu=4\ndriftstart=2019-10-15"),
        (3, "a=b"),
    ]
    .iter()
    .map(|(f, a)| {
        let mut v = vec![*f];
        v.extend_from_slice(a.as_bytes());
        v
    })
    .collect()
}

/// The realistic inputs each target starts from.
fn seeds(name: &str) -> Vec<Vec<u8>> {
    match name {
        "csv" => csv_seeds(),
        "sie" => sie_seeds(),
        "form_spec" => {
            let mut seeds = strings(FORMS);
            seeds.extend(strings(&[
        "a | A | text\n\nb | B | colour",
        "a | A | text | required | x, y",
        "skola | Skola eller förskola | text | frivillig\narskurs | Årskurs | number | nej |",
        "typ | Typ | choice | ja | Ny, Ändring, , Ny\r\ntyp | Typ | text",
        "Bad Key | X | text",
    ]));
            seeds
        }
        "form_input" => form_input_seeds(),
        "numbers" => strings(&[
            "1 234,50",
            "1234.5",
            "450",
            "-300",
            "16\u{a0}015",
            "0,005",
            "1,005",
            "-0",
            "2,5",
            "89999999999999,99",
            "0.1",
            "12 500 000",
        ]),
        "case_number" => strings(&[
            "2019-0001234",
            " 2019-1234 ",
            "+201-12",
            "0019-5",
            "2019-",
            "19-12",
            "2019-+12",
            "2019-0",
        ]),
        "codes" => strings(&[
            "LK-KONTO",
            "HR-ANST",
            "LKDATA",
            "HR_DIREKT",
            "web",
            "waiting_customer",
            "per_hour",
            "choice",
            "administration",
            "economy",
            "not_started",
            "2019",
            "2019-08",
            "2019-W35",
            "2019-08-31",
            "50%_a\\b",
        ]),
        "mail" => strings(MAILS),
        "chat_frame" => strings(&[
            r#"{"type":"send","client_id":"c-1","body":"Hej! Jag har en fråga."}"#,
            r#"{"type":"send","client_id":"c-2","body":"rad ett\r\nrad två\u0007"}"#,
            r#"{"type":"resume","after":0}"#,
            r#"{"type":"resume","after":42}"#,
            r#"{"type":"resume","after":-1}"#,
            r#"{"type":"send","client_id":"","body":"x"}"#,
            r#"{"type":"send","client_id":"a","body":"   "}"#,
            r#"{"type":"ping"}"#,
            "[1,2]",
        ]),
        _ => panic!("no seeds for {name}"),
    }
}

// Iterations and the largest input per target. The counts keep the whole run to about ten
// seconds in a debug build on two cores; see docs/hostile-input.md for the measured times.

#[test]
fn fuzz_csv() {
    run("csv", 15_000, 16 * 1024);
}

#[test]
fn fuzz_sie() {
    run("sie", 8_000, 16 * 1024);
}

#[test]
fn fuzz_form_spec() {
    run("form_spec", 30_000, 4096);
}

#[test]
fn fuzz_form_input() {
    run("form_input", 20_000, 4096);
}

#[test]
fn fuzz_numbers() {
    run("numbers", 50_000, 256);
}

#[test]
fn fuzz_case_number() {
    run("case_number", 100_000, 256);
}

/// Mails as they arrive: plain, encoded words, multipart with attachments, HTML, DSNs.
const MAILS: &[&str] = &[
    "From: =?utf-8?q?=C3=85sa?= <asa@example.org>\r\nTo: kontakt@vss.example\r\nSubject: =?utf-8?b?TMO2bg==?= [\u{c4}rende 2026-0000001]\r\nMessage-ID: <a@b>\r\nIn-Reply-To: <x@y>\r\nReferences: <w@y> <x@y>\r\n\r\nHej\r\n> citat\r\n",
    "From: a@example.org\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/html; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p onclick=3Dx>H=E4j</p><script>x</script>\r\n--b\r\nContent-Type: application/pdf; name=\"../k.pdf\"\r\nContent-Disposition: attachment\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n",
    "From: MAILER-DAEMON@mx.example.org\r\nAuto-Submitted: auto-replied\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=r\r\n\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\nStatus: 5.1.1\r\n--r--\r\n",
    "From a@b Mon Jan 1 00:00:00 2026\nFrom: a@example.org\nContent-Type: multipart/alternative; boundary=q\n\n--q\nContent-Type: text/plain\n\nx\n--q\nContent-Type: message/rfc822\n\nFrom: b@example.org\n\ninner\n--q--\n",
];

#[test]
fn fuzz_mail() {
    run("mail", 6_000, 8 * 1024);
}

#[test]
fn fuzz_codes() {
    run("codes", 50_000, 256);
}

#[test]
fn fuzz_chat_frame() {
    run("chat_frame", 50_000, 512);
}

/// Every target has seeds, and every seed passes.
#[test]
fn every_target_is_run() {
    for (name, target) in TARGETS {
        for s in seeds(name) {
            target(&s);
        }
    }
}

/// Writes the seeds as a libFuzzer corpus: `cargo test -p serva-domain --lib write_fuzz_corpus
/// -- --ignored`, then `cargo fuzz run NAME fuzz/corpus/NAME` (see docs/hostile-input.md).
#[test]
#[ignore = "writes files; run by hand before a cargo-fuzz session"]
fn write_fuzz_corpus() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus");
    for (name, _) in TARGETS {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        for (i, s) in seeds(name).iter().enumerate() {
            std::fs::write(dir.join(format!("seed-{i:02}")), s).unwrap();
        }
    }
}

/// The mutator itself: deterministic, and it does change things.
#[test]
fn mutations_are_reproducible() {
    let pool = strings(&["abc,def\n1,2\n"]);
    let run = |seed| {
        let mut rng = Rng(seed);
        (0..50)
            .map(|_| mutate(&mut rng, &pool[0], &pool, 1024))
            .collect::<Vec<_>>()
    };
    assert_eq!(run(1), run(1));
    assert_ne!(run(1), run(2));
    assert!(run(1).iter().filter(|m| **m != pool[0]).count() > 40);
}
