//! Folding text for search, the Swedish way.
//!
//! Case is folded for every letter, Å/å, Ä/ä and Ö/ö included (SQL's `lower()` folds only
//! ASCII on SQLite). Å, Ä and Ö stay letters of their own, as in Swedish: "ar" does not find
//! "år". Accents that Swedish does not treat as letters are dropped (é → e, ü → y is *not*
//! done: ü folds to u), and Danish/Norwegian æ/ø fold to ä/ö as Swedish sorting does.

/// The folded form of a text, used both for the stored search column and for queries.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        for l in c.to_lowercase() {
            out.push(match l {
                'é' | 'è' | 'ê' | 'ë' => 'e',
                'á' | 'à' | 'â' => 'a',
                'í' | 'ì' | 'î' | 'ï' => 'i',
                'ó' | 'ò' | 'ô' => 'o',
                'ú' | 'ù' | 'û' | 'ü' => 'u',
                'ç' => 'c',
                'ñ' => 'n',
                'æ' => 'ä',
                'ø' => 'ö',
                '\u{a0}' | '\t' | '\n' | '\r' => ' ',
                other => other,
            });
        }
    }
    out
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_letters_fold_case_but_stay_letters() {
        assert_eq!(
            fold("ÅTERBETALNING Äldreomsorg ÖVERKLAGAN"),
            "återbetalning äldreomsorg överklagan"
        );
        assert_eq!(fold("Café Rosé"), "cafe rose");
        assert!(!fold("År").contains("ar"));
        assert_eq!(fold("Søren Ærø"), "sören äró".replace('ó', "ö"));
    }

    #[test]
    fn like_patterns_are_escaped() {
        assert_eq!(like_escape("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
