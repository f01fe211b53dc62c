import { randomInt } from "node:crypto";
import { OpenClawError } from "../errors.js";

/** No 0/O or 1/I: a code is read off a phone and typed into a terminal. */
export const PAIRING_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const PAIRING_CODE_LENGTH = 8;

/** 32^8 codes make a clash all but impossible; the bound only keeps a bug from looping forever. */
const MAX_CODE_ATTEMPTS = 20;

/**
 * A fresh pairing code that `isTaken` does not know. Drawn with `crypto.randomInt`: anyone who can
 * DM the account sees codes, so they must not predict the next one (and approve themselves).
 */
export function newPairingCode(isTaken: (code: string) => boolean): string {
  for (let attempt = 0; attempt < MAX_CODE_ATTEMPTS; attempt++) {
    let code = "";
    for (let index = 0; index < PAIRING_CODE_LENGTH; index++) {
      code += PAIRING_CODE_ALPHABET[randomInt(PAIRING_CODE_ALPHABET.length)];
    }
    if (!isTaken(code)) return code;
  }
  throw new OpenClawError("OC_ERR_INTERNAL", `no free pairing code after ${MAX_CODE_ATTEMPTS} draws`, {
    hint: "retry; if it persists, report it: the code generator is broken",
  });
}

/** A code as the operator typed it (`abcd efgh` from a chat bubble included), as stored. */
export function normalizePairingCode(code: string): string {
  return code.replace(/\s+/g, "").toUpperCase();
}
