import { describe, expect, it } from 'vitest';
import { ACTIONS, offered } from './actions';
import type { Issue } from './api/client';

const issue = (state: string): Issue =>
  ({ id: '7', state, leadOrgId: 'hlj-water', responsibleOrgIds: ['gov-230102'],
    acceptanceOrgId: 'hlj-deee', jointReviewerOrgIds: ['hlj-housing'] }) as Issue;

describe('the actions offered on an issue', () => {
  it('follow the closure, each to the one who signs it', () => {
    expect(offered('office', 'hlj-office', issue('REGISTERED'))).toEqual(['assign']);
    expect(offered('department', 'hlj-water', issue('ASSIGNED'))).toEqual(['acknowledge', 'reportProgress']);
    expect(offered('county', 'gov-230102', issue('RECTIFYING'))).toEqual([
      'reportProgress', 'requestAcceptance', 'requestExtension']);
    expect(offered('department', 'hlj-deee', issue('ACCEPTANCE_REQUESTED'))).toEqual(['reviewOnSite']);
    expect(offered('department', 'hlj-housing', issue('PRE_EXAMINED'))).toEqual(['reviewJoint']);
    expect(offered('office', 'hlj-office', issue('PUBLIC_NOTICE'))).toEqual(['close']);
    expect(offered('public', '', issue('PUBLIC_NOTICE'))).toEqual([]);
    expect(offered('department', 'hlj-forest', issue('RECTIFYING'))).toEqual([]);
  });

  it('send the bodies their methods take', () => {
    expect(ACTIONS.assign.body({ leadOrgId: 'hlj-water', responsibleOrgIds: 'gov-230102，gov-230103',
      deadline: '2027-06-30', rectificationClass: 'TIME_LIMITED' })).toEqual({
      leadOrgId: 'hlj-water', responsibleOrgIds: ['gov-230102', 'gov-230103'], acceptanceOrgId: undefined,
      jointReviewerOrgIds: [], deadline: '2027-06-30', rectificationClass: 'TIME_LIMITED' });
    expect(ACTIONS.reviewJoint.body({ decision: 'REJECT', reason: '材料不全' })).toEqual({
      step: 'JOINT_REVIEW', decision: 'REJECT', reason: '材料不全' });
    expect(ACTIONS.reportProgress.path(issue('RECTIFYING'))).toBe('/v1/issues/7/progressReports');
  });
});
