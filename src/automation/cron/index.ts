/** Cron jobs: stored schedules that run agent turns and deliver their replies to channels. */
export type { CronClock } from "./cron-clock.js";
export { SYSTEM_CLOCK } from "./cron-clock.js";
export { CRON_DATABASE_PATH } from "./cron-database.js";
export type {
  CronDelivery,
  CronJob,
  CronRun,
  CronRunOutcome,
  CronRunTrigger,
  CronSchedule,
  CronSession,
  MissedPolicy,
} from "./cron-job.js";
export { protocolJob, protocolRun } from "./cron-protocol.js";
export {
  describeSchedule,
  formatDuration,
  latestSlotBetween,
  MIN_EVERY_MS,
  nextSlotAfter,
  parseDuration,
  validateSchedule,
} from "./cron-schedule.js";
export { type CronEffects, CronScheduler } from "./cron-scheduler.js";
export { type CronJobInput, type CronJobPatch, type CronJobView, CronService } from "./cron-service.js";
export type { CronStore } from "./cron-store.js";
export { cronInputOf, cronPatchOf } from "./cron-wire.js";
export { MemoryCronStore } from "./memory-cron-store.js";
export { SqliteCronStore } from "./sqlite-cron-store.js";
