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
  nodes: Array<{ target: unknown[]; exempt?: boolean }>;
}

/**
 * A violation of third-party markup we do not write (GraphiQL's): `rule` is not counted on
 * elements inside `within` (a CSS selector). `reason` says why it cannot be fixed here.
 */
export interface AxeExemption {
  rule: string;
  within: string;
  reason: string;
}

export async function expectNoSeriousAxeViolations(page: Page, exemptions: AxeExemption[] = []): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async (exempt) => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run();
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map(({ target }) => {
        const element = typeof target[0] === 'string' ? document.querySelector(target[0]) : null;
        const exempted = exempt.some(({ rule, within }) => rule === id && element?.closest(within));
        return { target, exempt: exempted };
      }),
    }));
  }, exemptions);
  const serious = violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ ...violation, nodes: violation.nodes.filter((node) => !node.exempt) }))
    .filter((violation) => violation.nodes.length > 0)
    .map((violation) => {
      const where = JSON.stringify(violation.nodes.map((node) => node.target));
      return `${violation.id} (${violation.impact}): ${violation.help} at ${where}`;
    });
  expect(serious).toEqual([]);
}
