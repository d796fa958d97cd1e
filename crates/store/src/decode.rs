//! Stored text read back into the domain's types. A value the domain does not know is a
//! corrupt row, reported with where it was found — never quietly read as some default.

use crate::{StoreError, StoreResult};

/// `parse(value)`, or an error naming the column and the row: `what` reads like
/// "goals.area of goal 12".
pub(crate) fn known<T>(
    what: impl std::fmt::Display,
    value: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> StoreResult<T> {
    parse(value).ok_or_else(|| StoreError::Corrupt(format!("{what}: unknown value {value:?}")))
}

/// [`known`] for a column that may be NULL.
pub(crate) fn known_opt<T>(
    what: impl std::fmt::Display,
    value: Option<&str>,
    parse: impl FnOnce(&str) -> Option<T>,
) -> StoreResult<Option<T>> {
    value.map(|v| known(what, v, parse)).transpose()
}

/// A 0/1 column as a boolean; any other number is a corrupt row.
pub(crate) fn flag(what: impl std::fmt::Display, value: i64) -> StoreResult<bool> {
    match value {
        0 => Ok(false),
        1 => Ok(true),
        n => Err(StoreError::Corrupt(format!(
            "{what}: {n} is not a boolean (0 or 1)"
        ))),
    }
}

/// [`flag`] for a column that may be NULL (read as false).
pub(crate) fn flag_opt(what: impl std::fmt::Display, value: Option<i64>) -> StoreResult<bool> {
    value.map_or(Ok(false), |v| flag(what, v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serva_domain::followup::Gender;

    #[test]
    fn an_unknown_value_is_an_error_naming_where_it_was() {
        assert_eq!(known("x", "K", Gender::parse).unwrap(), Gender::Women);
        let e = known("indicator_values.gender of indicator 3", "X", Gender::parse).unwrap_err();
        assert!(matches!(e, StoreError::Corrupt(_)));
        assert_eq!(
            e.to_string(),
            "corrupt data: indicator_values.gender of indicator 3: unknown value \"X\""
        );
        assert_eq!(known_opt("x", None, Gender::parse).unwrap(), None);
        assert!(flag("x", 1).unwrap() && !flag("x", 0).unwrap());
        assert!(matches!(flag("x", 2), Err(StoreError::Corrupt(_))));
        assert!(!flag_opt("x", None).unwrap());
    }
}
