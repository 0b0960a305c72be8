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

/// Country codes and names people write for a language, and the language code they mean.
const WRITTEN_FOR_LANGUAGE: &[(&str, &str)] = &[
    ("english", "en"),
    ("korean", "ko"),
    ("japanese", "ja"),
    ("chinese", "zh"),
    ("영어", "en"),
    ("한국어", "ko"),
    ("kor", "ko"),
    ("eng", "en"),
    ("kr", "ko"),
    ("jp", "ja"),
    ("cn", "zh"),
    ("tw", "zh"),
    ("us", "en"),
    ("gb", "en"),
    ("dk", "da"),
    ("se", "sv"),
    ("cz", "cs"),
    ("gr", "el"),
    ("ua", "uk"),
];

/// The language of `known` that `code` most likely means: the language of a country code written
/// for it (`kr` for `ko`) or its name (`english`), a different case (`EN`), or one letter off.
pub(crate) fn closest_language<'a>(code: &str, known: &'a [String]) -> Option<&'a str> {
    let lower = code.to_ascii_lowercase();
    let meant = WRITTEN_FOR_LANGUAGE
        .iter()
        .find(|(country, _)| *country == lower)
        .map(|(_, language)| *language);
    let pick = |wanted: &str| known.iter().find(|k| k.as_str() == wanted);
    if let Some(found) = meant.and_then(pick).or_else(|| pick(&lower)) {
        return Some(found.as_str());
    }
    let one_off = |k: &&String| {
        k.len() == lower.len() && k.chars().zip(lower.chars()).filter(|(a, b)| a != b).count() == 1
    };
    let mut near = known.iter().filter(one_off);
    match (near.next(), near.next()) {
        (Some(only), None) => Some(only.as_str()),
        _ => None,
    }
}

/// Why `lang` is not a language of a playbook that lists `known`, or `None` when it is one.
pub(crate) fn unknown_language(lang: &str, known: &[String]) -> Option<String> {
    if known.iter().any(|k| k == lang) {
        return None;
    }
    let mut message = format!(
        "the playbook is not written in `{lang}`; its languages are {}",
        crate::support::suggest::list_all(known)
    );
    if let Some(meant) = closest_language(lang, known) {
        message.push_str(&format!(" (did you mean `{meant}`?)"));
    }
    Some(message)
}
