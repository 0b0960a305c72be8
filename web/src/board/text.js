// The board's own words, in English and Korean (the playbook's texts come from the service).
import { wording } from '../shared/wording.js';

const { use, word } = wording({
  en: {
    title: 'Pipeline', workbench: 'Workbench', signOut: 'Sign out',
    signIn: 'Sign in', signInHelp: 'Paste the token an admin gave you (stagegate-server add-user).',
    token: 'Token', signInButton: 'Sign in', closed: 'Closed', unfit: 'Deals that no longer fit their playbook',
    close: 'Close', days: (n) => `${n} d in stage`, stalled: (n, max) => `stalled: ${n} d (limit ${max})`,
    overdue: (a, n) => `overdue: ${a} (${n} d)`, deals: (n) => `${n} deal${n === 1 ? '' : 's'}`,
    refused: (from, to) => `Not moved: ${from} → ${to}`, moved: (from, to) => `Moved: ${from} → ${to}`,
    forced: (from, to) => `Forced: ${from} → ${to}`,
    fill: (f) => `Fill ${f}`, doActivity: (a) => `Do ${a}`, openDeal: 'Open the deal',
    forceTitle: 'Force the move', reason: 'Reason (recorded in the history)', force: 'Force the move',
    mayNotForce: (roles) => `Only ${roles} may force this move.`,
    effects: 'What the move set in motion',
    noEffects: 'Nothing else was set in motion.',
    fields: 'Fields', save: 'Save fields', saved: 'Saved.', approved: 'Approved.', activities: 'Activities', history: 'History',
    nextSteps: 'Next steps', approvals: 'Approvals', approve: 'Approve', moves: 'Moves', move: (to) => `Move to ${to}`,
    allowed: 'allowed', blocked: 'blocked', none: '(none)',
    by: 'by', at: 'at', wrongToken: 'The service did not take this token:',
    notSet: '(not set)', done: 'done', notDone: 'not done', voided: (list) => `voids the approval ${list}`,
    archivedEntry: (reason) => `Archived: ${reason}`, unarchivedEntry: 'Unarchived', imported: 'imported',
    fallback: (lang, used) => `This playbook has no texts in ${lang}: they are shown in ${used}.`,
    scores: 'Scores', stages: 'Stages', owner: 'owner',
    playbook: 'Playbook', newDeal: 'New deal', empty: 'No deals yet: add one with New deal.',
    dealId: 'Deal id', startsIn: (stage) => `A new deal starts in ${stage}; moves take it on from there.`,
    notSaved: (field, why) => `${field}: ${why} Nothing was saved.`, giveReason: 'Give the reason for forcing the move: it is recorded in the history.',
    changedMeanwhile: 'The deal changed meanwhile (someone else saved it): it is shown again as it is now; make your change again.',
    required: '* required by a gate', create: 'Create', created: (id) => `Created ${id}.`,
    more: (n) => `Show more (${n} left)`, weighted: 'weighted', search: 'Search', filter: 'Filter',
    ownerFilter: 'Owner',
  },
  ko: {
    title: '파이프라인', workbench: '워크벤치', signOut: '로그아웃',
    signIn: '로그인', signInHelp: '관리자에게 받은 토큰을 붙여 넣으세요 (stagegate-server add-user).',
    token: '토큰', signInButton: '로그인', closed: '종료', unfit: '플레이북에 더 이상 맞지 않는 딜',
    close: '닫기', days: (n) => `단계 ${n}일째`, stalled: (n, max) => `정체: ${n}일 (한도 ${max}일)`,
    overdue: (a, n) => `기한 초과: ${a} (${n}일)`, deals: (n) => `딜 ${n}건`,
    refused: (from, to) => `이동 불가: ${from} → ${to}`, moved: (from, to) => `이동함: ${from} → ${to}`,
    forced: (from, to) => `강제 이동함: ${from} → ${to}`,
    fill: (f) => `${f} 입력`, doActivity: (a) => `${a} 완료`, openDeal: '딜 열기',
    forceTitle: '강제 이동', reason: '사유 (이력에 기록됨)', force: '강제 이동',
    mayNotForce: (roles) => `이 이동은 ${roles}만 강제할 수 있습니다.`,
    effects: '이동으로 시작된 일',
    noEffects: '시작된 다른 일은 없습니다.',
    fields: '필드', save: '필드 저장', saved: '저장했습니다.', approved: '승인했습니다.', activities: '활동', history: '이력',
    nextSteps: '다음 할 일', approvals: '승인', approve: '승인', moves: '이동', move: (to) => `${to}(으)로 이동`,
    allowed: '가능', blocked: '막힘', none: '(없음)',
    by: '담당', at: '시각', wrongToken: '서비스가 이 토큰을 받지 않았습니다:',
    notSet: '(값 없음)', done: '완료', notDone: '미완료', voided: (list) => `승인 무효: ${list}`,
    archivedEntry: (reason) => `보관함: ${reason}`, unarchivedEntry: '보관 해제', imported: '가져옴',
    fallback: (lang, used) => `이 플레이북에는 ${lang} 텍스트가 없어 ${used}(으)로 보여 줍니다.`,
    scores: '점수', stages: '단계', owner: '담당자',
    playbook: '플레이북', newDeal: '새 딜', empty: '아직 딜이 없습니다. 새 딜로 추가하세요.',
    dealId: '딜 ID', startsIn: (stage) => `새 딜은 ${stage} 단계에서 시작하고, 이후 이동으로 진행합니다.`,
    notSaved: (field, why) => `${field}: ${why} 저장하지 않았습니다.`, giveReason: '강제 이동의 사유를 입력하세요. 이력에 기록됩니다.',
    changedMeanwhile: '그사이 다른 사람이 딜을 저장했습니다. 현재 내용으로 다시 보여 드리니 변경을 다시 하세요.',
    required: '* 게이트에서 필요', create: '만들기', created: (id) => `${id}을(를) 만들었습니다.`,
    more: (n) => `더 보기 (${n}건 남음)`, weighted: '가중', search: '검색', filter: '거르기',
    ownerFilter: '담당자',
  },
});

/** Chooses the page's language and writes every `data-text` label in it. */
export const useLanguage = use;

/** A word of the page, or a sentence made with `args`. */
export const t = word;
