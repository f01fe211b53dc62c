/**
 * The few DER (ASN.1 Distinguished Encoding Rules) encoders an X.509 certificate needs. Each
 * returns the complete tag-length-value; DER has exactly one encoding per value, which is what a
 * signature over the bytes requires.
 */

export const DerTag = {
  Boolean: 0x01,
  Integer: 0x02,
  BitString: 0x03,
  OctetString: 0x04,
  ObjectIdentifier: 0x06,
  Utf8String: 0x0c,
  UtcTime: 0x17,
  GeneralizedTime: 0x18,
  Sequence: 0x30,
  Set: 0x31,
} as const;

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export const sequence = (...items: Buffer[]): Buffer => tlv(DerTag.Sequence, Buffer.concat(items));
export const set = (...items: Buffer[]): Buffer => tlv(DerTag.Set, Buffer.concat(items));
export const octetString = (content: Buffer): Buffer => tlv(DerTag.OctetString, content);
export const utf8String = (value: string): Buffer => tlv(DerTag.Utf8String, Buffer.from(value, "utf8"));
export const boolean = (value: boolean): Buffer => tlv(DerTag.Boolean, Buffer.from([value ? 0xff : 0x00]));

/** `[n] EXPLICIT`: wraps a complete element in a constructed context-specific tag. */
export const explicit = (tagNumber: number, content: Buffer): Buffer => tlv(0xa0 | tagNumber, content);
/** `[n] IMPLICIT` primitive: replaces the tag of a primitive value (GeneralName choices). */
export const implicitPrimitive = (tagNumber: number, content: Buffer): Buffer =>
  tlv(0x80 | tagNumber, content);

/** A non-negative INTEGER from big-endian bytes, minimal as DER requires. */
export function unsignedInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  // A leading 1 bit would make the value negative in two's complement.
  const content = (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
  return tlv(DerTag.Integer, content.length === 0 ? Buffer.from([0]) : content);
}

export const smallInteger = (value: number): Buffer => unsignedInteger(Buffer.from([value]));

/** BIT STRING with no unused bits (whole bytes: keys, signatures). */
export const bitString = (content: Buffer): Buffer =>
  tlv(DerTag.BitString, Buffer.concat([Buffer.from([0]), content]));

export function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split(".").map(Number);
  const [first = 0, second = 0, ...rest] = arcs;
  const bytes: number[] = [first * 40 + second];
  for (const arc of rest) {
    // Base 128, most significant group first, every byte but the last with the high bit set.
    const groups: number[] = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) {
      groups.unshift((value & 0x7f) | 0x80);
    }
    bytes.push(...groups);
  }
  return tlv(DerTag.ObjectIdentifier, Buffer.from(bytes));
}

/**
 * RFC 5280 4.1.2.5: UTCTime (two-digit year) through 2049, GeneralizedTime from 2050, both in
 * UTC with seconds and no fraction.
 */
export function time(date: Date): Buffer {
  const pad = (value: number) => String(value).padStart(2, "0");
  const year = date.getUTCFullYear();
  const rest = `${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
  if (year >= 1950 && year < 2050)
    return tlv(DerTag.UtcTime, Buffer.from(`${pad(year % 100)}${rest}`, "ascii"));
  return tlv(DerTag.GeneralizedTime, Buffer.from(`${String(year).padStart(4, "0")}${rest}`, "ascii"));
}
