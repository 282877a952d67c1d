import { describe, expect, it } from 'vitest';
import { ACTIONS, offered } from './actions';
import type { Issue } from './api/client';
import { doneKey, noteKey } from './progress';

const issue = (state: string): Issue =>
  ({ id: '7', state, leadOrgId: 'hlj-water', responsibleOrgIds: ['gov-230102'],
    acceptanceOrgId: 'hlj-deee', jointReviewerOrgIds: ['hlj-housing'], etag: 'v4', progressPercent: 20,
    measures: [{ id: 'm1', description: '截污纳管' }, { id: 'm2', description: '清淤疏浚', done: true }] }) as Issue;

describe('the actions offered on an issue', () => {
  it('follow the closure, each to the one who signs it', () => {
    expect(offered('office', 'hlj-office', issue('REGISTERED'))).toEqual(['assign']);
    expect(offered('department', 'hlj-water', issue('ASSIGNED'))).toEqual(['acknowledge', 'reportProgress']);
    expect(offered('county', 'gov-230102', issue('RECTIFYING'))).toEqual(['reportProgress', 'requestAcceptance']);
    expect(offered('department', 'hlj-deee', issue('ACCEPTANCE_REQUESTED'))).toEqual(['reviewOnSite']);
    expect(offered('department', 'hlj-housing', issue('PRE_EXAMINED'))).toEqual(['reviewJoint']);
    expect(offered('office', 'hlj-office', issue('PUBLIC_NOTICE'))).toEqual(['close']);
    expect(offered('public', '', issue('PUBLIC_NOTICE'))).toEqual([]);
    expect(offered('department', 'hlj-forest', issue('RECTIFYING'))).toEqual([]);
    // Reopening is the office's (an accountability finding comes from its service).
    expect(offered('office', 'hlj-office', issue('CLOSED'))).toEqual(['reopen']);
    expect(offered('discipline', 'hlj-discipline', issue('CLOSED'))).toEqual([]);
  });

  it('send the bodies their methods take', () => {
    expect(ACTIONS.assign.body({ leadOrgId: 'hlj-water', responsibleOrgIds: 'gov-230102，gov-230103',
      deadline: '2027-06-30', rectificationClass: 'TIME_LIMITED' }, issue('REGISTERED'))).toEqual({
      leadOrgId: 'hlj-water', responsibleOrgIds: ['gov-230102', 'gov-230103'], acceptanceOrgId: undefined,
      jointReviewerOrgIds: [], deadline: '2027-06-30', rectificationClass: 'TIME_LIMITED' });
    expect(ACTIONS.reviewJoint.body({ decision: 'REJECT', reason: '材料不全' }, issue('PRE_EXAMINED'))).toEqual({
      step: 'JOINT_REVIEW', decision: 'REJECT', reason: '材料不全' });
    expect(ACTIONS.reportProgress.path(issue('RECTIFYING'))).toBe('/v1/issues/7/progressReports');
  });

  it('carry the etag only where the method takes one', () => {
    const withEtag = Object.entries(ACTIONS).filter(([, a]) => a.ifMatch).map(([k]) => k).sort();
    expect(withEtag).toEqual(['acknowledge', 'assign', 'close', 'openPublicNotice', 'requestAcceptance',
      'reviewJoint', 'reviewOnSite', 'reviewPreExamination']);
  });

  it("report progress with the measures' updates, starting from the issue as it is", () => {
    const a = ACTIONS.reportProgress;
    const i = issue('RECTIFYING');
    const values = a.initial!(i);
    expect(values['report.percentDone']).toBe('20');
    Object.assign(values, { 'report.percentDone': '60', 'report.narrative': '截污管网完工',
      [doneKey('m1')]: 'true', [noteKey('m1')]: '已验收' });
    expect(a.body(values, i)).toEqual({ percentDone: 60, narrative: '截污管网完工',
      measureUpdates: [{ measureId: 'm1', done: true, note: '已验收' }] });
    expect(a.fieldOf!('report.measure_updates[0].note', values, i)).toBe(noteKey('m1'));
  });

  it("decide an extension and rule on an objection at their own paths", () => {
    const i = issue('PUBLIC_NOTICE');
    expect(ACTIONS['decideExtension.approve'].path(i, '3')).toBe('/v1/issues/7/extensions/3:decide');
    expect(ACTIONS['decideExtension.refuse'].body({ reason: '理由不充分' }, i)).toEqual({ approve: false, reason: '理由不充分' });
    expect(ACTIONS['ruleObjection.dismiss'].path(i, '4')).toBe('/v1/issues/7/objections/4:rule');
    expect(ACTIONS['ruleObjection.uphold'].body({ ruling: '情况属实' }, i)).toEqual({ uphold: true, ruling: '情况属实' });
    expect(ACTIONS.requestExtension.body({ requestedDeadline: '2027-09-30', reason: '汛期' }, i)).toEqual({
      requestedDeadline: '2027-09-30', reason: '汛期' });
    expect(ACTIONS.reopen.body({ reason: 'REBOUND', explanation: '反弹', cause: 'inspections/3' }, i)).toEqual({
      reason: 'REBOUND', explanation: '反弹', cause: 'inspections/3' });
  });
});
