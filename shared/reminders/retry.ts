/**
 * How the notify step backs off when SES or SNS fails: the n-th failed receive of a message waits
 * 15 minutes × 2^(n−1), at most 6 hours, before the next. With {@link MAX_RECEIVES} receives a message is
 * tried for {@link retryWindowSeconds} — more than a day — before it goes to the dead-letter queue, from
 * which a schedule moves it back every {@link REDRIVE_EVERY_HOURS} hours. The delivery ledger keeps every
 * retry and redrive from sending twice.
 */
export const FIRST_RETRY_SECONDS = 15 * 60;
export const MAX_RETRY_SECONDS = 6 * 3600;
export const MAX_RECEIVES = 10;
export const REDRIVE_EVERY_HOURS = 6;

export function retryDelaySeconds(failedReceives: number): number {
  return Math.min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** Math.max(0, failedReceives - 1));
}

/** From the first receive to the last: the outage a message outlasts before the dead-letter queue. */
export function retryWindowSeconds(): number {
  let total = 0;
  for (let n = 1; n < MAX_RECEIVES; n++) total += retryDelaySeconds(n);
  return total;
}
