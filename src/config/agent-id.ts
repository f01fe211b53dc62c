/**
 * What an agent id may be: it names files (memory stores, transcripts) and session keys. Apart from
 * schema/agents.ts so that code checking an id does not build the config schema.
 */
export const AGENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
