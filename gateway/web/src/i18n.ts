// Chinese by default, English by a switch; Element Plus follows the same choice.
import { createI18n } from 'vue-i18n';
import type { Schemas } from './api/client';

// The labels of one of the API's enums (`Issue.State`: rectify.v1.Issue.State), one for each of its
// values but the unspecified one, which the JSON leaves out.
type Values<E extends string> = Extract<Schemas[`rectify.v1.${E}` & keyof Schemas], string>;
type Labels<E extends string> = Record<Exclude<Values<E>, `${string}_UNSPECIFIED`>, string>;

const zh = {
  app: { title: '生态环境保护督察整改', signOut: '退出', language: 'English', skip: '跳到主要内容' },
  nav: { label: '主导航', ledger: '整改台账', map: '作战图', escalations: '督办', desk: '督导工作台', stats: '统计', cases: '问责', public: '公示' },
  stats: {
    title: '整改情况统计', print: '打印', completed: '整改完成', closed: '验收销号', completionRate: '完成率',
    closureRate: '销号率', overdue: '逾期', onTime: '按期', byCity: '各市（地）', timing: '按期与逾期',
  },
  escalations: { respond: '回应', resolve: '办结', kind: '回应类型', cause: '督办原因', detail: '具体情况' },
  desk: {
    obligations: '报告义务', linkage: '协同联动', meetings: '会议与交办', directives: '交办事项', kind: '类型',
    due: '时限', countdown: '倒计时', left: '剩余 {t}', late: '已超时 {t}', from: '发起单位', to: '协办单位',
    action: '事项', date: '日期', chair: '主持',
  },
  cases: {
    failures: '问题类型', sanctions: '处理方式', caseN: '案件 {n}', summary: '案由', source: '案件来源', issues: '关联问题',
    opened: '立案时间', updated: '更新时间', none: '暂无案件', issue: '问题编号', subjectOrg: '问责对象单位',
    openedFrom: '立案日期起', openedTo: '立案日期止', subjects: '问责对象', subjectKind: '类别', org: '单位',
    name: '姓名', post: '职务', sanction: '处理方式', subjectN: '对象 {n}', addSubject: '添加问责对象',
    removeSubject: '移除', finding: '调查认定', noFinding: '尚未作出调查认定', facts: '认定事实',
    confirmed: '认定问题类型', evidence: '证据材料', recordedBy: '认定人', recordedAt: '认定时间',
    decision: '处理决定', decidedBy: '决定机关', decisionDate: '决定日期', dismissal: '不予问责理由',
    transfer: '移交来源', escalation: '督办事项', raised: '督办时间与对象', reopens: '重新打开的问题',
    delivery: '送达情况', attempts: '送达次数', lastError: '最近一次错误',
  },
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
    noMeasures: '无整改措施', noReports: '尚无进展报告', light: '督办灯色', level: '督办级别', size: '大小（字节）',
  },
  extensions: { title: '延期申请', none: '无延期申请', deadline: '时限（原 → 申请）', by: '申请单位', decision: '审批意见' },
  objections: { title: '公示异议', none: '无异议', text: '异议内容', filed: '提出时间' },
  reasons: {
    NOTICE_NOT_ENDED: '公示期未结束，暂不能销号', OBJECTION_PENDING: '尚有异议待裁定，暂不能销号',
    FOLLOW_UP_MISSING: '信访件须先记录回访，方可销号', EXTENSION_PENDING: '已有延期申请待审批',
    EXTENSION_DECIDED: '该延期申请已审批', OBJECTION_RULED: '该异议已裁定', NOTICE_ENDED: '公示期已结束',
    FINDING_MISSING: '须先记录调查认定，方可作出处理决定', ISSUE_NOT_FOUND: '关联的问题不在台账中',
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
    case: {
      open: '立案', startInvestigation: '启动调查', recordFinding: '记录调查认定', decide: '作出处理决定',
      close: '结案', dismiss: '决定不予问责',
    },
  },
  fields: {
    leadOrg: '牵头单位', rectifiers: '责任单位', acceptanceOrg: '验收单位', jointReviewers: '联审单位',
    deadline: '时限', klass: '整改类型', percent: '完成比例', narrative: '进展情况', selfCheck: '自查报告',
    evidence: '材料编号', decision: '结论', reason: '理由', workingDays: '公示天数（工作日）',
    reopenReason: '原因', explanation: '说明', measureUpdates: '措施进展', measureNote: '情况说明',
    ruling: '裁定理由', cause: '起因（如 inspections/3）',
    caseSource: '案件来源', issueIds: '问题编号', issueIdsHint: '多个编号以逗号分隔', failureTypes: '问题类型',
    subjects: '问责对象', summary: '案由', transferId: '移交编号', transferIdHint: '如 supervision/escalations/3',
    facts: '认定事实', confirmed: '认定问题类型', evidenceRefs: '证据材料', evidenceRefsHint: '每行一项，或以逗号分隔',
    decidedBy: '决定机关', decisionDate: '决定日期', sanctions: '处理方式', dismissReason: '不予问责理由',
  },
  // The API's enum values (their proto names, as the JSON carries them) as the office says them,
  // by enum: enumLabel('Issue.State', 'RECTIFYING').
  enums: {
    Issue: {
      State: {
        REGISTERED: '已登记', ASSIGNED: '已交办', RECTIFYING: '整改中', ACCEPTANCE_REQUESTED: '已申请验收',
        LOCALLY_ACCEPTED: '属地验收通过', PRE_EXAMINED: '行业预审通过', JOINT_REVIEWED: '联合审核通过',
        PUBLIC_NOTICE: '公示中', CLOSED: '已销号', STAGE_COMPLETED: '阶段性完成',
      } satisfies Labels<'Issue.State'>,
      Source: {
        FEEDBACK: '督察反馈问题', COMPLAINT: '信访举报件', PROVINCIAL_FINDING: '省级督察发现问题',
        LOOK_BACK_FINDING: '“回头看”发现问题',
      } satisfies Labels<'Issue.Source'>,
      Category: {
        WATER: '水环境', AIR: '大气环境', SOIL: '土壤环境', SOLID_WASTE: '固体废物', ECOLOGY: '生态保护',
        NATURE_RESERVE: '自然保护地', AGRICULTURE: '农业农村', INDUSTRY: '工业污染', OTHER: '其他',
      } satisfies Labels<'Issue.Category'>,
      RectificationClass: { IMMEDIATE: '立行立改', TIME_LIMITED: '限期整改', LONG_TERM: '长期坚持' } satisfies Labels<'Issue.RectificationClass'>,
      Priority: { NORMAL: '一般', KEY: '重点' } satisfies Labels<'Issue.Priority'>,
    },
    Decision: { APPROVE: '通过', REJECT: '不通过' } satisfies Labels<'Decision'>,
    AcceptanceStep: { ON_SITE: '现场验收', PRE_EXAMINATION: '档案预审', JOINT_REVIEW: '联合审核' } satisfies Labels<'AcceptanceStep'>,
    Reopening: {
      Reason: {
        LOOK_BACK_FINDING: '“回头看”发现', REBOUND: '问题反弹', UPHELD_OBJECTION: '公示异议成立',
        ACCOUNTABILITY_FINDING: '问责调查认定',
      } satisfies Labels<'Reopening.Reason'>,
    },
    Complaint: {
      Finding: { SUBSTANTIATED: '属实', PARTLY_SUBSTANTIATED: '部分属实', UNSUBSTANTIATED: '不属实' } satisfies Labels<'Complaint.Finding'>,
    },
    Objection: { State: { PENDING: '待裁定', UPHELD: '异议成立', DISMISSED: '已驳回' } satisfies Labels<'Objection.State'> },
    Extension: { State: { PENDING: '待审批', APPROVED: '已批准', REFUSED: '不予批准' } satisfies Labels<'Extension.State'> },
    Evidence: {
      Kind: {
        PHOTO_BEFORE: '整改前照片', PHOTO_AFTER: '整改后照片', DOCUMENT: '文件资料', MONITORING_DATA: '监测数据',
        OBJECTION_EVIDENCE: '异议材料',
      } satisfies Labels<'Evidence.Kind'>,
    },
    Region: { Level: { PROVINCE: '省', CITY: '市（地）', COUNTY: '县（市、区）' } satisfies Labels<'Region.Level'> },
    Org: {
      Kind: {
        OFFICE: '督察整改办', DEPARTMENT: '省直部门', GOVERNMENT: '地方政府', DISCIPLINE: '纪检监察机关',
        INSPECTION_TEAM: '督察组',
      } satisfies Labels<'Org.Kind'>,
    },
    Inspection: {
      Kind: {
        CENTRAL: '中央生态环境保护督察', CENTRAL_LOOK_BACK: '中央督察“回头看”', PROVINCIAL: '省级生态环境保护督察',
        SPECIAL: '专项督察',
      } satisfies Labels<'Inspection.Kind'>,
    },
    SupervisionRecord: {
      Level: { NORMAL: '一般督办', KEY: '重点督办', LISTED: '挂牌督办' } satisfies Labels<'SupervisionRecord.Level'>,
      // Unset: the issue is settled, off the board.
      Light: {
        LIGHT_UNSPECIFIED: '不再督办', GREEN: '绿灯', YELLOW: '黄灯', RED: '红灯',
      } satisfies Labels<'SupervisionRecord.Light'> & { LIGHT_UNSPECIFIED: string },
    },
    Escalation: {
      Level: { WARNING: '预警', NOTICE: '通报', INTERVIEW: '约谈', LISTED: '挂牌督办', TRANSFER: '移交问责' } satisfies Labels<'Escalation.Level'>,
      State: { OPEN: '待回应', RESPONDED: '已回应', RESOLVED: '已办结' } satisfies Labels<'Escalation.State'>,
      Cause: {
        DEADLINE_NEAR_BEHIND: '临近时限进度滞后', MONTHLY_REPORT_MISSED: '未按月报送进展', OBLIGATION_MISSED: '未按时履行报告义务',
        LINKAGE_LATE: '协同联动超时', DIRECTIVE_OVERDUE: '交办事项逾期', OVERDUE: '整改逾期', REPEATED_NOTICES: '多次通报',
        REPEATED_REJECTIONS: '验收多次未通过', INTERVIEW_UNANSWERED: '约谈后未回应', LISTED_STILL_OVERDUE: '挂牌后仍逾期',
        BY_HAND: '人工督办',
      } satisfies Labels<'Escalation.Cause'>,
      ResponseKind: {
        INTERVIEW_RECORD: '约谈记录', COMMITMENT: '整改承诺', EXPLANATION: '情况说明',
      } satisfies Labels<'Escalation.ResponseKind'>,
      Transfer: { State: { PENDING: '待移交', DELIVERED: '已移交', REFUSED: '未受理' } satisfies Labels<'Escalation.Transfer.State'> },
    },
    Obligation: {
      Kind: {
        PROVINCE_SIGN_OFF: '省级签收', CITY_SIGN_OFF: '市级签收', COUNTY_SIGN_OFF: '县级签收', RECEIPT_REPORT: '接收情况报告',
        VERIFICATION_REPORT: '核查情况报告', PLAN_REPORT: '整改方案报告', PROGRESS_REPORT: '整改进展报告',
        COMPLETION_REPORT: '整改完成报告',
      } satisfies Labels<'Obligation.Kind'>,
      State: { PENDING: '待履行', MET: '已履行', MISSED: '未按时履行' } satisfies Labels<'Obligation.State'>,
    },
    LinkageRequest: {
      State: { PENDING: '待响应', ACCEPTED: '已接受', DONE: '已办结', DECLINED: '已拒绝' } satisfies Labels<'LinkageRequest.State'>,
    },
    Directive: { State: { OPEN: '办理中', DONE: '已办结' } satisfies Labels<'Directive.State'> },
    Meeting: {
      Kind: { LEADING_GROUP: '领导小组会议', SPECIAL_DEPLOYMENT: '专题部署会', ON_SITE_PROMOTION: '现场推进会' } satisfies Labels<'Meeting.Kind'>,
    },
    Case: {
      State: { OPEN: '已立案', INVESTIGATING: '调查中', DECIDED: '已作出处理', CLOSED: '已结案', DISMISSED: '不予问责' } satisfies Labels<'Case.State'>,
      Source: {
        TRANSFER: '移交问责', LOOK_BACK: '“回头看”', INSPECTION: '督察发现', COMPLAINT: '信访举报', OTHER: '其他',
      } satisfies Labels<'Case.Source'>,
      FailureType: {
        INCOMPLETE: '整改不彻底', INADEQUATE: '整改不到位', LOW_STANDARD: '标准不高', PERFUNCTORY: '敷衍整改',
        FALSE: '虚假整改', SUPERFICIAL: '表面整改',
      } satisfies Labels<'Case.FailureType'>,
    },
    Sanction: {
      CRITICISM_AND_EDUCATION: '批评教育', ADMONISHMENT: '诫勉', CIRCULATED_CRITICISM: '通报批评', WARNING: '警告',
      SERIOUS_WARNING: '严重警告', DEMERIT: '记过', MAJOR_DEMERIT: '记大过', DEMOTION: '降级', REMOVAL_FROM_POST: '撤职',
      DISMISSAL: '开除', ORGANISATIONAL_ADJUSTMENT: '组织调整',
    } satisfies Labels<'Sanction'>,
    Subject: { Kind: { ORG: '单位', OFFICIAL: '个人' } satisfies Labels<'Subject.Kind'> },
    ReopenDelivery: { State: { PENDING: '待送达', DELIVERED: '已送达', SKIPPED: '无需重新打开' } satisfies Labels<'ReopenDelivery.State'> },
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
  escalations: { respond: 'Respond', resolve: 'Resolve', kind: 'Response kind', cause: 'Cause', detail: 'Detail' },
  desk: {
    obligations: 'Report obligations', linkage: 'Linkage', meetings: 'Meetings and directives',
    directives: 'Directives', kind: 'Kind', due: 'Due', countdown: 'Countdown', left: '{t} left',
    late: '{t} late', from: 'From', to: 'To', action: 'Action', date: 'Date', chair: 'Chair',
  },
  cases: {
    failures: 'Failure types', sanctions: 'Sanctions', caseN: 'Case {n}', summary: 'Summary', source: 'Source',
    issues: 'Issues', opened: 'Opened', updated: 'Updated', none: 'No cases', issue: 'Issue no.',
    subjectOrg: 'Subject org', openedFrom: 'Opened from', openedTo: 'Opened to', subjects: 'Held to account',
    subjectKind: 'Kind', org: 'Org', name: 'Name', post: 'Post', sanction: 'Sanction', subjectN: 'Subject {n}',
    addSubject: 'Add a subject', removeSubject: 'Remove', finding: 'Finding', noFinding: 'No finding recorded yet',
    facts: 'Facts found', confirmed: 'Failures confirmed', evidence: 'Evidence', recordedBy: 'Recorded by',
    recordedAt: 'Recorded at', decision: 'Decision', decidedBy: 'Decided by', decisionDate: 'Decision date',
    dismissal: 'Reasons for dismissal', transfer: 'Transferred from', escalation: 'Escalation',
    raised: 'Raised, and to whom', reopens: 'Issues reopened', delivery: 'Delivery', attempts: 'Attempts',
    lastError: 'Last error',
  },
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
    noMeasures: 'No measures', noReports: 'No progress reported yet', light: 'Light', level: 'Supervision level', size: 'Size (bytes)',
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
    FINDING_MISSING: 'Record the finding before deciding', ISSUE_NOT_FOUND: 'A linked issue is not in the ledger',
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
    case: {
      open: 'Open a case', startInvestigation: 'Start the investigation', recordFinding: 'Record the finding',
      decide: 'Decide', close: 'Close the case', dismiss: 'Dismiss',
    },
  },
  fields: {
    leadOrg: 'Lead org', rectifiers: 'Rectifying orgs', acceptanceOrg: 'Acceptance org',
    jointReviewers: 'Joint reviewers', deadline: 'Deadline', klass: 'Class', percent: 'Percent done',
    narrative: 'Narrative', selfCheck: 'Self-check', evidence: 'Evidence ids', decision: 'Decision',
    reason: 'Reason', workingDays: 'Working days', reopenReason: 'Reason', explanation: 'Explanation',
    measureUpdates: 'Measures', measureNote: 'Note', ruling: 'Reasons for the ruling',
    cause: 'Cause (e.g. inspections/3)',
    caseSource: 'Source', issueIds: 'Issue nos.', issueIdsHint: 'Several separated by commas',
    failureTypes: 'Failure types', subjects: 'Held to account', summary: 'Summary', transferId: 'Transfer',
    transferIdHint: 'e.g. supervision/escalations/3', facts: 'Facts found', confirmed: 'Failures confirmed',
    evidenceRefs: 'Evidence', evidenceRefsHint: 'One a line, or separated by commas', decidedBy: 'Decided by',
    decisionDate: 'Decision date', sanctions: 'Sanctions', dismissReason: 'Reasons for dismissal',
  },
  enums: {
    Issue: {
      State: {
        REGISTERED: 'Registered', ASSIGNED: 'Assigned', RECTIFYING: 'Rectifying', ACCEPTANCE_REQUESTED: 'Acceptance requested',
        LOCALLY_ACCEPTED: 'Locally accepted', PRE_EXAMINED: 'Pre-examined', JOINT_REVIEWED: 'Jointly reviewed',
        PUBLIC_NOTICE: 'In public notice', CLOSED: 'Closed', STAGE_COMPLETED: 'Stage completed',
      },
      Source: {
        FEEDBACK: 'Inspection feedback', COMPLAINT: 'Complaint', PROVINCIAL_FINDING: 'Provincial finding',
        LOOK_BACK_FINDING: 'Look-back finding',
      },
      Category: {
        WATER: 'Water', AIR: 'Air', SOIL: 'Soil', SOLID_WASTE: 'Solid waste', ECOLOGY: 'Ecology',
        NATURE_RESERVE: 'Nature reserves', AGRICULTURE: 'Agriculture', INDUSTRY: 'Industry', OTHER: 'Other',
      },
      RectificationClass: { IMMEDIATE: 'Immediate', TIME_LIMITED: 'Time-limited', LONG_TERM: 'Long-term' },
      Priority: { NORMAL: 'Normal', KEY: 'Key' },
    },
    Decision: { APPROVE: 'Approve', REJECT: 'Reject' },
    AcceptanceStep: { ON_SITE: 'On-site acceptance', PRE_EXAMINATION: 'Pre-examination', JOINT_REVIEW: 'Joint review' },
    Reopening: {
      Reason: {
        LOOK_BACK_FINDING: 'Look-back finding', REBOUND: 'Rebound', UPHELD_OBJECTION: 'Upheld objection',
        ACCOUNTABILITY_FINDING: 'Accountability finding',
      },
    },
    Complaint: {
      Finding: { SUBSTANTIATED: 'Substantiated', PARTLY_SUBSTANTIATED: 'Partly substantiated', UNSUBSTANTIATED: 'Unsubstantiated' },
    },
    Objection: { State: { PENDING: 'Pending', UPHELD: 'Upheld', DISMISSED: 'Dismissed' } },
    Extension: { State: { PENDING: 'Pending', APPROVED: 'Approved', REFUSED: 'Refused' } },
    Evidence: {
      Kind: {
        PHOTO_BEFORE: 'Photo before', PHOTO_AFTER: 'Photo after', DOCUMENT: 'Document', MONITORING_DATA: 'Monitoring data',
        OBJECTION_EVIDENCE: 'Objection evidence',
      },
    },
    Region: { Level: { PROVINCE: 'Province', CITY: 'City', COUNTY: 'County' } },
    Org: {
      Kind: {
        OFFICE: 'Rectification office', DEPARTMENT: 'Department', GOVERNMENT: 'Local government',
        DISCIPLINE: 'Discipline inspection', INSPECTION_TEAM: 'Inspection team',
      },
    },
    Inspection: {
      Kind: {
        CENTRAL: 'Central inspection', CENTRAL_LOOK_BACK: 'Central look-back', PROVINCIAL: 'Provincial inspection',
        SPECIAL: 'Special inspection',
      },
    },
    SupervisionRecord: {
      Level: { NORMAL: 'Normal', KEY: 'Key', LISTED: 'Listed' },
      Light: { LIGHT_UNSPECIFIED: 'Off the board', GREEN: 'Green', YELLOW: 'Yellow', RED: 'Red' },
    },
    Escalation: {
      Level: {
        WARNING: 'Warning', NOTICE: 'Notice', INTERVIEW: 'Interview', LISTED: 'Listed', TRANSFER: 'Transfer for accountability',
      },
      State: { OPEN: 'Open', RESPONDED: 'Responded', RESOLVED: 'Resolved' },
      Cause: {
        DEADLINE_NEAR_BEHIND: 'Behind near the deadline', MONTHLY_REPORT_MISSED: 'Monthly report missed',
        OBLIGATION_MISSED: 'Report obligation missed', LINKAGE_LATE: 'Linkage late', DIRECTIVE_OVERDUE: 'Directive overdue',
        OVERDUE: 'Overdue', REPEATED_NOTICES: 'Repeated notices', REPEATED_REJECTIONS: 'Repeated rejections',
        INTERVIEW_UNANSWERED: 'Interview unanswered', LISTED_STILL_OVERDUE: 'Still overdue after listing',
        BY_HAND: 'By hand',
      },
      ResponseKind: { INTERVIEW_RECORD: 'Interview record', COMMITMENT: 'Commitment', EXPLANATION: 'Explanation' },
      Transfer: { State: { PENDING: 'Pending', DELIVERED: 'Delivered', REFUSED: 'Refused' } },
    },
    Obligation: {
      Kind: {
        PROVINCE_SIGN_OFF: 'Province sign-off', CITY_SIGN_OFF: 'City sign-off', COUNTY_SIGN_OFF: 'County sign-off',
        RECEIPT_REPORT: 'Receipt report', VERIFICATION_REPORT: 'Verification report', PLAN_REPORT: 'Plan report',
        PROGRESS_REPORT: 'Progress report', COMPLETION_REPORT: 'Completion report',
      },
      State: { PENDING: 'Pending', MET: 'Met', MISSED: 'Missed' },
    },
    LinkageRequest: { State: { PENDING: 'Pending', ACCEPTED: 'Accepted', DONE: 'Done', DECLINED: 'Declined' } },
    Directive: { State: { OPEN: 'Open', DONE: 'Done' } },
    Meeting: {
      Kind: {
        LEADING_GROUP: 'Leading group meeting', SPECIAL_DEPLOYMENT: 'Special deployment meeting',
        ON_SITE_PROMOTION: 'On-site promotion meeting',
      },
    },
    Case: {
      State: { OPEN: 'Open', INVESTIGATING: 'Investigating', DECIDED: 'Decided', CLOSED: 'Closed', DISMISSED: 'Dismissed' },
      Source: { TRANSFER: 'Transfer', LOOK_BACK: 'Look-back', INSPECTION: 'Inspection', COMPLAINT: 'Complaint', OTHER: 'Other' },
      FailureType: {
        INCOMPLETE: 'Incomplete', INADEQUATE: 'Inadequate', LOW_STANDARD: 'Low standard', PERFUNCTORY: 'Perfunctory',
        FALSE: 'False', SUPERFICIAL: 'Superficial',
      },
    },
    Sanction: {
      CRITICISM_AND_EDUCATION: 'Criticism and education', ADMONISHMENT: 'Admonishment', CIRCULATED_CRITICISM: 'Circulated criticism',
      WARNING: 'Warning', SERIOUS_WARNING: 'Serious warning', DEMERIT: 'Demerit', MAJOR_DEMERIT: 'Major demerit',
      DEMOTION: 'Demotion', REMOVAL_FROM_POST: 'Removal from post', DISMISSAL: 'Dismissal',
      ORGANISATIONAL_ADJUSTMENT: 'Organisational adjustment',
    },
    Subject: { Kind: { ORG: 'Org', OFFICIAL: 'Official' } },
    ReopenDelivery: { State: { PENDING: 'Pending', DELIVERED: 'Delivered', SKIPPED: 'Nothing to reopen' } },
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

// "Issue.State", "Escalation.Transfer.State", ...: the enums labelled above, by their proto names.
type Names<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends Record<string, string> ? `${P}${K}` : Names<T[K], `${P}${K}.`>;
}[keyof T & string];
export type EnumName = Names<typeof zh.enums>;

// An enum value from the API in the language shown (RECTIFYING: 整改中, Rectifying); a value the
// portal has no label for shows as it is, an absent one as nothing.
export function enumLabel(name: EnumName, value?: string | null): string {
  if (!value) return '';
  const key = `enums.${name}.${value}`;
  return i18n.global.te(key) ? i18n.global.t(key) : value;
}
