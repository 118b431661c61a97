import { z } from 'zod';

/**
 * Every setting Weiquan reads from the environment, validated once at start. A bad value stops
 * start-up with the variable's name and what was expected (see `.env.example` and README).
 */
const port = z.coerce.number().int().min(0).max(65535);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');
const positiveInt = z.coerce.number().int().positive();
/** A whole number in [min, max], with the range in the error (a limit set to 0 or 1e9 is a typo). */
const intBetween = (min: number, max: number) => {
  const expected = `a whole number from ${min} to ${max}`;
  return z.coerce.number(expected).int(expected).min(min, expected).max(max, expected);
};
const httpUrl = z.url({ protocol: /^https?$/ });

const DEV_AUTH_SECRET = 'weiquan-development-secret-change-me-0000';
const DEV_WEBHOOK_SIGNING_SECRET = 'weiquan-dev-webhook-secret';

/** `*`, or a comma-separated list of exact origins (scheme, host and port, no path). */
const corsOrigins = z
  .string()
  .regex(
    /^(\*|https?:\/\/[^/,\s]+(,https?:\/\/[^/,\s]+)*)$/,
    '"*" or a comma-separated list of origins such as https://app.example.org,http://localhost:5173',
  )
  .transform((value) => (value === '*' ? '*' : value.split(',')));

const schema = z
  .object({
    NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    GATEWAY_PORT: port.default(4000),
    /** Gateway processes sharing GATEWAY_PORT (`gateway/main.ts` only); unset: the cores less one. */
    GATEWAY_WORKERS: positiveInt.max(64).optional(),
    DIRECTORY_PORT: port.default(4001),
    CASES_PORT: port.default(4002),
    REPUTATION_PORT: port.default(4003),
    ACCOUNTS_PORT: port.default(4004),
    DIRECTORY_URL: httpUrl.optional(),
    CASES_URL: httpUrl.optional(),
    REPUTATION_URL: httpUrl.optional(),
    /** The accounts subgraph; every subgraph reads its public keys from `<origin>/.well-known/jwks.json`. */
    ACCOUNTS_URL: httpUrl.optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    MONGODB_URI: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'a mongodb:// or mongodb+srv:// URI')
      .optional(),
    MONGODB_DB: z.string().min(1).default('weiquan'),
    AUTH_SECRET: z.string().min(32, 'at least 32 characters').default(DEV_AUTH_SECRET),
    /** The longest a bearer token may live (`exp` − `iat`), and the oldest `iat` accepted: one day. */
    AUTH_TOKEN_MAX_LIFETIME_SECONDS: positiveInt.default(24 * 3600),
    /**
     * How long the accounts subgraph's access tokens live: 15 minutes, the most every verifier
     * accepts. Tests shorten it to watch the site renew a session.
     */
    ACCESS_TOKEN_LIFETIME_SECONDS: positiveInt.min(5).max(900).default(900),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Unset: seed in development and tests, never in production unless asked. */
    SEED_DEMO: bool.optional(),
    UPSTREAM_TIMEOUT_MS: positiveInt.default(10_000),
    /** The gateway's cache of anonymous public answers (gateway/response-cache.ts). */
    RESPONSE_CACHE: bool.default(true),
    RESPONSE_CACHE_MAX_ENTRIES: positiveInt.default(2000),
    /** How long a subgraph's data version is trusted: how long a cached answer may lag a change. */
    RESPONSE_CACHE_VERSION_MAX_AGE_MS: z.coerce.number().int().min(0).default(1000),
    /** The largest GraphQL request body, the same at the gateway and every subgraph: 1 MiB. */
    GRAPHQL_MAX_BODY_BYTES: positiveInt.default(1024 * 1024),
    /** How long a client has to send a whole request (slowloris): platform/server/http-server.ts. */
    HTTP_REQUEST_TIMEOUT_MS: positiveInt.default(60_000),
    /** The largest estimated cost of an operation (objects it may return, lists counted at their page size). */
    GRAPHQL_MAX_COST: positiveInt.default(10_000),
    /**
     * Operation limits at the gateway and every subgraph (`platform/server/limits.ts`): nesting depth
     * (fragments flattened), aliases, lexical tokens of the document, and variable errors reported.
     */
    GRAPHQL_MAX_DEPTH: intBetween(1, 1000).default(12),
    GRAPHQL_MAX_ALIASES: intBetween(1, 10_000).default(30),
    GRAPHQL_MAX_TOKENS: intBetween(1, 1_000_000).default(3000),
    GRAPHQL_MAX_VARIABLE_ERRORS: intBetween(1, 10_000).default(50),
    /** All request headers together (Node's `maxHeaderSize`); past it, 431. */
    HTTP_MAX_HEADER_BYTES: intBetween(1024, 1024 * 1024).default(16 * 1024),
    /** Retries of a query after a transport failure (mutations never), within UPSTREAM_TIMEOUT_MS. */
    UPSTREAM_QUERY_RETRIES: intBetween(0, 10).default(2),
    /**
     * On SIGTERM, how long in-flight requests get before their connections are cut; the process
     * then has 1.5 s more to close its stores (supervisors usually SIGKILL 10 s after SIGTERM).
     */
    SHUTDOWN_DRAIN_MS: intBetween(0, 300_000).default(8_000),
    /** Browser origins the gateway allows (CORS); unset, no cross-origin browser access. */
    CORS_ORIGINS: corsOrigins.optional(),
    /**
     * Requests a minute the gateway lets one client make (gateway/plugins/client-rate-limit.ts): a
     * signed-in caller per token subject, an app per API key (unless the key carries its own limit),
     * anyone else per address, which is the strictest: many people may share an address, but one
     * address without a key is the cheapest client to multiply.
     */
    RATE_LIMIT_SIGNED_IN_PER_MINUTE: positiveInt.default(1200),
    RATE_LIMIT_APP_KEY_PER_MINUTE: positiveInt.default(1200),
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: positiveInt.default(300),
    /** How long the gateway trusts an API key's verification: a revoked key is refused within this. */
    APP_KEY_CACHE_SECONDS: positiveInt.max(3600).default(30),
    /**
     * Load balancers in front of the gateway, whose `x-forwarded-for` (its last address) the gateway
     * takes as the client's address; from any other peer the header is ignored. Comma-separated IPs.
     */
    GATEWAY_TRUSTED_PROXIES: z
      .string()
      .regex(/^[0-9a-fA-F:.]+(,[0-9a-fA-F:.]+)*$/, 'a comma-separated list of IP addresses')
      .optional(),
    // cases
    ACCEPT_DEADLINE_WORKING_DAYS: positiveInt.default(5),
    RESPONSE_DEADLINE_WORKING_DAYS: positiveInt.default(10),
    APPEAL_PERIOD_DAYS: positiveInt.default(15),
    EVIDENCE_MAX_BYTES: positiveInt.default(10 * 1024 * 1024),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL')
      .optional(),
    MAIL_FROM: z.string().min(3).default('Weiquan <noreply@weiquan.invalid>'),
    WEBHOOK_SIGNING_SECRET: z.string().min(16, 'at least 16 characters').default(DEV_WEBHOOK_SIGNING_SECRET),
    /** The desk's shared mailbox for staff notices about cases. */
    STAFF_NOTIFY_EMAIL: z.email().optional(),
    /** A webhook receiving every case event meant for staff tooling. */
    STAFF_WEBHOOK_URL: httpUrl.optional(),
    /** Enterprise integration endpoints: `ent1_abc=https://a.example/hook,ent1_def=https://b.example/hook`. */
    ENTERPRISE_WEBHOOK_URLS: z
      .string()
      .regex(
        /^(ent1_[0-9a-f]+=https?:\/\/[^,\s]+)(,ent1_[0-9a-f]+=https?:\/\/[^,\s]+)*$/,
        'a comma-separated list of enterpriseId=https://url',
      )
      .optional(),
    /**
     * Addresses whose `x-forwarded-for` a subgraph believes (the gateway's, when it runs on another
     * machine); loopback peers always are. Comma-separated IPs.
     */
    TRUSTED_PROXIES: z
      .string()
      .regex(/^[0-9a-fA-F:.]+(,[0-9a-fA-F:.]+)*$/, 'a comma-separated list of IP addresses')
      .optional(),
    /** accounts: where verification codes for phone numbers go (an SMS provider's webhook). */
    SMS_WEBHOOK_URL: httpUrl.optional(),
    SCHEDULER_INTERVAL_MS: positiveInt.default(60_000),
    SCHEDULER_ENABLED: bool.default(true),
    // reputation
    CRAWL_ENABLED: bool.default(false),
    CRAWL_INTERVAL_MINUTES: positiveInt.default(60),
    /** Per-source overrides of CRAWL_INTERVAL_MINUTES: `blackcat=30,12315=720`. */
    CRAWL_SOURCE_INTERVALS: z
      .string()
      .regex(
        /^(blackcat|12315|jutousu|weiquan)=[1-9]\d*(,(blackcat|12315|jutousu|weiquan)=[1-9]\d*)*$/,
        'a comma-separated list of source=minutes (sources: blackcat, 12315, jutousu, weiquan)',
      )
      .optional(),
    CRAWL_USER_AGENT: z
      .string()
      .min(1)
      .default('WeiquanBot/0.1 (+https://github.com/weiquan; consumer-rights research)'),
    SOURCE_BLACKCAT_BASE_URL: httpUrl.default('https://tousu.sina.com.cn'),
    /** A regional 12315 public-results site (the national one is a single-page app behind a web firewall). */
    SOURCE_12315_BASE_URL: httpUrl.default('https://gd.tsgs.12315.cn/public-web'),
    /** The token a person obtained from that site's slider captcha in a browser; we never solve captchas. */
    SOURCE_12315_TOKEN: z.string().trim().min(1).optional(),
    SOURCE_JUTOUSU_BASE_URL: httpUrl.default('https://ts.21cn.com'),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV !== 'production') return;
    const developmentSecrets = [
      ['AUTH_SECRET', config.AUTH_SECRET === DEV_AUTH_SECRET],
      ['WEBHOOK_SIGNING_SECRET', config.WEBHOOK_SIGNING_SECRET === DEV_WEBHOOK_SIGNING_SECRET],
    ] as const;
    for (const [name, isDevelopmentValue] of developmentSecrets) {
      if (!isDevelopmentValue) continue;
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: 'a secret of your own in production, not the development default',
      });
    }
  })
  .transform((config) => ({ ...config, SEED_DEMO: config.SEED_DEMO ?? config.NODE_ENV !== 'production' }));

export type Config = z.infer<typeof schema> & {
  /** Derived: where the gateway finds each subgraph. */
  subgraphUrls: { directory: string; cases: string; reputation: string; accounts: string };
  store: 'sqlite' | 'mongodb';
};

export class ConfigError extends Error {}

/** Validates `env`; throws ConfigError naming each bad variable and what it expected. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const got = input[String(issue.path[0])];
      const shown = got === undefined ? ' (not set)' : `, got ${JSON.stringify(got)}`;
      return `  ${issue.path.join('.')}: expected ${issue.message}${shown}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const local = (p: number) => `http://${c.HOST}:${p}/graphql`;
  return {
    ...c,
    subgraphUrls: {
      directory: c.DIRECTORY_URL ?? local(c.DIRECTORY_PORT),
      cases: c.CASES_URL ?? local(c.CASES_PORT),
      reputation: c.REPUTATION_URL ?? local(c.REPUTATION_PORT),
      accounts: c.ACCOUNTS_URL ?? local(c.ACCOUNTS_PORT),
    },
    store: c.MONGODB_URI ? 'mongodb' : 'sqlite',
  };
}
