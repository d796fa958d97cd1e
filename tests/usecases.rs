//! The application layer without HTTP: the use cases a mail poller, a billing run or the
//! command line calls, with a person's principal and plain inputs.

use std::collections::HashMap;
use std::time::Duration;

use serva_app::{
    App as Serva, AppError, AssigneeRef, CaseUpdate, ImportRefused, IntakeError, IntakeRequest,
    ListParams, ListScope,
};
use serva_domain::access::Principal;
use serva_domain::case::{CaseStatus, Channel};
use serva_domain::event::Event;
use serva_domain::refusal::Refusal;

use crate::dual;

async fn principal(app: &crate::harness::App, username: &str) -> Principal {
    let user = app.db.user_by_username(username).await.unwrap();
    app.db.principal(&user).await.unwrap()
}

fn phone_call(subject: &str) -> IntakeRequest {
    IntakeRequest {
        service: "KL-FRAGA".into(),
        subject: subject.into(),
        description: "Ringde om sophämtningen.".into(),
        channel: Some(Channel::Phone),
        answers: HashMap::new(),
        requester_name: Some("Eva Invånare".into()),
        ..Default::default()
    }
}

dual!(a_contact_is_taken_in_and_worked_without_http, |app| {
    let serva = Serva::new(app.db.clone());
    let mut events = serva.events().subscribe();
    let agent = principal(&app, "handlaggare.kontakt").await;
    let case = serva
        .intake(&agent, &phone_call("Sophämtning"))
        .await
        .unwrap();
    assert_eq!(
        case.requester_id, None,
        "the caller is the requester, not the agent"
    );
    assert_eq!(case.requester_name.as_deref(), Some("Eva Invånare"));
    assert_eq!(case.channel, Channel::Phone);
    let e = tokio::time::timeout(Duration::from_secs(1), events.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        e,
        Event::CaseCreated {
            case: case.id,
            unit: case.unit_id
        }
    );

    // Assigned to someone outside the queue: refused with a rule the page can translate.
    let outsider = app.db.user_by_username("handlaggare.hr").await.unwrap();
    let wrong = CaseUpdate {
        status: None,
        assignee: Some(Some(AssigneeRef::Id(outsider.id))),
    };
    assert!(matches!(
        serva.update_case(&agent, case.id, &wrong).await,
        Err(AppError::Refused(Refusal::NotAgentOfQueue))
    ));
    let done = CaseUpdate {
        status: Some(CaseStatus::Resolved),
        assignee: Some(Some(AssigneeRef::Username("handlaggare.kontakt".into()))),
    };
    let case = serva.update_case(&agent, case.id, &done).await.unwrap();
    assert_eq!(case.status, CaseStatus::Resolved);
    assert!(case.assignee_id.is_some());

    // Another unit's agent does not learn that the case exists; a customer may not order
    // on someone else's behalf.
    let hr = principal(&app, "handlaggare.hr").await;
    assert!(matches!(
        serva.case_detail(&hr, case.id).await,
        Err(AppError::NotFound(_))
    ));
    let customer = principal(&app, "admin.sof").await;
    assert!(matches!(
        serva.intake(&customer, &phone_call("Åt någon annan")).await,
        Err(IntakeError::Invalid(_))
    ));
});

dual!(lists_and_imports_follow_the_rules, |app| {
    let serva = Serva::new(app.db.clone());
    let agent = principal(&app, "handlaggare.kontakt").await;
    let bad = ListParams {
        status: "done".into(),
        ..Default::default()
    };
    assert!(matches!(
        serva.list_cases(&agent, ListScope::Visible, &bad).await,
        Err(AppError::BadRequest(m)) if m.contains("done")
    ));
    let kl = app.db.unit_by_code("KL").await.unwrap();
    let hr = principal(&app, "handlaggare.hr").await;
    assert!(matches!(
        serva
            .list_cases(&hr, ListScope::Queue(kl.id), &ListParams::default())
            .await,
        Err(AppError::NotFound(_))
    ));

    let controller = principal(&app, "controller").await;
    let units = "code;name;kind;parent;erp_code\nNY;Ny enhet;unit;VSS;\n";
    assert!(matches!(
        serva.import(&controller, "units", units.as_bytes()).await,
        Err(ImportRefused::Failed(AppError::Forbidden(_)))
    ));
    let summary = serva
        .import(&Principal::system(), "units", units.as_bytes())
        .await
        .unwrap();
    assert_eq!(summary.rows, 1);
    assert!(matches!(
        serva.import(&Principal::system(), "units", b"code;name\n;\n").await,
        Err(ImportRefused::Rejected(errors)) if !errors.is_empty()
    ));
});
