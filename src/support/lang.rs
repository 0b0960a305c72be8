//! The one place that decides which language the engine's own words are in.

/// The language of the engine's own messages, labels and charts: Korean or English. Texts a
/// playbook carries (titles, messages, guidance) come in any language it declares; the engine's
/// own words come in these two.
///
/// # Example
///
/// ```
/// use stagegate::MessageLanguage;
/// assert_eq!(MessageLanguage::of("ko"), MessageLanguage::Korean);
/// assert_eq!(MessageLanguage::of("ko-KR"), MessageLanguage::Korean);
/// assert_eq!(MessageLanguage::of("en"), MessageLanguage::English);
/// assert_eq!(MessageLanguage::of("fr"), MessageLanguage::English);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MessageLanguage {
    /// `ko` and every `ko-` tag.
    Korean,
    /// Every other language.
    English,
}

impl MessageLanguage {
    /// The language of the engine's words for a reader who asked for `lang` (a language tag).
    pub fn of(lang: &str) -> MessageLanguage {
        if lang == "ko" || lang.starts_with("ko-") {
            MessageLanguage::Korean
        } else {
            MessageLanguage::English
        }
    }

    /// `true` for Korean.
    pub fn is_korean(self) -> bool {
        self == MessageLanguage::Korean
    }

    /// One of two wordings of the same thing: the Korean one, or the English one.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::MessageLanguage;
    /// assert_eq!(MessageLanguage::of("ko-KR").pick("실패", "lost"), "실패");
    /// assert_eq!(MessageLanguage::of("en").pick("실패", "lost"), "lost");
    /// ```
    pub fn pick<'t>(self, korean: &'t str, english: &'t str) -> &'t str {
        match self {
            MessageLanguage::Korean => korean,
            MessageLanguage::English => english,
        }
    }
}
