import type { z } from 'zod';
import { INDUSTRIES } from '../../../platform/vocabulary.ts';
import { type Catalogue, type Channel, type ChannelData, channelSchema, type Rule } from './catalogue.ts';

/**
 * Validating the catalogue data: each channel document against the schema and its cross-field
 * consistency (buildCatalogue), then the checks that need the whole catalogue (completeness).
 * Every message names the channel, the field, what was expected and what was got.
 */

export class CatalogueError extends Error {}

function describeIssue(channel: string, issue: z.core.$ZodIssue): string {
  const field = issue.path.join('.') || '(root)';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => `"${key}"`).join(', ');
    return (
      `channel "${channel}", field ${field}: expected only known fields, got unknown ${keys} ` +
      '(a typo, or an unquoted text containing a comma?)'
    );
  }
  return `channel "${channel}", field ${field}: expected ${issue.message}`;
}

/** Cross-field checks that zod's shape cannot express: references resolve and versions do not overlap. */
function consistencyProblems(channel: ChannelData): string[] {
  const problems: string[] = [];
  channel.ruleVersions.forEach((version, index) => {
    const here = `ruleVersions.${index}`;
    const known = new Set(version.legalBasis.map((reference) => reference.id));
    const check = (path: string, ids: string[]) =>
      ids.forEach((id) => {
        if (!known.has(id))
          problems.push(
            `${here}.${path}: expected an id listed in this version's legalBasis ` +
              `(${[...known].join(', ') || 'none'}), ` +
              `got "${id}"`,
          );
      });
    version.rules.forEach((rule, r) => {
      check(`rules.${r}.basis`, rule.basis);
      if (rule.kind === 'limitationPeriod' && [rule.days, rule.months, rule.years].filter(Boolean).length !== 1) {
        problems.push(`${here}.rules.${r}: expected exactly one of days, months or years`);
      }
    });
    for (const [t, limit] of version.timeLimits.entries()) check(`timeLimits.${t}.basis`, limit.basis);
    for (const [i, info] of version.requiredInformation.entries()) check(`requiredInformation.${i}.basis`, info.basis);
    if (version.validFrom && version.validTo && version.validFrom > version.validTo) {
      problems.push(
        `${here}.validTo: expected a date on or after validFrom (${version.validFrom}), got ${version.validTo}`,
      );
    }
    const next = channel.ruleVersions[index + 1];
    if (next) {
      if (!version.validTo || !next.validFrom || next.validFrom <= version.validTo) {
        problems.push(
          `${here}.validTo: expected versions in date order without overlap (this one ends before ` +
            `ruleVersions.${index + 1}.validFrom)`,
        );
      }
    } else if (version.validTo) {
      problems.push(`${here}.validTo: expected the last version to be open-ended (no validTo)`);
    }
  });
  return problems;
}

/** Validates parsed channel documents; `origin` names each document's file for the error message. */
export function buildCatalogue(documents: readonly { origin: string; data: unknown }[]): Catalogue {
  const problems: string[] = [];
  const channels: Channel[] = [];
  const byId = new Map<string, Channel>();
  for (const { origin, data } of documents) {
    const name =
      typeof data === 'object' && data !== null && typeof (data as { id?: unknown }).id === 'string'
        ? (data as { id: string }).id
        : origin;
    const parsed = channelSchema.safeParse(data);
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((issue) => describeIssue(name, issue)));
      continue;
    }
    const consistency = consistencyProblems(parsed.data);
    if (consistency.length > 0) {
      problems.push(...consistency.map((problem) => `channel "${name}", field ${problem}`));
      continue;
    }
    if (byId.has(parsed.data.id)) {
      problems.push(`channel "${name}", field id: expected a unique id, but ${origin} repeats it`);
      continue;
    }
    byId.set(parsed.data.id, parsed.data);
    channels.push(parsed.data);
  }
  if (problems.length > 0) throw new CatalogueError(`Invalid channel catalogue:\n  ${problems.join('\n  ')}`);
  channels.sort((a, b) => a.id.localeCompare(b.id));
  return { channels, byId };
}

/** Whether a rule takes a whole industry out of the channel's remit (no issue-type restriction). */
function excludesWholeIndustry(rule: Rule, industry: string): boolean {
  return (
    rule.kind === 'outsideRemit' &&
    (rule.appliesTo.industries?.includes(industry) ?? false) &&
    !rule.appliesTo.issueTypes &&
    !rule.appliesTo.exceptIssueTypes
  );
}

/**
 * Checks that need the whole catalogue, run by the loader (a single file is validated without them):
 * every channel a remit rule names exists, and every industry has a statutory channel that takes it,
 * one whose scope covers the industry, whose current rules do not put the whole industry outside its
 * remit, and which is neither a catch-all hotline nor limited to named businesses.
 */
export function catalogueCompletenessProblems(catalogue: Catalogue): string[] {
  const problems: string[] = [];
  for (const channel of catalogue.channels) {
    for (const [v, version] of channel.ruleVersions.entries()) {
      for (const [r, rule] of version.rules.entries()) {
        const others =
          rule.kind === 'outsideRemit' ? rule.handledBy : rule.kind === 'sharedRemit' ? rule.sharedWith : [];
        for (const id of others) {
          if (id === channel.id || !catalogue.byId.has(id))
            problems.push(
              `channel "${channel.id}", field ruleVersions.${v}.rules.${r}: expected the id of another channel in ` +
                `the catalogue, got "${id}"`,
            );
        }
      }
    }
  }
  for (const industry of INDUSTRIES) {
    const covered = catalogue.channels.some((channel) => {
      if (channel.standing !== 'STATUTORY' || channel.catchAll || channel.scope.businessNames) return false;
      if (channel.scope.industries !== 'ALL' && !channel.scope.industries.includes(industry)) return false;
      const current = channel.ruleVersions.at(-1);
      return !current?.rules.some((rule) => excludesWholeIndustry(rule, industry));
    });
    if (!covered)
      problems.push(
        `industry ${industry}: expected at least one STATUTORY channel whose scope includes it and whose remit ` +
          'does not exclude it, got none',
      );
  }
  return problems;
}
