// The ledger's filters and order: kept in the page's URL (so a filtered ledger can be bookmarked
// and sent), and turned into the filter expression ListIssues and ExportLedger take
// (`state = RECTIFYING AND region = "230100" AND title : "河"`) and their order_by.
export interface LedgerFilters {
  state?: string;
  region?: string;
  category?: string;
  source?: string;
  klass?: string;
  leadOrg?: string;
  overdue?: boolean;
  deadlineFrom?: string; // YYYY-MM-DD
  deadlineTo?: string;
  text?: string;
  orderBy?: string; // one of ORDERS; unset is DEFAULT_ORDER
}

// The orders ListIssues takes ("deadline", "create_time" or "update_time", optionally " desc").
export const ORDERS = [
  'deadline', 'deadline desc', 'create_time', 'create_time desc', 'update_time', 'update_time desc',
] as const;
export const DEFAULT_ORDER = 'deadline';

const KEYS: Array<keyof LedgerFilters> = [
  'state', 'region', 'category', 'source', 'klass', 'leadOrg', 'overdue', 'deadlineFrom',
  'deadlineTo', 'text', 'orderBy',
];

// The order_by of ListIssues and ExportLedger for these filters.
export function orderOf(f: LedgerFilters): string {
  return f.orderBy && (ORDERS as readonly string[]).includes(f.orderBy) ? f.orderBy : DEFAULT_ORDER;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

// A value inside the expression's double quotes.
function quoted(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function filterExpression(f: LedgerFilters): string {
  const terms: string[] = [];
  if (f.state) terms.push(`state = ${f.state}`);
  if (f.region) terms.push(`region = ${quoted(f.region)}`);
  if (f.category) terms.push(`category = ${f.category}`);
  if (f.source) terms.push(`source = ${f.source}`);
  if (f.klass) terms.push(`class = ${f.klass}`);
  if (f.leadOrg) terms.push(`lead_org = ${quoted(f.leadOrg)}`);
  if (f.overdue) terms.push('overdue = true');
  if (f.deadlineFrom && DATE.test(f.deadlineFrom)) terms.push(`deadline >= "${f.deadlineFrom}"`);
  if (f.deadlineTo && DATE.test(f.deadlineTo)) terms.push(`deadline <= "${f.deadlineTo}"`);
  if (f.text?.trim()) terms.push(`title : ${quoted(f.text.trim())}`);
  return terms.join(' AND ');
}

// The filters as URL query parameters (only those set), and back.
export function toQuery(f: LedgerFilters): Record<string, string> {
  const q: Record<string, string> = {};
  for (const k of KEYS) {
    const v = f[k];
    if (v === undefined || v === '' || v === false) continue;
    if (k === 'orderBy' && orderOf(f) === DEFAULT_ORDER) continue;
    q[k] = String(v);
  }
  return q;
}

export function fromQuery(q: Record<string, unknown>): LedgerFilters {
  const f: LedgerFilters = {};
  for (const k of KEYS) {
    const raw = q[k];
    const v = Array.isArray(raw) ? raw[0] : raw;
    if (typeof v !== 'string' || v === '') continue;
    if (k === 'overdue') f.overdue = v === 'true';
    else if (k === 'orderBy') {
      if ((ORDERS as readonly string[]).includes(v) && v !== DEFAULT_ORDER) f.orderBy = v;
    } else (f as Record<string, string>)[k] = v;
  }
  return f;
}

// Whether two sets of filters ask for the same ledger (the same URL).
export function sameFilters(a: LedgerFilters, b: LedgerFilters): boolean {
  const qa = toQuery(a);
  const qb = toQuery(b);
  return KEYS.every((k) => qa[k] === qb[k]);
}
