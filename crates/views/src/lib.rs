//! Serva's pages, server-rendered with maud, in Swedish first and English second.
//!
//! Every text is written in both languages where it is used, `cx.t("Ärenden", "Cases")`, so a
//! page can never miss a translation. Pages are plain HTML forms that work without
//! JavaScript; landmarks, labels and focus styles make them usable by keyboard and screen reader.

pub mod layout;
pub mod pages;
pub mod widgets;

pub use layout::{Ctx, Lang, Nav};
