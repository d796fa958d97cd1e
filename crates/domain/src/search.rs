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

/// The words of a text as the search index holds them: folded, split at everything that is
/// not a letter or a digit, each word once, in order of first appearance.
pub fn words(s: &str) -> Vec<String> {
    let folded = fold(s);
    let mut out: Vec<String> = Vec::new();
    for w in folded.split(|c: char| !c.is_alphanumeric()) {
        if !w.is_empty() && !out.iter().any(|o| o == w) {
            out.push(w.to_string());
        }
    }
    out
}

/// The text stored for the index: the words joined by single spaces, so both databases'
/// indexes see exactly the words Serva chose (SQLite's FTS5 splits at the spaces, PostgreSQL
/// builds its `tsvector` from the same list).
pub fn index_text(s: &str) -> String {
    words(s).join(" ")
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
    fn words_are_folded_split_and_unique() {
        assert_eq!(
            words("Återbetalning: ÅTERBETALNING av p-avgift (nr 12), Café!"),
            ["återbetalning", "av", "p", "avgift", "nr", "12", "cafe"]
        );
        assert_eq!(index_text("  Hej,\thej  då "), "hej då");
        assert!(words("%_!").is_empty());
    }

    #[test]
    fn like_patterns_are_escaped() {
        assert_eq!(like_escape("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
