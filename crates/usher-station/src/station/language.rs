//! The door's language: from the OS locale, or the one chosen in Setup (kept in the open
//! door's device row, `usher_core::settings::language`), applied at once: the station swaps
//! its `Words` (the open door's next verdict uses them) and the page re-applies its texts.

use super::Station;
use crate::camera::lock;
use crate::StationError;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use usher_core::i18n::{Catalog, Language};
use usher_core::look::Words;
use usher_core::settings;
use usher_core::Store;

/// One language Setup offers.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LanguageChoice {
    /// Its code: `en`, `de`.
    pub code: Language,
    /// Its name in itself: "Deutsch".
    pub name: &'static str,
}

/// The language the window speaks now, what Setup offers, and the page's texts in it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LanguageView {
    /// The language in force.
    pub language: Language,
    /// The one chosen in Setup; None: the OS's.
    pub chosen: Option<Language>,
    /// The OS locale's language (English when it has no catalog).
    pub os: Language,
    /// Every language there is.
    pub choices: Vec<LanguageChoice>,
    /// Every message of the page's catalog (`page.ftl`), resolved in `language`.
    pub texts: BTreeMap<String, String>,
}

impl Station {
    /// The language in force and the page's texts in it.
    pub fn language(&self) -> LanguageView {
        let language = self.words().language();
        LanguageView {
            language,
            chosen: *lock(&self.chosen_language),
            os: Language::from_os(),
            choices: Language::ALL
                .iter()
                .map(|l| LanguageChoice {
                    code: *l,
                    name: l.own_name(),
                })
                .collect(),
            texts: Catalog::of(language).page_texts(),
        }
    }

    /// Speaks `choice` (None: the OS's language) from now on, on every screen and in the open
    /// door's next verdict; kept in the open door's device row (else in the next door opened).
    pub fn set_language(&self, choice: Option<Language>) -> Result<LanguageView, StationError> {
        if let Ok(active) = self.active() {
            settings::save_language(lock(&active.reader).conn(), choice)?;
        }
        *lock(&self.chosen_language) = choice;
        self.speak(choice.unwrap_or_else(Language::from_os));
        self.emit_view();
        Ok(self.language())
    }

    /// A door opening over `store`: its stored language wins; else a choice made before it
    /// opened is stored with it.
    pub(super) fn language_of_door(&self, store: &Store) -> Result<(), StationError> {
        match settings::language(store.conn())? {
            Some(stored) => {
                *lock(&self.chosen_language) = Some(stored);
                self.speak(stored);
            }
            None => {
                let chosen = *lock(&self.chosen_language);
                if chosen.is_some() {
                    settings::save_language(store.conn(), chosen)?;
                }
            }
        }
        Ok(())
    }

    /// An error's message in the language in force (the code stays as it is).
    pub fn error_words(&self, e: &StationError) -> String {
        self.words().say(&e.said())
    }

    /// Swaps the words every screen uses, and the open door's.
    fn speak(&self, language: Language) {
        if self.words().language() == language {
            return;
        }
        let words = Arc::new(Words::of(language));
        *self.words.write().unwrap_or_else(|p| p.into_inner()) = words.clone();
        if let Ok(active) = self.active() {
            lock(&active.door).set_words(words);
        }
    }
}
