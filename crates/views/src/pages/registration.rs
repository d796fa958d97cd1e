//! The agent's contact registration (`/contacts/new`): a call, a desk visit, a chat or an
//! e-mail registered in one step, with the chosen service's own order-form fields. Without
//! JavaScript the service is chosen first (a GET form), then its form is shown.

use std::collections::HashMap;

use maud::{html, Markup};
use serva_domain::case::Channel;
use serva_domain::catalogue::{FieldError, Service};
use serva_domain::org::Unit;
use serva_domain::role::TargetGroup;

use crate::layout::page;
use crate::pages::portal::{order_fields, text_input};
use crate::widgets::{channel_label, field_problem, option, target_group_label};
use crate::Ctx;

/// A field of the contact form itself (the service's own fields are `FieldError`s).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactField {
    Service,
    Channel,
    Name,
    Phone,
    Email,
    CustomerUnit,
    TargetGroup,
    Subject,
    Description,
    /// Something about the whole registration, shown in the summary only.
    Whole,
}

impl ContactField {
    /// The id of the field's input on the page (the summary links to it).
    pub fn id(self) -> &'static str {
        match self {
            ContactField::Service => "service",
            ContactField::Channel => "channel",
            ContactField::Name => "requester_name",
            ContactField::Phone => "contact_phone",
            ContactField::Email => "contact_email",
            ContactField::CustomerUnit => "customer_unit",
            ContactField::TargetGroup => "target_group",
            ContactField::Subject => "subject",
            ContactField::Description => "description",
            ContactField::Whole => "",
        }
    }

    fn label(self, cx: &Ctx) -> &'static str {
        match self {
            ContactField::Service => cx.t("Tjänst", "Service"),
            ContactField::Channel => cx.t("Kanal", "Channel"),
            ContactField::Name => cx.t("Namn", "Name"),
            ContactField::Phone => cx.t("Telefon", "Phone"),
            ContactField::Email => cx.t("E-post", "E-mail"),
            ContactField::CustomerUnit => cx.t(
                "Kundförvaltning eller bolag",
                "Customer department or company",
            ),
            ContactField::TargetGroup => cx.t("Målgrupp", "Target group"),
            ContactField::Subject => cx.t("Rubrik", "Subject"),
            ContactField::Description => cx.t("Beskrivning", "Description"),
            ContactField::Whole => "",
        }
    }
}

/// Values typed into the contact form, to show again with errors.
#[derive(Default)]
pub struct ContactInput {
    pub service: String,
    pub channel: String,
    pub requester_name: String,
    pub contact_phone: String,
    pub contact_email: String,
    pub customer_unit: String,
    pub target_group: String,
    pub subject: String,
    pub description: String,
    /// The service's own fields, by key.
    pub answers: HashMap<String, String>,
    pub resolve_now: bool,
    pub errors: Vec<(ContactField, String)>,
    pub field_errors: Vec<FieldError>,
}

impl ContactInput {
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty() || !self.field_errors.is_empty()
    }

    fn error(&self, f: ContactField) -> Option<&str> {
        self.errors
            .iter()
            .find(|(k, _)| *k == f)
            .map(|(_, m)| m.as_str())
    }
}

/// Registering a phone call, desk visit, chat or e-mail: first the service, then its form.
/// `chosen` is the service whose form is shown, if one is chosen.
pub fn contact_page(
    cx: &Ctx,
    services: &[Service],
    customers: &[Unit],
    chosen: Option<&Service>,
    input: &ContactInput,
) -> Markup {
    let err = |f: ContactField| input.error(f);
    let invalid = |f: ContactField| err(f).map(|_| "true");
    let described = |f: ContactField| err(f).map(|_| format!("{}-error", f.id()));
    let error_text = |f: ContactField| {
        html! { @if let Some(e) = err(f) { span.error-text id={(f.id()) "-error"} { (e) } } }
    };
    let chosen_code = chosen.map(|s| s.code.as_str()).unwrap_or("");
    page(
        cx,
        cx.t("Registrera kontakt", "Register a contact"),
        html! {
            @if input.has_errors() {
                div.notice.error role="alert" {
                    p { (cx.t("Kontakten kunde inte registreras. Rätta det som är markerat:",
                              "The contact could not be registered. Correct what is marked:")) }
                    ul {
                        @for (f, e) in &input.errors {
                            @if *f == ContactField::Whole {
                                li { (e) }
                            } @else {
                                li { a href={"#" (f.id())} { (f.label(cx)) ": " (e) } }
                            }
                        }
                        @for e in &input.field_errors {
                            li { a href={"#f_" (e.key)} { (e.label) ": " (field_problem(cx, e.problem)) } }
                        }
                    }
                }
            }
            // Step 1: the service. A plain GET form, so choosing works without JavaScript and
            // the chosen service's form is a link an agent can keep.
            form.choose-service method="get" action="/contacts/new" {
                @let id = if chosen.is_some() { "service-choice" } else { "service" };
                label for=(id) { (cx.t("Tjänst", "Service")) " *" }
                @if chosen.is_none() { (error_text(ContactField::Service)) }
                select id=(id) name="service"
                    aria-invalid=[if chosen.is_none() { invalid(ContactField::Service) } else { None }]
                    aria-describedby=[if chosen.is_none() { described(ContactField::Service) } else { None }] {
                    (option("", cx.t("Välj …", "Choose …"), chosen_code))
                    @for s in services { (option(&s.code, &format!("{} – {}", s.unit_name, s.name), chosen_code)) }
                }
                button type="submit" { (cx.t("Visa formulär", "Show form")) }
            }
            @match chosen {
                None => {
                    p.hint { (cx.t("Välj tjänst och visa formuläret: då syns tjänstens egna fält.",
                                   "Choose the service and show the form: its own fields appear.")) }
                }
                Some(svc) => {
                    h2 { (svc.unit_name) " – " (svc.name) }
                    form method="post" action="/contacts" novalidate {
                        (cx.csrf_field())
                        input type="hidden" name="service" value=(svc.code);
                        label for="channel" { (cx.t("Kanal", "Channel")) " *" }
                        (error_text(ContactField::Channel))
                        select #channel name="channel" aria-invalid=[invalid(ContactField::Channel)]
                            aria-describedby=[described(ContactField::Channel)] {
                            @for c in [Channel::Phone, Channel::Visit, Channel::Chat, Channel::Email] {
                                (option(c.as_str(), channel_label(cx, c), if input.channel.is_empty() { "phone" } else { &input.channel }))
                            }
                        }
                        fieldset {
                            legend { (cx.t("Den som kontaktar oss", "The person contacting us")) }
                            p.hint { (cx.t("Med telefon eller e-post hittas personen igen vid nästa kontakt.",
                                           "With a phone number or e-mail the person is found again next time.")) }
                            label for="requester_name" { (cx.t("Namn", "Name")) }
                            (error_text(ContactField::Name))
                            input #requester_name type="text" name="requester_name" autocomplete="off"
                                value=(input.requester_name) aria-invalid=[invalid(ContactField::Name)]
                                aria-describedby=[described(ContactField::Name)];
                            label for="contact_phone" { (cx.t("Telefon", "Phone")) }
                            (error_text(ContactField::Phone))
                            input #contact_phone type="tel" name="contact_phone" autocomplete="off"
                                value=(input.contact_phone) aria-invalid=[invalid(ContactField::Phone)]
                                aria-describedby=[described(ContactField::Phone)];
                            label for="contact_email" { (cx.t("E-post", "E-mail")) }
                            (error_text(ContactField::Email))
                            input #contact_email type="email" name="contact_email" autocomplete="off"
                                value=(input.contact_email) aria-invalid=[invalid(ContactField::Email)]
                                aria-describedby=[described(ContactField::Email)];
                        }
                        label for="customer_unit" { (ContactField::CustomerUnit.label(cx)) }
                        (error_text(ContactField::CustomerUnit))
                        select #customer_unit name="customer_unit" aria-invalid=[invalid(ContactField::CustomerUnit)]
                            aria-describedby=[described(ContactField::CustomerUnit)] {
                            (option("", cx.t("Ingen (medborgare)", "None (citizen)"), &input.customer_unit))
                            @for u in customers { (option(&u.code, &u.name, &input.customer_unit)) }
                        }
                        label for="target_group" { (cx.t("Målgrupp", "Target group")) }
                        (error_text(ContactField::TargetGroup))
                        select #target_group name="target_group" aria-invalid=[invalid(ContactField::TargetGroup)]
                            aria-describedby=[described(ContactField::TargetGroup)] {
                            (option("", "–", &input.target_group))
                            @for t in TargetGroup::ALL { (option(t.as_str(), target_group_label(cx, t), &input.target_group)) }
                        }
                        (text_input(cx, "subject", cx.t("Rubrik", "Subject"), &input.subject, true, err(ContactField::Subject)))
                        label for="description" { (cx.t("Beskrivning", "Description")) " *" }
                        (error_text(ContactField::Description))
                        textarea #description name="description" required aria-invalid=[invalid(ContactField::Description)]
                            aria-describedby=[described(ContactField::Description)] { (input.description) }
                        @if !svc.form.is_empty() {
                            fieldset {
                                legend { (cx.t("Tjänstens uppgifter", "The service's details")) }
                                (order_fields(cx, &svc.form, &input.answers, &input.field_errors, "f_"))
                            }
                        }
                        label {
                            input type="checkbox" name="resolve_now" value="true" checked[input.resolve_now];
                            " " (cx.t("Löst vid första kontakten – avsluta direkt", "Resolved at first contact – close now"))
                        }
                        p.hint { (cx.t("Ett ärende som inte avslutas direkt blir ditt, och samtalet räknas som första svar.",
                                       "A case not closed at once is assigned to you, and the conversation counts as the first response.")) }
                        p.hint { "* " (cx.t("obligatoriskt", "required")) }
                        button type="submit" { (cx.t("Registrera", "Register")) }
                    }
                }
            }
        },
    )
}
