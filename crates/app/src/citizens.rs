//! Citizens: the public contact form (no login) makes a case at the citizens' service unit,
//! and the citizen follows and answers it through a link with an unguessable token.

use serva_domain::case::{clean_text, BadText, Case, Channel, Message, SUBJECT_MAX, TEXT_MAX};
use serva_domain::contact::{BadContact, NewContact};
use serva_domain::org::Unit;
use serva_domain::CaseId;
use serva_store::StoreError;

use crate::{App, AppError, AppResult, IntakeError, IntakeRequest};

/// What a citizen writes in the public form.
#[derive(Debug, Clone, Default)]
pub struct CitizenContact {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub subject: String,
    pub message: String,
    /// The code of the department the errand is about, if the citizen knows.
    pub department: String,
}

/// Everything wrong with a citizen's form at once.
#[derive(Debug, Default)]
pub struct CitizenInvalid {
    pub contact: Option<BadContact>,
    pub subject: Option<BadText>,
    pub message: Option<BadText>,
    pub department: bool,
}

impl CitizenInvalid {
    fn is_empty(&self) -> bool {
        self.contact.is_none()
            && self.subject.is_none()
            && self.message.is_none()
            && !self.department
    }
}

#[derive(Debug)]
pub enum CitizenRefused {
    Invalid(CitizenInvalid),
    Failed(AppError),
}

impl From<AppError> for CitizenRefused {
    fn from(e: AppError) -> Self {
        CitizenRefused::Failed(e)
    }
}

/// The case made and the token of its follow link (shown once, stored only as a hash).
#[derive(Debug, Clone)]
pub struct CitizenReceipt {
    pub case: Case,
    pub follow_token: String,
}

/// What the follow page shows: the case and the replies, never internal notes.
#[derive(Debug, Clone)]
pub struct FollowedCase {
    pub case: Case,
    pub messages: Vec<Message>,
}

impl App {
    /// The departments a citizen may say the errand is about: the customer units.
    pub async fn citizen_departments(&self) -> AppResult<Vec<Unit>> {
        Ok(self
            .db()
            .units()
            .await?
            .into_iter()
            .filter(|u| u.kind.is_customer())
            .collect())
    }

    /// Makes a case of a citizen's form in `service` (a code; its unit takes the case), on
    /// the web channel, with the citizen as its contact and the department, if given, as its
    /// customer unit.
    pub async fn citizen_contact(
        &self,
        service: &str,
        f: &CitizenContact,
    ) -> Result<CitizenReceipt, CitizenRefused> {
        let mut bad = CitizenInvalid::default();
        let contact = NewContact::new(Some(&f.name), Some(&f.email), Some(&f.phone))
            .map_err(|e| bad.contact = Some(e))
            .ok();
        // A name alone does not let anyone answer: an e-mail address or a phone number is needed.
        if let Some(c) = &contact {
            if c.email.is_none() && c.phone.is_none() {
                bad.contact = Some(BadContact::Empty);
            }
        }
        if let Err(e) = clean_text(&f.subject, SUBJECT_MAX) {
            bad.subject = Some(e);
        }
        if let Err(e) = clean_text(&f.message, TEXT_MAX) {
            bad.message = Some(e);
        }
        let department = f.department.trim();
        let customer_unit = if department.is_empty() {
            None
        } else {
            match self.db().unit_by_code(department).await {
                Ok(u) if u.kind.is_customer() => Some(u.code.as_str().to_string()),
                Ok(_) | Err(StoreError::NotFound(_)) => {
                    bad.department = true;
                    None
                }
                Err(e) => return Err(AppError::from(e).into()),
            }
        };
        if !bad.is_empty() {
            return Err(CitizenRefused::Invalid(bad));
        }
        let svc =
            self.db().service_by_code(service).await.map_err(|e| {
                AppError::Internal(format!("the citizens' service {service:?}: {e}"))
            })?;
        let req = IntakeRequest {
            service: service.to_string(),
            subject: f.subject.clone(),
            description: f.message.clone(),
            channel: Some(Channel::Web),
            requester_name: contact.as_ref().and_then(|c| c.name.clone()),
            customer_unit,
            contact,
            ..Default::default()
        };
        let case = match self.intake_as_unit(svc.unit_id, &req).await {
            Ok(c) => c,
            Err(IntakeError::Failed(e)) => return Err(e.into()),
            // The form's own checks ran above; what is left is the configured service's doing.
            Err(e) => {
                return Err(AppError::Internal(format!(
                    "the citizens' service {service:?} refused a checked form: {e:?}"
                ))
                .into())
            }
        };
        let token = self
            .db()
            .issue_follow_token(case.id, case.contact.as_ref().map(|c| c.id))
            .await
            .map_err(AppError::from)?;
        Ok(CitizenReceipt {
            case,
            follow_token: token,
        })
    }

    /// The case a follow link opens, with its replies (never internal notes).
    pub async fn followed_case(&self, token: &str) -> AppResult<FollowedCase> {
        let id = self.follow_case_id(token).await?;
        let case = self.db().case(id).await?;
        let messages = self.db().messages(id, false).await?;
        Ok(FollowedCase { case, messages })
    }

    /// A reply written on the follow page.
    pub async fn follow_reply(&self, token: &str, body: &str) -> AppResult<Message> {
        let id = self.follow_case_id(token).await?;
        self.add_contact_reply(id, body).await
    }

    async fn follow_case_id(&self, token: &str) -> AppResult<CaseId> {
        match self.db().case_by_follow_token(token).await {
            Ok(id) => Ok(id),
            Err(StoreError::NotFound(_)) => Err(AppError::NotFound("follow link")),
            Err(e) => Err(e.into()),
        }
    }
}
