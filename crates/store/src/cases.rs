//! Cases: intake from every channel, the queue, work on a case and its history.

use serde::Serialize;
use serva_domain::case::{CaseNumber, CaseStatus, Channel};
use serva_domain::role::TargetGroup;
use serva_domain::sla::StatusChange;
use serva_domain::{CaseId, ServiceId, UnitId, UserId};
use sqlx::{Any, Transaction};

use crate::audit::{Action, Change, Entity};
use crate::{Backend, Db, StoreError, StoreResult};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Case {
    pub id: i64,
    pub service_id: i64,
    pub service_code: String,
    pub service_name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub customer_unit_id: Option<i64>,
    pub customer_unit_name: Option<String>,
    pub requester_id: Option<i64>,
    pub requester_name: Option<String>,
    pub target_group: Option<String>,
    pub channel: String,
    pub status: String,
    pub subject: String,
    pub description: String,
    #[serde(skip)]
    pub form_data: String,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub first_contact_resolution: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub first_response_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub closed_at: Option<i64>,
}

impl Case {
    pub fn cid(&self) -> CaseId {
        CaseId(self.id)
    }
    pub fn status(&self) -> CaseStatus {
        CaseStatus::parse(&self.status).unwrap_or(CaseStatus::Open)
    }
    pub fn channel(&self) -> Channel {
        Channel::parse(&self.channel).unwrap_or(Channel::Web)
    }
    pub fn number(&self) -> CaseNumber {
        let year = serva_domain::time::to_local(self.created_at)
            .and_utc()
            .format("%Y")
            .to_string();
        CaseNumber {
            year: year.parse().unwrap_or(1970),
            id: self.cid(),
        }
    }
    pub fn answers(&self) -> Vec<(String, String)> {
        serde_json::from_str(&self.form_data).unwrap_or_default()
    }
    pub fn scope(&self) -> serva_domain::access::CaseScope {
        serva_domain::access::CaseScope {
            provider_unit: UnitId(self.unit_id),
            customer_unit: self.customer_unit_id.map(UnitId),
            requester: self.requester_id.map(UserId),
        }
    }
}

/// A case as it comes in.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub service: ServiceId,
    pub customer_unit: Option<UnitId>,
    pub requester: Option<UserId>,
    /// A caller or visitor without an account (citizens through Kontakt).
    pub requester_name: Option<String>,
    pub target_group: Option<TargetGroup>,
    pub channel: Channel,
    pub subject: String,
    pub description: String,
    pub answers: Vec<(String, String)>,
    /// Registered and resolved in one step while the person is on the line or at the desk.
    pub resolve_now: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaseSort {
    #[default]
    Newest,
    Oldest,
    Updated,
}

impl CaseSort {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "newest" => Some(CaseSort::Newest),
            "oldest" => Some(CaseSort::Oldest),
            "updated" => Some(CaseSort::Updated),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            CaseSort::Newest => "newest",
            CaseSort::Oldest => "oldest",
            CaseSort::Updated => "updated",
        }
    }
}

/// Which cases a person may list: everything, or the union of what their grants open.
#[derive(Debug, Clone)]
pub enum Visibility {
    All,
    Restricted {
        units: Vec<i64>,
        customer_units: Vec<i64>,
        requester: Option<i64>,
    },
}

impl Visibility {
    pub fn of(p: &serva_domain::access::Principal) -> Visibility {
        if p.admin {
            return Visibility::All;
        }
        let mut units: Vec<i64> = p.works.iter().map(|u| u.0).collect();
        units.sort_unstable();
        let mut customer_units: Vec<i64> = p.oversees.iter().map(|u| u.0).collect();
        customer_units.sort_unstable();
        Visibility::Restricted {
            units,
            customer_units,
            requester: p.user.map(|u| u.0),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// Not resolved or closed.
    Active,
    Is(CaseStatus),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssigneeFilter {
    Unassigned,
    User(UserId),
}

#[derive(Debug, Clone)]
pub struct CaseFilter {
    pub visibility: Visibility,
    pub unit: Option<UnitId>,
    pub requester: Option<UserId>,
    pub status: Option<StatusFilter>,
    pub assignee: Option<AssigneeFilter>,
    pub service: Option<ServiceId>,
    pub channel: Option<Channel>,
    /// Free text; a case number finds that case.
    pub query: Option<String>,
    pub sort: CaseSort,
    pub page: i64,
    pub per_page: i64,
}

impl CaseFilter {
    pub fn new(visibility: Visibility) -> Self {
        CaseFilter {
            visibility,
            unit: None,
            requester: None,
            status: None,
            assignee: None,
            service: None,
            channel: None,
            query: None,
            sort: CaseSort::Newest,
            page: 1,
            per_page: 25,
        }
    }
}

/// One page of cases and whether another follows.
#[derive(Debug, Clone, Serialize)]
pub struct CasePage {
    pub cases: Vec<Case>,
    pub page: i64,
    pub per_page: i64,
    pub has_next: bool,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Message {
    pub id: i64,
    pub case_id: i64,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub internal: i64,
    pub body: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Event {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub kind: String,
    pub from_value: Option<String>,
    pub to_value: Option<String>,
}

const CASE_COLUMNS_SQL: &str = "SELECT c.id, c.service_id, s.code AS service_code, s.name AS service_name, c.unit_id, \
     pu.name AS unit_name, c.customer_unit_id, cu.name AS customer_unit_name, c.requester_id, \
     COALESCE(ru.display_name, c.requester_name) AS requester_name, c.target_group, c.channel, c.status, \
     c.subject, c.description, c.form_data, c.assignee_id, au.display_name AS assignee_name, \
     c.first_contact_resolution, c.created_at, c.updated_at, c.first_response_at, c.resolved_at, c.closed_at";
const CASE_JOINS: &str =
    "JOIN services s ON s.id = c.service_id JOIN units pu ON pu.id = c.unit_id \
     LEFT JOIN units cu ON cu.id = c.customer_unit_id LEFT JOIN users ru ON ru.id = c.requester_id \
     LEFT JOIN users au ON au.id = c.assignee_id";

/// The full-text condition of a search, in each database's own query language: every word of
/// the query must begin a word of the case (`åter` finds `återbetalning`, `ar` does not find
/// `år`). `None` when the query has no words at all.
fn text_query(backend: Backend, q: &str) -> Option<String> {
    let words = serva_domain::search::words(q);
    if words.is_empty() {
        return None;
    }
    // Words hold only letters and digits, so quoting them needs no escaping.
    Some(match backend {
        Backend::Sqlite => words
            .iter()
            .map(|w| format!("\"{w}\"*"))
            .collect::<Vec<_>>()
            .join(" AND "),
        Backend::Postgres => words
            .iter()
            .map(|w| format!("'{w}':*"))
            .collect::<Vec<_>>()
            .join(" & "),
    })
}

/// The expression PostgreSQL's GIN index `cases_search` is built on (same text, same words).
const PG_SEARCH_VECTOR: &str =
    "array_to_tsvector(array_remove(string_to_array(c.search_text, ' '), ''))";

fn id_list(ids: &[i64]) -> String {
    if ids.is_empty() {
        "NULL".to_string()
    } else {
        ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
    }
}

/// The words the search box looks in (see `serva_domain::search::index_text`).
pub fn case_search_text(subject: &str, description: &str, answers: &[(String, String)]) -> String {
    let mut s = format!("{subject} {description}");
    for (_, v) in answers {
        s.push(' ');
        s.push_str(v);
    }
    serva_domain::search::index_text(&s)
}

async fn event(
    tx: &mut Transaction<'_, Any>,
    case: i64,
    at: i64,
    actor: Option<UserId>,
    kind: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO case_events (case_id, at, actor_id, kind, from_value, to_value) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(case)
        .bind(at)
        .bind(actor.map(|a| a.0))
        .bind(kind)
        .bind(from)
        .bind(to)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Db {
    pub async fn create_case(&self, actor: Option<UserId>, c: &NewCase) -> StoreResult<Case> {
        let svc = self.service(c.service).await?;
        self.create_case_of(actor, &svc, c).await
    }

    /// `create_case` for a caller who has just read the service (`c.service` must be its id).
    pub async fn create_case_of(
        &self,
        actor: Option<UserId>,
        svc: &crate::catalogue::Service,
        c: &NewCase,
    ) -> StoreResult<Case> {
        if svc.id != c.service.0 {
            return Err(StoreError::Invalid("the case names another service".into()));
        }
        if svc.active != 1 {
            return Err(StoreError::Invalid(format!(
                "service {} is not open for orders",
                svc.code
            )));
        }
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = crate::case_writer::CreateJob {
            actor,
            case: c.clone(),
            service_id: svc.id,
            service_code: svc.code.clone(),
            unit_id: svc.unit_id,
            reply,
        };
        let gone = || StoreError::Unavailable("the server is shutting down; try again".into());
        self.case_writer.send(job).await.map_err(|_| gone())?;
        let id = answer.await.map_err(|_| gone())??;
        self.case(CaseId(id)).await
    }

    pub async fn case(&self, id: CaseId) -> StoreResult<Case> {
        sqlx::query_as::<_, Case>(&format!(
            "{CASE_COLUMNS_SQL} FROM cases c {CASE_JOINS} WHERE c.id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound("case"))
    }

    pub async fn list_cases(&self, f: &CaseFilter) -> StoreResult<CasePage> {
        let mut texts: Vec<String> = Vec::new();
        // A text search on SQLite is driven by the FTS5 index, in id order, so the newest
        // matches come first without reading every match.
        let mut fts = false;
        let mut none = false;
        let mut text_filter = String::new();
        if let Some(q) = f.query.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            if let Some(n) = CaseNumber::parse(q) {
                text_filter = format!(" AND c.id = {}", n.id.0);
            } else if let Some(tq) = text_query(self.backend(), q) {
                texts.push(tq);
                match self.backend() {
                    Backend::Sqlite => {
                        fts = true;
                        text_filter = " AND cases_fts MATCH $1".to_string();
                    }
                    Backend::Postgres => {
                        text_filter = format!(" AND {PG_SEARCH_VECTOR} @@ CAST($1 AS tsquery)");
                    }
                }
            } else {
                none = true;
            }
        }
        let mut sql = if fts {
            format!(
                "{CASE_COLUMNS_SQL} FROM cases_fts JOIN cases c ON c.id = cases_fts.rowid {CASE_JOINS} WHERE 1=1"
            )
        } else {
            format!("{CASE_COLUMNS_SQL} FROM cases c {CASE_JOINS} WHERE 1=1")
        };
        sql.push_str(&text_filter);
        if none {
            sql.push_str(" AND 1=0");
        }
        match &f.visibility {
            Visibility::All => {}
            Visibility::Restricted {
                units,
                customer_units,
                requester,
            } => {
                sql.push_str(&format!(
                    " AND (c.unit_id IN ({}) OR c.customer_unit_id IN ({}) OR c.requester_id = {})",
                    id_list(units),
                    id_list(customer_units),
                    requester.map_or("NULL".to_string(), |r| r.to_string())
                ));
            }
        }
        if let Some(u) = f.unit {
            sql.push_str(&format!(" AND c.unit_id = {}", u.0));
        }
        if let Some(r) = f.requester {
            sql.push_str(&format!(" AND c.requester_id = {}", r.0));
        }
        match f.status {
            Some(StatusFilter::Active) => sql.push_str(
                " AND c.status IN ('new', 'open', 'waiting_customer', 'waiting_third_party')",
            ),
            Some(StatusFilter::Is(s)) => sql.push_str(&format!(" AND c.status = '{}'", s.as_str())),
            None => {}
        }
        match f.assignee {
            Some(AssigneeFilter::Unassigned) => sql.push_str(" AND c.assignee_id IS NULL"),
            Some(AssigneeFilter::User(u)) => sql.push_str(&format!(" AND c.assignee_id = {}", u.0)),
            None => {}
        }
        if let Some(s) = f.service {
            sql.push_str(&format!(" AND c.service_id = {}", s.0));
        }
        if let Some(ch) = f.channel {
            sql.push_str(&format!(" AND c.channel = '{}'", ch.as_str()));
        }
        sql.push_str(match (f.sort, fts) {
            (CaseSort::Newest, true) => " ORDER BY cases_fts.rowid DESC",
            (CaseSort::Oldest, true) => " ORDER BY cases_fts.rowid ASC",
            (CaseSort::Newest, false) => " ORDER BY c.id DESC",
            (CaseSort::Oldest, false) => " ORDER BY c.id ASC",
            (CaseSort::Updated, _) => " ORDER BY c.updated_at DESC, c.id DESC",
        });
        let per_page = f.per_page.clamp(1, 200);
        let page = f.page.clamp(1, 100_000);
        sql.push_str(&format!(
            " LIMIT {} OFFSET {}",
            per_page + 1,
            (page - 1) * per_page
        ));
        let texts_empty = texts.is_empty();
        let mut q = sqlx::query_as::<_, Case>(&sql);
        for t in texts {
            q = q.bind(t);
        }
        // PostgreSQL cannot know that a word and a unit go together, so for a search within
        // some units it tends to walk the whole table newest first, hoping for matches soon.
        // Combining the word index with the unit indexes (bitmaps) is bounded instead.
        let narrowed = f.unit.is_some()
            || f.requester.is_some()
            || matches!(f.visibility, Visibility::Restricted { .. });
        let mut cases = if self.backend() == Backend::Postgres && !texts_empty && narrowed {
            let mut tx = self.read.begin().await?;
            sqlx::query("SET LOCAL enable_indexscan = off")
                .execute(&mut *tx)
                .await?;
            let cases = q.fetch_all(&mut *tx).await?;
            tx.commit().await?;
            cases
        } else {
            q.fetch_all(&self.read).await?
        };
        let has_next = cases.len() as i64 > per_page;
        cases.truncate(per_page as usize);
        Ok(CasePage {
            cases,
            page,
            per_page,
            has_next,
        })
    }

    /// Changes the status; fails with a conflict if someone else changed it first.
    pub async fn set_status(
        &self,
        actor: Option<UserId>,
        id: CaseId,
        to: CaseStatus,
    ) -> StoreResult<Case> {
        let before = self.case(id).await?;
        let from = before.status();
        from.transition(to)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        let (resolved_at, closed_at) = match to {
            CaseStatus::Resolved => (before.resolved_at.or(Some(now)), None),
            CaseStatus::Closed => (before.resolved_at.or(Some(now)), Some(now)),
            _ => (None, None),
        };
        // The roll-ups count a closing on the Stockholm day stored with it.
        let closed_day = closed_at.map(serva_domain::time::local_day);
        let n = sqlx::query(
            "UPDATE cases SET status = $1, resolved_at = $2, closed_at = $3, closed_day = $4, updated_at = $5 WHERE id = $6 AND status = $7",
        )
        .bind(to.as_str())
        .bind(resolved_at)
        .bind(closed_at)
        .bind(closed_day)
        .bind(now)
        .bind(id.0)
        .bind(from.as_str())
        .execute(tx.conn())
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::Conflict(
                "the case was changed by someone else; reload it".into(),
            ));
        }
        event(
            tx.tx(),
            id.0,
            now,
            actor,
            "status",
            Some(from.as_str()),
            Some(to.as_str()),
        )
        .await?;
        tx.commit(
            Change::new(Action::SetStatus, Entity::Case(id))
                .before(serde_json::json!({ "status": from }))
                .after(serde_json::json!({ "status": to })),
        )
        .await?;
        self.case(id).await
    }

    pub async fn assign(
        &self,
        actor: Option<UserId>,
        id: CaseId,
        to: Option<UserId>,
    ) -> StoreResult<Case> {
        let before = self.case(id).await?;
        if before.assignee_id == to.map(|u| u.0) {
            return Ok(before);
        }
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        sqlx::query("UPDATE cases SET assignee_id = $1, updated_at = $2 WHERE id = $3")
            .bind(to.map(|u| u.0))
            .bind(now)
            .bind(id.0)
            .execute(tx.conn())
            .await
            .map_err(|e| StoreError::on_unique(e, "assignee"))?;
        let from_s = before.assignee_id.map(|a| a.to_string());
        let to_s = to.map(|a| a.0.to_string());
        event(
            tx.tx(),
            id.0,
            now,
            actor,
            "assigned",
            from_s.as_deref(),
            to_s.as_deref(),
        )
        .await?;
        tx.commit(
            Change::new(Action::Assign, Entity::Case(id))
                .before(serde_json::json!({ "assignee_id": before.assignee_id }))
                .after(serde_json::json!({ "assignee_id": to })),
        )
        .await?;
        self.case(id).await
    }

    /// Adds a reply or an internal note. A provider's first reply starts the first-response
    /// record; a customer's reply to a case waiting for them puts it back in the queue.
    pub async fn add_message(
        &self,
        actor: Option<UserId>,
        id: CaseId,
        body: &str,
        internal: bool,
        from_provider: bool,
    ) -> StoreResult<Message> {
        let before = self.case(id).await?;
        let mut tx = self.begin_audited(actor).await?;
        let now = tx.now;
        let mid: i64 = sqlx::query_scalar(
            "INSERT INTO case_messages (case_id, author_id, internal, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(id.0)
        .bind(actor.map(|a| a.0))
        .bind(i64::from(internal))
        .bind(body)
        .bind(now)
        .fetch_one(tx.conn())
        .await?;
        event(
            tx.tx(),
            id.0,
            now,
            actor,
            if internal { "note" } else { "message" },
            None,
            Some(&mid.to_string()),
        )
        .await?;
        let first_response =
            (!internal && from_provider && before.first_response_at.is_none()).then_some(now);
        sqlx::query("UPDATE cases SET updated_at = $1, first_response_at = COALESCE(first_response_at, $2) WHERE id = $3")
            .bind(now)
            .bind(first_response)
            .bind(id.0)
            .execute(tx.conn())
            .await?;
        if !internal && !from_provider && before.status() == CaseStatus::WaitingCustomer {
            sqlx::query("UPDATE cases SET status = 'open' WHERE id = $1")
                .bind(id.0)
                .execute(tx.conn())
                .await?;
            event(
                tx.tx(),
                id.0,
                now,
                actor,
                "status",
                Some("waiting_customer"),
                Some("open"),
            )
            .await?;
        }
        let action = if internal {
            Action::AddNote
        } else {
            Action::AddMessage
        };
        tx.commit(
            Change::new(action, Entity::Case(id)).after(
                serde_json::json!({ "message_id": mid, "internal": internal, "body": body }),
            ),
        )
        .await?;
        let m = sqlx::query_as::<_, Message>(
            "SELECT m.id, m.case_id, m.author_id, u.display_name AS author_name, m.internal, m.body, m.created_at \
             FROM case_messages m LEFT JOIN users u ON u.id = m.author_id WHERE m.id = $1",
        )
        .bind(mid)
        .fetch_one(&self.read)
        .await?;
        Ok(m)
    }

    pub async fn messages(&self, id: CaseId, include_internal: bool) -> StoreResult<Vec<Message>> {
        Ok(sqlx::query_as::<_, Message>(
            "SELECT m.id, m.case_id, m.author_id, u.display_name AS author_name, m.internal, m.body, m.created_at \
             FROM case_messages m LEFT JOIN users u ON u.id = m.author_id \
             WHERE m.case_id = $1 AND ($2 = 1 OR m.internal = 0) ORDER BY m.id",
        )
        .bind(id.0)
        .bind(i64::from(include_internal))
        .fetch_all(&self.read)
        .await?)
    }

    /// Not-closed cases of a queue: all, unassigned, and assigned to `me`.
    pub async fn queue_counts(&self, unit: UnitId, me: UserId) -> StoreResult<(i64, i64, i64)> {
        let row: (i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN assignee_id IS NULL THEN 1 ELSE 0 END), 0), \
                    COALESCE(SUM(CASE WHEN assignee_id = $2 THEN 1 ELSE 0 END), 0) \
             FROM cases WHERE unit_id = $1 AND status IN ('new', 'open', 'waiting_customer', 'waiting_third_party')",
        )
        .bind(unit.0)
        .bind(me.0)
        .fetch_one(&self.read)
        .await?;
        Ok(row)
    }

    /// Every change of the case in order.
    pub async fn history(&self, id: CaseId) -> StoreResult<Vec<Event>> {
        Ok(sqlx::query_as::<_, Event>(
            "SELECT e.id, e.at, e.actor_id, u.display_name AS actor_name, e.kind, e.from_value, e.to_value \
             FROM case_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.case_id = $1 ORDER BY e.id",
        )
        .bind(id.0)
        .fetch_all(&self.read)
        .await?)
    }
}

/// The status history the SLA clock needs, from the case's events.
pub fn status_changes(events: &[Event]) -> Vec<StatusChange> {
    events
        .iter()
        .filter(|e| e.kind == "created" || e.kind == "status")
        .filter_map(|e| {
            Some(StatusChange {
                at: e.at,
                to: CaseStatus::parse(e.to_value.as_deref()?)?,
            })
        })
        .collect()
}

impl Db {
    /// The satisfaction survey answered for a case, if any: (score 0–100, comment).
    pub async fn survey(&self, id: CaseId) -> StoreResult<Option<(i64, Option<String>)>> {
        Ok(
            sqlx::query_as("SELECT score, comment FROM case_surveys WHERE case_id = $1")
                .bind(id.0)
                .fetch_optional(&self.read)
                .await?,
        )
    }

    /// Records the requester's answer to the satisfaction survey; a case is surveyed once.
    pub async fn answer_survey(
        &self,
        actor: Option<UserId>,
        id: CaseId,
        score: i64,
        comment: Option<&str>,
    ) -> StoreResult<()> {
        if !(0..=100).contains(&score) {
            return Err(StoreError::Invalid("the score must be 0–100".into()));
        }
        let mut tx = self.begin_audited(actor).await?;
        sqlx::query("INSERT INTO case_surveys (case_id, score, comment, answered_at) VALUES ($1, $2, $3, $4)")
            .bind(id.0)
            .bind(score)
            .bind(comment.map(str::trim).filter(|c| !c.is_empty()))
            .bind(tx.now)
            .execute(tx.conn())
            .await
            .map_err(|e| StoreError::on_unique(e, "an answer to the survey"))?;
        tx.commit(
            Change::new(Action::AnswerSurvey, Entity::Case(id))
                .after(serde_json::json!({ "score": score })),
        )
        .await
    }
}
