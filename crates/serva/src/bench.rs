//! `serva bench`: loads N generated cases into a fresh database, starts the real server as a
//! child process, and measures over HTTP on 127.0.0.1 — create case, queue page, case view,
//! search, the interim report as JSON — at 1 and 32 connections, with the server's memory,
//! and the SLA figures (`bench_sla`): due times recomputed after a calendar change.
//! It prints a table; it is never a test.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use serva_domain::case::{CaseStatus, Channel};
use serva_store::bulk::{CaseRow, EventRow, Text};
use tokio::sync::Mutex;

use crate::bench_channels::figures;
use crate::bench_chat::Person;
use crate::bench_server::{self, Store};
use crate::demo::rng::Rng;

pub struct BenchArgs {
    pub cases: usize,
    pub database: Option<String>,
    pub seconds: u64,
    pub only: Option<String>,
    pub reuse: bool,
}

struct Scenario {
    name: &'static str,
    method: reqwest::Method,
    path: String,
    body: Option<serde_json::Value>,
    cookie: bool,
}

struct Measured {
    name: &'static str,
    connections: usize,
    requests: usize,
    errors: usize,
    seconds: f64,
    p50_ms: f64,
    p99_ms: f64,
}

pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Generated rows: cases and their events.
type Chunk = (Vec<CaseRow>, Vec<EventRow>);

/// Generates `n` realistic cases straight into the database, in one transaction, and returns
/// the rate in cases per second. The cases are generated on a thread of their own, 10 000 at a
/// time, while the loader writes the previous 10 000 (as an import reads its file beside the
/// database work), so the rate is the loader's.
async fn load_cases(db: &serva_store::Db, n: usize) -> anyhow::Result<f64> {
    let services = db
        .services(&serva_store::catalogue::ServiceFilter::default())
        .await?;
    let customers: Vec<(i64, Option<i64>)> = db
        .users()
        .await?
        .iter()
        .map(|u| (u.id.0, u.home_unit_id.map(|h| h.0)))
        .collect();
    let first = db.next_id("cases").await?;
    let (chunks, mut ready) = tokio::sync::mpsc::channel::<Chunk>(2);
    let generator = std::thread::spawn(move || generate(first, n, &services, &customers, &chunks));
    let start = Instant::now();
    let mut bulk = db.begin_bulk().await?;
    while let Some((cases, events)) = ready.recv().await {
        bulk.cases(&cases).await?;
        bulk.insert(&events).await?;
    }
    generator
        .join()
        .map_err(|_| anyhow::anyhow!("the case generator panicked"))?;
    bulk.commit().await?;
    Ok(n as f64 / start.elapsed().as_secs_f64())
}

/// The cases of `load_cases`, sent in chunks of 10 000 with their events.
fn generate(
    first: i64,
    n: usize,
    services: &[serva_domain::catalogue::Service],
    customers: &[(i64, Option<i64>)],
    chunks: &tokio::sync::mpsc::Sender<Chunk>,
) {
    let mut rng = Rng::new(1_000_003);
    let t0 = 1_546_300_800_000i64; // 2019-01-01
    let span = 2 * 365 * 24 * 3600 * 1000i64;
    let mut cases = Vec::with_capacity(10_000);
    let mut events = Vec::with_capacity(20_000);
    for k in 0..n {
        let id = first + k as i64;
        let svc = &services[rng.range(0, services.len() as i64) as usize];
        let demo = crate::demo::catalogue::SERVICES
            .iter()
            .find(|d| d.code == svc.code);
        let subject = demo.map_or(svc.name.as_str(), |d| {
            d.subjects[rng.range(0, d.subjects.len() as i64) as usize]
        });
        let description: Text = match demo {
            Some(d) => d.descriptions[rng.range(0, d.descriptions.len() as i64) as usize].into(),
            None => svc.description.clone().into(),
        };
        let created = t0 + rng.range(0, span);
        let open = rng.chance(0.03);
        let status = if open {
            [
                CaseStatus::New,
                CaseStatus::Open,
                CaseStatus::WaitingCustomer,
            ][rng.range(0, 3) as usize]
        } else {
            CaseStatus::Closed
        };
        let (requester, customer_unit) = customers[rng.range(0, customers.len() as i64) as usize];
        let done = (!open).then_some(created + rng.range(60_000, 3 * 86_400_000));
        let channel = [
            Channel::Phone,
            Channel::Web,
            Channel::Email,
            Channel::Chat,
            Channel::Visit,
        ][rng.weighted(&[60, 20, 10, 7, 3])];
        let subject = format!("{subject} #{id}");
        let search_text = serva_store::cases::case_search_text(&subject, &description, &[], None);
        cases.push(CaseRow {
            id,
            service_id: svc.id.0,
            unit_id: svc.unit_id.0,
            customer_unit_id: customer_unit,
            requester_id: Some(requester),
            requester_name: None,
            target_group: None,
            channel,
            status,
            subject: subject.into(),
            description,
            form_data: "[]".into(),
            assignee_id: None,
            first_contact_resolution: false,
            created_at: created,
            updated_at: done.unwrap_or(created),
            first_response_at: done,
            resolved_at: done,
            closed_at: done,
            search_text: search_text.into(),
            contact_id: None,
        });
        events.push(EventRow {
            case_id: id,
            at: created,
            actor_id: Some(requester),
            kind: "created",
            from_value: None,
            to_value: Some("new".into()),
        });
        if let Some(d) = done {
            events.push(EventRow {
                case_id: id,
                at: d,
                actor_id: None,
                kind: "status",
                from_value: Some("new".into()),
                to_value: Some("closed".into()),
            });
        }
        if cases.len() == 10_000 {
            let full = (
                std::mem::replace(&mut cases, Vec::with_capacity(10_000)),
                std::mem::replace(&mut events, Vec::with_capacity(20_000)),
            );
            if chunks.blocking_send(full).is_err() {
                return; // the loader stopped; its error is reported there
            }
        }
    }
    if !cases.is_empty() {
        let _ = chunks.blocking_send((cases, events));
    }
}

async fn run(
    base: &str,
    token: &str,
    cookie: &str,
    s: &Scenario,
    connections: usize,
    seconds: u64,
) -> Measured {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()
        .expect("client");
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let errors = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (client, lat, errors) = (client.clone(), latencies.clone(), errors.clone());
        let (url, method, body, token, cookie, use_cookie) = (
            format!("{base}{}", s.path),
            s.method.clone(),
            s.body.clone(),
            token.to_string(),
            cookie.to_string(),
            s.cookie,
        );
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            while Instant::now() < deadline {
                let mut req = client.request(method.clone(), &url);
                req = if use_cookie {
                    req.header("cookie", &cookie)
                } else {
                    req.bearer_auth(&token)
                };
                if let Some(b) = &body {
                    req = req.json(b);
                }
                let t = Instant::now();
                match req.send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        mine.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                    _ => {
                        errors.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            }
            lat.lock().await.extend(mine);
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let mut lat = latencies.lock().await.clone();
    lat.sort_by(f64::total_cmp);
    Measured {
        name: s.name,
        connections,
        requests: lat.len(),
        errors: errors.load(std::sync::atomic::Ordering::Relaxed),
        seconds: start.elapsed().as_secs_f64(),
        p50_ms: percentile(&lat, 0.5),
        p99_ms: percentile(&lat, 0.99),
    }
}

pub async fn bench(args: BenchArgs) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("serva_bench_{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = match &args.database {
        Some(u) => u.clone(),
        None => format!("sqlite:{}", dir.join("serva.db").display()),
    };
    let backend = if url.starts_with("sqlite:") {
        "SQLite"
    } else {
        "PostgreSQL"
    };
    let db = crate::open(&url).await?;
    let rate = if args.reuse {
        if args.database.is_none() || db.next_id("cases").await? == 1 {
            bail!("--reuse needs --database naming a database an earlier bench filled");
        }
        None
    } else {
        if db.next_id("units").await? != 1 {
            bail!("serva bench needs an empty database");
        }
        crate::demo::load(&db, crate::demo::Scale::Base).await?;
        println!("Loading {} cases into {backend} …", args.cases);
        Some(load_cases(&db, args.cases).await.context("bulk load")?)
    };
    let only = args.only.as_deref().map(str::to_lowercase);
    // `--only sla` (or any part of "sla recompute") picks the SLA figures.
    let sla = if only.as_deref().is_none_or(|o| "sla recompute".contains(o)) {
        println!(
            "Working out SLA clocks and changing {}'s calendar ({} open cases) …",
            crate::bench_sla::UNIT,
            crate::bench_sla::OPEN_CASES
        );
        Some(
            crate::bench_sla::figures(&db)
                .await
                .context("SLA figures")?,
        )
    } else {
        // The loaded cases' clocks, so the server's sweep has nothing to catch up on while
        // the other figures are measured.
        db.recompute_sla(
            serva_store::sla::SlaScope::Stale,
            serva_domain::time::now_ms(),
        )
        .await?;
        None
    };
    let billing = if only.as_deref().is_none_or(|o| "billing".contains(o)) {
        println!("Locking the monthly billing runs and exporting them as SIE …");
        Some(
            crate::bench_billing::figures(&db)
                .await
                .context("billing figures")?,
        )
    } else {
        None
    };
    let kontakt = db.user_by_username("handlaggare.kontakt").await?;
    let token = db.create_token(None, kontakt.id, "bench").await?;
    let session = db.create_session(kontakt.id).await?;
    let controller = db.user_by_username("controller").await?;
    let ctoken = db.create_token(None, controller.id, "bench").await?;
    // The unit manager, for the overview of the unit's queue (issue 10).
    let chef = db.user_by_username("chef.kontakt").await?;
    let chef_session = db.create_session(chef.id).await?;
    let kl = db.unit_by_code("KL").await?;
    let mut filter = serva_store::cases::CaseFilter::new(serva_domain::access::Visibility::All);
    filter.unit = Some(kl.id);
    filter.per_page = 1;
    let some_case = db
        .list_cases(&filter)
        .await?
        .cases
        .first()
        .map(|c| c.id)
        .context("no Kontakt Linköping case")?;
    // The chat figures' people: a customer (a department's administrator) and the agent.
    let sof = db.user_by_username("admin.sof").await?;
    let sof_session = db.create_session(sof.id).await?;
    db.close().await;
    let customer = Person {
        cookie: format!("serva_session={}", sof_session.raw_id),
        csrf: sof_session.csrf_token.clone(),
    };
    let agent = Person {
        cookie: format!("serva_session={}", session.raw_id),
        csrf: session.csrf_token.clone(),
    };

    let store = match &args.database {
        Some(u) => Store::Url(u.clone()),
        None => Store::Dir(dir.clone()),
    };
    let node = bench_server::start(&store, true).await?;
    let pid = node.pid;
    let base = node.base.clone();
    let rss_idle = node.rss_kib();
    // The server's memory, sampled every 50 ms while the load runs.
    let peak = Arc::new(std::sync::atomic::AtomicU64::new(rss_idle.unwrap_or(0)));
    let sampler = {
        let peak = peak.clone();
        tokio::spawn(async move {
            loop {
                if let Some(kib) = bench_server::rss_kib(pid) {
                    peak.fetch_max(kib, std::sync::atomic::Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
    };
    let cookie = format!("serva_session={}", session.raw_id);
    let scenarios = [
        Scenario {
            name: "create case (POST /api/v1/cases)",
            method: reqwest::Method::POST,
            path: "/api/v1/cases".into(),
            body: Some(
                serde_json::json!({ "service": "KL-FRAGA", "subject": "Bänktest", "description": "Mätning", "channel": "phone" }),
            ),
            cookie: false,
        },
        Scenario {
            name: "queue page (25 newest open, KL)",
            method: reqwest::Method::GET,
            path: "/queues/KL?status=active".into(),
            body: None,
            cookie: true,
        },
        Scenario {
            name: "queue page (25 due first, KL)",
            method: reqwest::Method::GET,
            path: "/queues/KL?status=active&sort=due".into(),
            body: None,
            cookie: true,
        },
        Scenario {
            name: "queue page (near breach, KL)",
            method: reqwest::Method::GET,
            path: "/queues/KL?status=active&sla=near_breach&sort=due".into(),
            body: None,
            cookie: true,
        },
        Scenario {
            name: "case view (page)",
            method: reqwest::Method::GET,
            path: format!("/cases/{some_case}"),
            body: None,
            cookie: true,
        },
        Scenario {
            name: "search (API, q=lösenord)",
            method: reqwest::Method::GET,
            path: "/api/v1/cases?q=l%C3%B6senord".into(),
            body: None,
            cookie: false,
        },
    ];
    let mut results = Vec::new();
    let wanted = |name: &str| {
        only.as_deref()
            .is_none_or(|o| name.to_lowercase().contains(o))
    };
    for s in scenarios.iter().filter(|s| wanted(s.name)) {
        for c in [1, 32] {
            results.push(run(&base, &token, &cookie, s, c, args.seconds).await);
        }
    }
    let overview = Scenario {
        name: "manager's overview page (KL)",
        method: reqwest::Method::GET,
        path: "/units/KL/overview".into(),
        body: None,
        cookie: true,
    };
    if wanted(overview.name) {
        let chef_cookie = format!("serva_session={}", chef_session.raw_id);
        for c in [1, 32] {
            results.push(run(&base, &token, &chef_cookie, &overview, c, args.seconds).await);
        }
    }
    let report = Scenario {
        name: "interim report JSON (VSS 2019-08-31)",
        method: reqwest::Method::GET,
        path: "/api/v1/reports/interim?org=VSS&year=2019&through=2019-08-31&format=json".into(),
        body: None,
        cookie: false,
    };
    if wanted(report.name) {
        results.push(run(&base, &ctoken, "", &report, 1, args.seconds).await);
        results.push(run(&base, &ctoken, "", &report, 4, args.seconds).await);
    }
    let figures = figures(&node, &store, backend, &customer, &agent, &token, &wanted).await?;
    sampler.abort();
    let rss_peak = peak.load(std::sync::atomic::Ordering::Relaxed);
    node.stop().await;
    if args.database.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }

    println!();
    println!(
        "Serva bench — {backend}, {} cases, {} s per row, 127.0.0.1",
        args.cases, args.seconds
    );
    println!();
    if !results.is_empty() {
        println!("| scenario | conn | requests | errors | req/s | p50 ms | p99 ms |");
        println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    }
    for m in &results {
        println!(
            "| {} | {} | {} | {} | {:.0} | {:.2} | {:.2} |",
            m.name,
            m.connections,
            m.requests,
            m.errors,
            m.requests as f64 / m.seconds,
            m.p50_ms,
            m.p99_ms
        );
    }
    println!();
    if let Some(rate) = rate {
        println!("bulk import: {rate:.0} cases/s");
    }
    figures.print(backend);
    if let Some(sla) = sla {
        println!(
            "SLA clocks of loaded open cases: {} cases in {:.2} s",
            sla.stale.0, sla.stale.1
        );
        println!(
            "SLA recompute after a calendar change: {} open cases in {:.2} s (budget 5 s)",
            sla.calendar_change.0, sla.calendar_change.1
        );
    }
    if let Some(b) = billing {
        b.print();
    }
    println!(
        "server RSS: {} MiB idle, {} MiB peak under load",
        rss_idle.unwrap_or(0) / 1024,
        rss_peak / 1024
    );
    Ok(())
}
