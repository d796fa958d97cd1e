//! Contacts, each provider unit's mailbox address, and follow links for people without an
//! account.

use serva_domain::contact::{Contact, NewContact};
use serva_domain::{CaseId, ContactId, UnitId};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use crate::audit::{Action, Change, Entity};
use crate::secrets::{random_token, sha256_hex};
use crate::{Db, StoreError, StoreResult};

pub(crate) struct ContactRow(pub Contact);

impl<'r> FromRow<'r, AnyRow> for ContactRow {
    fn from_row(r: &'r AnyRow) -> Result<Self, sqlx::Error> {
        Ok(ContactRow(Contact {
            id: ContactId(r.try_get("id")?),
            name: r.try_get("name")?,
            email: r.try_get("email")?,
            phone: r.try_get("phone")?,
        }))
    }
}

const CONTACT_COLUMNS: &str = "SELECT id, name, email, phone FROM contacts";

/// The contact with `c`'s e-mail address, else (when it has none) with its phone number.
async fn find_contact_on(
    conn: &mut sqlx::AnyConnection,
    c: &NewContact,
) -> StoreResult<Option<Contact>> {
    let (column, key) = match (c.email_key(), c.phone_key()) {
        (Some(k), _) => ("email_key", k),
        (None, Some(k)) => ("phone_key", k),
        (None, None) => return Ok(None),
    };
    Ok(sqlx::query_as::<_, ContactRow>(&format!(
        "{CONTACT_COLUMNS} WHERE {column} = $1 ORDER BY id DESC LIMIT 1"
    ))
    .bind(key)
    .fetch_optional(conn)
    .await?
    .map(|r| r.0))
}

/// Makes contact `c` in the caller's transaction (a new case's), with its audit row for the
/// caller to write with the case's (as `find_or_create_contact` audits it); one made meanwhile
/// with the same address is used instead, and needs none.
pub(crate) async fn make_contact_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    c: &NewContact,
    now: i64,
) -> StoreResult<(Contact, Option<crate::bulk::AuditRow>)> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO contacts (name, email, email_key, phone, phone_key, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (email_key) DO NOTHING RETURNING id",
    )
    .bind(c.name.as_deref())
    .bind(c.email.as_deref())
    .bind(c.email_key())
    .bind(c.phone.as_deref())
    .bind(c.phone_key())
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(id) = id else {
        let found = find_contact_on(tx, c)
            .await?
            .ok_or(StoreError::NotFound("contact"))?;
        return Ok((found, None));
    };
    let entity = Entity::Contact(id);
    let after = serde_json::json!({ "name": c.name, "email": c.email, "phone": c.phone });
    let audit = crate::bulk::AuditRow {
        at: now,
        actor_id: None,
        action: Action::Create.as_str(),
        entity: entity.kind(),
        entity_id: entity.id().into(),
        before_json: None,
        after_json: Some(after.to_string().into()),
    };
    let contact = Contact {
        id: ContactId(id),
        name: c.name.clone(),
        email: c.email.clone(),
        phone: c.phone.clone(),
    };
    Ok((contact, Some(audit)))
}

impl Db {
    pub async fn contact(&self, id: ContactId) -> StoreResult<Contact> {
        sqlx::query_as::<_, ContactRow>(&format!("{CONTACT_COLUMNS} WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.read)
            .await?
            .map(|r| r.0)
            .ok_or(StoreError::NotFound("contact"))
    }

    /// The contact someone is, found by e-mail address, else (when no address is given) by
    /// phone number, or made. What the new details add (a name, a phone number) is written to
    /// the contact found; nothing known is overwritten.
    pub async fn find_or_create_contact(&self, c: &NewContact) -> StoreResult<Contact> {
        if let Some(found) = self.find_contact(c).await? {
            return self.complete_contact(found, c).await;
        }
        let mut tx = self.begin_audited(None).await?;
        let now = tx.now;
        // Two intakes from one new address at once: the second insert does nothing and the
        // contact the first made is used.
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO contacts (name, email, email_key, phone, phone_key, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (email_key) DO NOTHING RETURNING id",
        )
        .bind(c.name.as_deref())
        .bind(c.email.as_deref())
        .bind(c.email_key())
        .bind(c.phone.as_deref())
        .bind(c.phone_key())
        .bind(now)
        .fetch_optional(tx.conn())
        .await?;
        let Some(id) = id else {
            drop(tx);
            let found = self
                .find_contact(c)
                .await?
                .ok_or(StoreError::NotFound("contact"))?;
            return self.complete_contact(found, c).await;
        };
        tx.commit(
            Change::new(Action::Create, Entity::Contact(id)).after(serde_json::json!({
                "name": c.name, "email": c.email, "phone": c.phone,
            })),
        )
        .await?;
        self.contact(ContactId(id)).await
    }

    /// The contact someone is, if known (found as `find_or_create_contact` finds it, and
    /// completed the same way); `None` when a new one is to be made, which
    /// `cases::CaseExtras::new_contact` does in the new case's own transaction.
    pub async fn known_contact(&self, c: &NewContact) -> StoreResult<Option<Contact>> {
        match self.find_contact(c).await? {
            Some(found) => Ok(Some(self.complete_contact(found, c).await?)),
            None => Ok(None),
        }
    }

    async fn find_contact(&self, c: &NewContact) -> StoreResult<Option<Contact>> {
        let mut conn = self.read.acquire().await?;
        find_contact_on(&mut conn, c).await
    }

    async fn complete_contact(&self, found: Contact, c: &NewContact) -> StoreResult<Contact> {
        let add = |known: &Option<String>, given: &Option<String>| {
            if known.is_none() {
                given.clone()
            } else {
                None
            }
        };
        let (name, email, phone) = (
            add(&found.name, &c.name),
            add(&found.email, &c.email),
            add(&found.phone, &c.phone),
        );
        if name.is_none() && email.is_none() && phone.is_none() {
            return Ok(found);
        }
        let mut tx = self.begin_audited(None).await?;
        let now = tx.now;
        let email_key = email.as_deref().map(serva_domain::contact::email_key);
        let phone_key = phone.as_deref().and_then(serva_domain::contact::phone_key);
        let done = sqlx::query(
            "UPDATE contacts SET name = COALESCE(name, $1), email = COALESCE(email, $2), \
             email_key = COALESCE(email_key, $3), phone = COALESCE(phone, $4), \
             phone_key = COALESCE(phone_key, $5), updated_at = $6 WHERE id = $7",
        )
        .bind(name.as_deref())
        .bind(email.as_deref())
        .bind(email_key)
        .bind(phone.as_deref())
        .bind(phone_key)
        .bind(now)
        .bind(found.id.0)
        .execute(tx.conn())
        .await;
        match done {
            Ok(_) => {}
            // The address belongs to another contact already: keep the two apart.
            Err(sqlx::Error::Database(d)) if d.is_unique_violation() => return Ok(found),
            Err(e) => return Err(e.into()),
        }
        tx.commit(
            Change::new(Action::Update, Entity::Contact(found.id.0))
                .before(serde_json::json!({
                    "name": found.name, "email": found.email, "phone": found.phone,
                }))
                .after(serde_json::json!({ "name": name, "email": email, "phone": phone })),
        )
        .await?;
        self.contact(found.id).await
    }

    /// The provider unit whose mailbox `address` is (case-insensitive).
    pub async fn unit_by_mail_address(&self, address: &str) -> StoreResult<UnitId> {
        sqlx::query_scalar::<_, i64>("SELECT id FROM units WHERE mail_address = $1")
            .bind(address.trim().to_lowercase())
            .fetch_optional(&self.read)
            .await?
            .map(UnitId)
            .ok_or(StoreError::NotFound("mailbox"))
    }

    /// The unit's mailbox address, if it has one.
    pub async fn unit_mail_address(&self, unit: UnitId) -> StoreResult<Option<String>> {
        sqlx::query_scalar::<_, Option<String>>("SELECT mail_address FROM units WHERE id = $1")
            .bind(unit.0)
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound("unit"))
    }

    /// Every unit's mailbox address: (unit id, unit code, unit name, address).
    pub async fn mail_addresses(&self) -> StoreResult<Vec<(UnitId, String, String, String)>> {
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT id, code, name, mail_address FROM units WHERE mail_address IS NOT NULL ORDER BY code",
        )
        .fetch_all(&self.read)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, code, name, a)| (UnitId(id), code, name, a))
            .collect())
    }

    /// Sets (or with `None` removes) a unit's mailbox address, kept in lower case.
    pub async fn set_unit_mail_address(
        &self,
        actor: Option<serva_domain::UserId>,
        unit: UnitId,
        address: Option<&str>,
    ) -> StoreResult<()> {
        let address = address.map(|a| a.trim().to_lowercase());
        let mut tx = self.begin_audited(actor).await?;
        let n = sqlx::query("UPDATE units SET mail_address = $1 WHERE id = $2")
            .bind(address.as_deref())
            .bind(unit.0)
            .execute(tx.conn())
            .await
            .map_err(|e| StoreError::on_unique(e, "a unit with that mailbox address"))?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound("unit"));
        }
        tx.commit(
            Change::new(Action::Update, Entity::Unit(unit))
                .after(serde_json::json!({ "mail_address": address })),
        )
        .await
    }

    /// A new link for following `case` without an account: returns the token, keeps only its
    /// SHA-256. Each call makes another token; all of them stay valid.
    pub async fn issue_follow_token(
        &self,
        case: CaseId,
        contact: Option<ContactId>,
    ) -> StoreResult<String> {
        let token = random_token();
        sqlx::query(
            "INSERT INTO case_follow_tokens (token_hash, case_id, contact_id, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(sha256_hex(&token))
        .bind(case.0)
        .bind(contact.map(|c| c.0))
        .bind(serva_domain::time::now_ms())
        .execute(&self.write)
        .await
        .map_err(|e| StoreError::on_unique(e, "follow link"))?;
        Ok(token)
    }

    /// The case a follow link opens.
    pub async fn case_by_follow_token(&self, token: &str) -> StoreResult<CaseId> {
        if token.is_empty() || token.len() > 100 {
            return Err(StoreError::NotFound("follow link"));
        }
        sqlx::query_scalar::<_, i64>("SELECT case_id FROM case_follow_tokens WHERE token_hash = $1")
            .bind(sha256_hex(token))
            .fetch_optional(&self.read)
            .await?
            .map(CaseId)
            .ok_or(StoreError::NotFound("follow link"))
    }
}
