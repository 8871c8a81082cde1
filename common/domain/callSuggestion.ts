// Which disposition the SIP facts of an ended call suggest (issue 6). Only where the facts decide
// it; a call that reached the party (media flowed) is the specialist's to judge. The specialist
// can always choose another disposition: this only pre-fills the form.
import type { Disposition } from './model';

export interface EndedCallFacts {
  /** The final SIP status; 200 for a call that was answered and then hung up; null when none came. */
  sipStatus: number | null;
  ringingAt: string | null;
  answeredAt: string | null;
  mediaConnectedAt: string | null;
}

const BUSY = new Set([486, 600]);
const NO_ANSWER = new Set([480, 408]);
// 404 Not Found, 604 Does Not Exist Anywhere; 410 Gone and 484 Address Incomplete say the same.
const NOT_EXIST = new Set([404, 410, 484, 604]);

export function suggestDisposition(call: EndedCallFacts): Disposition | null {
  // Media flowed: someone was on the line. What they said is not in the SIP facts.
  if (call.mediaConnectedAt !== null) return null;
  const status = call.sipStatus;
  if (status === null) return null;
  if (BUSY.has(status)) return 'busy';
  if (NO_ANSWER.has(status)) return 'no_answer';
  // 487: we cancelled. After ringing nobody picked up; before ringing nothing is known.
  if (status === 487) return call.ringingAt !== null ? 'no_answer' : null;
  if (NOT_EXIST.has(status)) return 'number_not_exist';
  // 603 Decline: the party saw the call and rejected it — a hang-up (it counts toward the retry
  // limit), not a refusal of consent, which only a conversation can establish.
  if (status === 603) return 'hung_up';
  // Answered without media (ICE failed, or the line dropped at once) or a server/network failure:
  // not a connected call, and not the party's doing; the specialist decides.
  return null;
}
