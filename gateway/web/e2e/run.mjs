// The portal in a real browser (Debian's chromium, driven by playwright-core) against the real
// suite: the gateway serving the built portal, the three services and MariaDB with the demo data.
//
//   node e2e/run.mjs GATEWAY_URL OUTPUT_DIR
//
// Each check prints "ok" or "FAIL" with what it saw and leaves a screenshot in OUTPUT_DIR; the
// process fails if any check does. Measurements (the cold ledger's timings) print "info", not
// checked. No sleeping: every wait is for something on the page.
import { chromium, selectors } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [base, out] = process.argv.slice(2);
if (!base || !out) {
  console.error('usage: node e2e/run.mjs GATEWAY_URL OUTPUT_DIR');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
selectors.setTestIdAttribute('data-test');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failures = 0;
const check = (what, ok) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'}  ${what}`);
  if (!ok) failures += 1;
};
const timeout = 15_000;

async function page(name) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const p = await context.newPage();
  p.setDefaultTimeout(timeout);
  p.shot = () => p.screenshot({ path: join(out, `${name}.png`), fullPage: true });
  return p;
}

async function signIn(p, role, org, region) {
  await p.goto(`${base}/sign-in`);
  await p.getByTestId('org').fill(org);
  await p.getByTestId('region').fill(region);
  // The role select: open it and pick by its label's role key.
  await p.getByTestId('role').click();
  await p.locator('.el-select-dropdown__item').nth(
    ['office', 'department', 'city', 'county', 'supervisor', 'discipline'].indexOf(role)).click();
  await p.getByTestId('org').fill(org);
  await p.getByTestId('region').fill(region);
  await p.getByTestId('dev-sign-in').click();
  await p.waitForURL(/\/ledger/);
}

async function token(role, org, region) {
  const r = await fetch(`${base}/v1/dev:signIn`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ role, org, region }),
  });
  return (await r.json()).token;
}

// The issue states as the portal names them (i18n.ts): the values the API gives, the office sees
// in its language.
const STATE_ZH = {
  REGISTERED: '已登记', ASSIGNED: '已交办', RECTIFYING: '整改中', ACCEPTANCE_REQUESTED: '已申请验收',
  LOCALLY_ACCEPTED: '属地验收通过', PRE_EXAMINED: '行业预审通过', JOINT_REVIEWED: '联合审核通过',
  PUBLIC_NOTICE: '公示中', CLOSED: '已销号', STAGE_COMPLETED: '阶段性完成',
};
const STATE_EN = {
  REGISTERED: 'Registered', ASSIGNED: 'Assigned', RECTIFYING: 'Rectifying', ACCEPTANCE_REQUESTED: 'Acceptance requested',
  LOCALLY_ACCEPTED: 'Locally accepted', PRE_EXAMINED: 'Pre-examined', JOINT_REVIEWED: 'Jointly reviewed',
  PUBLIC_NOTICE: 'In public notice', CLOSED: 'Closed', STAGE_COMPLETED: 'Stage completed',
};
// An enum value on the page: the element of `testId` holding the API's value in data-value (waited
// for), and the label it shows.
async function enumShown(scope, testId, value) {
  const e = scope.locator(`[data-test="${testId}"][data-value="${value}"]`).first();
  await e.waitFor();
  return (await e.textContent()).trim();
}
// The count strip's states above the ledger: each one's value and what it shows.
const stripStates = (p) => p.getByTestId('strip').locator('[data-test=state-count]').evaluateAll((tags) =>
  tags.map((t) => ({ value: t.getAttribute('data-value'), text: t.textContent.trim() })));
// Whether every state of the strip is named as `names` names it, followed by its count.
const namedAs = (tags, names) => tags.length === Object.keys(names).length &&
  tags.every((t) => names[t.value] && t.text.startsWith(`${names[t.value]} `) && /\d$/.test(t.text));

// The message the service's field violation put beside a form's field (the form item holding it).
const beside = (p, testId) =>
  p.locator('.el-form-item', { has: p.getByTestId(testId) }).locator('.el-form-item__error');
// The open form's dialog has closed (the service took the action; a refusal keeps it open).
const dialogClosed = (p) => p.locator('.el-dialog:visible').waitFor({ state: 'hidden' });
// Every select's dropdown closed (so the next one opened is the only one to pick from).
const dropdownsClosed = (p) => p.waitForFunction(() =>
  [...document.querySelectorAll('.el-select__popper')].every((e) => getComputedStyle(e).display === 'none'));
// An option of the select `testId`, by its label.
async function pick(p, testId, label) {
  await dropdownsClosed(p);
  await p.getByTestId(testId).click();
  await p.getByRole('option', { name: label, exact: true }).click();
}
// An org of an org select, by its id.
async function pickOrg(p, testId, org) {
  await dropdownsClosed(p);
  await p.getByTestId(testId).click();
  await p.locator('.org-select .el-select-dropdown__item:visible', { hasText: org }).click();
}
// A date typed into a date picker (its input inside the field's box), as the keyboard enters it.
async function fillDate(field, date) {
  const input = field.locator('input');
  await input.fill(date);
  await input.press('Enter');
}
// The cells of a CSV line (quoted cells may hold commas and doubled quotes).
function csvCells(line) {
  const cells = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') { cell += '"'; i += 1; }
    else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) { cells.push(cell); cell = ''; }
    else cell += c;
  }
  cells.push(cell);
  return cells;
}
// The ledger's rows as they are on screen: id, region, lead org and deadline of each.
const ledgerRows = (p) => p.getByTestId('ledger').locator('.el-table__row').evaluateAll((rows) =>
  rows.map((r) => {
    const cells = [...r.querySelectorAll('td')].map((td) => td.textContent.trim());
    return { id: cells[0], region: cells[2], leadOrg: cells[4], deadline: cells[5] };
  }));

let caseWalked; // the case discipline walks to CLOSED, on an issue of its own
try {
  // The office's ledger.
  {
    const p = await page('ledger');
    await signIn(p, 'office', 'hlj-office', '230000');
    await p.getByTestId('ledger').locator('.el-table__row').first().waitFor();
    const rows = await p.getByTestId('ledger').locator('.el-table__row').count();
    check(`the office's ledger shows a page of issues (${rows})`, rows === 50);
    await p.getByTestId('strip').getByText(/合计 \d+/).waitFor();
    await p.shot();

    // Filters go into the URL and the ledger follows them.
    await p.getByTestId('f-text').fill('采砂');
    await p.getByTestId('search').click();
    await p.waitForURL(/text=/);
    await p.waitForFunction(() => [...document.querySelectorAll('[data-test=ledger] .el-table__row')]
      .every((r) => r.textContent.includes('采砂')));
    check('a title filter is kept in the URL and narrows the ledger', p.url().includes('text='));

    // Export of exactly the filtered set, as a file the browser saves under the gateway's name.
    const [csv] = await Promise.all([p.waitForEvent('download'),
      p.getByRole('button', { name: '导出 CSV' }).click()]);
    const csvPath = join(out, csv.suggestedFilename());
    await csv.saveAs(csvPath);
    const lines = readFileSync(csvPath, 'utf8').trim().split('\n');
    check(`the export saves ${csv.suggestedFilename()}: ${lines.length - 1} issues, each 采砂`,
      lines.length > 1 && lines.slice(1).every((l) => l.includes('采砂')));

    // Live: another client creates an issue; the count above the ledger moves without a reload.
    const before = await p.getByTestId('strip').getByText(/合计 \d+/).textContent();
    await p.getByTestId('live').getByText('实时更新').waitFor();
    const office = await token('office', 'hlj-office', '230000');
    const created = await fetch(`${base}/v1/issues`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${office}` },
      body: JSON.stringify({ title: '浏览器测试：实时更新', source: 'FEEDBACK', category: 'WATER',
        regionCode: '230102', measures: [{ description: '核查' }] }),
    });
    check(`another client creates an issue (${created.status})`, created.ok);
    await p.waitForFunction((b) => {
      const t = document.querySelector('[data-test=strip]')?.textContent ?? '';
      return !t.includes(b);
    }, before);
    check(`the ledger's count moved live (${before.trim()} → updated)`, true);

    // The language switch: the count strip and an issue's page name the states in Chinese, then in
    // English (the API's value in each one's data-value).
    const zhStrip = await stripStates(p);
    await p.getByTestId('ledger').locator('.el-table__row a').first().click();
    await p.getByTestId('issue').waitFor();
    const value = await p.getByTestId('state').getAttribute('data-value');
    const zhIssue = await enumShown(p, 'state', value);
    await p.getByTestId('language').click();
    await p.getByText('Inspection Rectification').waitFor();
    check('the language switch shows English', true);
    const enIssue = await enumShown(p, 'state', value);
    await p.goBack();
    await p.getByTestId('strip').locator('[data-test=state-count]').first().waitFor();
    const enStrip = await stripStates(p);
    await p.screenshot({ path: join(out, 'ledger-en.png'), fullPage: true });
    check(`the states by name: the strip's ${zhStrip.map((t) => t.text).join(' / ')} → ` +
      `${enStrip.map((t) => t.text).join(' / ')}; the issue's ${value}: ${zhIssue} → ${enIssue}`,
      namedAs(zhStrip, STATE_ZH) && namedAs(enStrip, STATE_EN) && zhIssue === STATE_ZH[value] &&
      enIssue === STATE_EN[value]);
    await p.getByTestId('language').click();
    await p.getByText('生态环境保护督察整改').waitFor();
    await p.context().close();
  }

  // The ledger's pickers and order: a city picked in the region tree (its counties come with it),
  // a lead org from the registry's orgs, the latest deadlines first; all three in the URL, the
  // controls and rows restored from it on a reload, and the export in the same filter and order.
  {
    const p = await page('ledger-pickers');
    await signIn(p, 'office', 'hlj-office', '230000');
    await p.getByTestId('ledger').locator('.el-table__row').first().waitFor();
    await p.getByTestId('f-region').click();
    await p.locator('.region-picker .el-tree-node__content:visible', { hasText: '牡丹江市' }).click();
    await p.getByTestId('f-leadOrg').click();
    await p.locator('.org-select .el-select-dropdown__item:visible', { hasText: 'hlj-agri' }).click();
    await p.getByTestId('search').click();
    await p.waitForURL(/leadOrg=hlj-agri/);
    // The order applies as it is chosen.
    await p.getByTestId('f-order').click();
    await p.locator('.el-select-dropdown__item:visible', { hasText: '整改时限（由远及近）' }).click();
    await p.waitForURL(/orderBy=deadline(\+|%20)desc/);
    const inOrder = (rows) => rows.length > 0 &&
      rows.every((r) => r.region.startsWith('2310') && r.leadOrg === 'hlj-agri' && r.deadline) &&
      rows.every((r, i) => i === 0 || rows[i - 1].deadline >= r.deadline);
    await p.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-test=ledger] .el-table__row')].map((r) =>
        [...r.querySelectorAll('td')].map((td) => td.textContent.trim()));
      return rows.length > 0 && rows.every((c) => c[2].startsWith('2310') && c[4] === 'hlj-agri') &&
        rows.every((c, i) => i === 0 || rows[i - 1][5] >= c[5]);
    });
    const picked = await ledgerRows(p);
    const url = new URL(p.url());
    check(`牡丹江市, hlj-agri, latest deadline first: in the URL (${url.search}), ${picked.length} rows of ` +
      `231000's subtree, deadlines ${picked[0]?.deadline} … ${picked.at(-1)?.deadline}`,
      url.searchParams.get('region') === '231000' && url.searchParams.get('leadOrg') === 'hlj-agri' &&
      url.searchParams.get('orderBy') === 'deadline desc' && inOrder(picked) &&
      new Set(picked.map((r) => r.region)).size > 1);
    // A reload (a bookmark): the controls show what the URL says, the rows are the same.
    await p.reload();
    await p.getByTestId('ledger').locator('.el-table__row').first().waitFor();
    await p.getByTestId('f-leadOrg').getByText('黑龙江省农业农村厅').waitFor();
    const restored = await ledgerRows(p);
    const shown = [await p.getByTestId('f-region').textContent(), await p.getByTestId('f-leadOrg').textContent(),
      await p.getByTestId('f-order').textContent()].map((t) => t.trim());
    check(`a reload restores the pickers (${shown.join(' / ')}) and the same rows`,
      shown[0].includes('牡丹江市') && shown[1].includes('黑龙江省农业农村厅') && shown[2].includes('由远及近') &&
      restored.map((r) => r.id).join() === picked.map((r) => r.id).join());
    // The export: the same issues in the same order.
    const [csv] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: '导出 CSV' }).click()]);
    const csvPath = join(out, `pickers-${csv.suggestedFilename()}`);
    await csv.saveAs(csvPath);
    const exported = readFileSync(csvPath, 'utf8').trim().split('\n').slice(1).map(csvCells);
    check(`the export holds the same ${exported.length} issues in the same order`,
      exported.slice(0, picked.length).map((c) => c[0]).join() === picked.map((r) => r.id).join() &&
      (picked.length === 50 || exported.length === picked.length) &&
      exported.every((c) => c[5].startsWith('2310') && c[9] === 'hlj-agri'));
    await p.shot();
    await p.context().close();
  }

  // One issue: its dossier gathered from the three services, the chain verified.
  {
    const p = await page('issue');
    await signIn(p, 'office', 'hlj-office', '230000');
    await p.goto(`${base}/issues/1`);
    await p.getByTestId('issue').waitFor();
    await p.getByTestId('verified').waitFor();
    const verified = await p.getByTestId('verified').textContent();
    check(`issue 1's history: ${verified.trim()}`, verified.includes('链式校验通过'));
    // A file into the dossier from the page, with its progress, then listed with its digest.
    const before = await p.getByTestId('evidence').locator('.el-table__row').count();
    await p.getByTestId('upload').setInputFiles({ name: '现场照片说明.pdf', mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n') });
    await p.waitForFunction((n) =>
      document.querySelectorAll('[data-test=evidence] .el-table__row').length === n + 1, before);
    const listed = await p.getByTestId('evidence').textContent();
    check('an upload from the issue page is listed in its dossier', listed.includes('现场照片说明.pdf'));
    await p.shot();
    await p.context().close();
  }

  // An action as a form: the lead org acknowledges an assignment in the portal, reports progress
  // with its measure (the service's violations beside the narrative and beside the measure's note,
  // then the report taken and the measure done); an application without its self-check shows the
  // service's field violation beside the field.
  let walked; // this issue, RECTIFYING, lead hlj-water, gov-230102 rectifying, deadline 2027-06-30
  {
    const office = await token('office', 'hlj-office', '230000');
    const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${office}` };
    const created = await (await fetch(`${base}/v1/issues`, {
      method: 'POST', headers,
      body: JSON.stringify({ title: '浏览器测试：签收与验收', source: 'FEEDBACK', category: 'WATER',
        regionCode: '230102', measures: [{ description: '截污纳管' }] }),
    })).json();
    const assigned = await fetch(`${base}/v1/issues/${created.id}:assign`, {
      method: 'POST', headers,
      body: JSON.stringify({ leadOrgId: 'hlj-water', responsibleOrgIds: ['gov-230102'],
        acceptanceOrgId: 'hlj-deee', jointReviewerOrgIds: ['hlj-housing'], deadline: '2027-06-30',
        rectificationClass: 'TIME_LIMITED' }),
    });
    check(`an issue is created and assigned for the walk (${assigned.status})`, assigned.ok);
    const p = await page('acknowledge');
    await signIn(p, 'department', 'hlj-water', '');
    await p.goto(`${base}/issues/${created.id}`);
    await p.getByTestId('action-acknowledge').click();
    await p.getByTestId('action-submit').click();
    const rectifying = await enumShown(p, 'state', 'RECTIFYING');
    check(`the lead org acknowledges in the portal: RECTIFYING, shown as ${rectifying}`, rectifying === STATE_ZH.RECTIFYING);
    walked = created.id;

    await p.getByTestId('action-reportProgress').click();
    await p.getByTestId('measure-note-m1').fill('说明'.repeat(501));
    await p.getByTestId('action-submit').click();
    await beside(p, 'field-report.narrative').waitFor();
    await beside(p, 'measure-note-m1').waitFor();
    const said = [(await beside(p, 'field-report.narrative').textContent()).trim(),
      (await beside(p, 'measure-note-m1').textContent()).trim()];
    check(`a report without its narrative and with a long note: "${said[0]}" beside the narrative, ` +
      `"${said[1]}" beside the measure's note`, said[0].length > 0 && /1000/.test(said[1]));
    await p.getByTestId('field-report.percentDone').fill('40');
    await p.getByTestId('field-report.narrative').fill('截污纳管主体工程完工');
    await p.getByTestId('measure-note-m1').fill('管网已通水');
    await p.getByTestId('measure-done-m1').click();
    await p.getByTestId('action-submit').click();
    await dialogClosed(p);
    await p.getByTestId('measure-m1').getByText('已完成').waitFor();
    await p.getByTestId('progress').getByText('40%').waitFor();
    check('the report is taken: 40%, measure m1 done', true);
    // The progress timeline shows it first, with what it said of the measure.
    const latest = p.getByTestId('progress-reports').locator('.el-timeline-item').first();
    await latest.getByText('截污纳管主体工程完工').waitFor();
    const shown = (await latest.textContent()) ?? '';
    check(`the progress timeline's newest report: "${shown.replace(/\s+/g, ' ').trim().slice(0, 80)}"`,
      shown.includes('40%') && shown.includes('管网已通水'));
    await p.getByTestId('action-requestAcceptance').click();
    await p.getByTestId('action-submit').click();
    const error = p.locator('.el-form-item__error').first();
    await error.waitFor();
    check(`an application without its self-check: "${(await error.textContent()).trim()}" beside the field`,
      (await error.textContent()).trim().length > 0);
    await p.shot();
    await p.context().close();
  }

  // Extensions on the issue page: the county (a rectifying org) asks for a later deadline (a date
  // before the current one gets the service's violation beside the field); the office, offered the
  // decision the county is not, refuses without reasons (the violation beside the reason), then
  // approves, and the issue's deadline moves.
  {
    const p = await page('extension');
    await signIn(p, 'county', 'gov-230102', '230102');
    await p.goto(`${base}/issues/${walked}`);
    await p.getByTestId('extension-request').click();
    await fillDate(p.getByTestId('field-requestedDeadline'), '2027-01-15');
    await p.getByTestId('field-reason').fill('汛期施工受限，需顺延');
    await p.getByTestId('action-submit').click();
    const early = beside(p, 'field-requestedDeadline');
    await early.waitFor();
    check(`a deadline before the current one: "${(await early.textContent()).trim()}" beside the field`,
      (await early.textContent()).includes('2027-06-30'));
    await fillDate(p.getByTestId('field-requestedDeadline'), '2027-09-30');
    await p.getByTestId('action-submit').click();
    await dialogClosed(p);
    const row = p.getByTestId('extensions').locator('.el-table__row').first();
    const pending = await enumShown(row, 'extension-state', 'PENDING');
    const countyOffered = await p.locator('[data-test^=extension-approve-], [data-test^=extension-refuse-], ' +
      '[data-test=extension-request]').count();
    check(`the county's request is listed, PENDING (${pending}); the county is offered no decision nor a second request (${countyOffered})`,
      pending === '待审批' && countyOffered === 0);
    await p.shot();

    await signIn(p, 'office', 'hlj-office', '230000');
    await p.goto(`${base}/issues/${walked}`);
    await p.locator('[data-test^=extension-refuse-]').click();
    await p.getByTestId('action-submit').click();
    const reasons = beside(p, 'field-reason');
    await reasons.waitFor();
    check(`a refusal without reasons: "${(await reasons.textContent()).trim()}" beside the field`,
      (await reasons.textContent()).trim().length > 0);
    await p.keyboard.press('Escape');
    await dialogClosed(p);
    await p.locator('[data-test^=extension-approve-]').click();
    await p.getByTestId('field-reason').fill('同意顺延至汛期后');
    await p.getByTestId('action-submit').click();
    await dialogClosed(p);
    const approved = await enumShown(row, 'extension-state', 'APPROVED');
    await p.getByTestId('deadline').getByText('2027-09-30').waitFor();
    check(`the office approves in the portal: APPROVED (${approved}), the deadline now 2027-09-30`, approved === '已批准');
    await p.screenshot({ path: join(out, 'extension-approved.png'), fullPage: true });
    await p.context().close();
  }

  // The five closure steps in the portal, each signed by the one who signs it: the county applies,
  // its city accepts on site, the acceptance department pre-examines, the joint reviewer and the
  // office review, and the office opens the public notice. (The work before the application, and
  // the close after the notice's working days, are not the portal's to walk here.)
  {
    const office = await token('office', 'hlj-office', '230000');
    const county = await token('county', 'gov-230102', '230102');
    const water = await token('department', 'hlj-water', '');
    const api = async (t, method, path, body, extra = {}) => {
      const r = await fetch(`${base}${path}`, {
        method, headers: { Authorization: `Bearer ${t}`, ...extra, ...(body && !extra['Content-Type'] ? { 'Content-Type': 'application/json' } : {}) },
        body: typeof body === 'string' || body instanceof Uint8Array ? body : body && JSON.stringify(body),
      });
      return { status: r.status, json: await r.json().catch(() => ({})) };
    };
    const issue = (await api(office, 'POST', '/v1/issues', { title: '浏览器测试：五步验收', source: 'FEEDBACK',
      category: 'WATER', regionCode: '230102', measures: [{ description: '截污纳管' }] })).json;
    await api(office, 'POST', `/v1/issues/${issue.id}:assign`, { leadOrgId: 'hlj-water',
      responsibleOrgIds: ['gov-230102'], acceptanceOrgId: 'hlj-deee', jointReviewerOrgIds: ['hlj-housing'],
      deadline: '2027-06-30', rectificationClass: 'TIME_LIMITED' });
    await api(water, 'POST', `/v1/issues/${issue.id}:acknowledge`, {});
    const file = (await api(county, 'POST', `/v1/issues/${issue.id}/evidence?metadata.kind=DOCUMENT`,
      '%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n',
      { 'Content-Type': 'application/pdf', 'Content-Disposition': 'attachment; filename="plan.pdf"' })).json;
    const done = await api(county, 'POST', `/v1/issues/${issue.id}/progressReports`,
      { percentDone: 100, narrative: '全部完成', measureUpdates: [{ measureId: 'm1', done: true }] });
    check(`issue ${issue.id} is rectified and has its file (${done.status}, file ${file.id})`, done.status === 200 && !!file.id);

    const p = await page('closure');
    const step = async (who, action, fill, state) => {
      await signIn(p, ...who);
      await p.goto(`${base}/issues/${issue.id}`);
      await p.getByTestId(`action-${action}`).click();
      await fill();
      await p.getByTestId('action-submit').click();
      // The form closes only when the service took the action (a refusal stays in it).
      await dialogClosed(p);
      const shown = await enumShown(p, 'state', state);
      check(`${who[1]} signs ${action}: ${state}, shown as ${shown}`, shown === STATE_ZH[state]);
    };
    // The decision by its label (APPROVE: 通过, beside 不通过).
    const approve = async () => {
      await p.getByTestId('field-decision').click();
      await p.getByRole('option', { name: '通过', exact: true }).click();
    };
    await step(['county', 'gov-230102', '230102'], 'requestAcceptance', async () => {
      await p.getByTestId('field-selfCheck').fill('自查：整改措施全部落实，指标稳定达标');
      await p.getByTestId('field-evidenceIds').fill(String(file.id));
    }, 'ACCEPTANCE_REQUESTED');
    await step(['city', 'gov-230100', '230100'], 'reviewOnSite', approve, 'LOCALLY_ACCEPTED');
    await step(['department', 'hlj-deee', ''], 'reviewPreExamination', approve, 'PRE_EXAMINED');
    await step(['department', 'hlj-housing', ''], 'reviewJoint', approve, 'PRE_EXAMINED');
    await step(['office', 'hlj-office', '230000'], 'reviewJoint', approve, 'JOINT_REVIEWED');
    await step(['office', 'hlj-office', '230000'], 'openPublicNotice', async () => {
      await p.getByTestId('field-workingDays').fill('5');
    }, 'PUBLIC_NOTICE');
    const steps = await p.getByTestId('steps').textContent();
    check('the stepper names who signed each step',
      ['gov-230102', 'gov-230100', 'hlj-deee', 'hlj-housing', 'hlj-office'].every((o) => steps.includes(o)));
    await p.shot();

    // Closing while the notice runs: the service refuses, the page says why (until when).
    const end = (await api(office, 'GET', `/v1/issues/${issue.id}`)).json.notice?.endDate;
    await p.getByTestId('action-close').click();
    await p.getByTestId('action-submit').click();
    const refusal = p.getByTestId('action-refusal');
    await refusal.waitFor();
    const refused = (await refusal.textContent()).trim();
    check(`closing before the notice ends (${end}) is refused: "${refused}"`,
      !!end && refused.includes(end) && refused.includes('公示期未结束'));
    await p.screenshot({ path: join(out, 'close-refused.png') });
    await p.keyboard.press('Escape');
    await dialogClosed(p);

    // An objection from the public; the office rules on it in the portal (reasons required), the
    // county sees it but is offered no ruling.
    const objector = await token('public', `e2e-objector-${Date.now()}`, '');
    const filed = await api(objector, 'POST', `/v1/issues/${issue.id}/objections`,
      { text: '浏览器测试：公示期间仍见污水直排', contact: 'e2e@example.org' });
    check(`the public objects to issue ${issue.id} (${filed.status})`, filed.status === 200);
    await p.reload();
    const objection = p.getByTestId('objections').locator('.el-table__row', { hasText: '仍见污水直排' });
    const filedState = await enumShown(objection, 'objection-state', 'PENDING');
    const rulings = await objection.locator('[data-test^=objection-uphold-], [data-test^=objection-dismiss-]').count();
    await objection.locator('[data-test^=objection-dismiss-]').click();
    await p.getByTestId('action-submit').click();
    const ruling = beside(p, 'field-ruling');
    await ruling.waitFor();
    check(`the objection is PENDING (${filedState}), the office is offered ${rulings} rulings; a dismissal without reasons: ` +
      `"${(await ruling.textContent()).trim()}" beside the field`,
      filedState === '待裁定' && rulings === 2 && (await ruling.textContent()).trim().length > 0);
    await p.getByTestId('field-ruling').fill('经核查，排口已封堵，异议不成立');
    await p.getByTestId('action-submit').click();
    await dialogClosed(p);
    const dismissed = await enumShown(objection, 'objection-state', 'DISMISSED');
    const notice = await enumShown(p, 'state', 'PUBLIC_NOTICE');
    check(`the office dismisses it in the portal: DISMISSED (${dismissed}), the notice runs on (${notice})`,
      dismissed === '已驳回' && notice === STATE_ZH.PUBLIC_NOTICE);
    await signIn(p, 'county', 'gov-230102', '230102');
    await p.goto(`${base}/issues/${issue.id}`);
    await enumShown(objection, 'objection-state', 'DISMISSED');
    await p.getByTestId('objections').locator('.el-table__row').first().waitFor();
    const countyRulings = await p.locator('[data-test^=objection-uphold-], [data-test^=objection-dismiss-]').count();
    const countyClose = await p.getByTestId('action-close').count();
    check(`the county sees the objections, offered no ruling (${countyRulings}) and no close (${countyClose})`,
      countyRulings === 0 && countyClose === 0);
    await p.context().close();
  }

  // A county sees its own region only.
  {
    const p = await page('county');
    await signIn(p, 'county', 'gov-230102', '230102');
    await p.getByTestId('ledger').locator('.el-table__row').first().waitFor();
    const regions = await p.getByTestId('ledger').locator('.el-table__row td:nth-child(3)').allTextContents();
    check(`a county's ledger holds its own region only (${regions.length} rows)`,
      regions.length > 0 && regions.every((r) => r.trim().startsWith('230102')));
    // A refused action shows the service's message: a county may not open another's issue.
    await p.goto(`${base}/issues/1`);
    const alert = p.getByRole('alert').first();
    await alert.waitFor();
    check(`a refused view shows the service's answer (${(await alert.textContent()).trim().slice(0, 60)})`,
      /403|404/.test(await alert.textContent()));
    await p.context().close();
  }

  // The battle map with the demo's lights.
  {
    const p = await page('map');
    await signIn(p, 'supervisor', 'hlj-supervision', '230000');
    await p.goto(`${base}/map`);
    await p.getByTestId('map').locator('.tile').first().waitFor();
    const tiles = await p.getByTestId('map').locator('.tile').count();
    const red = await p.getByTestId('map').locator('.tile.red').count();
    check(`the battle map shows the 13 divisions (${tiles}), ${red} red`, tiles === 13 && red > 0);
    // Live: an issue assigned in Harbin is supervised, and its tile's count moves without a reload.
    const harbin = p.getByTestId('map').locator('.tile', { hasText: '哈尔滨市' });
    const before = (await harbin.textContent()).trim();
    const office = await token('office', 'hlj-office', '230000');
    const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${office}` };
    const fresh = await (await fetch(`${base}/v1/issues`, { method: 'POST', headers,
      body: JSON.stringify({ title: '浏览器测试：作战图实时', source: 'FEEDBACK', category: 'AIR',
        regionCode: '230102', measures: [{ description: '整治' }] }) })).json();
    const assigned = await fetch(`${base}/v1/issues/${fresh.id}:assign`, { method: 'POST', headers,
      body: JSON.stringify({ leadOrgId: 'hlj-water', responsibleOrgIds: ['gov-230102'], acceptanceOrgId: 'hlj-deee',
        jointReviewerOrgIds: ['hlj-housing'], deadline: '2027-06-30', rectificationClass: 'TIME_LIMITED' }) });
    check(`an issue in Harbin is assigned while the map is open (${assigned.status})`, assigned.ok);
    await p.waitForFunction((b) => {
      const tile = [...document.querySelectorAll('[data-test=map] .tile')].find((t) => t.textContent.includes('哈尔滨市'));
      return tile && tile.textContent.trim() !== b;
    }, before);
    check(`the map follows live: Harbin ${before.replace(/\s+/g, ' ')} → ${(await harbin.textContent()).trim().replace(/\s+/g, ' ')}`, true);
    await p.getByTestId('escalation-chart').locator('canvas').waitFor();
    await p.shot();
    // The escalation queue of the same supervisor.
    await p.goto(`${base}/escalations`);
    await p.getByTestId('escalations').locator('.el-table__row').first().waitFor();
    const open = await p.getByTestId('escalations').locator('.el-table__row').count();
    check(`the supervisor's queue holds the open escalations (${open})`, open > 0);
    // The desk: obligations with their countdowns, linkage, meetings.
    await p.goto(`${base}/desk`);
    await p.getByTestId('obligations').locator('.el-table__row').first().waitFor();
    const countdowns = await p.getByTestId('obligations').locator('.el-table__row td:nth-child(5)').allTextContents();
    check(`the desk's obligations count down (${countdowns[0]?.trim()})`, countdowns.every((c) => /剩余|已超时/.test(c)));
    // The press-release view: figures and four charts.
    await p.goto(`${base}/stats`);
    await p.getByTestId('figures').waitFor();
    await p.waitForFunction(() => document.querySelectorAll('[data-test=chart] canvas').length === 4);
    check('the statistics page draws its four charts', true);
    await p.screenshot({ path: join(out, 'stats.png'), fullPage: true });
    await p.context().close();
  }

  // Discipline's cases and their charts.
  {
    const p = await page('cases');
    await signIn(p, 'discipline', 'hlj-discipline', '230000');
    await p.goto(`${base}/cases`);
    await p.getByTestId('cases').locator('.el-table__row').first().waitFor();
    const cases = await p.getByTestId('cases').locator('.el-table__row').count();
    check(`discipline sees its cases (${cases})`, cases > 0);
    await p.shot();
    await p.context().close();
  }

  // Discipline's casework in the portal, on an issue of its own: a case opened on it from the
  // cases list (an empty form first, refused with the service's messages beside its fields), the
  // county it names seeing it and offered nothing, the investigation started, a finding recorded
  // (refused without its facts, beside the field), the decision with a sanction for each subject,
  // the case closed: each step seen on the case page. The list finds it by issue and state; a
  // transferred case names the escalation it came from.
  {
    const office = await token('office', 'hlj-office', '230000');
    const issue = await (await fetch(`${base}/v1/issues`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${office}` },
      body: JSON.stringify({ title: '浏览器测试：问责案件', source: 'FEEDBACK', category: 'WATER',
        regionCode: '230102', measures: [{ description: '截污纳管' }] }),
    })).json();
    check(`an issue is registered for the case (${issue.id})`, !!issue.id);
    const p = await page('case');
    await signIn(p, 'discipline', 'hlj-discipline', '230000');
    await p.goto(`${base}/cases?issue=${issue.id}`);
    await p.getByTestId('case-open').click();
    const linked = await p.getByTestId('field-case.issueIds').inputValue();
    await p.getByTestId('action-submit').click();
    await beside(p, 'field-case.summary').waitFor();
    const said = [await beside(p, 'field-case.source').textContent(), await beside(p, 'field-case.summary').textContent(),
      await p.getByTestId('subject-0').locator('.el-form-item__error').textContent()].map((t) => t.trim());
    check(`the form opens on issue ${linked} (the list's filter); sent with nothing more it is refused: "${said[0]}" beside the ` +
      `source, "${said[1]}" beside the summary, "${said[2]}" beside the first subject`,
      linked === String(issue.id) && said.every((t) => t.length > 0));
    await pick(p, 'field-case.source', '督察发现');
    await pick(p, 'field-case.failureTypes', '整改不到位');
    await p.getByTestId('field-case.failureTypes').click(); // (a multiple choice stays open)
    await pickOrg(p, 'subject-org-0', 'gov-230102');
    await p.getByTestId('subject-add').click();
    await pick(p, 'subject-kind-1', '个人');
    await pickOrg(p, 'subject-org-1', 'gov-230102');
    await p.getByTestId('subject-name-1').fill('王某（测试）');
    await p.getByTestId('subject-post-1').fill('分管副区长');
    await p.getByTestId('field-case.summary').fill('浏览器测试：截污纳管工程整改不到位');
    await p.getByTestId('action-submit').click();
    await p.waitForURL(/\/cases\/\d+$/);
    const id = new URL(p.url()).pathname.split('/').pop();
    const offered = () => p.locator('[data-test^=case-action-]').evaluateAll((b) =>
      b.map((e) => e.getAttribute('data-test').replace('case-action-', '')));
    const opened = await enumShown(p, 'case-state', 'OPEN');
    const atOpen = await offered();
    check(`discipline opens case ${id} in the portal: OPEN, shown as ${opened}; offered ${atOpen.join(', ')}`,
      opened === '已立案' && atOpen.join() === 'startInvestigation,dismiss');
    caseWalked = id;

    // The county the case names sees it, without the official's name, and is offered nothing.
    const c = await page('case-county');
    await signIn(c, 'county', 'gov-230102', '230102');
    await c.goto(`${base}/cases/${id}`);
    const countyState = await enumShown(c, 'case-state', 'OPEN');
    const countyOffered = await c.locator('[data-test^=case-action-]').count();
    const names = (await c.getByTestId('subject-name').allTextContents()).map((t) => t.trim());
    check(`the county sees case ${id} ${countyState}, offered no action (${countyOffered}), the official's name withheld ` +
      `(${JSON.stringify(names)})`, countyState === '已立案' && countyOffered === 0 && names.length === 2 &&
      names.every((n) => n === ''));
    await c.screenshot({ path: join(out, 'case-county.png'), fullPage: true });
    await c.context().close();

    await p.getByTestId('case-action-startInvestigation').click();
    await p.getByTestId('action-submit').click();
    await dialogClosed(p);
    const investigating = await enumShown(p, 'case-state', 'INVESTIGATING');
    const atInvestigating = await offered();
    check(`the investigation starts: INVESTIGATING, shown as ${investigating}; offered ${atInvestigating.join(', ')} ` +
      '(no decision before a finding)', investigating === '调查中' && atInvestigating.join() === 'recordFinding,dismiss');

    await p.getByTestId('case-action-recordFinding').click();
    await p.getByTestId('action-submit').click();
    const facts = beside(p, 'field-finding.facts');
    await facts.waitFor();
    check(`a finding without its facts: "${(await facts.textContent()).trim()}" beside the field`,
      (await facts.textContent()).trim().length > 0);
    await p.getByTestId('field-finding.facts').fill('经查，截污管网未按整改方案建成，整改不到位');
    await p.getByTestId('field-finding.evidenceRefs').fill('询问笔录（测试）\n现场核查记录（测试）');
    await p.getByTestId('action-submit').click();
    await dialogClosed(p);
    await p.getByTestId('finding-facts').getByText('截污管网未按整改方案建成').waitFor();
    await p.getByTestId('case-action-decide').waitFor();
    check(`the finding is recorded on the page, and the decision offered (${(await offered()).join(', ')})`,
      (await p.getByTestId('case-finding').textContent()).includes('现场核查记录（测试）'));

    await p.getByTestId('case-action-decide').click();
    await p.getByTestId('field-decidedBy').fill('省纪委监委（测试）');
    await pick(p, 'sanction-0', '通报批评');
    await pick(p, 'sanction-1', '诫勉');
    await p.getByTestId('action-submit').click();
    await dialogClosed(p);
    const decided = await enumShown(p, 'case-state', 'DECIDED');
    const sanctions = await p.getByTestId('case-subjects').locator('[data-test=case-sanction]').evaluateAll((s) =>
      s.map((e) => `${e.getAttribute('data-value')}:${e.textContent.trim()}`));
    check(`the decision: DECIDED, shown as ${decided}, by ${(await p.getByTestId('decided-by').textContent()).trim()}; ` +
      `sanctions ${sanctions.join(', ')}`, decided === '已作出处理' &&
      sanctions.join() === 'CIRCULATED_CRITICISM:通报批评,ADMONISHMENT:诫勉');

    await p.getByTestId('case-action-close').click();
    await p.getByTestId('action-submit').click();
    await dialogClosed(p);
    const closed = await enumShown(p, 'case-state', 'CLOSED');
    const atClosed = await p.locator('[data-test^=case-action-]').count();
    check(`the case is closed: CLOSED, shown as ${closed}, nothing more offered (${atClosed})`,
      closed === '已结案' && atClosed === 0);
    await p.shot();

    // The list by issue and state (in the URL): the case, its state and failure types by label.
    await p.goto(`${base}/cases?issue=${issue.id}&state=CLOSED`);
    const row = p.getByTestId('cases').locator('.el-table__row');
    const listed = await enumShown(row, 'case-state', 'CLOSED');
    const rows = await row.count();
    const failures = (await row.first().getByTestId('case-failures').textContent()).trim();
    await row.first().getByTestId('case-link').click();
    await p.waitForURL(new RegExp(`/cases/${id}$`));
    check(`the list filtered to issue ${issue.id} and CLOSED holds case ${id} (${rows} row): ${listed}, ${failures}; ` +
      'its link opens the case', rows === 1 && listed === '已结案' && failures === '整改不到位');

    // A case transferred by supervision names the escalation it came from.
    const discipline = await token('discipline', 'hlj-discipline', '230000');
    const transfers = await (await fetch(`${base}/v1/cases?filter=${encodeURIComponent('source = TRANSFER')}`,
      { headers: { Authorization: `Bearer ${discipline}` } })).json();
    const transferred = (transfers.cases ?? []).find((k) => /^supervision\/escalations\/\d+$/.test(k.transferId ?? ''));
    if (transferred) {
      await p.goto(`${base}/cases/${transferred.id}`);
      const level = await enumShown(p, 'transfer-level', 'TRANSFER');
      check(`case ${transferred.id}, transferred, shows ${transferred.transferId} at the level ${level}`,
        level === '移交问责' && (await p.getByTestId('case-transfer').textContent()).includes(transferred.transferId));
    } else {
      check(`a case transferred from an escalation is listed (${transfers.cases?.length ?? 0} transferred cases)`, false);
    }
    await p.context().close();
  }

  // The public board, without signing in, on a phone.
  {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const p = await context.newPage();
    p.setDefaultTimeout(timeout);
    await p.goto(`${base}/public`);
    await p.getByTestId('notice').locator('.el-table__row').first().waitFor();
    const notice = await p.getByTestId('notice').locator('.el-table__row').count();
    check(`the public board lists issues in public notice (${notice})`, notice > 0);
    await p.getByTestId('notice').locator('.el-table__row').first().getByRole('button').click();
    await p.getByTestId('objection-text').fill('浏览器测试：整改后仍有异味。');
    await p.getByTestId('objection-submit').click();
    const answer = p.locator('[data-test=public-answer], [data-test=public-error]').first();
    await answer.waitFor();
    const text = (await answer.textContent()).trim();
    check(`an objection gets a clear answer (${text.slice(0, 60)})`, text.length > 0);
    await p.screenshot({ path: join(out, 'public.png'), fullPage: true });
    await context.close();
  }

  // At 1366×768, every signed-in page and the public board: no horizontal overflow, every control
  // named (aria-label, a label for it, or its text), a screenshot of each.
  {
    // In the page: how wide it is, and the visible controls without an accessible name.
    const audit = () => {
      const shown = (e) => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden' &&
          !e.closest('[aria-hidden=true]');
      };
      const nameOf = (e) => {
        const by = (e.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean)
          .map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
        const labels = [...(e.labels ?? [])].map((l) => l.textContent).join(' ');
        const text = e.matches('button, a, [role=button], [role=tab]') ? e.textContent : '';
        return [e.getAttribute('aria-label'), by, labels, e.getAttribute('title'), text].join(' ').trim();
      };
      const controls = [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button, ' +
        'a[href], [role=button], [role=tab], [role=combobox]')];
      return {
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        unnamed: controls.filter((e) => shown(e) && !nameOf(e)).map((e) => e.outerHTML.slice(0, 100)),
      };
    };
    const sweep = async (p, name, path, ready) => {
      await p.goto(`${base}${path}`);
      await p.locator(ready).first().waitFor();
      const a = await p.evaluate(audit);
      check(`1366×768 ${name}: ${a.scrollWidth} px wide in ${a.innerWidth}, ${a.unnamed.length} unnamed controls` +
        (a.unnamed.length ? ` (${a.unnamed.slice(0, 3).join(' | ')})` : ''),
        a.scrollWidth <= a.innerWidth && a.unnamed.length === 0);
      await p.screenshot({ path: join(out, `1366-${name}.png`), animations: 'disabled' });
    };
    const p = await page('1366');
    await signIn(p, 'office', 'hlj-office', '230000');
    await sweep(p, 'ledger', '/ledger', '[data-test=ledger] .el-table__row');
    await sweep(p, 'issue', `/issues/${walked}`, '[data-test=verified]');
    await sweep(p, 'map', '/map', '[data-test=map] .tile');
    await sweep(p, 'escalations', '/escalations', '[data-test=escalations] .el-table__row');
    await sweep(p, 'desk', '/desk', '[data-test=obligations] .el-table__row');
    await sweep(p, 'stats', '/stats', '[data-test=chart] canvas');
    await sweep(p, 'cases', '/cases', '[data-test=cases] .el-table__row');
    await sweep(p, 'case', `/cases/${caseWalked}`, '[data-test=case-subjects] .el-table__row');

    // The keyboard alone, from the top of the ledger: the skip link, the navigation and the
    // language switch (Enter switches it, and back) are reached by Tab, each with a visible focus;
    // Tab goes on to the first issue's link, and Enter opens the issue.
    await p.goto(`${base}/ledger`);
    await p.getByTestId('ledger').locator('.el-table__row').first().waitFor();
    const first = (await ledgerRows(p))[0].id;
    const reached = [];
    let focused;
    for (let i = 0; i < 150; i += 1) {
      await p.keyboard.press('Tab');
      focused = await p.evaluate(() => {
        const e = document.activeElement;
        const style = getComputedStyle(e);
        return {
          what: e.closest('[data-test]')?.getAttribute('data-test') ?? e.className ?? e.tagName,
          nav: !!e.closest('nav'), skip: e.classList.contains('skip'), tag: e.tagName,
          issueLink: e.tagName === 'A' && !!e.closest('[data-test=ledger]'), href: e.getAttribute('href') ?? '',
          ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
        };
      });
      reached.push(focused);
      if (focused.what === 'language' && !reached.some((f) => f.switched)) {
        await p.keyboard.press('Enter');
        await p.getByText('Inspection Rectification').waitFor();
        await p.keyboard.press('Enter');
        await p.getByText('生态环境保护督察整改').waitFor();
        focused.switched = true;
      }
      if (focused.issueLink) break;
    }
    const landmarks = reached.filter((f) => f.skip || f.nav || f.what === 'language');
    check(`Tab reaches the skip link, ${reached.filter((f) => f.nav).length} navigation links and the language ` +
      `switch (switched by Enter and back), each with a visible focus`,
      reached.some((f) => f.skip) && reached.filter((f) => f.nav).length >= 5 && reached.some((f) => f.switched) &&
      landmarks.every((f) => f.ring));
    check(`Tab reaches the first issue's link after ${reached.length} stops (${focused.href}), with a visible focus`,
      focused.issueLink && focused.href === `/issues/${first}` && focused.ring);
    await p.screenshot({ path: join(out, '1366-keyboard.png') });
    await p.keyboard.press('Enter');
    await p.waitForURL(new RegExp(`/issues/${first}$`));
    await p.getByTestId('issue').waitFor();
    check(`Enter on it opens issue ${first}`, true);
    await p.context().close();

    const board = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    const bp = await board.newPage();
    bp.setDefaultTimeout(timeout);
    await sweep(bp, 'public', '/public', '[data-test=notice] .el-table__row');
    await board.close();
  }

  // The ledger measured with 500 issues: the office registers enough (in 塔河县, a county no other
  // check counts) that the ledger holds 500, then it is loaded cold (a fresh context: nothing
  // cached), three times. Printed, not asserted: a figure for a quiet machine, not for a sanitizer
  // build's run; the goal is its rows on screen within 1.5 s.
  {
    const office = await token('office', 'hlj-office', '230000');
    const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${office}` };
    const total = async () => Number((await (await fetch(`${base}/v1/ledger:stats`, { headers })).json()).total ?? 0);
    const before = await total();
    const wanted = Math.max(0, 500 - before);
    let next = 0;
    const refused = [];
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < wanted) {
        next += 1;
        const r = await fetch(`${base}/v1/issues`, { method: 'POST', headers,
          body: JSON.stringify({ title: `浏览器测试：台账容量 ${next}`, source: 'PROVINCIAL_FINDING',
            category: 'ECOLOGY', regionCode: '232722', measures: [{ description: '核查整改' }] }) });
        if (!r.ok) refused.push(r.status);
      }
    }));
    const after = await total();
    check(`the office registers ${wanted} more issues: the ledger holds ${after} (${refused.length} refused)`,
      after >= 500 && refused.length === 0);

    const signed = office;
    const runs = [];
    for (let run = 1; run <= 3; run += 1) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
      await context.addInitScript((t) => {
        sessionStorage.setItem('rectify.token', t);
        // When the first row is in the page, and the frame after it painted.
        new MutationObserver((_, observer) => {
          if (!document.querySelector('[data-test=ledger] .el-table__row')) return;
          observer.disconnect();
          window.rowsInPage = performance.now();
          requestAnimationFrame(() => requestAnimationFrame(() => (window.rowsOnScreen = performance.now())));
        }).observe(document, { childList: true, subtree: true });
      }, signed);
      const cold = await context.newPage();
      cold.setDefaultTimeout(timeout);
      await cold.goto(`${base}/ledger`);
      await cold.waitForFunction(() => window.rowsOnScreen !== undefined);
      await cold.getByTestId('strip').getByText(/合计 \d+/).waitFor();
      const m = await cold.evaluate(() => ({
        paint: performance.getEntriesByName('first-paint')[0]?.startTime ?? -1,
        contentful: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1,
        rows: window.rowsOnScreen,
        count: document.querySelectorAll('[data-test=ledger] .el-table__row').length,
        list: performance.getEntriesByType('resource').find((r) => /\/v1\/issues\?/.test(r.name))?.duration ?? -1,
        strip: document.querySelector('[data-test=strip]')?.textContent.match(/合计 (\d+)/)?.[1],
      }));
      runs.push(m);
      console.log(`info  cold load ${run} of the ledger (${m.strip} issues): first paint ${Math.round(m.paint)} ms, ` +
        `first contentful paint ${Math.round(m.contentful)} ms, its first ${m.count} rows on screen at ` +
        `${Math.round(m.rows)} ms (ListIssues ${Math.round(m.list)} ms); goal 1500 ms`);
      if (run === 1) await cold.screenshot({ path: join(out, 'ledger-500.png') });
      await context.close();
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const rowsAt = median(runs.map((m) => m.rows));
    console.log(`info  the ledger of ${runs[0].strip} issues, cold, median of 3: first paint ` +
      `${Math.round(median(runs.map((m) => m.paint)))} ms, rows on screen at ${Math.round(rowsAt)} ms — ` +
      `${rowsAt <= 1500 ? 'within' : 'over'} the 1.5 s goal`);
  }
} catch (e) {
  check(`the walk-through ran to its end (${e.message.split('\n')[0]})`, false);
} finally {
  await browser.close();
}
console.log(failures === 0 ? 'portal: every check passed' : `portal: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
