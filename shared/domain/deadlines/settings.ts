/** When each deadline falls due and when it reminds, in Stockholm calendar days. All configurable. */
export interface DeadlineSettings {
  /** Kallelse due by the end of this calendar day after `readyForDischargeAt`… */
  kallelseAfterDischargeDays: number;
  /** …with a reminder on this day. */
  kallelseReminderDay: number;
  /** A meeting held by the end of this day after the need was noticed… */
  meetingDays: number;
  /** …with a reminder on this day when none is booked. */
  meetingReminderDay: number;
  /** Flag a noticed need with no kallelse this many days after it was noticed. */
  startWithoutDelayDays: number;
  /** Remind about summoned parties without an answer this many days before the meeting. */
  responsesDaysBefore: number;
  /** Remind this many days before the follow-up date (and on the day, and when overdue). */
  followUpReminderDaysBefore: number;
  /** Once overdue, remind again every this many days until the follow-up is recorded. */
  followUpRepeatDays: number;
  /** Remind these many days before a consent expires. */
  consentReminderDaysBefore: readonly number[];
}

export const DEFAULT_DEADLINE_SETTINGS: DeadlineSettings = {
  kallelseAfterDischargeDays: 3,
  kallelseReminderDay: 2,
  meetingDays: 21,
  meetingReminderDay: 14,
  startWithoutDelayDays: 5,
  responsesDaysBefore: 2,
  followUpReminderDaysBefore: 7,
  followUpRepeatDays: 7,
  consentReminderDaysBefore: [30, 7],
};
