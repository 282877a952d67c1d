// The portal in a real browser (Debian's chromium, driven by playwright-core) against the real
// suite: the gateway serving the built portal, the three services and MariaDB with the demo data.
//
//   node e2e/run.mjs GATEWAY_URL OUTPUT_DIR
//
// Each check prints "ok" or "FAIL" with what it saw and leaves a screenshot in OUTPUT_DIR; the
// process fails if any check does. No sleeping: every wait is for something on the page.
import { chromium, selectors } from 'playwright-core';
import { mkdirSync } from 'node:fs';
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

try {
  // The ledger, cold: first paint, then the office's rows.
  {
    const p = await page('ledger');
    await signIn(p, 'office', 'hlj-office', '230000');
    // A cold load of the ledger, signed in (a fresh context: nothing cached): its first paint, and
    // the time until its first page of issues is on screen.
    const signed = await p.evaluate(() => sessionStorage.getItem('rectify.token'));
    const coldContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    await coldContext.addInitScript((t) => sessionStorage.setItem('rectify.token', t), signed);
    const cold = await coldContext.newPage();
    await cold.goto(`${base}/ledger`);
    await cold.locator('[data-test=ledger] .el-table__row').first().waitFor({ timeout });
    const [paint, rowsAt] = await cold.evaluate(() => [
      performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1,
      performance.now(),
    ]);
    // Printed, not asserted: a figure for a quiet machine, not for a sanitizer build's run.
    check(`a cold load of the ledger paints first in ${Math.round(paint)} ms (goal under 1500 on a ` +
      `quiet machine), its issues on screen at ${Math.round(rowsAt)} ms`, paint > 0);
    await coldContext.close();
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
    const { readFileSync } = await import('node:fs');
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

    // The language switch.
    await p.getByTestId('language').click();
    await p.getByText('Inspection Rectification').waitFor();
    check('the language switch shows English', true);
    await p.getByTestId('language').click();
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

  // An action as a form: the lead org acknowledges an assignment in the portal; an application
  // without its self-check shows the service's field violation beside the field.
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
    await p.getByTestId('state').getByText('RECTIFYING').waitFor();
    check('the lead org acknowledges in the portal: RECTIFYING', true);
    await p.getByTestId('action-requestAcceptance').click();
    await p.getByTestId('action-submit').click();
    const error = p.locator('.el-form-item__error').first();
    await error.waitFor();
    check(`an application without its self-check: "${(await error.textContent()).trim()}" beside the field`,
      (await error.textContent()).trim().length > 0);
    await p.shot();
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
      await p.locator('.el-dialog').waitFor({ state: 'hidden' });
      await p.getByTestId('state').getByText(state, { exact: true }).waitFor();
      check(`${who[1]} signs ${action}: ${state}`, true);
    };
    const approve = async () => {
      await p.getByTestId('field-decision').click();
      await p.locator('.el-select-dropdown__item:visible', { hasText: 'APPROVE' }).click();
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
} catch (e) {
  check(`the walk-through ran to its end (${e.message.split('\n')[0]})`, false);
} finally {
  await browser.close();
}
console.log(failures === 0 ? 'portal: every check passed' : `portal: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
