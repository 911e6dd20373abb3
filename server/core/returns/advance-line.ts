// The one way the use cases move a return line: the state machine decides (an invalid move throws
// InvalidReturnTransitionError before anything is written), the repo applies it as a compare-and-set with its
// audit row (false: another worker moved the line first).
import type { PrismaClient } from '@prisma/client';
import { moveLine, type LinePatch } from '../../db/repos/return-case-repo.js';
import { isReturnLineState, transition, InvalidReturnTransitionError, type ReturnLineState } from './return-state.js';

export async function advanceLine(
  prisma: PrismaClient,
  shop: string,
  lineId: bigint,
  from: ReturnLineState | string,
  to: ReturnLineState,
  patch: LinePatch,
  detail: Record<string, unknown>,
  at: Date,
): Promise<boolean> {
  if (!isReturnLineState(from)) throw new InvalidReturnTransitionError(from as ReturnLineState, to);
  transition(from, to);
  return moveLine(prisma, shop, lineId, from, to, patch, detail, at);
}
