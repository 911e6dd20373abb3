// Structured JSON logs (pino). Secrets are redacted by key wherever they appear in a logged object,
// and the known secret values themselves are masked in messages as a second line of defence.
import { pino, type Logger, type DestinationStream } from 'pino';

export const REDACT_PATHS = [
  'accessToken', '*.accessToken', '*.*.accessToken',
  'refreshToken', '*.refreshToken', '*.*.refreshToken',
  'apiSecret', '*.apiSecret', 'SHOPIFY_API_SECRET', '*.SHOPIFY_API_SECRET',
  'token', '*.token', '*.*.token', 'GREATERWMS_TOKEN', '*.GREATERWMS_TOKEN',
  'password', '*.password', 'ENCRYPTION_KEY', '*.ENCRYPTION_KEY',
  'req.headers.authorization', 'req.headers.token', 'req.headers["x-shopify-hmac-sha256"]',
  'req.headers["x-shopify-access-token"]', 'req.headers.cookie',
];

export interface LoggerOptions {
  level?: string;
  pretty?: boolean;
  /** Secret values that must never appear in a log line, whatever key they sit under. */
  secrets?: (string | undefined)[];
  destination?: DestinationStream;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const secrets = (opts.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 6);
  const mask = (s: string) => secrets.reduce((acc, secret) => acc.split(secret).join('[Redacted]'), s);
  const options = {
    level: opts.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
    // Masks secret values that slipped into a message string or an error text.
    ...(secrets.length ? { hooks: { streamWrite: (line: string) => mask(line) } } : {}),
  };
  if (opts.destination) return pino(options, opts.destination);
  if (opts.pretty) return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true } } });
  return pino(options);
}
