//! The identity provider, as Serva talks to it: discovery, its signing keys (fetched again when
//! a token names a key Serva does not have, and on a schedule), the authorization request with
//! PKCE, state and nonce, the code exchange, ID-token validation and the user-info endpoint.
//! All of it through the `openidconnect` crate; nothing here knows about Serva's accounts.

use std::collections::HashMap;
use std::str::FromStr;
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreJsonWebKeySet,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata,
};
use openidconnect::{
    AccessToken, AdditionalClaims, AuthorizationCode, ClaimsVerificationError, ClientId,
    ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdToken, IdTokenClaims,
    IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
    RequestTokenError, Scope, SignatureVerificationError, TokenResponse, UserInfoClaims,
};
use serde::{Deserialize, Serialize};
use tokio::sync::{Mutex, RwLock};

use super::{SsoFailure, SsoSettings};

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Every claim besides the standard ones, so the groups claim can be any the operator names.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OtherClaims {
    #[serde(flatten)]
    pub claims: HashMap<String, serde_json::Value>,
}

impl AdditionalClaims for OtherClaims {}

type Token = IdToken<
    OtherClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

/// What the provider told about the person, once the ID token was found valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedPerson {
    pub issuer: String,
    pub subject: String,
    pub preferred_username: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    /// The values of the groups claim (none when the provider sent no such claim).
    pub groups: Vec<String>,
}

/// The start of a sign-in: where to send the browser, and what to keep until it returns.
pub struct Authorization {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

#[derive(Clone)]
struct Discovered {
    metadata: CoreProviderMetadata,
    fetched: Instant,
}

/// The provider: its settings, an HTTP client, and its metadata and keys as last fetched.
pub struct Provider {
    settings: SsoSettings,
    issuer: IssuerUrl,
    redirect: RedirectUrl,
    http: reqwest::Client,
    discovered: RwLock<Option<Discovered>>,
    /// Held while fetching, so a burst of sign-ins after a key change fetches once.
    fetching: Mutex<()>,
}

impl Provider {
    pub fn new(settings: SsoSettings) -> Result<Provider, String> {
        let issuer = IssuerUrl::new(settings.issuer.clone())
            .map_err(|e| format!("the OIDC issuer {:?} is not a URL: {e}", settings.issuer))?;
        let redirect = RedirectUrl::new(settings.redirect_url.clone()).map_err(|e| {
            format!(
                "the OIDC redirect URL {:?} is not a URL: {e}",
                settings.redirect_url
            )
        })?;
        let http = reqwest::ClientBuilder::new()
            // A provider that redirects its token or key endpoints elsewhere is refused, as
            // the openidconnect crate advises (no SSRF through the provider's answers).
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| format!("building the HTTP client for the provider: {e}"))?;
        Ok(Provider {
            settings,
            issuer,
            redirect,
            http,
            discovered: RwLock::new(None),
            fetching: Mutex::new(()),
        })
    }

    pub fn settings(&self) -> &SsoSettings {
        &self.settings
    }

    /// The provider's metadata and keys: fetched when missing or older than the refresh
    /// interval. When the provider cannot be reached, metadata fetched before is used.
    async fn metadata(&self) -> Result<Discovered, SsoFailure> {
        if let Some(d) = self.discovered.read().await.clone() {
            if d.fetched.elapsed() < self.settings.key_refresh {
                return Ok(d);
            }
        }
        match self.refetch(None).await {
            Ok(d) => Ok(d),
            Err(e) => match self.discovered.read().await.clone() {
                Some(stale) => {
                    tracing::warn!(error = %e, "could not refresh the identity provider's metadata; using what was fetched before");
                    Ok(stale)
                }
                None => Err(e),
            },
        }
    }

    /// Fetches the metadata and keys again (discovery, then the JWKS), unless someone else did
    /// since `seen` (the fetch time of the metadata the caller found wanting).
    async fn refetch(&self, seen: Option<Instant>) -> Result<Discovered, SsoFailure> {
        let _one_at_a_time = self.fetching.lock().await;
        if let Some(d) = self.discovered.read().await.clone() {
            let newer = seen.is_some_and(|s| d.fetched > s);
            if newer || (seen.is_none() && d.fetched.elapsed() < self.settings.key_refresh) {
                return Ok(d);
            }
        }
        let metadata = CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| {
                SsoFailure::Unavailable(format!(
                    "discovery at {}: {}",
                    self.issuer.as_str(),
                    error_chain(&e)
                ))
            })?;
        let d = Discovered {
            metadata,
            fetched: Instant::now(),
        };
        tracing::info!(issuer = %self.issuer.as_str(), keys = d.metadata.jwks().keys().len(), "fetched the identity provider's metadata and keys");
        *self.discovered.write().await = Some(d.clone());
        Ok(d)
    }

    /// Fetches only the keys again, after a token named a key Serva did not have.
    async fn refetch_keys(&self, seen: Instant) -> Result<Discovered, SsoFailure> {
        let _one_at_a_time = self.fetching.lock().await;
        let Some(mut d) = self.discovered.read().await.clone() else {
            drop(_one_at_a_time);
            return self.refetch(None).await;
        };
        if d.fetched > seen {
            return Ok(d);
        }
        let keys = CoreJsonWebKeySet::fetch_async(d.metadata.jwks_uri(), &self.http)
            .await
            .map_err(|e| {
                SsoFailure::Unavailable(format!(
                    "fetching the provider's keys: {}",
                    error_chain(&e)
                ))
            })?;
        tracing::info!(keys = keys.keys().len(), "fetched the identity provider's keys again: a token was signed with a key Serva did not have");
        d.metadata = d.metadata.set_jwks(keys);
        d.fetched = Instant::now();
        *self.discovered.write().await = Some(d.clone());
        Ok(d)
    }

    fn client(&self, d: &Discovered) -> Client {
        CoreClient::from_provider_metadata(
            d.metadata.clone(),
            ClientId::new(self.settings.client_id.clone()),
            self.settings.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(self.redirect.clone())
    }

    /// The authorization request: code flow, PKCE (S256), a fresh state and nonce.
    pub async fn authorize(&self) -> Result<Authorization, SsoFailure> {
        let d = self.metadata().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = self
            .client(&d)
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scopes(self.settings.mapping.scopes.iter().cloned().map(Scope::new))
            .set_pkce_challenge(challenge)
            .url();
        Ok(Authorization {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Exchanges the code (with the PKCE verifier), validates the ID token — signature,
    /// issuer, audience, expiry, nonce — and reads the person's claims, from the user-info
    /// endpoint too when the ID token lacks the groups, a username or a name.
    pub async fn redeem(
        &self,
        code: &str,
        pkce_verifier: &str,
        nonce: &str,
    ) -> Result<VerifiedPerson, SsoFailure> {
        let d = self.metadata().await?;
        let client = self.client(&d);
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| {
                SsoFailure::Unavailable(format!("the provider has no token endpoint: {e}"))
            })?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_string()))
            .request_async(&self.http)
            .await
            .map_err(|e| match e {
                RequestTokenError::ServerResponse(r) => SsoFailure::Rejected(format!(
                    "the provider refused the code: {}{}",
                    r.error().as_ref(),
                    r.error_description()
                        .map(|d| format!(" ({d})"))
                        .unwrap_or_default()
                )),
                other => {
                    SsoFailure::Unavailable(format!("exchanging the code: {}", error_chain(&other)))
                }
            })?;
        let raw = response
            .id_token()
            .ok_or_else(|| SsoFailure::Rejected("the provider sent no ID token".into()))?
            .to_string();
        let token = Token::from_str(&raw)
            .map_err(|e| SsoFailure::Rejected(format!("the ID token is unreadable: {e}")))?;
        let nonce = Nonce::new(nonce.to_string());
        let claims = match token.claims(&client.id_token_verifier(), &nonce) {
            Ok(c) => c.clone(),
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) => {
                // The provider signs with a key Serva has not seen: it rotated its keys.
                let d = self.refetch_keys(d.fetched).await?;
                token
                    .claims(&self.client(&d).id_token_verifier(), &nonce)
                    .map_err(rejected_token)?
                    .clone()
            }
            Err(e) => return Err(rejected_token(e)),
        };
        let mut person = person_of(&claims, &self.settings.mapping.groups_claim);
        let groups_claim = &self.settings.mapping.groups_claim;
        let incomplete = !claims.additional_claims().claims.contains_key(groups_claim)
            || (person.preferred_username.is_none() && person.email.is_none())
            || person.name.is_none();
        if incomplete && client.user_info_url().is_some() {
            let info: UserInfoClaims<OtherClaims, CoreGenderClaim> = client
                .user_info(
                    AccessToken::new(response.access_token().secret().clone()),
                    Some(claims.subject().clone()),
                )
                .map_err(|e| SsoFailure::Unavailable(format!("user info: {e}")))?
                .request_async(&self.http)
                .await
                .map_err(|e| {
                    SsoFailure::Rejected(format!("the user-info answer: {}", error_chain(&e)))
                })?;
            fill_from_user_info(&mut person, &info, groups_claim);
        }
        Ok(person)
    }
}

fn rejected_token(e: ClaimsVerificationError) -> SsoFailure {
    SsoFailure::Rejected(format!("the ID token is not valid: {e}"))
}

/// An error with its causes, for the log ("Request failed: connection refused").
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// A claim's values as strings: an array of strings, or one string.
fn strings(v: Option<&serde_json::Value>) -> Option<Vec<String>> {
    match v? {
        serde_json::Value::Array(a) => Some(
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
        ),
        serde_json::Value::String(s) => Some(vec![s.clone()]),
        _ => None,
    }
}

fn person_of(c: &IdTokenClaims<OtherClaims, CoreGenderClaim>, groups: &str) -> VerifiedPerson {
    VerifiedPerson {
        issuer: c.issuer().as_str().to_string(),
        subject: c.subject().as_str().to_string(),
        preferred_username: c.preferred_username().map(|u| u.as_str().to_string()),
        email: c.email().map(|e| e.as_str().to_string()),
        name: c
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_string()),
        groups: strings(c.additional_claims().claims.get(groups)).unwrap_or_default(),
    }
}

fn fill_from_user_info(
    p: &mut VerifiedPerson,
    info: &UserInfoClaims<OtherClaims, CoreGenderClaim>,
    groups: &str,
) {
    if let Some(g) = strings(info.additional_claims().claims.get(groups)) {
        p.groups = g;
    }
    if p.preferred_username.is_none() {
        p.preferred_username = info.preferred_username().map(|u| u.as_str().to_string());
    }
    if p.email.is_none() {
        p.email = info.email().map(|e| e.as_str().to_string());
    }
    if p.name.is_none() {
        p.name = info
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_string());
    }
}
