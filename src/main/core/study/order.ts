import { hashString32, mulberry32, shuffleInPlace } from '../../../shared/domain/random';

/**
 * A participant's photo order: the pool shuffled by a seed derived from the study's seed and the
 * participant's id. Pure, so the same study and participant give the same order on any machine
 * and after any restart; different participants get different orders.
 */
export function participantOrder(
  pool: readonly number[],
  studySeed: number,
  participantId: string,
): number[] {
  return shuffleInPlace([...pool], mulberry32(hashString32(participantId, studySeed >>> 0)));
}
