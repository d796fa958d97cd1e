//! Reading path parameters, the same way for pages and the API.

/// A path parameter that must be a positive id; anything else is "not found".
pub(crate) fn parse_id(s: &str) -> Option<i64> {
    s.parse::<i64>().ok().filter(|&i| i > 0)
}
