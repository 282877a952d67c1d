// The registry's reference data for the portal's pickers: the regions as a tree (a region filter
// matches its whole subtree, so any node may be picked) and the orgs that lead rectification.
import { get, type Org, type Region } from './client';

export interface RegionNode {
  value: string;
  label: string;
  children?: RegionNode[];
}

// The regions as a tree by parent code, each level in code order; a region whose parent is not
// in the list (the top of a scope asked with under_code) is a root.
export function regionTree(regions: Region[]): RegionNode[] {
  const nodes = new Map<string, RegionNode>();
  for (const r of regions) if (r.code) nodes.set(r.code, { value: r.code, label: r.name ?? r.code });
  const roots: RegionNode[] = [];
  for (const r of [...regions].sort((a, b) => (a.code ?? '').localeCompare(b.code ?? ''))) {
    const node = r.code ? nodes.get(r.code) : undefined;
    if (!node) continue;
    const parent = r.parentCode ? nodes.get(r.parentCode) : undefined;
    if (parent && parent !== node) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  return roots;
}

export interface OrgGroup {
  kind: string; // Org.Kind
  orgs: Array<{ value: string; label: string }>;
}

// The orgs that may lead an issue (departments, then governments), each group in id order.
export function leadOrgGroups(orgs: Org[]): OrgGroup[] {
  return (['DEPARTMENT', 'GOVERNMENT'] as const)
    .map((kind) => ({
      kind,
      orgs: orgs
        .filter((o) => o.kind === kind && o.id)
        .sort((a, b) => (a.id ?? '').localeCompare(b.id ?? ''))
        .map((o) => ({ value: o.id ?? '', label: o.name ?? o.id ?? '' })),
    }))
    .filter((g) => g.orgs.length > 0);
}

// Read once a page load: reference data changes rarely (the office's UpsertOrg).
const cache = new Map<string, Promise<unknown>>();
function once<T>(key: string, load: () => Promise<T>): Promise<T> {
  let p = cache.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load();
    p.catch(() => cache.delete(key)); // a failure is not remembered
    cache.set(key, p);
  }
  return p;
}

export const loadRegions = (under = '') =>
  once(`regions|${under}`, async () =>
    (await get<{ regions?: Region[] }>('/v1/regions', { underCode: under })).regions ?? []);

export const loadOrgs = () =>
  once('orgs', async () => (await get<{ orgs?: Org[] }>('/v1/orgs')).orgs ?? []);
