//! The audit log: who changed what, when, and how it looked before and after.
//!
//! Every write goes through [`Db::begin_audited`]: the changes are made on the returned
//! [`AuditedTx`], and [`AuditedTx::commit`] takes the [`Change`] that describes them, writes its
//! audit row in the same transaction and commits. A write without its audit row cannot be
//! committed that way, and the log and the data never disagree.

use serde::Serialize;
use serva_domain::user::AuditEntry;
use serva_domain::{CaseId, ServiceId, UnitId, UserId};
use sqlx::{Any, AnyConnection, Transaction};

use crate::rows::AuditRow;
use crate::{Db, StoreResult};

/// What was done, as the log names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Delete,
    Save,
    Login,
    Revoke,
    SetStatus,
    Assign,
    AddMessage,
    AddNote,
    AnswerSurvey,
    SetGrants,
    SetPassword,
    SetLocale,
    Approve,
    Import,
    Load,
    SaveForecast,
    Assess,
    SetQueueRule,
    ControlResult,
    SetValue,
    LiftLock,
    SendSurvey,
    SetSurveySettings,
    /// A billing run locked, or a price set.
    Lock,
    SetPrice,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::Save => "save",
            Action::Login => "login",
            Action::Revoke => "revoke",
            Action::SetStatus => "set_status",
            Action::Assign => "assign",
            Action::AddMessage => "add_message",
            Action::AddNote => "add_note",
            Action::AnswerSurvey => "answer_survey",
            Action::SetGrants => "set_grants",
            Action::SetPassword => "set_password",
            Action::SetLocale => "set_locale",
            Action::Approve => "approve",
            Action::Import => "import",
            Action::Load => "load",
            Action::SaveForecast => "save_forecast",
            Action::Assess => "assess",
            Action::SetQueueRule => "set_queue_rule",
            Action::ControlResult => "control_result",
            Action::SetValue => "set_value",
            Action::LiftLock => "lift_lock",
            Action::SendSurvey => "send_survey",
            Action::SetSurveySettings => "set_survey_settings",
            Action::Lock => "lock",
            Action::SetPrice => "set_price",
        }
    }
}

/// What was changed: the kind of thing and its id, as the log names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entity {
    Case(CaseId),
    Unit(UnitId),
    User(UserId),
    Service(ServiceId),
    ApiToken(i64),
    /// An administration's interim report: `ORG/YEAR/THROUGH`.
    InterimReport(String),
    Goal(i64),
    Narrative(i64),
    ControlPoint(i64),
    Assignment(i64),
    Indicator(i64),
    ReportEvent(i64),
    /// An import of a kind (`budget`, `sie`, …).
    Import(String),
    /// A bulk load (demo data, benchmark cases).
    Load(String),
    /// Password sign-in pauses: an account's username, or `ip:address`.
    LoginLock(String),
    /// A person without an account (citizen, caller, e-mail sender).
    Contact(i64),
    /// A file on a case.
    Attachment(i64),
    /// A mail of the outbox (sent again by an administrator).
    OutboxMail(i64),
    ReplyTemplate(i64),
    /// A billing run (its month, `2019-08`).
    BillingRun(String),
    /// A price list being drafted or published.
    PriceList(i64),
    /// Time recorded on a case.
    TimeEntry(i64),
    /// A customer's subscription of a service.
    Subscription(i64),
}

impl Entity {
    pub fn kind(&self) -> &'static str {
        match self {
            Entity::Case(_) => "case",
            Entity::Unit(_) => "unit",
            Entity::User(_) => "user",
            Entity::Service(_) => "service",
            Entity::ApiToken(_) => "api_token",
            Entity::InterimReport(_) => "interim_report",
            Entity::Goal(_) => "goal",
            Entity::Narrative(_) => "narrative",
            Entity::ControlPoint(_) => "control_point",
            Entity::Assignment(_) => "assignment",
            Entity::Indicator(_) => "indicator",
            Entity::ReportEvent(_) => "report_event",
            Entity::Import(_) => "import",
            Entity::Load(_) => "load",
            Entity::LoginLock(_) => "login_lock",
            Entity::Contact(_) => "contact",
            Entity::Attachment(_) => "attachment",
            Entity::OutboxMail(_) => "outbox_mail",
            Entity::ReplyTemplate(_) => "reply_template",
            Entity::BillingRun(_) => "billing_run",
            Entity::PriceList(_) => "price_list",
            Entity::TimeEntry(_) => "time_entry",
            Entity::Subscription(_) => "subscription",
        }
    }

    pub fn id(&self) -> String {
        match self {
            Entity::Case(id) => id.0.to_string(),
            Entity::Unit(id) => id.0.to_string(),
            Entity::User(id) => id.0.to_string(),
            Entity::Service(id) => id.0.to_string(),
            Entity::ApiToken(id)
            | Entity::Goal(id)
            | Entity::Narrative(id)
            | Entity::ControlPoint(id)
            | Entity::Assignment(id)
            | Entity::Indicator(id)
            | Entity::ReportEvent(id)
            | Entity::Contact(id)
            | Entity::Attachment(id)
            | Entity::OutboxMail(id)
            | Entity::ReplyTemplate(id)
            | Entity::PriceList(id)
            | Entity::TimeEntry(id)
            | Entity::Subscription(id) => id.to_string(),
            Entity::InterimReport(s)
            | Entity::Import(s)
            | Entity::Load(s)
            | Entity::LoginLock(s)
            | Entity::BillingRun(s) => s.clone(),
        }
    }
}

/// One audit row to be written: what was done to what, and how it looked before and after.
#[derive(Debug, Clone)]
pub struct Change {
    pub action: Action,
    pub entity: Entity,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl Change {
    pub fn new(action: Action, entity: Entity) -> Self {
        Change {
            action,
            entity,
            before: None,
            after: None,
        }
    }

    /// How it looked before (anything that serialises; `None` when it does not).
    pub fn before(mut self, v: impl Serialize) -> Self {
        self.before = serde_json::to_value(v).ok().filter(|v| !v.is_null());
        self
    }

    /// How it looks after.
    pub fn after(mut self, v: impl Serialize) -> Self {
        self.after = serde_json::to_value(v).ok().filter(|v| !v.is_null());
        self
    }
}

/// A write transaction that can only be committed together with its audit row.
pub struct AuditedTx {
    pub(crate) tx: Transaction<'static, Any>,
    /// The time of the change (milliseconds since the epoch, UTC), the same for every row.
    pub now: i64,
    pub actor: Option<UserId>,
}

impl AuditedTx {
    /// The connection to run the change's statements on.
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    /// The transaction itself, for helpers that take one.
    pub fn tx(&mut self) -> &mut Transaction<'static, Any> {
        &mut self.tx
    }

    /// Writes another audit row in this transaction (a write that changes several things).
    pub async fn record(&mut self, change: &Change) -> StoreResult<()> {
        insert(&mut self.tx, self.now, self.actor, change).await
    }

    /// Writes the audit row and commits: both are stored, or neither.
    pub async fn commit(mut self, change: Change) -> StoreResult<()> {
        insert(&mut self.tx, self.now, self.actor, &change).await?;
        self.tx.commit().await?;
        Ok(())
    }
}

impl Db {
    /// Begins a write by `actor` at this moment; see [`AuditedTx`].
    pub async fn begin_audited(&self, actor: Option<UserId>) -> StoreResult<AuditedTx> {
        Ok(AuditedTx {
            tx: self.write.begin().await?,
            now: serva_domain::time::now_ms(),
            actor,
        })
    }
}

pub(crate) async fn insert(
    tx: &mut Transaction<'static, Any>,
    at: i64,
    actor: Option<UserId>,
    c: &Change,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, action, entity, entity_id, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(at)
    .bind(actor.map(|a| a.0))
    .bind(c.action.as_str())
    .bind(c.entity.kind())
    .bind(c.entity.id())
    .bind(c.before.as_ref().map(|v| v.to_string()))
    .bind(c.after.as_ref().map(|v| v.to_string()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Filters for reading the log; `None` means any.
#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub before_id: Option<i64>,
    pub limit: i64,
    /// Only what this person did.
    pub actor: Option<serva_domain::UserId>,
    /// Only entries at or after this instant (ms).
    pub from_at: Option<i64>,
    /// Only entries before this instant (ms).
    pub until_at: Option<i64>,
}

impl Db {
    /// Newest first, keyset-paginated by id.
    pub async fn audit_entries(&self, f: &AuditFilter) -> StoreResult<Vec<AuditEntry>> {
        let rows = sqlx::query_as::<_, AuditRow>(
            "SELECT a.id, a.at, a.actor_id, u.username AS actor_name, a.action, a.entity, a.entity_id, \
                    a.before_json, a.after_json \
             FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id \
             WHERE ($1 IS NULL OR a.entity = $1) AND ($2 IS NULL OR a.entity_id = $2) \
               AND ($3 IS NULL OR a.id < $3) AND ($5 IS NULL OR a.actor_id = $5) \
               AND ($6 IS NULL OR a.at >= $6) AND ($7 IS NULL OR a.at < $7) \
             ORDER BY a.id DESC LIMIT $4",
        )
        .bind(f.entity.clone())
        .bind(f.entity_id.clone())
        .bind(f.before_id)
        .bind(f.limit.clamp(1, 500))
        .bind(f.actor.map(|a| a.0))
        .bind(f.from_at)
        .bind(f.until_at)
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }
}
