/**
 * The fixture listing server's public shapes: the targets a fault can hit, the fault kinds, the options,
 * the served data set and the handle a test holds (see scripts/fixture-server.ts).
 */

export type FixtureTarget =
  | 'blackcat'
  | 'blackcat-detail'
  | 'samr12315'
  | 'jutousu'
  | 'jutousu-detail'
  | 'jutousu-content'
  | 'weiquan'
  | 'robots';

export const FaultKind = {
  Http500: 'http500',
  Http429: 'http429',
  /** The socket is destroyed before any answer. */
  Reset: 'reset',
  /** Headers never come. */
  Hang: 'hang',
  /** Headers at once, then one byte every 50 ms for ever. */
  SlowDrip: 'slowDrip',
  /** The JSON body cut in the middle. */
  Truncated: 'truncated',
  /** Same data under other keys / class names: what a site redesign looks like. */
  ChangedStructure: 'changedStructure',
  LoginRequired: 'loginRequired',
  /** Every item on the page lost its merchant / business field. */
  MissingRequiredFields: 'missingRequiredFields',
  /** HTTP 401: the page is for logged-in visitors only. */
  Unauthorized: 'unauthorized',
  /** HTTP 302 to a login page (how Sina answers an anonymous visitor it will not serve). */
  LoginRedirect: 'loginRedirect',
  /** HTTP 403: access denied. */
  Forbidden: 'forbidden',
  /** Black Cat code 10019: the page does not exist. */
  PageNotExist: 'pageNotExist',
  /** HTTP 456: Black Cat's answer to an address it has banned. */
  Banned: 'banned',
} as const;
export type FaultKind = (typeof FaultKind)[keyof typeof FaultKind];

export interface Fault {
  target: FixtureTarget;
  kind: FaultKind;
  /** List page (1-based) the fault applies to; every page when absent. */
  page?: number;
  /** Detail id the fault applies to; every detail when absent. */
  id?: string;
  /** How many requests it applies to; for ever when absent. */
  times?: number;
  retryAfterSeconds?: number;
}

export interface FixtureServerOptions {
  faults?: Fault[];
  host?: string;
  port?: number;
  /** robots.txt body; the default allows everything. */
  robots?: string;
  /** Serve this many synthetic records for a source instead of the fixture files. */
  volume?: Partial<Record<'blackcat' | 'samr12315' | 'jutousu' | 'weiquan', number>>;
  /** Which Black Cat pager form to answer with (default `amount`: no `next`, as recent scrapers see it). */
  blackcatPager?: 'next' | 'amount';
  /** Which 21CN list form to answer with (default `message`, as scrapers see indexPcMorePost answer). */
  jutousuList?: 'message' | 'postList';
}

export interface RequestLogEntry {
  method: string;
  path: string;
  userAgent: string | undefined;
  conditional: boolean;
  status: number;
}

export interface FixtureDataset {
  blackcatFeed: Array<Record<string, unknown>>;
  blackcatTimeline: Record<string, Array<{ name: string; status: string; date: number; text: string }>>;
  blackcatMerchants: unknown;
  samrRows: Array<Record<string, unknown>>;
  jutousuPosts: Array<Record<string, unknown>>;
  /** Per post id: what `getPostContent` answers for it (`postKey` is the key its page carries). */
  jutousuDetails: Record<
    string,
    {
      postKey: string;
      merchantname: string;
      ctimeStr: string;
      problemLabelList: Array<{ name: string }>;
      shuqiu: string;
      topic: string;
    }
  >;
  publishedCases: Array<Record<string, unknown>>;
}

export interface FixtureServer {
  url: string;
  baseUrls: { blackcat: string; samr12315: string; jutousu: string; weiquan: string };
  /** Mutable: tests change upstream data (a status moving from replied to completed) between runs. */
  dataset: FixtureDataset;
  /** Mutable knobs of the served formats (see FixtureServerOptions). */
  formats: { blackcatPager: 'next' | 'amount'; jutousuList: 'message' | 'postList' };
  requests: RequestLogEntry[];
  setFaults(faults: Fault[]): void;
  setRobots(body: string): void;
  close(): Promise<void>;
}

/** The token the fixture 12315 site accepts (the real one comes from a person, after a captcha). */
export const FIXTURE_12315_TOKEN = 'fixture-token';
