// The actions the portal offers on an issue: which ones a caller is offered (by role, org and the
// issue's state: the services still decide every call), and each one's form, path and body.
import type { Issue } from './api/client';
import type { EnumName } from './i18n';
import { initialMeasureValues, measureFieldOf, measureUpdates } from './progress';
import type { Role } from './session';

export type FieldKind = 'text' | 'textarea' | 'date' | 'number' | 'list' | 'select' | 'measures';

export interface ActionField {
  name: string; // the request's JSON name, where its violations are reported
  label: string; // an i18n key
  kind: FieldKind;
  options?: string[];
  enum?: EnumName; // the enum whose values the options are, for their labels
  required?: boolean;
}

export interface Action {
  key: string; // an i18n key under actions.
  fields: ActionField[];
  // The path, on the issue and, for an action on one of its parts, that part's id.
  path: (issue: Issue, target?: string) => string;
  // The request body from the form's values (lists split on commas).
  body: (values: Record<string, string>, issue: Issue) => object;
  // Whether the request carries the issue's etag (If-Match): only where the method takes one;
  // the gateway refuses it elsewhere rather than run the call unconditionally.
  ifMatch?: boolean;
  // The form's starting values.
  initial?: (issue: Issue) => Record<string, string>;
  // The form field a violation belongs to when it is not one of `fields` by name.
  fieldOf?: (field: string, values: Record<string, string>, issue: Issue) => string | undefined;
}

const list = (v = '') => v.split(/[,，\s]+/).filter(Boolean);
const REVIEW = (step: string): Action => ({
  key: `review.${step}`,
  fields: [
    { name: 'decision', label: 'fields.decision', kind: 'select', options: ['APPROVE', 'REJECT'], enum: 'Decision',
      required: true },
    { name: 'reason', label: 'fields.reason', kind: 'textarea' },
  ],
  path: (i) => `/v1/issues/${i.id}:reviewAcceptance`,
  body: (v) => ({ step, decision: v.decision, reason: v.reason }),
  ifMatch: true,
});
// A decision on one of the issue's extension requests, or a ruling on one of its objections.
const DECIDE = (approve: boolean): Action => ({
  key: approve ? 'decideExtension.approve' : 'decideExtension.refuse',
  fields: [{ name: 'reason', label: 'fields.reason', kind: 'textarea', required: !approve }],
  path: (i, extension) => `/v1/issues/${i.id}/extensions/${extension}:decide`,
  body: (v) => ({ approve, reason: v.reason }),
});
const RULE = (uphold: boolean): Action => ({
  key: uphold ? 'ruleObjection.uphold' : 'ruleObjection.dismiss',
  fields: [{ name: 'ruling', label: 'fields.ruling', kind: 'textarea', required: true }],
  path: (i, objection) => `/v1/issues/${i.id}/objections/${objection}:rule`,
  body: (v) => ({ uphold, ruling: v.ruling }),
});

export const ACTIONS: Record<string, Action> = {
  assign: {
    key: 'assign',
    fields: [
      { name: 'leadOrgId', label: 'fields.leadOrg', kind: 'text', required: true },
      { name: 'responsibleOrgIds', label: 'fields.rectifiers', kind: 'list' },
      { name: 'acceptanceOrgId', label: 'fields.acceptanceOrg', kind: 'text' },
      { name: 'jointReviewerOrgIds', label: 'fields.jointReviewers', kind: 'list' },
      { name: 'deadline', label: 'fields.deadline', kind: 'date', required: true },
      { name: 'rectificationClass', label: 'fields.klass', kind: 'select', options: ['IMMEDIATE', 'TIME_LIMITED', 'LONG_TERM'],
        enum: 'Issue.RectificationClass' },
    ],
    path: (i) => `/v1/issues/${i.id}:assign`,
    body: (v) => ({
      leadOrgId: v.leadOrgId,
      responsibleOrgIds: list(v.responsibleOrgIds),
      acceptanceOrgId: v.acceptanceOrgId,
      jointReviewerOrgIds: list(v.jointReviewerOrgIds),
      deadline: v.deadline,
      rectificationClass: v.rectificationClass,
    }),
    ifMatch: true,
  },
  acknowledge: {
    key: 'acknowledge', fields: [], path: (i) => `/v1/issues/${i.id}:acknowledge`, body: () => ({}), ifMatch: true,
  },
  reportProgress: {
    key: 'reportProgress',
    fields: [
      { name: 'report.percentDone', label: 'fields.percent', kind: 'number', required: true },
      { name: 'report.narrative', label: 'fields.narrative', kind: 'textarea', required: true },
      { name: 'report.measureUpdates', label: 'fields.measureUpdates', kind: 'measures' },
    ],
    path: (i) => `/v1/issues/${i.id}/progressReports`,
    body: (v, i) => ({
      percentDone: Number(v['report.percentDone'] ?? 0),
      narrative: v['report.narrative'],
      measureUpdates: measureUpdates(i.measures, v),
    }),
    initial: (i) => ({ 'report.percentDone': String(i.progressPercent ?? 0), ...initialMeasureValues(i.measures) }),
    fieldOf: (field, v, i) => measureFieldOf(field, i.measures, v),
  },
  requestAcceptance: {
    key: 'requestAcceptance',
    fields: [
      { name: 'selfCheck', label: 'fields.selfCheck', kind: 'textarea', required: true },
      { name: 'evidenceIds', label: 'fields.evidence', kind: 'list' },
    ],
    path: (i) => `/v1/issues/${i.id}:requestAcceptance`,
    body: (v) => ({ selfCheck: v.selfCheck, evidenceIds: list(v.evidenceIds) }),
    ifMatch: true,
  },
  reviewOnSite: REVIEW('ON_SITE'),
  reviewPreExamination: REVIEW('PRE_EXAMINATION'),
  reviewJoint: REVIEW('JOINT_REVIEW'),
  openPublicNotice: {
    key: 'openPublicNotice',
    fields: [{ name: 'workingDays', label: 'fields.workingDays', kind: 'number' }],
    path: (i) => `/v1/issues/${i.id}:openPublicNotice`,
    body: (v) => (v.workingDays ? { workingDays: Number(v.workingDays) } : {}),
    ifMatch: true,
  },
  close: { key: 'close', fields: [], path: (i) => `/v1/issues/${i.id}:close`, body: () => ({}), ifMatch: true },
  reopen: {
    key: 'reopen',
    fields: [
      // (An accountability finding reopens through the accountability service, not by hand.)
      { name: 'reason', label: 'fields.reopenReason', kind: 'select', required: true,
        options: ['LOOK_BACK_FINDING', 'REBOUND', 'UPHELD_OBJECTION'], enum: 'Reopening.Reason' },
      { name: 'explanation', label: 'fields.explanation', kind: 'textarea', required: true },
      { name: 'cause', label: 'fields.cause', kind: 'text', required: true },
    ],
    path: (i) => `/v1/issues/${i.id}:reopen`,
    body: (v) => ({ reason: v.reason, explanation: v.explanation, cause: v.cause }),
  },
  requestExtension: {
    key: 'requestExtension',
    fields: [
      { name: 'requestedDeadline', label: 'fields.deadline', kind: 'date', required: true },
      { name: 'reason', label: 'fields.reason', kind: 'textarea', required: true },
    ],
    path: (i) => `/v1/issues/${i.id}/extensions`,
    body: (v) => ({ requestedDeadline: v.requestedDeadline, reason: v.reason }),
  },
  'decideExtension.approve': DECIDE(true),
  'decideExtension.refuse': DECIDE(false),
  'ruleObjection.uphold': RULE(true),
  'ruleObjection.dismiss': RULE(false),
};

// What the caller is offered on `issue`, in the order of the closure. (Extensions and objections
// are offered beside their lists: rulings.ts.)
export function offered(role: Role | undefined, org: string | undefined, issue: Issue): string[] {
  const out: string[] = [];
  const state = issue.state;
  const office = role === 'office';
  const lead = !!org && org === issue.leadOrgId;
  const rectifier = lead || (!!org && (issue.responsibleOrgIds ?? []).includes(org));
  if (state === 'REGISTERED' && office) out.push('assign');
  if (state === 'ASSIGNED' && lead) out.push('acknowledge');
  if ((state === 'ASSIGNED' || state === 'RECTIFYING' || state === 'STAGE_COMPLETED') && rectifier) {
    out.push('reportProgress');
  }
  if (state === 'RECTIFYING' && rectifier) out.push('requestAcceptance');
  if (state === 'ACCEPTANCE_REQUESTED' && (office || org === issue.acceptanceOrgId || role === 'city' || role === 'county')) {
    out.push('reviewOnSite');
  }
  if (state === 'LOCALLY_ACCEPTED' && (office || role === 'department')) out.push('reviewPreExamination');
  if (state === 'PRE_EXAMINED' && (office || (!!org && (issue.jointReviewerOrgIds ?? []).includes(org)))) {
    out.push('reviewJoint');
  }
  if (state === 'JOINT_REVIEWED' && office) out.push('openPublicNotice');
  if (state === 'PUBLIC_NOTICE' && office) out.push('close');
  if ((state === 'CLOSED' || state === 'STAGE_COMPLETED') && office) out.push('reopen');
  return out;
}
