// JSON errors for the HTTP edge. A thrown HttpError becomes its status and message; anything else is a
// 500 with a generic message (the stack goes to the log, never to the client).
import type { ErrorRequestHandler, RequestHandler } from 'express';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: 'not_found', message: `No route for ${req.method} ${req.path}` });
};

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const status = err instanceof HttpError ? err.status : typeof err?.status === 'number' && err.status < 500 ? err.status : 500;
  if (status >= 500) req.log?.error({ err }, 'request failed');
  const body: Record<string, unknown> = {
    error: status >= 500 ? 'internal_error' : err?.type === 'entity.too.large' ? 'payload_too_large' : 'bad_request',
    message: status >= 500 ? 'Internal server error' : String(err?.message ?? 'Bad request'),
  };
  if (err instanceof HttpError && err.details !== undefined) body.details = err.details;
  if (res.headersSent) return;
  res.status(status).json(body);
};
