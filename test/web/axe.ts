/**
 * axe-core in the page under test: fails on any serious or critical accessibility violation,
 * naming the rule and the elements. The script is evaluated through the DevTools protocol, which
 * the site's Content-Security-Policy does not govern, so the page keeps its real headers.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

export async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run();
    return result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes }));
  });
  const serious = violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => {
      const where = JSON.stringify(violation.nodes.map((node) => node.target));
      return `${violation.id} (${violation.impact}): ${violation.help} at ${where}`;
    });
  expect(serious).toEqual([]);
}
