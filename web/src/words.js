// The workbench's own words, in English and Korean (the playbook's texts come from the engine).
import { wording } from './wording.js';

const { use, word } = wording({
  en: {
    title: 'stagegate workbench', bundled: 'Bundled playbook', link: 'Link to this view',
    board: '← Pipeline board', file: 'File', publish: 'Publish',
    linkLabel: 'A link to this view (the playbook, the deal, the times, the language):',
    playbook: 'Playbook', diagnostics: 'Diagnostics', diagram: 'Diagram', tests: 'Tests', at: 'At',
    sandbox: 'Deal sandbox', example: 'Example', form: "The deal's fields as a form", moveAs: 'Try a move as',
    actor: 'Actor', forceWith: 'Force with the reason', impact: 'Impact of a change',
    impactHelp: 'The playbook in the editor is the playbook as it would be. Paste or load the playbook as it is, and see what changes for the example deals and the sandbox\'s deal.',
    impactBundled: 'Use the bundled playbook', impactFile: 'or a file', impactRun: 'Compare',
    notParsed: 'The deal is not YAML or JSON; fix it in the text:',
    fallback: (lang, used) => `This playbook has no texts in ${lang}: its answers are in ${used}.`,
    notForced: '(not forced)', ownDeal: '(your deal)',
    notSaved: (field, why) => `${field}: ${why} The deal was not changed.`,
    impactEmpty: 'Paste or load the playbook as it is first (or use the bundled playbook).',
    impactBroken: 'The playbook in the editor does not load: fix it first.',
    longLink: (n) => `This link is ${n.toLocaleString('en')} characters long: some mail and chat tools cut long links. Send the playbook as a file if it does not open.`,
    sameVersion: (pin) => `${pin} already runs with another text: publishing this changes the rules of every deal pinned to it. To keep them on the old rules, give the playbook a new version (and a migration when stages change). Press Publish again to publish it as ${pin} anyway.`,
    movedFrom: (from, to) => `Moved from ${from} to ${to}.`, forcedFrom: (from, to) => `Forced from ${from} to ${to}.`,
    whoMay: (roles) => `who may: ${roles}`,
    none: '(none)', diagnosticCount: (e, n) => `(${e} error${e === 1 ? '' : 's'}, ${n} warning${n === 1 ? '' : 's'})`,
    line: 'line', testCount: (p, f) => `(${p} passed, ${f} failed)`, casesPassed: (n) => `✓ ${n} case${n === 1 ? '' : 's'} passed`,
    coverageFull: 'Coverage: every stage entered, every move evaluated, every criterion seen both ways.', coverageGaps: 'Coverage gaps:',
    dealIn: (id, stages) => `${id} in ${stages}`, noId: '(no id)', score: (card, total, band) => `Score ${card}: ${total} (${band})`,
    noBand: 'no band', rule: 'rule', points: 'points', matched: 'matched', unknown: (fields) => `unknown: ${fields} missing`,
    moves: 'Moves', allowed: 'allowed', blocked: 'blocked', moveTo: (to) => `Move to ${to}`, nextSteps: 'Next steps',
    fill: (fields) => `fill ${fields}`, do: (activities) => `do ${activities}`,
    warning: (x) => (x.kind === 'stalled' ? `Stalled in ${x.stage}: ${x.days} days (limit ${x.max_days}).` : x.kind === 'overdue' ? `Overdue in ${x.stage}: ${x.activity}, due ${x.due} (${x.days} days late).` : JSON.stringify(x)),
    linked: 'This view comes from a link; the playbook and deal kept in this browser are left as they were until you change something.',
  },
  ko: {
    title: 'stagegate 워크벤치', bundled: '기본 플레이북', link: '이 화면의 링크',
    board: '← 파이프라인 보드', file: '파일', publish: '게시',
    linkLabel: '이 화면의 링크 (플레이북, 딜, 시각, 언어):',
    playbook: '플레이북', diagnostics: '진단', diagram: '다이어그램', tests: '테스트', at: '시각',
    sandbox: '딜 샌드박스', example: '예제', form: '딜 필드 입력 양식', moveAs: '이동 시도',
    actor: '행위자', forceWith: '강제 이동 사유', impact: '변경의 영향',
    impactHelp: '편집기의 플레이북이 바뀐 뒤의 플레이북입니다. 현재 플레이북을 붙여 넣거나 불러오면 예제 딜과 샌드박스 딜에 무엇이 달라지는지 보여 줍니다.',
    impactBundled: '기본 플레이북 사용', impactFile: '또는 파일', impactRun: '비교',
    notParsed: '딜이 YAML이나 JSON이 아닙니다. 텍스트에서 고치세요:',
    fallback: (lang, used) => `이 플레이북에는 ${lang} 텍스트가 없어 ${used}(으)로 답합니다.`,
    notForced: '(강제 아님)', ownDeal: '(직접 입력한 딜)',
    notSaved: (field, why) => `${field}: ${why} 딜을 바꾸지 않았습니다.`,
    impactEmpty: '먼저 현재 플레이북을 붙여 넣거나 불러오세요 (또는 기본 플레이북 사용).',
    impactBroken: '편집기의 플레이북이 로드되지 않습니다. 먼저 고치세요.',
    longLink: (n) => `이 링크는 ${n.toLocaleString('ko')}자입니다. 메일이나 메신저가 긴 링크를 자를 수 있으니, 열리지 않으면 플레이북을 파일로 보내세요.`,
    sameVersion: (pin) => `${pin}은(는) 이미 다른 내용으로 운영 중입니다. 게시하면 이 버전에 고정된 모든 딜의 규칙이 바뀝니다. 기존 규칙을 유지하려면 새 version(단계가 바뀌면 migration도)을 주세요. 그래도 ${pin}(으)로 게시하려면 게시를 한 번 더 누르세요.`,
    movedFrom: (from, to) => `${from}에서 ${to}(으)로 이동했습니다.`, forcedFrom: (from, to) => `${from}에서 ${to}(으)로 강제 이동했습니다.`,
    whoMay: (roles) => `할 수 있는 역할: ${roles}`,
    none: '(없음)', diagnosticCount: (e, n) => `(오류 ${e}, 경고 ${n})`,
    line: '줄', testCount: (p, f) => `(통과 ${p}, 실패 ${f})`, casesPassed: (n) => `✓ ${n}개 케이스 통과`,
    coverageFull: '커버리지: 모든 단계 진입, 모든 이동 평가, 모든 기준의 참과 거짓 확인.', coverageGaps: '커버리지 빈틈:',
    dealIn: (id, stages) => `${id} (${stages})`, noId: '(id 없음)', score: (card, total, band) => `점수 ${card}: ${total} (${band})`,
    noBand: '밴드 없음', rule: '규칙', points: '점수', matched: '충족', unknown: (fields) => `알 수 없음: ${fields} 없음`,
    moves: '이동', allowed: '가능', blocked: '막힘', moveTo: (to) => `${to}(으)로 이동`, nextSteps: '다음 할 일',
    fill: (fields) => `입력: ${fields}`, do: (activities) => `할 일: ${activities}`,
    warning: (x) => (x.kind === 'stalled' ? `${x.stage} 단계 정체: ${x.days}일 (한도 ${x.max_days}일).` : x.kind === 'overdue' ? `${x.stage} 단계 기한 초과: ${x.activity}, 기한 ${x.due} (${x.days}일 지남).` : JSON.stringify(x)),
    linked: '이 화면은 링크에서 왔습니다. 이 브라우저에 저장된 플레이북과 딜은 무언가를 바꾸기 전까지 그대로입니다.',
  },
});

/** Chooses the page's language and writes every `data-text` and `data-placeholder` label in it. */
export const useWords = use;

/** A word of the page, or a sentence made with `args`. */
export const w = word;
