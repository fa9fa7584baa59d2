import type restify from 'restify';
import type { WebhookMetrics, WebhookRefusalKind } from './instruments.js';

/**
 * Counts the webhook pushes answered with an error status, at the HTTP edge (restify's `after`,
 * once the answer went out), so that the routes themselves need not know about metrics.
 * `kinds` maps each webhook's route path to its kind.
 *
 * A push whose body never fully arrived is the caller's doing and counts under a client status,
 * never 500: 408 when it did not arrive within the request timeout (Node answered 408), 499
 * (nginx's "client closed request") when the caller hung up before its end (see webhookStatus).
 */
export const countWebhookRefusals = (server: restify.Server, metrics: WebhookMetrics, kinds: Readonly<Record<string, WebhookRefusalKind>>): void => {
  const byPath = new Map(Object.entries(kinds));
  server.on('after', (_req: restify.Request, res: restify.Response, route: { path?: unknown } | null | undefined) => {
    if (res.statusCode < 400 || typeof route?.path !== 'string') return;
    const kind = byPath.get(route.path);
    if (kind) metrics.rejected(kind, res.statusCode);
  });
};
