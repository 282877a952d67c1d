// Who is signed in: the token (kept for this browser tab only) and the claims it carries. The
// portal offers what the role may do; the services still decide every call.
import { computed, reactive } from 'vue';
import { post, useToken } from './api/client';

export type Role =
  | 'office' | 'department' | 'city' | 'county' | 'supervisor' | 'discipline' | 'public';

interface Claims {
  sub?: string;
  org?: string;
  role?: Role;
  region?: string;
  exp?: number;
}

const KEY = 'rectify.token';

function claimsOf(token: string): Claims {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Claims;
  } catch {
    return {};
  }
}

export const session = reactive({ token: sessionStorage.getItem(KEY) ?? '' });
useToken(() => session.token);

export const claims = computed<Claims>(() => (session.token ? claimsOf(session.token) : {}));
export const signedIn = computed(
  () => !!session.token && (claims.value.exp ?? 0) * 1000 > Date.now(),
);

export function signInWithToken(token: string): boolean {
  const c = claimsOf(token.trim());
  if (!c.role || !c.exp) return false;
  session.token = token.trim();
  sessionStorage.setItem(KEY, session.token);
  return true;
}

export async function devSignIn(role: Role, org: string, region: string): Promise<void> {
  const answer = await post<{ token: string }>('/v1/dev:signIn', { role, org, region });
  signInWithToken(answer.token);
}

export function signOut() {
  session.token = '';
  sessionStorage.removeItem(KEY);
}

// What each role is offered in the portal (the services decide the rest).
export const can = {
  seeSupervision: (r?: Role) => r === 'office' || r === 'supervisor' || r === 'city',
  seeCases: (r?: Role) => r === 'discipline' || r === 'office' || r === 'supervisor',
  exportLedger: (r?: Role) => !!r && r !== 'public',
  upload: (r?: Role) => r === 'office' || r === 'department' || r === 'city' || r === 'county',
};
