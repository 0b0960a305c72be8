// A page's own words in English and Korean: the words both pages say alike, a language chosen
// for the page (its `data-text` and `data-placeholder` labels written in it), and sentences made
// from words that take arguments.

/** What the workbench and the board say alike. */
const shared = {
  en: {
    language: 'Language', unset: '—', yes: 'yes', no: 'no', listHelp: 'one per line',
    effectTask: (activity, who, due, on, stage) => `Task: ${activity}${who ? `, for ${who}` : ''}${due ? `, due ${due}` : ''} (on ${on === 'enter' ? 'entering' : 'leaving'} ${stage})`,
    effectNotify: (who, message, on, stage) => `Notification${who ? ` to ${who}` : ''}: ${message} (on ${on === 'enter' ? 'entering' : 'leaving'} ${stage})`,
  },
  ko: {
    language: '언어', unset: '—', yes: '예', no: '아니오', listHelp: '한 줄에 하나',
    effectTask: (activity, who, due, on, stage) => `할 일: ${activity}${who ? `, 담당 ${who}` : ''}${due ? `, 기한 ${due}` : ''} (${stage} ${on === 'enter' ? '진입' : '이탈'} 시)`,
    effectNotify: (who, message, on, stage) => `알림${who ? ` (${who})` : ''}: ${message} (${stage} ${on === 'enter' ? '진입' : '이탈'} 시)`,
  },
};

/**
 * A page's wording from its own words (`{en: {...}, ko: {...}}`, the shared ones added):
 * `use(lang)` chooses the language and writes the page's labels in it; `word(key, ...args)` is a
 * word, or a sentence made with `args`, English when the language lacks it.
 */
export function wording(own) {
  const words = { en: { ...shared.en, ...own.en }, ko: { ...shared.ko, ...own.ko } };
  let current = words.en;
  const word = (key, ...args) => {
    const found = current[key] ?? words.en[key];
    return typeof found === 'function' ? found(...args) : found;
  };
  const use = (lang) => {
    current = words[lang] ?? words.en;
    document.documentElement.lang = words[lang] ? lang : 'en';
    for (const element of document.querySelectorAll('[data-text]')) {
      const found = current[element.dataset.text];
      if (typeof found === 'string') element.textContent = found;
    }
    for (const element of document.querySelectorAll('[data-placeholder]')) {
      const found = current[element.dataset.placeholder];
      if (typeof found === 'string') element.placeholder = found;
    }
  };
  return { use, word };
}
