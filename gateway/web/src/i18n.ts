// Chinese by default, English by a switch; Element Plus follows the same choice.
import { createI18n } from 'vue-i18n';

const zh = {
  app: { title: '生态环境保护督察整改', signOut: '退出', language: 'English', skip: '跳到主要内容' },
  nav: { label: '主导航', ledger: '整改台账', map: '作战图', escalations: '督办', desk: '督导工作台', stats: '统计', cases: '问责', public: '公示' },
  stats: {
    title: '整改情况统计', print: '打印', completed: '整改完成', closed: '验收销号', completionRate: '完成率',
    closureRate: '销号率', overdue: '逾期', onTime: '按期', byCity: '各市（地）', timing: '按期与逾期',
  },
  escalations: { respond: '回应', resolve: '办结', kind: '回应类型' },
  desk: {
    obligations: '报告义务', linkage: '协同联动', meetings: '会议与交办', directives: '交办事项', kind: '类型',
    due: '时限', countdown: '倒计时', left: '剩余 {t}', late: '已超时 {t}', from: '发起单位', to: '协办单位',
    action: '事项', date: '日期', chair: '主持',
  },
  cases: { failures: '问题类型', sanctions: '处理方式' },
  signIn: {
    title: '登录', dev: '开发登录', paste: '粘贴令牌', role: '角色', org: '单位', region: '区划代码',
    token: '令牌', submit: '登录', badToken: '令牌无效或已过期',
  },
  role: {
    office: '省督察整改办', department: '省直部门', city: '市（地）政府', county: '县（市、区）政府',
    supervisor: '督导组', discipline: '纪检监察', public: '公众',
  },
  ledger: {
    filters: '筛选', state: '状态', region: '区划', category: '类别', source: '来源', klass: '整改类型',
    leadOrg: '牵头单位', overdue: '仅逾期', deadline: '整改时限', text: '标题包含', search: '查询',
    reset: '重置', export: '导出 Excel', exportCsv: '导出 CSV', more: '下一页', first: '第一页',
    title: '问题', id: '编号', progress: '进度', total: '合计', live: '实时更新', offline: '未连接',
    order: '排序', anyRegion: '全部区划', anyOrg: '全部单位', deadlineFrom: '时限起', deadlineTo: '时限止',
    orders: {
      deadline: '整改时限（由近及远）', deadline_desc: '整改时限（由远及近）', create_time: '登记时间（由早到晚）',
      create_time_desc: '登记时间（由晚到早）', update_time: '更新时间（由早到晚）', update_time_desc: '更新时间（由晚到早）',
    },
    orgKinds: { DEPARTMENT: '省直部门', GOVERNMENT: '地方政府' },
  },
  issue: {
    fields: '基本信息', measures: '整改措施', targets: '整改目标', progress: '整改进展',
    closure: '验收销号', dossier: '一案一档', history: '履历', verified: '链式校验通过',
    notVerified: '链式校验未通过', escalations: '督办', cases: '问责案件', supervision: '督导记录',
    upload: '上传材料', download: '下载', kind: '材料类别', withheld: '无权查看', unavailable: '暂不可用',
    acknowledge: '签收', save: '提交', measureDone: '已完成', doneOn: '已完成（{d}）',
    noMeasures: '无整改措施',
  },
  extensions: { title: '延期申请', none: '无延期申请', deadline: '时限（原 → 申请）', by: '申请单位', decision: '审批意见' },
  objections: { title: '公示异议', none: '无异议', text: '异议内容', filed: '提出时间' },
  reasons: {
    NOTICE_NOT_ENDED: '公示期未结束，暂不能销号', OBJECTION_PENDING: '尚有异议待裁定，暂不能销号',
    FOLLOW_UP_MISSING: '信访件须先记录回访，方可销号', EXTENSION_PENDING: '已有延期申请待审批',
    EXTENSION_DECIDED: '该延期申请已审批', OBJECTION_RULED: '该异议已裁定', NOTICE_ENDED: '公示期已结束',
  },
  steps: ['申请验收', '属地验收', '行业预审', '联合审核', '公示', '销号'],
  map: { title: '全省整改作战图', green: '正常', yellow: '预警', red: '督办', escalations: '督办层级', back: '返回全省' },
  publicBoard: {
    title: '整改公示', notice: '公示中', closed: '已销号', objection: '提出异议', reason: '异议内容',
    contact: '联系方式', submit: '提交异议', period: '公示期', summary: '整改情况', limited: '提交过于频繁，请 {s} 秒后再试', thanks: '异议已提交',
  },
  error: { retry: '请稍后重试' },
  actions: {
    assign: '交办', acknowledge: '签收', reportProgress: '报送进展', requestAcceptance: '申请验收',
    review: { ON_SITE: '现场验收', PRE_EXAMINATION: '档案预审', JOINT_REVIEW: '联合审核' },
    openPublicNotice: '公示', close: '销号', reopen: '重新打开', requestExtension: '申请延期',
    decideExtension: { approve: '批准延期', refuse: '不予批准' },
    ruleObjection: { uphold: '异议成立', dismiss: '驳回异议' },
  },
  fields: {
    leadOrg: '牵头单位', rectifiers: '责任单位', acceptanceOrg: '验收单位', jointReviewers: '联审单位',
    deadline: '时限', klass: '整改类型', percent: '完成比例', narrative: '进展情况', selfCheck: '自查报告',
    evidence: '材料编号', decision: '结论', reason: '理由', workingDays: '公示天数（工作日）',
    reopenReason: '原因', explanation: '说明', measureUpdates: '措施进展', measureNote: '情况说明',
    ruling: '裁定理由', cause: '起因（如 inspections/3）',
  },
};

const en: typeof zh = {
  app: { title: 'Inspection Rectification', signOut: 'Sign out', language: '中文', skip: 'Skip to main content' },
  nav: { label: 'Main navigation', ledger: 'Ledger', map: 'Battle map', escalations: 'Escalations', desk: 'Desk', stats: 'Statistics', cases: 'Accountability', public: 'Public board' },
  stats: {
    title: 'Rectification statistics', print: 'Print', completed: 'Rectified', closed: 'Accepted and closed',
    completionRate: 'Completion rate', closureRate: 'Closure rate', overdue: 'Overdue', onTime: 'On time',
    byCity: 'By city', timing: 'On time against overdue',
  },
  escalations: { respond: 'Respond', resolve: 'Resolve', kind: 'Response kind' },
  desk: {
    obligations: 'Report obligations', linkage: 'Linkage', meetings: 'Meetings and directives',
    directives: 'Directives', kind: 'Kind', due: 'Due', countdown: 'Countdown', left: '{t} left',
    late: '{t} late', from: 'From', to: 'To', action: 'Action', date: 'Date', chair: 'Chair',
  },
  cases: { failures: 'Failure types', sanctions: 'Sanctions' },
  signIn: {
    title: 'Sign in', dev: 'Development sign-in', paste: 'Paste a token', role: 'Role', org: 'Org',
    region: 'Region code', token: 'Token', submit: 'Sign in', badToken: 'The token is invalid or expired',
  },
  role: {
    office: 'Provincial office', department: 'Department', city: 'City government',
    county: 'County government', supervisor: 'Supervisor', discipline: 'Discipline inspection',
    public: 'Public',
  },
  ledger: {
    filters: 'Filters', state: 'State', region: 'Region', category: 'Category', source: 'Source',
    klass: 'Class', leadOrg: 'Lead org', overdue: 'Overdue only', deadline: 'Deadline',
    text: 'Title contains', search: 'Search', reset: 'Reset', export: 'Export Excel',
    exportCsv: 'Export CSV', more: 'Next page', first: 'First page', title: 'Issue', id: 'No.',
    progress: 'Progress', total: 'Total', live: 'Live', offline: 'Offline',
    order: 'Order', anyRegion: 'All regions', anyOrg: 'All orgs', deadlineFrom: 'Deadline from',
    deadlineTo: 'Deadline to',
    orders: {
      deadline: 'Deadline, soonest first', deadline_desc: 'Deadline, latest first',
      create_time: 'Registered, oldest first', create_time_desc: 'Registered, newest first',
      update_time: 'Updated, oldest first', update_time_desc: 'Updated, newest first',
    },
    orgKinds: { DEPARTMENT: 'Departments', GOVERNMENT: 'Governments' },
  },
  issue: {
    fields: 'Details', measures: 'Measures', targets: 'Targets', progress: 'Progress', closure: 'Closure',
    dossier: 'Dossier', history: 'History', verified: 'Chain verified', notVerified: 'Chain broken',
    escalations: 'Escalations', cases: 'Cases', supervision: 'Supervision', upload: 'Upload',
    download: 'Download', kind: 'Kind', withheld: 'Not yours to see', unavailable: 'Unavailable now',
    acknowledge: 'Acknowledge', save: 'Submit', measureDone: 'Done', doneOn: 'Done ({d})',
    noMeasures: 'No measures',
  },
  extensions: {
    title: 'Deadline extensions', none: 'No extension requests', deadline: 'Deadline (current → requested)',
    by: 'Requested by', decision: 'Decision',
  },
  objections: { title: 'Objections', none: 'No objections', text: 'Objection', filed: 'Filed' },
  reasons: {
    NOTICE_NOT_ENDED: 'The public notice has not ended; the issue cannot be closed yet',
    OBJECTION_PENDING: 'An objection awaits a ruling; the issue cannot be closed yet',
    FOLLOW_UP_MISSING: 'A complaint is closed only after its follow-up visit is recorded',
    EXTENSION_PENDING: 'An extension request already awaits a decision',
    EXTENSION_DECIDED: 'The extension request was already decided',
    OBJECTION_RULED: 'The objection was already ruled on', NOTICE_ENDED: 'The public notice has ended',
  },
  steps: ['Applied', 'Local acceptance', 'Pre-examination', 'Joint review', 'Public notice', 'Closed'],
  map: { title: 'Province battle map', green: 'On track', yellow: 'Warning', red: 'Escalated', escalations: 'Escalation levels', back: 'Back to the province' },
  publicBoard: {
    title: 'Public notice board', notice: 'In public notice', closed: 'Closed', objection: 'Object',
    reason: 'Your objection', contact: 'Contact', submit: 'Submit objection', period: 'Notice period',
    summary: 'Rectification',
    limited: 'Too many requests; try again in {s} s', thanks: 'Objection filed',
  },
  error: { retry: 'Please try again later' },
  actions: {
    assign: 'Assign', acknowledge: 'Acknowledge', reportProgress: 'Report progress',
    requestAcceptance: 'Apply for acceptance',
    review: { ON_SITE: 'On-site acceptance', PRE_EXAMINATION: 'Pre-examination', JOINT_REVIEW: 'Joint review' },
    openPublicNotice: 'Public notice', close: 'Close', reopen: 'Reopen', requestExtension: 'Request extension',
    decideExtension: { approve: 'Approve', refuse: 'Refuse' },
    ruleObjection: { uphold: 'Uphold', dismiss: 'Dismiss' },
  },
  fields: {
    leadOrg: 'Lead org', rectifiers: 'Rectifying orgs', acceptanceOrg: 'Acceptance org',
    jointReviewers: 'Joint reviewers', deadline: 'Deadline', klass: 'Class', percent: 'Percent done',
    narrative: 'Narrative', selfCheck: 'Self-check', evidence: 'Evidence ids', decision: 'Decision',
    reason: 'Reason', workingDays: 'Working days', reopenReason: 'Reason', explanation: 'Explanation',
    measureUpdates: 'Measures', measureNote: 'Note', ruling: 'Reasons for the ruling',
    cause: 'Cause (e.g. inspections/3)',
  },
};

export const i18n = createI18n({ legacy: false, locale: 'zh-CN', fallbackLocale: 'zh-CN', messages: { 'zh-CN': zh, en } });

// Dates in the province's time (UTC+8), whatever the browser's zone.
export function provinceTime(iso?: string): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString(i18n.global.locale.value === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour12: false,
  });
}
