//! The public contact form's rate limit: posts per client address in a sliding window, kept in
//! the database so every app node counts the same posts.

use crate::{Db, StoreResult};

impl Db {
    /// Counts a post of the public form from `client` at `now` (ms, UTC) unless `client` has
    /// made `limit` posts within `window_ms` already; answers whether the post may go ahead.
    /// Rows older than the window go as new posts come.
    pub async fn take_public_form_post(
        &self,
        client: &str,
        now: i64,
        window_ms: i64,
        limit: i64,
    ) -> StoreResult<bool> {
        let mut tx = self.write.begin().await?;
        sqlx::query("DELETE FROM public_form_posts WHERE at < $1")
            .bind(now - window_ms)
            .execute(&mut *tx)
            .await?;
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM public_form_posts WHERE client = $1")
                .bind(client)
                .fetch_one(&mut *tx)
                .await?;
        if n >= limit {
            tx.commit().await?;
            return Ok(false);
        }
        sqlx::query("INSERT INTO public_form_posts (client, at) VALUES ($1, $2)")
            .bind(client)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }
}
