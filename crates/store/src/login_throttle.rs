//! The password sign-in counters of [`serva_domain::login_throttle`], kept in the database so
//! that every app node counts the same attempts.

use serva_domain::login_throttle::{attempt, Counter, Subject, Verdict};
use serva_domain::UserId;

use crate::audit::{Action, Change, Entity};
use crate::db::Backend;
use crate::{Db, StoreResult};

/// A counter that pauses sign-in now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginPause {
    pub subject: Subject,
    pub attempts: u32,
    /// Unix seconds.
    pub paused_until: i64,
}

/// How long stale counters are kept (the longest window of any counter).
const FORGET_AFTER_SECS: i64 = 15 * 60;

impl Db {
    /// Counts one password attempt on every counter in `subjects` (in their order, which is the
    /// lock order), in one transaction: either all are counted and the password may be checked
    /// (`Ok(())`), or none is and the attempt must wait (`Err(seconds)`, the longest pause).
    pub async fn count_login_attempt(
        &self,
        subjects: &[Subject],
        now: i64,
    ) -> StoreResult<Result<(), i64>> {
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE",
            // SQLite: the INSERT below already holds the database's write lock.
            Backend::Sqlite => "",
        };
        let select = format!(
            "SELECT attempts, window_start, paused_until FROM login_throttle WHERE key = $1{lock}"
        );
        let mut tx = self.write.begin().await?;
        let mut counted = Vec::with_capacity(subjects.len());
        let mut wait = 0;
        for s in subjects {
            let key = s.key();
            sqlx::query(
                "INSERT INTO login_throttle (key, username, attempts, window_start, paused_until) \
                 VALUES ($1, $2, 0, $3, NULL) ON CONFLICT (key) DO NOTHING",
            )
            .bind(&key)
            .bind(s.username())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let (attempts, window_start, paused_until): (i64, i64, Option<i64>) =
                sqlx::query_as(&select)
                    .bind(&key)
                    .fetch_one(&mut *tx)
                    .await?;
            let counter = (attempts > 0 || paused_until.is_some()).then_some(Counter {
                attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                window_start,
                paused_until,
            });
            match attempt(counter, s.limits(), now) {
                Verdict::Go(c) => counted.push((key, c)),
                Verdict::Wait(w) => wait = wait.max(w),
            }
        }
        if wait > 0 {
            tx.rollback().await?;
            return Ok(Err(wait));
        }
        for (key, c) in counted {
            sqlx::query(
                "UPDATE login_throttle SET attempts = $1, window_start = $2, paused_until = $3 WHERE key = $4",
            )
            .bind(i64::from(c.attempts))
            .bind(c.window_start)
            .bind(c.paused_until)
            .bind(key)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        self.forget_stale_login_counters(now).await?;
        Ok(Ok(()))
    }

    /// After a right password: the account's counters are cleared and the address gets its one
    /// attempt back, so only failures count against an address shared by an office.
    pub async fn login_succeeded(&self, subjects: &[Subject]) -> StoreResult<()> {
        let mut tx = self.write.begin().await?;
        for s in subjects {
            let sql = match s {
                Subject::Address(_) => {
                    "UPDATE login_throttle SET attempts = attempts - 1 WHERE key = $1 AND attempts > 0"
                }
                Subject::Account(_) | Subject::AccountFrom(..) => {
                    "DELETE FROM login_throttle WHERE key = $1"
                }
            };
            sqlx::query(sql).bind(s.key()).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn forget_stale_login_counters(&self, now: i64) -> StoreResult<()> {
        let before = now - FORGET_AFTER_SECS;
        sqlx::query(
            "DELETE FROM login_throttle WHERE window_start < $1 AND (paused_until IS NULL OR paused_until < $1)",
        )
        .bind(before)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// The counters that pause sign-in at `now`, longest pause first (at most 500).
    pub async fn login_pauses(&self, now: i64) -> StoreResult<Vec<LoginPause>> {
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT key, attempts, paused_until FROM login_throttle \
             WHERE paused_until > $1 ORDER BY paused_until DESC, key LIMIT 500",
        )
        .bind(now)
        .fetch_all(&self.read)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(key, attempts, until)| {
                Some(LoginPause {
                    subject: Subject::parse(&key)?,
                    attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                    paused_until: until,
                })
            })
            .collect())
    }

    /// Lifts the pauses of an account (every counter of it, from any address) or of one client
    /// address. Returns how many counters were removed.
    pub async fn lift_login_pause(
        &self,
        actor: Option<UserId>,
        subject: &Subject,
    ) -> StoreResult<u64> {
        let mut tx = self.begin_audited(actor).await?;
        let (removed, name) = match subject {
            Subject::Account(u) | Subject::AccountFrom(u, _) => {
                let r = sqlx::query("DELETE FROM login_throttle WHERE username = $1")
                    .bind(u)
                    .execute(tx.conn())
                    .await?;
                (r.rows_affected(), u.clone())
            }
            Subject::Address(_) => {
                let key = subject.key();
                let r = sqlx::query("DELETE FROM login_throttle WHERE key = $1")
                    .bind(&key)
                    .execute(tx.conn())
                    .await?;
                (r.rows_affected(), key)
            }
        };
        tx.commit(
            Change::new(Action::LiftLock, Entity::LoginLock(name))
                .after(serde_json::json!({ "counters": removed })),
        )
        .await?;
        Ok(removed)
    }
}
