/**
 * An address answers may go to: one plain mailbox, local@domain, at most 320 characters. mailparser
 * keeps what a hostile From says in a quoted or escaped local part (`<a\\,v@other.example>`), and
 * nodemailer reads such a string as a list: the acknowledgement and every later answer went to
 * v@other.example (to several addresses, one for each comma) — a third party the sender chose.
 */
// eslint-disable-next-line no-control-regex -- control characters never belong in an address
const PLAIN_ADDRESS = /^[^\s\u0000-\u001f\u007f"(),:;<>@[\]\\]{1,64}@[^\s\u0000-\u001f\u007f"(),:;<>@[\]\\]{1,253}$/u;

/** The address trimmed when it is one plain mailbox, else undefined. */
export function plainAddress(address: string | undefined): string | undefined {
  const a = address?.trim();
  return a && a.length <= 320 && PLAIN_ADDRESS.test(a) ? a : undefined;
}
