import { SMTPServer, type SMTPServerAuthentication, type SMTPServerAuthenticationResponse, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { freePort } from './ports.ts';

export interface CapturedMail {
  envelope: { from: string; to: string[] };
  raw: string;
  parsed: ParsedMail;
}

export interface TestSmtp {
  port: number;
  mails: CapturedMail[];
  /** While true, every RCPT is answered 451 (temporary failure). */
  refuse: boolean;
  /** Answer 550 (permanent) instead. */
  reject: boolean;
  /** RCPT answers per address (lowercase), e.g. 451 or 550, while the others are taken (partial success). */
  refuseAddress: Map<string, number>;
  /** Mails refused for their size (552 at the end of DATA), when started with `size`. */
  tooLarge: number;
  /** Called with each mail once it is captured, before the server answers 250 (fault tests). */
  onMail?: (mail: CapturedMail) => void;
  close(): Promise<void>;
}

/** A real SMTP server (smtp-server package) on loopback that captures what is sent. */
export async function startSmtp(opts: { size?: number; auth?: { user: string; pass: string } } = {}): Promise<TestSmtp> {
  const port = await freePort();
  const state: TestSmtp = {
    port, mails: [], refuse: false, reject: false, refuseAddress: new Map(), tooLarge: 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: opts.auth === undefined,
    disabledCommands: ['STARTTLS'],
    // (with `auth`: a login is required, over this plain loopback connection; a wrong one is answered 535)
    ...(opts.auth !== undefined ? {
      allowInsecureAuth: true,
      onAuth(a: SMTPServerAuthentication, _session: SMTPServerSession, callback: (err: Error | null | undefined, res?: SMTPServerAuthenticationResponse) => void) {
        if (a.username === opts.auth!.user && a.password === opts.auth!.pass) return callback(null, { user: a.username });
        callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
    } : {}),
    logger: false,
    // (SIZE advertised; a longer message is answered 552, as a relay with a message size limit does)
    ...(opts.size !== undefined ? { size: opts.size } : {}),
    onRcptTo(address, _session, callback) {
      const code = state.refuseAddress.get(address.address.toLowerCase());
      if (code !== undefined) return callback(Object.assign(new Error(code < 500 ? 'Mailbox busy, try again later' : 'No such user'), { responseCode: code }));
      if (state.refuse) return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
      if (state.reject) return callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if ((stream as { sizeExceeded?: boolean }).sizeExceeded) {
          state.tooLarge++;
          return callback(Object.assign(new Error('Message exceeds fixed maximum message size'), { responseCode: 552 }));
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        void simpleParser(raw).then((parsed) => {
          const mail = {
            envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) },
            raw, parsed,
          };
          state.mails.push(mail);
          state.onMail?.(mail);
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return state;
}
