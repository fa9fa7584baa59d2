import type restify from 'restify';

/**
 * The privacy statement and terms of use the Teams manifest links to (`PUBLIC_URL/privacy`,
 * `PUBLIC_URL/terms`): Teams shows them in the app's details, and the store review asks for
 * them. They describe what this software does with data; an operator with their own statement
 * points the manifest elsewhere.
 */
const page = (title: string, paragraphs: readonly string[]): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<title>${title}</title><style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5}</style></head>` +
  `<body><h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</body></html>`;

export const PRIVACY = page('ClickSend bridge for Microsoft Teams: privacy', [
  'This bridge is run by your organisation, on its own servers, to send and receive SMS, MMS, voice calls, faxes and post through its ClickSend account from Microsoft Teams.',
  'It keeps, in your organisation\'s own database: the Teams conversations it was added to; the inbound SMS it relays (number, text, time) and the replies sent from Teams, so that each customer has one thread; customers who opted out (STOP); and an audit log of every send and change (who, when, recipients count, ClickSend message ids, price). It keeps no message text in its logs.',
  'Messages you send go to ClickSend (clicksend.com), whose own privacy policy applies to them. Nothing is sent anywhere else, and nothing is used for advertising or analytics.',
  'Ask the administrator who runs the bridge in your organisation to see, correct or delete what it keeps about you.',
]);

export const TERMS = page('ClickSend bridge for Microsoft Teams: terms of use', [
  'The bridge is open-source software, provided as is, without warranty of any kind. Your organisation runs it and decides who may use it.',
  'Every SMS, MMS, call, fax, letter and postcard is sent through, and charged to, your organisation\'s ClickSend account under ClickSend\'s terms. Send only messages the recipients have agreed to receive, and honour opt-outs (the bridge refuses to text anyone who replied STOP).',
]);

export const mountInfoPages = (server: restify.Server): void => {
  for (const [path, html] of [
    ['/privacy', PRIVACY],
    ['/terms', TERMS],
  ] as const) {
    server.get(path, async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=3600', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" });
      res.end(html);
    });
  }
};
