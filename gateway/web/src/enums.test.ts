import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS } from './actions';
import { enumLabel, i18n, type EnumName } from './i18n';

// Every value of every enum the API returns, from protos/rectify/v1 (the unspecified value left
// out: the JSON omits it; the light's stands for an issue settled, off the board).
const ENUMS: Record<EnumName, string[]> = {
  'Issue.State': ['REGISTERED', 'ASSIGNED', 'RECTIFYING', 'ACCEPTANCE_REQUESTED', 'LOCALLY_ACCEPTED',
    'PRE_EXAMINED', 'JOINT_REVIEWED', 'PUBLIC_NOTICE', 'CLOSED', 'STAGE_COMPLETED'],
  'Issue.Source': ['FEEDBACK', 'COMPLAINT', 'PROVINCIAL_FINDING', 'LOOK_BACK_FINDING'],
  'Issue.Category': ['WATER', 'AIR', 'SOIL', 'SOLID_WASTE', 'ECOLOGY', 'NATURE_RESERVE', 'AGRICULTURE',
    'INDUSTRY', 'OTHER'],
  'Issue.RectificationClass': ['IMMEDIATE', 'TIME_LIMITED', 'LONG_TERM'],
  'Issue.Priority': ['NORMAL', 'KEY'],
  Decision: ['APPROVE', 'REJECT'],
  AcceptanceStep: ['ON_SITE', 'PRE_EXAMINATION', 'JOINT_REVIEW'],
  'Reopening.Reason': ['LOOK_BACK_FINDING', 'REBOUND', 'UPHELD_OBJECTION', 'ACCOUNTABILITY_FINDING'],
  'Complaint.Finding': ['SUBSTANTIATED', 'PARTLY_SUBSTANTIATED', 'UNSUBSTANTIATED'],
  'Objection.State': ['PENDING', 'UPHELD', 'DISMISSED'],
  'Extension.State': ['PENDING', 'APPROVED', 'REFUSED'],
  'Evidence.Kind': ['PHOTO_BEFORE', 'PHOTO_AFTER', 'DOCUMENT', 'MONITORING_DATA', 'OBJECTION_EVIDENCE'],
  'Region.Level': ['PROVINCE', 'CITY', 'COUNTY'],
  'Org.Kind': ['OFFICE', 'DEPARTMENT', 'GOVERNMENT', 'DISCIPLINE', 'INSPECTION_TEAM'],
  'Inspection.Kind': ['CENTRAL', 'CENTRAL_LOOK_BACK', 'PROVINCIAL', 'SPECIAL'],
  'SupervisionRecord.Level': ['NORMAL', 'KEY', 'LISTED'],
  'SupervisionRecord.Light': ['LIGHT_UNSPECIFIED', 'GREEN', 'YELLOW', 'RED'],
  'Escalation.Level': ['WARNING', 'NOTICE', 'INTERVIEW', 'LISTED', 'TRANSFER'],
  'Escalation.State': ['OPEN', 'RESPONDED', 'RESOLVED'],
  'Escalation.Cause': ['DEADLINE_NEAR_BEHIND', 'MONTHLY_REPORT_MISSED', 'OBLIGATION_MISSED', 'LINKAGE_LATE',
    'DIRECTIVE_OVERDUE', 'OVERDUE', 'REPEATED_NOTICES', 'REPEATED_REJECTIONS', 'INTERVIEW_UNANSWERED',
    'LISTED_STILL_OVERDUE', 'BY_HAND'],
  'Escalation.ResponseKind': ['INTERVIEW_RECORD', 'COMMITMENT', 'EXPLANATION'],
  'Escalation.Transfer.State': ['PENDING', 'DELIVERED', 'REFUSED'],
  'Obligation.Kind': ['PROVINCE_SIGN_OFF', 'CITY_SIGN_OFF', 'COUNTY_SIGN_OFF', 'RECEIPT_REPORT',
    'VERIFICATION_REPORT', 'PLAN_REPORT', 'PROGRESS_REPORT', 'COMPLETION_REPORT'],
  'Obligation.State': ['PENDING', 'MET', 'MISSED'],
  'LinkageRequest.State': ['PENDING', 'ACCEPTED', 'DONE', 'DECLINED'],
  'Directive.State': ['OPEN', 'DONE'],
  'Meeting.Kind': ['LEADING_GROUP', 'SPECIAL_DEPLOYMENT', 'ON_SITE_PROMOTION'],
  'Case.State': ['OPEN', 'INVESTIGATING', 'DECIDED', 'CLOSED', 'DISMISSED'],
  'Case.Source': ['TRANSFER', 'LOOK_BACK', 'INSPECTION', 'COMPLAINT', 'OTHER'],
  'Case.FailureType': ['INCOMPLETE', 'INADEQUATE', 'LOW_STANDARD', 'PERFUNCTORY', 'FALSE', 'SUPERFICIAL'],
  Sanction: ['CRITICISM_AND_EDUCATION', 'ADMONISHMENT', 'CIRCULATED_CRITICISM', 'WARNING', 'SERIOUS_WARNING',
    'DEMERIT', 'MAJOR_DEMERIT', 'DEMOTION', 'REMOVAL_FROM_POST', 'DISMISSAL', 'ORGANISATIONAL_ADJUSTMENT'],
  'Subject.Kind': ['ORG', 'OFFICIAL'],
  'ReopenDelivery.State': ['PENDING', 'DELIVERED', 'SKIPPED'],
};
// Enums only of requests, never shown: no labels.
const REQUEST_ONLY = ['ExportLedgerRequest.Format', 'LinkageRequest.Answer'];

// The API's protos, as text.
const PROTOS = import.meta.glob<string>('../../../protos/rectify/v1/*.proto', { query: '?raw', import: 'default', eager: true });

// The enums the protos declare, by their names inside the package (nested in messages:
// "Escalation.Transfer.State"), with their values but the zero one.
function protoEnums(): Map<string, string[]> {
  const enums = new Map<string, string[]>();
  for (const proto of Object.values(PROTOS)) {
    const text = proto.replace(/\/\/.*$/gm, '');
    const scopes: Array<{ name: string; kind: string }> = [];
    for (const m of text.matchAll(/\b(message|enum|oneof)\s+(\w+)\s*\{|[{}]|\b([A-Z][A-Z0-9_]*)\s*=\s*(\d+)\s*;/g)) {
      if (m[1]) scopes.push({ name: m[2], kind: m[1] });
      else if (m[0] === '{') scopes.push({ name: '', kind: '' }); // a service, an rpc, an option
      else if (m[0] === '}') scopes.pop();
      else if (scopes.at(-1)?.kind === 'enum' && m[4] !== '0') {
        const name = scopes.filter((s) => s.kind === 'message' || s.kind === 'enum').map((s) => s.name).join('.');
        enums.set(name, [...(enums.get(name) ?? []), m[3]]);
      }
    }
  }
  return enums;
}

// The labels of one enum in one language, as the messages hold them.
function labels(locale: 'zh-CN' | 'en', name: string): Record<string, string> {
  let node: unknown = (i18n.global.messages.value[locale] as { enums: unknown }).enums;
  for (const part of name.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return (node ?? {}) as Record<string, string>;
}

describe("the API's enums", () => {
  afterEach(() => {
    i18n.global.locale.value = 'zh-CN';
  });

  it('are the ones the protos declare, with the same values', () => {
    const declared = protoEnums();
    expect([...declared.keys()].sort()).toEqual([...Object.keys(ENUMS), ...REQUEST_ONLY].sort());
    for (const [name, values] of Object.entries(ENUMS)) {
      expect(values.filter((v) => v !== 'LIGHT_UNSPECIFIED'), name).toEqual(declared.get(name));
    }
  });

  it.each(Object.entries(ENUMS))('%s: every value has a Chinese and an English label, and no other', (name, values) => {
    const zh = labels('zh-CN', name);
    const en = labels('en', name);
    expect(Object.keys(zh).sort()).toEqual([...values].sort());
    expect(Object.keys(en).sort()).toEqual([...values].sort());
    for (const v of values) {
      expect(zh[v], `${name}.${v} in Chinese`).toMatch(/[\u4e00-\u9fff]/);
      expect(en[v], `${name}.${v} in English`).toMatch(/^[A-Z][a-z]/);
    }
  });

  it('are shown in the language chosen, an unknown value as it is, an absent one as nothing', () => {
    expect(enumLabel('Issue.State', 'RECTIFYING')).toBe('整改中');
    expect(enumLabel('Escalation.Level', 'LISTED')).toBe('挂牌督办');
    expect(enumLabel('Issue.State', 'SOMETHING_NEW')).toBe('SOMETHING_NEW');
    expect(enumLabel('Issue.State', undefined)).toBe('');
    i18n.global.locale.value = 'en';
    expect(enumLabel('Issue.State', 'RECTIFYING')).toBe('Rectifying');
    expect(enumLabel('Escalation.Level', 'LISTED')).toBe('Listed');
  });

  it("label the options of the actions' selects", () => {
    for (const a of Object.values(ACTIONS)) {
      for (const f of a.fields.filter((f) => f.kind === 'select')) {
        expect(f.enum, `${a.key} ${f.name}`).toBeDefined();
        for (const o of f.options ?? []) expect(ENUMS[f.enum!], `${a.key} ${f.name} ${o}`).toContain(o);
      }
    }
  });
});
