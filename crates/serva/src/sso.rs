//! The single sign-on options of `serva serve` (docs/sso.md), and turning them into the
//! application's `Sso`: the mapping file is read and its units checked before Serva serves.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use clap::Args;
use serva_app::sso::{read_mapping, read_secret_file, Sso, SsoSettings};
use serva_domain::sso::GrantMapping;

/// The environment variable a client secret may come in (never a flag: flags show in `ps`).
pub const SECRET_ENV: &str = "SERVA_OIDC_CLIENT_SECRET";

#[derive(Args, Debug, Clone, Default)]
pub struct SsoArgs {
    /// Single sign-on: the OpenID Connect provider's issuer URL (discovery reads
    /// <issuer>/.well-known/openid-configuration). The client secret, if any, comes from
    /// the environment variable SERVA_OIDC_CLIENT_SECRET or --oidc-client-secret-file.
    #[arg(long, env = "SERVA_OIDC_ISSUER", requires_all = ["oidc_client_id", "oidc_redirect_url"])]
    pub oidc_issuer: Option<String>,
    /// The client id Serva is registered under at the provider.
    #[arg(long, env = "SERVA_OIDC_CLIENT_ID", requires = "oidc_issuer")]
    pub oidc_client_id: Option<String>,
    /// A file holding the client secret (for example a mounted secret).
    #[arg(long, env = "SERVA_OIDC_CLIENT_SECRET_FILE", requires = "oidc_issuer")]
    pub oidc_client_secret_file: Option<PathBuf>,
    /// Serva's callback as registered at the provider: https://<host>/login/sso/callback.
    #[arg(long, env = "SERVA_OIDC_REDIRECT_URL", requires = "oidc_issuer")]
    pub oidc_redirect_url: Option<String>,
    /// The provider's name on the login page ("Logga in med <name>"); the issuer's host name
    /// when not given.
    #[arg(long, env = "SERVA_OIDC_NAME", requires = "oidc_issuer")]
    pub oidc_name: Option<String>,
    /// The mapping file (TOML, or JSON when it ends in .json) from the provider's groups to
    /// Serva's roles. Without it, people get accounts but no roles.
    #[arg(long, env = "SERVA_OIDC_MAPPING", requires = "oidc_issuer")]
    pub oidc_mapping: Option<PathBuf>,
    /// How often the provider's metadata and signing keys are fetched again, in minutes (they
    /// are fetched at once, too, when a token is signed with a key Serva does not have).
    #[arg(long, env = "SERVA_OIDC_KEY_REFRESH_MINUTES", default_value_t = 60)]
    pub oidc_key_refresh_minutes: u64,
}

/// The configured single sign-on, or `None` without `--oidc-issuer`. Checks the mapping's
/// units against the database, so a mistake stops the start rather than a sign-in.
pub async fn configure(args: &SsoArgs, db: &serva_store::Db) -> anyhow::Result<Option<Arc<Sso>>> {
    let Some(issuer) = args.oidc_issuer.clone() else {
        return Ok(None);
    };
    let secret = match (
        &args.oidc_client_secret_file,
        std::env::var(SECRET_ENV).ok(),
    ) {
        (Some(path), _) => Some(read_secret_file(path).map_err(anyhow::Error::msg)?),
        (None, Some(s)) if !s.is_empty() => Some(s),
        (None, _) => None,
    };
    let mapping = match &args.oidc_mapping {
        Some(path) => read_mapping(path).map_err(anyhow::Error::msg)?,
        None => GrantMapping::default(),
    };
    let units = db
        .units()
        .await
        .context("reading the units for the SSO mapping")?;
    for rule in &mapping.rules {
        if let Some(code) = &rule.unit {
            if !units.iter().any(|u| &u.code == code) {
                bail!("the SSO mapping gives group {:?} a role on unit {code:?}, which does not exist", rule.group);
            }
        }
    }
    if args.oidc_key_refresh_minutes == 0 {
        bail!("--oidc-key-refresh-minutes must be at least 1");
    }
    let name = args.oidc_name.clone().unwrap_or_else(|| {
        issuer
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split(['/', ':']).next())
            .unwrap_or(&issuer)
            .to_string()
    });
    let settings = SsoSettings {
        issuer,
        client_id: args
            .oidc_client_id
            .clone()
            .context("--oidc-client-id is needed with --oidc-issuer")?,
        client_secret: secret,
        redirect_url: args
            .oidc_redirect_url
            .clone()
            .context("--oidc-redirect-url is needed with --oidc-issuer")?,
        name,
        mapping,
        key_refresh: Duration::from_secs(args.oidc_key_refresh_minutes * 60),
    };
    Ok(Some(Arc::new(
        Sso::new(settings).map_err(anyhow::Error::msg)?,
    )))
}
