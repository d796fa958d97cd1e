//! Newtypes for the ids of each aggregate, so a case id can never be passed where a user id belongs.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$m:meta])* $name:ident),* $(,)?) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// An organisational unit: municipality, department, company, administration or unit.
    UnitId,
    /// A person with a login.
    UserId,
    /// A service in the catalogue.
    ServiceId,
    /// A case (ärende).
    CaseId,
    /// A message on a case.
    MessageId,
    /// A person without an account who contacted a unit (citizen, caller, e-mail sender).
    ContactId,
    /// A file attached to a case or a message.
    AttachmentId,
);
