// Accountability cases in the portal, as the accountability service rules them
// (accountability-service/domain/case_docket.cc; the service still decides every call): who is
// offered what on a case, each action's form, path and body, where the service's field violations
// go in a form, and the cases list's filters (in the URL, and as ListCases' filter expression).
//
//   - The office, supervisors and discipline open cases (services too, not from the portal).
//   - Only discipline acts on a case: OPEN → INVESTIGATING (start the investigation) → DECIDED (a
//     decision, with a sanction for every subject, once a finding is recorded; a finding may be
//     recorded again while investigating) → CLOSED; a case OPEN or INVESTIGATING may be dismissed.
//   - Discipline, the office and supervisors see every case and the figures; a city, county or
//     department the cases naming its org, without the officials' names and posts.
import { namesField, type Case, type FieldViolation } from './api/client';
import type { EnumName } from './i18n';
import type { Role } from './session';

export const CASE_STATES = ['OPEN', 'INVESTIGATING', 'DECIDED', 'CLOSED', 'DISMISSED'];
export const CASE_SOURCES = ['TRANSFER', 'LOOK_BACK', 'INSPECTION', 'COMPLAINT', 'OTHER'];
export const FAILURE_TYPES = ['INCOMPLETE', 'INADEQUATE', 'LOW_STANDARD', 'PERFUNCTORY', 'FALSE', 'SUPERFICIAL'];
export const SANCTIONS = [
  'CRITICISM_AND_EDUCATION', 'ADMONISHMENT', 'CIRCULATED_CRITICISM', 'WARNING', 'SERIOUS_WARNING', 'DEMERIT',
  'MAJOR_DEMERIT', 'DEMOTION', 'REMOVAL_FROM_POST', 'DISMISSAL', 'ORGANISATIONAL_ADJUSTMENT',
];
export const SUBJECT_KINDS = ['ORG', 'OFFICIAL'];
// The way a case goes when it is not dismissed, for the stepper.
export const CASE_COURSE = ['OPEN', 'INVESTIGATING', 'DECIDED', 'CLOSED'];

export const mayOpenCase = (role?: Role) => role === 'office' || role === 'supervisor' || role === 'discipline';
// The accountability figures (GetAccountabilityStats).
export const seesCaseStats = (role?: Role) => role === 'discipline' || role === 'office' || role === 'supervisor';

export type CaseActionKey = 'startInvestigation' | 'recordFinding' | 'decide' | 'close' | 'dismiss';

// Whether the case has its finding (a recorded one always states its facts).
export const hasFinding = (c: Case) => !!c.finding?.facts;

// What the caller is offered on `c`, in the order of the case's course.
export function caseActions(role: Role | undefined, c: Case): CaseActionKey[] {
  if (role !== 'discipline') return [];
  switch (c.state) {
    case 'OPEN':
      return ['startInvestigation', 'dismiss'];
    case 'INVESTIGATING':
      return hasFinding(c) ? ['recordFinding', 'decide', 'dismiss'] : ['recordFinding', 'dismiss'];
    case 'DECIDED':
      return ['close'];
    default:
      return [];
  }
}

// One subject in the form that opens a case.
export interface SubjectDraft {
  kind: string; // ORG or OFFICIAL
  orgId: string;
  name: string;
  post: string;
}
export const newSubject = (): SubjectDraft => ({ kind: 'ORG', orgId: '', name: '', post: '' });

// A case form's values: plain ones by field name, the multiple choices by field name, the subjects
// of a new case, and a decision's sanction per subject of the case (by the subject's index).
export interface CaseForm {
  values: Record<string, string>;
  lists: Record<string, string[]>;
  subjects: SubjectDraft[];
  sanctions: string[];
}
export const emptyForm = (): CaseForm => ({ values: {}, lists: {}, subjects: [], sanctions: [] });

export type CaseFieldKind = 'text' | 'textarea' | 'date' | 'select' | 'multi' | 'list' | 'subjects' | 'sanctions';

export interface CaseField {
  name: string; // the request's JSON name, where its violations are reported
  label: string; // an i18n key
  kind: CaseFieldKind;
  options?: string[];
  enum?: EnumName;
  required?: boolean;
  hint?: string; // an i18n key: what to write, in the empty field
}

export interface CaseAction {
  key: string; // an i18n key under actions.
  fields: CaseField[];
  path: (c?: Case) => string;
  body: (f: CaseForm, c?: Case) => object;
  // Whether the request carries the case's etag (If-Match): every change to a case takes one.
  ifMatch?: boolean;
  // The form's starting values (`query`: the list's filters, for a case opened from them).
  initial?: (c?: Case, query?: CaseFilters) => Partial<CaseForm>;
  // The form's key a violation belongs to when it is not one of `fields` by name.
  fieldOf?: (field: string, f: CaseForm) => string | undefined;
}

const list = (v = '') => v.split(/[,，\s]+/).filter(Boolean);
// References may hold spaces: one a line, or separated by commas.
const refs = (v = '') => v.split(/[,，;；\n]+/).map((r) => r.trim()).filter(Boolean);
const subjectBody = (s: SubjectDraft) =>
  s.kind === 'OFFICIAL' ? { kind: s.kind, orgId: s.orgId, name: s.name, post: s.post } : { kind: s.kind, orgId: s.orgId };
// The sanctions a decision sends: one per subject given one, each naming its subject.
const sanctionsSent = (f: CaseForm) =>
  f.sanctions.map((sanction, subjectIndex) => ({ subjectIndex, sanction })).filter((s) => s.sanction);

// Today in the province (UTC+8), YYYY-MM-DD.
export function provinceDate(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(now);
}

export const CASE_ACTIONS: Record<'open' | CaseActionKey, CaseAction> = {
  open: {
    key: 'case.open',
    fields: [
      { name: 'case.source', label: 'fields.caseSource', kind: 'select', options: CASE_SOURCES, enum: 'Case.Source', required: true },
      { name: 'case.issueIds', label: 'fields.issueIds', kind: 'list', required: true, hint: 'fields.issueIdsHint' },
      { name: 'case.failureTypes', label: 'fields.failureTypes', kind: 'multi', options: FAILURE_TYPES, enum: 'Case.FailureType',
        required: true },
      { name: 'case.subjects', label: 'fields.subjects', kind: 'subjects', required: true },
      { name: 'case.summary', label: 'fields.summary', kind: 'textarea', required: true },
      { name: 'case.transferId', label: 'fields.transferId', kind: 'text', hint: 'fields.transferIdHint' },
    ],
    path: () => '/v1/cases',
    body: (f) => ({
      source: f.values['case.source'] || undefined,
      issueIds: list(f.values['case.issueIds']),
      failureTypes: f.lists['case.failureTypes'] ?? [],
      subjects: f.subjects.map(subjectBody),
      summary: f.values['case.summary'],
      transferId: f.values['case.transferId'] || undefined,
    }),
    // The issue the list is filtered to, if it is.
    initial: (_, query): Partial<CaseForm> => ({
      values: query?.issue ? { 'case.issueIds': query.issue } : {},
      lists: { 'case.failureTypes': [] },
      subjects: [newSubject()],
    }),
    // A subject's violations ("case.subjects[1].org_id") beside that subject.
    fieldOf: (field) => {
      const subject = /^case\.subjects\[(\d+)\]/.exec(field);
      return subject ? `case.subjects[${subject[1]}]` : undefined;
    },
  },
  startInvestigation: {
    key: 'case.startInvestigation', fields: [], path: (c) => `/v1/cases/${c?.id}:startInvestigation`, body: () => ({}),
    ifMatch: true,
  },
  recordFinding: {
    key: 'case.recordFinding',
    fields: [
      { name: 'finding.facts', label: 'fields.facts', kind: 'textarea', required: true },
      { name: 'finding.confirmed', label: 'fields.confirmed', kind: 'multi', options: FAILURE_TYPES, enum: 'Case.FailureType' },
      { name: 'finding.evidenceRefs', label: 'fields.evidenceRefs', kind: 'textarea', hint: 'fields.evidenceRefsHint' },
    ],
    path: (c) => `/v1/cases/${c?.id}:recordFinding`,
    body: (f) => ({
      finding: {
        facts: f.values['finding.facts'],
        confirmed: f.lists['finding.confirmed'] ?? [],
        evidenceRefs: refs(f.values['finding.evidenceRefs']),
      },
    }),
    ifMatch: true,
    // A finding recorded again starts from the one there is; a first one from the types the case names.
    initial: (c) => ({
      values: {
        'finding.facts': c?.finding?.facts ?? '',
        'finding.evidenceRefs': (c?.finding?.evidenceRefs ?? []).join(', '),
      },
      lists: { 'finding.confirmed': [...(hasFinding(c ?? {}) ? c?.finding?.confirmed ?? [] : c?.failureTypes ?? [])] },
    }),
  },
  decide: {
    key: 'case.decide',
    fields: [
      { name: 'decidedBy', label: 'fields.decidedBy', kind: 'text', required: true },
      { name: 'decisionDate', label: 'fields.decisionDate', kind: 'date', required: true },
      { name: 'sanctions', label: 'fields.sanctions', kind: 'sanctions', required: true },
    ],
    path: (c) => `/v1/cases/${c?.id}:decide`,
    body: (f) => ({
      decidedBy: f.values.decidedBy,
      decisionDate: f.values.decisionDate || undefined,
      sanctions: sanctionsSent(f),
    }),
    ifMatch: true,
    initial: (c) => ({
      values: { decisionDate: provinceDate() },
      sanctions: (c?.subjects ?? []).map((s) => s.sanction ?? ''),
    }),
    // The i-th sanction sent ("sanctions[1].sanction") beside the subject it was for.
    fieldOf: (field, f) => {
      const sent = /^sanctions\[(\d+)\]/.exec(field);
      const subject = sent ? sanctionsSent(f)[Number(sent[1])]?.subjectIndex : undefined;
      return subject === undefined ? undefined : `sanctions[${subject}]`;
    },
  },
  close: { key: 'case.close', fields: [], path: (c) => `/v1/cases/${c?.id}:close`, body: () => ({}), ifMatch: true },
  dismiss: {
    key: 'case.dismiss',
    fields: [{ name: 'reason', label: 'fields.dismissReason', kind: 'textarea', required: true }],
    path: (c) => `/v1/cases/${c?.id}:dismiss`,
    body: (f) => ({ reason: f.values.reason }),
    ifMatch: true,
  },
};

// The service's field violations by the form's keys (a field's name, or what fieldOf names; an
// element of a list field, "case.issue_ids[1]", beside the list), and whether any had no place.
export function placeViolations(action: CaseAction, violations: FieldViolation[], form: CaseForm) {
  const byField: Record<string, string> = {};
  let unplaced = false;
  const named = (field: string) => action.fields.find((f) => namesField(field, f.name))?.name;
  for (const v of violations) {
    const key = named(v.field) ?? action.fieldOf?.(v.field, form) ?? named(v.field.replace(/\[\d+\].*$/, ''));
    if (key) byField[key] = byField[key] ? `${byField[key]}; ${v.description}` : v.description;
    else unplaced = true;
  }
  return { byField, unplaced };
}

// The cases list's filters (kept in the URL), as ListCases takes them.
export interface CaseFilters {
  state?: string;
  source?: string;
  failureType?: string;
  region?: string;
  subjectOrg?: string;
  issue?: string; // an issue's id: the cases naming it
  openedFrom?: string; // YYYY-MM-DD
  openedTo?: string;
}
const FILTER_KEYS: Array<keyof CaseFilters> = [
  'state', 'source', 'failureType', 'region', 'subjectOrg', 'issue', 'openedFrom', 'openedTo',
];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const quoted = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

// `state = DECIDED AND region = "230100" AND issue = 12 AND opened >= "2026-01-01"`.
export function caseFilterExpression(f: CaseFilters): string {
  const terms: string[] = [];
  if (f.state && CASE_STATES.includes(f.state)) terms.push(`state = ${f.state}`);
  if (f.source && CASE_SOURCES.includes(f.source)) terms.push(`source = ${f.source}`);
  if (f.failureType && FAILURE_TYPES.includes(f.failureType)) terms.push(`failure_type = ${f.failureType}`);
  if (f.region) terms.push(`region = ${quoted(f.region)}`);
  if (f.subjectOrg) terms.push(`subject_org = ${quoted(f.subjectOrg)}`);
  const issue = f.issue?.trim().replace(/^#/, '');
  if (issue && /^\d+$/.test(issue)) terms.push(`issue = ${issue}`);
  if (f.openedFrom && DATE.test(f.openedFrom)) terms.push(`opened >= "${f.openedFrom}"`);
  if (f.openedTo && DATE.test(f.openedTo)) terms.push(`opened <= "${f.openedTo}"`);
  return terms.join(' AND ');
}

export function caseFiltersToQuery(f: CaseFilters): Record<string, string> {
  const q: Record<string, string> = {};
  for (const k of FILTER_KEYS) if (f[k]) q[k] = String(f[k]).trim();
  return q;
}

export function caseFiltersFromQuery(q: Record<string, unknown>): CaseFilters {
  const f: CaseFilters = {};
  for (const k of FILTER_KEYS) {
    const raw = q[k];
    const v = Array.isArray(raw) ? raw[0] : raw;
    if (typeof v === 'string' && v !== '') f[k] = v;
  }
  return f;
}

// The escalation a transfer names ("supervision/escalations/12" → "12"), if it does.
export function transferEscalation(transferId?: string): string | undefined {
  return /^supervision\/escalations\/(\d+)$/.exec(transferId ?? '')?.[1];
}
