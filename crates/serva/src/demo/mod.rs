//! The VSS demo: organisation, catalogue, people and a year of cases, generated from a fixed
//! seed so every figure is reproducible. Loaded in one transaction: all or nothing.

mod billing_volumes;
pub mod billing_year;
pub mod catalogue;
mod chat;
mod citizens;
mod followup;
pub mod followup_content;
mod history;
mod mail;
pub mod org;
mod outbox;
pub mod people;
mod profiles;
pub(crate) mod rng;
mod surveys;
mod templates;

use std::collections::HashMap;

use anyhow::{bail, Context};
use serva_domain::catalogue::FormField;
use serva_domain::role::{Grant, RoleKind, TargetGroup};
use serva_domain::UnitId;
use serva_store::audit::{Action, Change, Entity};
use serva_store::bulk::{Bulk, ServiceRow, UnitRow, UserRow};
use serva_store::{Db, StoreError};

/// How much of the demo to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Organisation, catalogue and people only (what tests start from).
    Base,
    /// Everything, with the 2019 case history and a set of open cases.
    Full,
}

/// The password of every demo login.
pub const PASSWORD: &str = "demo";

/// Ids given to what the demo loaded, for the history generator.
pub(crate) struct Loaded {
    pub units: HashMap<&'static str, i64>,
    pub users: HashMap<String, i64>,
    /// Agents per provider unit code.
    pub agents: HashMap<&'static str, Vec<i64>>,
    /// Customer staff: (user id, customer unit id, target group).
    pub customers: Vec<(i64, i64, TargetGroup)>,
    pub services: Vec<(i64, &'static catalogue::DemoService)>,
}

/// Loads the demo unless it is there already. Returns whether it loaded anything.
pub async fn load(db: &Db, scale: Scale) -> anyhow::Result<bool> {
    match db.unit_by_code("VSS").await {
        Ok(_) => return Ok(false),
        Err(StoreError::NotFound(_)) => {}
        Err(e) => return Err(e).context("checking for demo data"),
    }
    if db.next_id("units").await? != 1 {
        bail!(
            "the database already has an organisation; the demo loads only into an empty database"
        );
    }
    let hash =
        tokio::task::spawn_blocking(|| serva_store::secrets::hash_password(PASSWORD)).await?;
    let mut bulk = db.begin_bulk().await?;
    let loaded = base(&mut bulk, &hash)
        .await
        .context("loading the demo organisation")?;
    followup::load(
        &mut bulk,
        &loaded.units,
        loaded.users.get("controller").copied(),
    )
    .await
    .context("loading the demo follow-up")?;
    let cases = if scale == Scale::Full {
        let cases = history::generate(&mut bulk, &loaded)
            .await
            .context("generating the demo cases")?;
        billing_volumes::load(&mut bulk, &loaded)
            .await
            .context("loading the demo's subscriptions and time")?;
        cases
    } else {
        0
    };
    bulk.audit(
        &Change::new(Action::Load, Entity::Load("demo".into()))
            .after(serde_json::json!({ "scale": format!("{scale:?}"), "cases": cases })),
    )
    .await?;
    bulk.commit().await.context("committing the demo")?;
    templates::load(db, &loaded)
        .await
        .context("loading the demo's reply templates")?;
    if scale == Scale::Full {
        // The history's clocks, in working time of the units' calendars (the default ones).
        db.recompute_sla(
            serva_store::sla::SlaScope::All,
            serva_domain::time::now_ms(),
        )
        .await
        .context("working out the demo cases' service levels")?;
        surveys::settings(db, &loaded)
            .await
            .context("setting the demo's survey settings")?;
        mail::load(db).await.context("loading the demo mail")?;
        chat::load(db, "handlaggare.kontakt")
            .await
            .context("loading the demo chats")?;
        citizens::load(db, "KL-FRAGA")
            .await
            .context("loading the demo's citizen cases and hand-offs")?;
        outbox::load(db).await.context("writing the demo's mail")?;
        // Last: the runs charge the closed cases the history made.
        billing_year::load(db, loaded.users.get("controller").copied())
            .await
            .context("locking the demo's billing runs of 2019 (all but August)")?;
    }
    Ok(true)
}

async fn base(bulk: &mut Bulk, hash: &str) -> anyhow::Result<Loaded> {
    let mut units = HashMap::new();
    let mut rows = Vec::new();
    for (i, u) in org::UNITS.iter().enumerate() {
        let id = i as i64 + 1;
        units.insert(u.code, id);
        let parent = u.parent.map(|p| units[p]);
        let predecessor = u.predecessor.map(|p| units[p]);
        rows.push(UnitRow {
            id,
            code: u.code.into(),
            name: u.name.into(),
            kind: u.kind.as_str().into(),
            parent_id: parent,
            erp_code: u.erp_code.map(Into::into),
            valid_from: u.valid_from.map(Into::into),
            valid_to: u.valid_to.map(Into::into),
            predecessor_id: predecessor,
            mail_address: org::mailbox(u.code).map(Into::into),
        });
    }
    bulk.insert(&rows).await?;

    let now = serva_domain::time::now_ms();
    let mut users = HashMap::new();
    let mut agents: HashMap<&'static str, Vec<i64>> = HashMap::new();
    let mut customers = Vec::new();
    let mut user_rows = Vec::new();
    let mut grants: Vec<(i64, Vec<Grant>)> = Vec::new();
    let mut next = 1i64;
    let mut add = |username: String,
                   name: String,
                   home: &str,
                   password: bool,
                   user_rows: &mut Vec<UserRow>| {
        let id = next;
        next += 1;
        user_rows.push(UserRow {
            id,
            username: username.clone().into(),
            display_name: name.into(),
            email: Some(format!("{username}@linkoping.example").into()),
            password_hash: password.then(|| hash.to_string().into()),
            locale: None,
            home_unit_id: units.get(home).copied(),
            active: true,
            created_at: now,
        });
        users.insert(username, id);
        id
    };
    for u in people::USERS {
        let id = add(
            u.username.to_string(),
            u.name.to_string(),
            u.home,
            true,
            &mut user_rows,
        );
        let mut gs = Vec::new();
        for &(role, unit, tg) in u.grants {
            let unit_id = unit.map(|c| UnitId(units[c]));
            gs.push(Grant::new(role, unit_id, tg)?);
            if role == RoleKind::Agent {
                let code = unit.expect("agents have a unit");
                agents.entry(code).or_default().push(id);
            }
            if role == RoleKind::Customer {
                customers.push((
                    id,
                    units[unit.expect("customers have a unit")],
                    tg.unwrap_or(TargetGroup::Employee),
                ));
            }
        }
        grants.push((id, gs));
    }
    for &(unit, username, name) in people::AGENTS {
        let id = add(
            username.to_string(),
            name.to_string(),
            unit,
            false,
            &mut user_rows,
        );
        agents.entry(unit).or_default().push(id);
        grants.push((
            id,
            vec![Grant::new(
                RoleKind::Agent,
                Some(UnitId(units[unit])),
                None,
            )?],
        ));
    }
    // Customer staff of every department and company, in the four target groups.
    let groups = [
        TargetGroup::Manager,
        TargetGroup::Administrator,
        TargetGroup::HrConsultant,
        TargetGroup::Employee,
    ];
    let mut n = 0usize;
    for u in org::UNITS.iter().filter(|u| u.kind.is_customer()) {
        for k in 0..12 {
            let tg = groups[k % 4];
            let first = people::FIRST_NAMES[(n * 7 + 3) % people::FIRST_NAMES.len()];
            let last = people::LAST_NAMES[(n * 11 + 5) % people::LAST_NAMES.len()];
            n += 1;
            let username = format!("{}.kund{:02}", u.code.to_lowercase(), k + 1);
            let id = add(
                username,
                format!("{first} {last}"),
                u.code,
                false,
                &mut user_rows,
            );
            customers.push((id, units[u.code], tg));
            grants.push((
                id,
                vec![Grant::new(
                    RoleKind::Customer,
                    Some(UnitId(units[u.code])),
                    Some(tg),
                )?],
            ));
        }
    }
    bulk.insert(&user_rows).await?;
    for (uid, gs) in &grants {
        bulk.grants(*uid, gs).await?;
    }

    let mut services = Vec::new();
    let mut rows = Vec::new();
    for (i, s) in catalogue::SERVICES.iter().enumerate() {
        let id = i as i64 + 1;
        let fields: Vec<FormField> = s
            .fields
            .iter()
            .map(|f| FormField {
                key: f.key.to_string(),
                label: f.label.to_string(),
                kind: f.kind,
                required: f.required,
                choices: f.choices.iter().map(|c| c.to_string()).collect(),
                internal: false,
            })
            .collect();
        serva_domain::catalogue::check_fields(&fields)
            .map_err(|e| anyhow::anyhow!("service {}: {e}", s.code))?;
        serva_domain::catalogue::ServiceCode::parse(s.code)?;
        let unit = *units
            .get(s.unit)
            .with_context(|| format!("service {} names unknown unit {}", s.code, s.unit))?;
        rows.push(ServiceRow {
            id,
            unit_id: unit,
            code: s.code.into(),
            name: s.name.into(),
            description: s.description.into(),
            category: s.category.into(),
            price_model: s.price_model.as_str().into(),
            price_ore: s.price_ore,
            first_response_minutes: s.first_response_minutes,
            // The next reply after the customer writes: as quick as the first.
            next_response_minutes: s.first_response_minutes,
            resolution_minutes: s.resolution_minutes,
            form: serde_json::to_string(&fields)?.into(),
            active: true,
            search_text: serva_domain::search::fold(&format!(
                "{} {} {} {}",
                s.code, s.name, s.description, s.category
            ))
            .into(),
        });
        services.push((id, s));
    }
    bulk.insert(&rows).await?;
    Ok(Loaded {
        units,
        users,
        agents,
        customers,
        services,
    })
}
