import { describe, expect, it } from 'vitest';
import type { Case } from './api/client';
import {
  CASE_ACTIONS, caseActions, caseFilterExpression, caseFiltersFromQuery, caseFiltersToQuery, emptyForm,
  mayOpenCase, placeViolations, provinceDate, seesCaseStats, transferEscalation, type CaseForm,
} from './cases';

const kase = (state: string, more: Partial<Case> = {}): Case =>
  ({ id: '9', state, etag: 'v3', failureTypes: ['INADEQUATE', 'FALSE'],
    subjects: [{ kind: 'ORG', orgId: 'gov-230102' }, { kind: 'OFFICIAL', orgId: 'gov-230102', name: '张某', post: '副区长' }],
    ...more }) as Case;
const found = { facts: '整改材料系事后补做', confirmed: ['FALSE' as const], evidenceRefs: ['卷宗 3'] };
const form = (f: Partial<CaseForm>): CaseForm => ({ ...emptyForm(), ...f });

describe('who acts on a case', () => {
  it('is discipline alone, along the case course', () => {
    expect(caseActions('discipline', kase('OPEN'))).toEqual(['startInvestigation', 'dismiss']);
    expect(caseActions('discipline', kase('INVESTIGATING'))).toEqual(['recordFinding', 'dismiss']);
    expect(caseActions('discipline', kase('INVESTIGATING', { finding: found }))).toEqual(['recordFinding', 'decide', 'dismiss']);
    expect(caseActions('discipline', kase('DECIDED', { finding: found }))).toEqual(['close']);
    expect(caseActions('discipline', kase('CLOSED'))).toEqual([]);
    expect(caseActions('discipline', kase('DISMISSED'))).toEqual([]);
  });

  it('is no other role, in any state', () => {
    for (const role of ['office', 'supervisor', 'city', 'county', 'department', 'public', undefined] as const) {
      for (const state of ['OPEN', 'INVESTIGATING', 'DECIDED']) {
        expect(caseActions(role, kase(state, { finding: found })), `${role} ${state}`).toEqual([]);
      }
    }
  });

  it('opens cases as the office, supervisors and discipline; they see the figures', () => {
    expect(['office', 'supervisor', 'discipline'].every((r) => mayOpenCase(r as never))).toBe(true);
    expect(['city', 'county', 'department', 'public'].some((r) => mayOpenCase(r as never))).toBe(false);
    expect(seesCaseStats('supervisor') && !seesCaseStats('county')).toBe(true);
  });
});

describe('the case forms', () => {
  it('open a case with its subjects, an official with name and post', () => {
    const a = CASE_ACTIONS.open;
    const f = form({ ...a.initial!(undefined, { issue: '12' }), lists: { 'case.failureTypes': ['INADEQUATE'] } });
    expect(f.values['case.issueIds']).toBe('12');
    f.values['case.issueIds'] = '12，13';
    f.values['case.source'] = 'INSPECTION';
    f.values['case.summary'] = '整改不到位';
    f.subjects = [{ kind: 'ORG', orgId: 'gov-230102', name: 'x', post: 'y' },
      { kind: 'OFFICIAL', orgId: 'gov-230102', name: '张某', post: '副区长' }];
    expect(a.path()).toBe('/v1/cases');
    expect(a.ifMatch).toBeFalsy();
    expect(a.body(f)).toEqual({ source: 'INSPECTION', issueIds: ['12', '13'], failureTypes: ['INADEQUATE'],
      subjects: [{ kind: 'ORG', orgId: 'gov-230102' }, { kind: 'OFFICIAL', orgId: 'gov-230102', name: '张某', post: '副区长' }],
      summary: '整改不到位', transferId: undefined });
    // Nothing chosen is left out (an empty enum is not JSON the service takes).
    expect(a.body(emptyForm())).toMatchObject({ source: undefined, issueIds: [], failureTypes: [], subjects: [] });
  });

  it('record a finding, starting from the case', () => {
    const a = CASE_ACTIONS.recordFinding;
    expect(a.initial!(kase('INVESTIGATING')).lists).toEqual({ 'finding.confirmed': ['INADEQUATE', 'FALSE'] });
    const again = form(a.initial!(kase('INVESTIGATING', { finding: found })));
    expect(again.values['finding.facts']).toBe(found.facts);
    again.values['finding.evidenceRefs'] = '卷宗 3, 询问笔录';
    expect(a.path(kase('INVESTIGATING'))).toBe('/v1/cases/9:recordFinding');
    expect(a.body(again)).toEqual({ finding: { facts: found.facts, confirmed: ['FALSE'], evidenceRefs: ['卷宗 3', '询问笔录'] } });
  });

  it('decide with a sanction per subject, dated today in the province', () => {
    const a = CASE_ACTIONS.decide;
    const f = form(a.initial!(kase('INVESTIGATING', { finding: found })));
    expect(f.sanctions).toEqual(['', '']);
    expect(f.values.decisionDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    f.values.decidedBy = '省纪委监委';
    f.sanctions = ['', 'ADMONISHMENT'];
    expect(a.body(f)).toEqual({ decidedBy: '省纪委监委', decisionDate: f.values.decisionDate,
      sanctions: [{ subjectIndex: 1, sanction: 'ADMONISHMENT' }] });
    expect(provinceDate(new Date('2026-03-31T16:30:00Z'))).toBe('2026-04-01');
  });

  it('change a case on the version shown, at its own path', () => {
    const keys = Object.entries(CASE_ACTIONS).filter(([, a]) => a.ifMatch).map(([k]) => k).sort();
    expect(keys).toEqual(['close', 'decide', 'dismiss', 'recordFinding', 'startInvestigation']);
    expect(CASE_ACTIONS.startInvestigation.path(kase('OPEN'))).toBe('/v1/cases/9:startInvestigation');
    expect(CASE_ACTIONS.close.path(kase('DECIDED'))).toBe('/v1/cases/9:close');
    expect(CASE_ACTIONS.dismiss.body(form({ values: { reason: '查无实据' } }))).toEqual({ reason: '查无实据' });
  });
});

describe("the service's violations", () => {
  it('go beside their fields: a list element beside its list, a subject beside that subject', () => {
    const { byField, unplaced } = placeViolations(CASE_ACTIONS.open, [
      { field: 'case.source', description: 'is required' },
      { field: 'case.issue_ids[1]', description: 'listed twice' },
      { field: 'case.failure_types', description: 'name at least one failure type' },
      { field: 'case.subjects[1].org_id', description: 'is required' },
      { field: 'case.subjects[1]', description: 'an official needs a name and a post' },
    ], emptyForm());
    expect(byField).toEqual({ 'case.source': 'is required', 'case.issueIds': 'listed twice',
      'case.failureTypes': 'name at least one failure type',
      'case.subjects[1]': 'is required; an official needs a name and a post' });
    expect(unplaced).toBe(false);
  });

  it("go beside the subject a sanction was for, or above the form when they name no field of it", () => {
    const f = form({ sanctions: ['', 'WARNING', 'DEMERIT'] });
    expect(placeViolations(CASE_ACTIONS.decide, [
      { field: 'decided_by', description: 'name the body that decided' },
      { field: 'sanctions[1].sanction', description: 'is not a known sanction' },
      { field: 'sanctions', description: 'subject 0 has no sanction' },
    ], f).byField).toEqual({ decidedBy: 'name the body that decided', 'sanctions[2]': 'is not a known sanction',
      sanctions: 'subject 0 has no sanction' });
    expect(placeViolations(CASE_ACTIONS.recordFinding, [{ field: 'finding.evidence_refs[0]', description: '1 to 200' }],
      f).byField).toEqual({ 'finding.evidenceRefs': '1 to 200' });
    expect(placeViolations(CASE_ACTIONS.close, [{ field: 'id', description: 'must be a positive id' }], f).unplaced).toBe(true);
  });
});

describe("the cases list's filters", () => {
  it('are the filter expression ListCases takes', () => {
    expect(caseFilterExpression({})).toBe('');
    expect(caseFilterExpression({ state: 'DECIDED', region: '230100', issue: ' #12 ', openedFrom: '2026-01-01' }))
      .toBe('state = DECIDED AND region = "230100" AND issue = 12 AND opened >= "2026-01-01"');
    expect(caseFilterExpression({ source: 'TRANSFER', failureType: 'FALSE', subjectOrg: 'gov-"x"', openedTo: '2026-12-31' }))
      .toBe('source = TRANSFER AND failure_type = FALSE AND subject_org = "gov-\\"x\\"" AND opened <= "2026-12-31"');
    // What is not a value the service knows is left out rather than refused.
    expect(caseFilterExpression({ state: 'LOST', issue: 'abc', openedFrom: '1.1.2026' })).toBe('');
  });

  it('round-trip through the URL', () => {
    const f = { state: 'OPEN', issue: '12', subjectOrg: 'gov-230102' };
    expect(caseFiltersToQuery(f)).toEqual(f);
    expect(caseFiltersFromQuery({ ...f, region: ['230100', '230200'], other: 'x', source: '' }))
      .toEqual({ ...f, region: '230100' });
  });

  it('name the escalation a transfer came from', () => {
    expect(transferEscalation('supervision/escalations/12')).toBe('12');
    expect(transferEscalation('')).toBeUndefined();
    expect(transferEscalation('elsewhere/3')).toBeUndefined();
  });
});
