/** What every command is handed: where its output and its messages go, and the version it reports. */

export interface Io {
  /** One line of results (stdout). */
  out(text: string): void;
  /** One line of messages: notices, warnings, errors (stderr). */
  err(text: string): void;
}

export const processIo: Io = {
  out: (s) => process.stdout.write(s + '\n'),
  err: (s) => process.stderr.write(s + '\n'),
};

export interface CommandContext {
  io: Io;
  version: string;
}

/** Commander's parsed options of one command. */
export type Opts = Record<string, unknown>;
