// The words of the deal page, "My tasks" and "Waiting for my approval", in English and Korean
// (the board's own words are in text.js; the playbook's texts come from the service). The
// language is the page's (`<html lang>`, which the board and these pages set).
const words = {
  en: {
    approvedBy: (who, when) => `approved by ${who}, ${when}`,
    askedBy: (who, when) => `asked by ${who}, ${when}`,
    ask: (role) => `Ask ${role} to approve`,
    remind: (role) => `Remind ${role}`,
    asked: 'Asked. The approver sees it in their queue.',
    askNote: 'Note for the approver (optional)',
    noRequests: 'This server does not take approval requests yet.',
    fourEyes: 'You approved this; another person makes the move.',
    approvalsTitle: 'Approvals',
    approvalBy: (role) => `Approval by ${role}`,
    waiting: 'waiting',
    historyApproved: (what) => `${what}: given`,
    historyAsked: (what) => `${what}: asked for`,
    migrated: (from) => `Carried over from ${from}`,
    fork: (stage) => `${stage} stays active`,
    kinds: { advance: 'advance', skip: 'skip', return: 'back', exit: 'exit' },
    forcedBecause: (reason) => `forced: ${reason}`,
    importedBy: (who) => `imported by ${who}`,
    doneOn: (when, who) => `done ${when}${who ? ` by ${who}` : ''}`,
    dueOn: (when) => `due ${when}`,
    overdueBy: (n) => `${n} day${n === 1 ? '' : 's'} overdue`,
    dueToday: 'due today',
    archivedNote: (who, when, reason) => `Archived${who ? ` by ${who}` : ''}, ${when}: ${reason}`,
    cannotEvaluate: (why) => `The deal cannot be evaluated: ${why}`,
    noStage: '(no stage)',
    noHistory: 'No history recorded.',
    noActivities: 'No activities in this stage.',
    ownerIs: (who) => `Owner: ${who}`,
    keyFields: (list) => `Still to fill: ${list}`,
    // The pages.
    tasksTitle: 'My tasks', approvalsPageTitle: 'Waiting for my approval', board: 'Board',
    signedOut: 'You are not signed in.', signInOnBoard: 'Sign in on the board',
    loading: 'Loading…', noTasks: 'No open tasks for you.', noApprovals: 'Nothing waits for your approval.',
    noApprovalsRoute: 'This server does not list approvals yet.',
    forRole: (role) => `for ${role}`, forYou: 'for you',
    stageOf: (stages) => `in ${stages}`,
    taskCount: (n) => `${n} task${n === 1 ? '' : 's'}`,
    approve: 'Approve', approvedRow: (deal) => `Approved ${deal}.`,
    notApproved: (deal, why) => `Not approved (${deal}): ${why}`,
    columns: { deal: 'Deal', owner: 'Owner', stage: 'Stage', amount: 'Amount', what: 'For', asked: 'Asked', action: '' },
    notAsked: 'not asked',
    openOnBoard: 'Open on the board',
  },
  ko: {
    approvedBy: (who, when) => `${who} 승인, ${when}`,
    askedBy: (who, when) => `${who} 요청, ${when}`,
    ask: (role) => `${role}에 승인 요청`,
    remind: (role) => `${role}에 다시 요청`,
    asked: '요청했습니다. 승인자의 대기 목록에 표시됩니다.',
    askNote: '승인자에게 남길 메모 (선택)',
    noRequests: '이 서버는 아직 승인 요청을 받지 않습니다.',
    fourEyes: '내가 승인했으므로 이동은 다른 사람이 해야 합니다.',
    approvalsTitle: '승인',
    approvalBy: (role) => `${role} 승인`,
    waiting: '대기 중',
    historyApproved: (what) => `${what}: 승인됨`,
    historyAsked: (what) => `${what}: 승인 요청됨`,
    migrated: (from) => `${from}에서 옮겨 옴`,
    fork: (stage) => `${stage} 단계 유지`,
    kinds: { advance: '진행', skip: '건너뜀', return: '되돌림', exit: '종료' },
    forcedBecause: (reason) => `강제: ${reason}`,
    importedBy: (who) => `${who}이(가) 가져옴`,
    doneOn: (when, who) => `${when} 완료${who ? ` (${who})` : ''}`,
    dueOn: (when) => `기한 ${when}`,
    overdueBy: (n) => `${n}일 지남`,
    dueToday: '오늘 기한',
    archivedNote: (who, when, reason) => `보관됨${who ? ` (${who})` : ''}, ${when}: ${reason}`,
    cannotEvaluate: (why) => `딜을 평가할 수 없습니다: ${why}`,
    noStage: '(단계 없음)',
    noHistory: '기록된 이력이 없습니다.',
    noActivities: '이 단계에는 활동이 없습니다.',
    ownerIs: (who) => `담당자: ${who}`,
    keyFields: (list) => `아직 입력할 필드: ${list}`,
    tasksTitle: '내 할 일', approvalsPageTitle: '내 승인 대기', board: '보드',
    signedOut: '로그인하지 않았습니다.', signInOnBoard: '보드에서 로그인',
    loading: '불러오는 중…', noTasks: '열린 할 일이 없습니다.', noApprovals: '승인을 기다리는 딜이 없습니다.',
    noApprovalsRoute: '이 서버는 아직 승인 대기 목록을 제공하지 않습니다.',
    forRole: (role) => `${role} 담당`, forYou: '내 담당',
    stageOf: (stages) => `${stages} 단계`,
    taskCount: (n) => `할 일 ${n}건`,
    approve: '승인', approvedRow: (deal) => `${deal}을(를) 승인했습니다.`,
    notApproved: (deal, why) => `승인하지 못함 (${deal}): ${why}`,
    columns: { deal: '딜', owner: '담당자', stage: '단계', amount: '금액', what: '승인 내용', asked: '요청', action: '' },
    notAsked: '요청 없음',
    openOnBoard: '보드에서 열기',
  },
};

/**
 * A word in the page's language (`<html lang>`, which the board sets), or a sentence made with
 * `args`; English when the language lacks it.
 */
export function say(key, ...args) {
  const found = (words[document.documentElement.lang] ?? words.en)[key] ?? words.en[key];
  return typeof found === 'function' ? found(...args) : found;
}

/** Chooses a page's language and writes its `data-text` labels in it (the tasks and approvals pages). */
export function useLanguage(lang) {
  document.documentElement.lang = words[lang] ? lang : 'en';
  for (const label of document.querySelectorAll('[data-text]')) {
    const found = say(label.dataset.text);
    if (typeof found === 'string') label.textContent = found;
  }
}
