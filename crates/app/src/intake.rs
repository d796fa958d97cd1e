//! Taking a case in, the same way from the portal, the contact form, the API and (later) mail
//! and chat: who may order what, for which customer, and whether the order is complete.

use std::collections::HashMap;

use serva_domain::access::Principal;
use serva_domain::case::{clean_text, BadText, Case, Channel, SUBJECT_MAX, TEXT_MAX};
use serva_domain::catalogue::{validate_form, FieldError};
use serva_domain::contact::NewContact;
use serva_domain::event::Event;
use serva_domain::role::TargetGroup;
use serva_store::cases::{CaseExtras, NewCase};
use serva_store::mail_in::MailRecord;
use serva_store::StoreError;

use crate::{App, AppError};

/// A case as someone asks for it, before any check.
#[derive(Debug, Default, Clone)]
pub struct IntakeRequest {
    pub service: String,
    pub subject: String,
    pub description: String,
    pub channel: Option<Channel>,
    pub answers: HashMap<String, String>,
    /// For agents registering someone else's contact.
    pub requester_name: Option<String>,
    pub customer_unit: Option<String>,
    pub target_group: Option<TargetGroup>,
    pub resolve_now: bool,
    /// For agents and the system: the person without an account the case is for (checked with
    /// `NewContact::new`); found again by e-mail or phone, or made.
    pub contact: Option<NewContact>,
}

#[derive(Debug)]
pub enum IntakeError {
    /// No service with that code is open for orders.
    UnknownService(String),
    /// The person may not order this (or anything).
    Forbidden(&'static str),
    /// The order is incomplete or wrong; everything wrong is listed.
    Invalid(Invalid),
    /// Anything else (the store failed, the server is shutting down).
    Failed(AppError),
}

/// Everything wrong with an order at once, so it can be corrected in one go.
#[derive(Debug, Default)]
pub struct Invalid {
    pub subject: Option<BadText>,
    pub description: Option<BadText>,
    pub fields: Vec<FieldError>,
    pub other: Vec<String>,
}

impl Invalid {
    fn is_empty(&self) -> bool {
        self.subject.is_none()
            && self.description.is_none()
            && self.fields.is_empty()
            && self.other.is_empty()
    }

    /// One English sentence for the API.
    pub fn message(&self) -> String {
        let mut parts = Vec::new();
        if let Some(e) = &self.subject {
            parts.push(format!("subject {e}"));
        }
        if let Some(e) = &self.description {
            parts.push(format!("description {e}"));
        }
        for f in &self.fields {
            parts.push(format!(
                "field {:?}: {}",
                f.key,
                f.problem.as_str().replace('_', " ")
            ));
        }
        parts.extend(self.other.iter().cloned());
        parts.join("; ")
    }
}

/// The checks of an order that need nothing but the service: subject, description and the
/// order form's fields. A form that found other mistakes of its own shows these as well,
/// without taking anything in; `App::intake` makes the same checks.
pub fn check_order(svc: &serva_domain::catalogue::Service, r: &IntakeRequest) -> Invalid {
    Invalid {
        subject: clean_text(&r.subject, SUBJECT_MAX).err(),
        description: clean_text(&r.description, TEXT_MAX).err(),
        fields: validate_form(&svc.form, &r.answers)
            .err()
            .unwrap_or_default(),
        other: Vec::new(),
    }
}

impl From<StoreError> for IntakeError {
    fn from(e: StoreError) -> Self {
        IntakeError::Failed(e.into())
    }
}

impl App {
    /// Takes a case in for `p`: a customer's own order, or a contact the provider's agent
    /// registers for someone else (phone, visit, e-mail).
    pub async fn intake(&self, p: &Principal, r: &IntakeRequest) -> Result<Case, IntakeError> {
        Ok(self.intake_with_mail(p, r, None).await?.0)
    }

    /// `intake`, and for a case a mail makes (`mail`) its Message-ID and intake log row in
    /// the case's own transaction; the case and the log row's id.
    pub(crate) async fn intake_with_mail(
        &self,
        p: &Principal,
        r: &IntakeRequest,
        mail: Option<MailRecord>,
    ) -> Result<(Case, Option<i64>), IntakeError> {
        let (case, log) = intake(self, p, r, mail).await?;
        self.events().publish(Event::CaseCreated {
            case: case.id,
            unit: case.unit_id,
        });
        Ok((case, log))
    }

    /// Takes a case in that no signed-in person registers: the system on behalf of provider
    /// `unit` (a mail to its mailbox, a chat or a citizen's form). The service must be one of
    /// the unit's; the rules are those of an agent registering a contact.
    pub async fn intake_as_unit(
        &self,
        unit: serva_domain::UnitId,
        r: &IntakeRequest,
    ) -> Result<Case, IntakeError> {
        self.intake(&Principal::system_of(unit), r).await
    }
}

async fn intake(
    app: &App,
    p: &Principal,
    r: &IntakeRequest,
    mail: Option<MailRecord>,
) -> Result<(Case, Option<i64>), IntakeError> {
    let db = app.db();
    let svc = match db.service_by_code(r.service.trim()).await {
        Ok(svc) if svc.active => svc,
        Ok(_) | Err(StoreError::NotFound(_)) => {
            return Err(IntakeError::UnknownService(r.service.clone()))
        }
        Err(e) => return Err(e.into()),
    };
    let provider_side = p.is_provider_of(svc.unit_id);
    // A unit that has ended (or not begun) sells nothing to customers, even by a direct link;
    // its own staff and its mailboxes still bring in what reaches it.
    if !provider_side
        && !db
            .unit(svc.unit_id)
            .await?
            .valid_on(serva_domain::time::today())
    {
        return Err(IntakeError::UnknownService(r.service.clone()));
    }
    let mut bad = Invalid::default();
    let subject = clean_text(&r.subject, SUBJECT_MAX)
        .map_err(|e| bad.subject = Some(e))
        .ok();
    let description = clean_text(&r.description, TEXT_MAX)
        .map_err(|e| bad.description = Some(e))
        .ok();
    // A customer is not asked the internal fields, and what they send for one is not kept.
    let form: Vec<_> = svc
        .form
        .iter()
        .filter(|f| provider_side || !f.internal)
        .cloned()
        .collect();
    let answers = validate_form(&form, &r.answers)
        .map_err(|e| bad.fields = e)
        .ok();
    let channel = r.channel.unwrap_or(Channel::Web);

    let mut taken_by = None;
    let (customer_unit, requester, requester_name, target_group) = if provider_side {
        let customer = match r
            .customer_unit
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            Some(code) => match db.unit_by_code(code).await {
                Ok(u) => Some(u.id),
                Err(StoreError::NotFound(_)) => {
                    bad.other.push(format!("unknown customer unit {code:?}"));
                    None
                }
                Err(e) => return Err(e.into()),
            },
            None => None,
        };
        let name = r
            .requester_name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        if name.as_ref().is_some_and(|n| n.chars().count() > 200) {
            bad.other
                .push("requester_name is longer than 200 characters".into());
        }
        // Registering someone else's contact: they are the requester, not the agent.
        let on_behalf = name.is_some()
            || customer.is_some()
            || r.contact.is_some()
            || channel != Channel::Web
            || p.user.is_none();
        let requester = if on_behalf { None } else { p.user };
        // An agent who registers a call, a visit or a chat has already answered it: the case
        // is theirs and has had its first response, resolved at once or not.
        if on_behalf && channel.is_live() {
            taken_by = p.user;
        }
        let customer = customer.or_else(|| (!on_behalf).then_some(p.home_unit).flatten());
        (customer, requester, name, r.target_group)
    } else {
        let Some((unit, group)) = p.ordering_as() else {
            return Err(IntakeError::Forbidden("you may not order services"));
        };
        if r.resolve_now {
            bad.other
                .push("only the provider's agents can resolve a case at first contact".into());
        }
        if r.customer_unit.is_some() || r.requester_name.is_some() || r.contact.is_some() {
            bad.other
                .push("only the provider's agents can register cases for someone else".into());
        }
        // The channel is where a contact came in, which the provider's agents register; an
        // order of one's own comes in on the web, as it does through the portal.
        if r.channel.is_some_and(|c| c != Channel::Web) {
            bad.other.push(
                "only the provider's agents set the channel; your own order comes in on the web \
                 (leave channel out or send \"web\")"
                    .into(),
            );
        }
        (Some(unit), p.user, None, group)
    };
    if !bad.is_empty() {
        return Err(IntakeError::Invalid(bad));
    }
    // A known contact is found (and completed) now; a new one is made in the case's own
    // transaction, so taking a case in from someone new is one commit.
    let (contact, new_contact) = match &r.contact {
        Some(c) => match db.known_contact(c).await? {
            Some(known) => (Some(known), None),
            None => (None, Some(c.clone())),
        },
        None => (None, None),
    };
    let new = NewCase {
        service: svc.id,
        customer_unit,
        requester,
        requester_name,
        target_group,
        channel,
        subject: subject.unwrap_or_default(),
        description: description.unwrap_or_default(),
        answers: answers.unwrap_or_default(),
        resolve_now: r.resolve_now && provider_side,
        contact,
    };
    if taken_by.is_some() && mail.is_some() {
        // Only a contact an agent answers live is taken at once; a mail never is.
        return Err(IntakeError::Failed(AppError::invalid(
            "a mail is not a contact taken live",
        )));
    }
    let extras = CaseExtras {
        taken: taken_by.is_some(),
        new_contact,
        mail,
    };
    Ok(db
        .create_case_with(taken_by.or(p.user), &svc, &new, extras)
        .await?)
}

impl App {
    /// What the agent's contact form offers: the services of the units `p` works, and the
    /// customer units (departments, companies, the municipality).
    pub async fn contact_choices(
        &self,
        p: &Principal,
    ) -> Result<
        (
            Vec<serva_domain::catalogue::Service>,
            Vec<serva_domain::org::Unit>,
        ),
        AppError,
    > {
        if !p.registers_contacts() {
            return Err(AppError::NotFound("contact form"));
        }
        let db = self.db();
        let services = db
            .services(&serva_store::catalogue::ServiceFilter::default())
            .await?
            .into_iter()
            .filter(|svc| p.is_provider_of(svc.unit_id))
            .collect();
        let today = serva_domain::time::today();
        let customers = db
            .units()
            .await?
            .into_iter()
            .filter(|u| {
                (u.kind.is_customer() || u.kind == serva_domain::org::UnitKind::Municipality)
                    && u.valid_on(today)
            })
            .collect();
        Ok((services, customers))
    }
}
