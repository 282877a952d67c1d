// Who is offered what on an issue's extensions and objections (the services still decide every
// call): a rectifying org asks for a later deadline while the issue is assigned or being rectified
// and no request awaits a decision; the office decides a pending request (approve, or refuse with
// its reasons); the office rules on a pending objection (uphold it while the notice runs, sending
// the issue back to rectification, or dismiss it, with its reasons).
import type { Extension, Issue, Objection } from './api/client';
import type { Role } from './session';

export function mayRequestExtension(
  role: Role | undefined,
  org: string | undefined,
  issue: Issue,
  extensions: Extension[] = [],
): boolean {
  if (!role || role === 'public' || !org) return false;
  const rectifier = org === issue.leadOrgId || (issue.responsibleOrgIds ?? []).includes(org);
  const open = issue.state === 'ASSIGNED' || issue.state === 'RECTIFYING';
  return rectifier && open && !extensions.some((e) => e.state === 'PENDING');
}

// 'approve' and 'refuse' for the office on a pending request, else nothing.
export function extensionDecisions(role: Role | undefined, extension: Extension): string[] {
  return role === 'office' && extension.state === 'PENDING' ? ['approve', 'refuse'] : [];
}

// 'uphold' (only while the issue is in its public notice) and 'dismiss' for the office on a
// pending objection, else nothing.
export function objectionRulings(role: Role | undefined, issue: Issue, objection: Objection): string[] {
  if (role !== 'office' || objection.state !== 'PENDING') return [];
  return issue.state === 'PUBLIC_NOTICE' ? ['uphold', 'dismiss'] : ['dismiss'];
}
