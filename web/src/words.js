// The workbench's own words, in English and Korean (the playbook's texts come from the engine).

const words = {
  en: {
    title: 'stagegate workbench', language: 'Language', bundled: 'Bundled playbook', link: 'Link to this view',
    board: 'Board', file: 'File', publish: 'Publish',
    linkLabel: 'A link to this view (the playbook, the deal, the times, the language):',
    playbook: 'Playbook', diagnostics: 'Diagnostics', diagram: 'Diagram', tests: 'Tests', at: 'At',
    sandbox: 'Deal sandbox', example: 'Example', form: "The deal's fields as a form", moveAs: 'Try a move as',
    actor: 'Actor', forceWith: 'Force with the reason', impact: 'Impact of a change',
    impactHelp: 'The playbook in the editor is the playbook as it would be. Paste or load the playbook as it is, and see what changes for the example deals and the sandbox\'s deal.',
    impactBundled: 'Use the bundled playbook', impactFile: 'or a file', impactRun: 'Compare',
    unset: '—', yes: 'yes', no: 'no', listHelp: 'one per line', notParsed: 'The deal is not YAML or JSON; fix it in the text:',
    fallback: (lang, used) => `This playbook has no texts in ${lang}: its answers are in ${used}.`,
    linked: 'This view comes from a link; the playbook and deal kept in this browser are left as they were until you change something.',
  },
  ko: {
    title: 'stagegate 워크벤치', language: '언어', bundled: '기본 플레이북', link: '이 화면의 링크',
    board: '보드', file: '파일', publish: '게시',
    linkLabel: '이 화면의 링크 (플레이북, 딜, 시각, 언어):',
    playbook: '플레이북', diagnostics: '진단', diagram: '다이어그램', tests: '테스트', at: '시각',
    sandbox: '딜 샌드박스', example: '예제', form: '딜 필드 입력 양식', moveAs: '이동 시도',
    actor: '행위자', forceWith: '강제 이동 사유', impact: '변경의 영향',
    impactHelp: '편집기의 플레이북이 바뀐 뒤의 플레이북입니다. 현재 플레이북을 붙여 넣거나 불러오면 예제 딜과 샌드박스 딜에 무엇이 달라지는지 보여 줍니다.',
    impactBundled: '기본 플레이북 사용', impactFile: '또는 파일', impactRun: '비교',
    unset: '—', yes: '예', no: '아니오', listHelp: '한 줄에 하나', notParsed: '딜이 YAML이나 JSON이 아닙니다. 텍스트에서 고치세요:',
    fallback: (lang, used) => `이 플레이북에는 ${lang} 텍스트가 없어 ${used}(으)로 답합니다.`,
    linked: '이 화면은 링크에서 왔습니다. 이 브라우저에 저장된 플레이북과 딜은 무언가를 바꾸기 전까지 그대로입니다.',
  },
};

let current = words.en;

/** Chooses the page's language and writes every `data-text` label in it. */
export function useWords(lang) {
  current = words[lang] ?? words.en;
  document.documentElement.lang = words[lang] ? lang : 'en';
  for (const element of document.querySelectorAll('[data-text]')) {
    const word = current[element.dataset.text];
    if (typeof word === 'string') element.textContent = word;
  }
}

/** A word of the page, or a sentence made with `args`. */
export function w(key, ...args) {
  const word = current[key] ?? words.en[key];
  return typeof word === 'function' ? word(...args) : word;
}
