// What the admin UI (issue 9) calls to list and edit disposition rules. Saving a rule re-runs every return
// case waiting in needs_rule (same transaction), so the returns resume on their own.
import type { PrismaClient } from '@prisma/client';
import { PermanentError } from '../errors.js';
import { DISPOSITIONS, isDisposition, isReasonKey, reasonKey, type Disposition } from './dispositions.js';
import { caseIdsWithLinesIn, casesOf, rulesOf, transitionsOf, upsertRule, type RuleRow } from '../../db/repos/return-case-repo.js';
import { enqueueMany } from '../../queue/enqueue.js';
import { returnProcessJobSpec } from './return-jobs.js';

export { DISPOSITIONS };

export interface SaveRuleInput {
  /** "reason:<handle>" / "restock:return|no_restock", or a bare reason handle such as "arrived-late". */
  reasonKey: string;
  disposition: Disposition | string;
}

/** Effective rules: the shop's own and the defaults it has not overridden (isDefault). */
export async function listDispositionRules(prisma: PrismaClient, shop: string): Promise<RuleRow[]> {
  return rulesOf(prisma, shop);
}

export async function saveDispositionRule(prisma: PrismaClient, shop: string, input: SaveRuleInput): Promise<{ reasonKey: string; resumedCases: number }> {
  const raw = input.reasonKey?.trim() ?? '';
  const key = !raw ? '' : raw.includes(':') ? raw.toLowerCase() : reasonKey(raw, null);
  if (!isReasonKey(key)) throw new PermanentError('returns.invalid_rule', `invalid reason key ${JSON.stringify(input.reasonKey)} (reason:<handle> or restock:return|no_restock)`);
  if (!isDisposition(input.disposition)) throw new PermanentError('returns.invalid_rule', `disposition must be one of ${DISPOSITIONS.join(', ')}`);
  const disposition = input.disposition;
  return prisma.$transaction(async (tx) => {
    await upsertRule(tx, shop, key, disposition);
    const waiting = await caseIdsWithLinesIn(tx, shop, ['needs_rule']);
    await enqueueMany(tx, waiting.map((id) => returnProcessJobSpec(shop, id)));
    return { reasonKey: key, resumedCases: waiting.length };
  });
}

/** Return cases for the admin list (newest first), each line with its state; transitions per line on demand. */
export async function listReturnCases(prisma: PrismaClient, shop: string, opts: { status?: string; limit?: number } = {}) {
  return casesOf(prisma, shop, opts);
}

export async function returnLineHistory(prisma: PrismaClient, shop: string, lineId: bigint) {
  return transitionsOf(prisma, shop, lineId);
}
