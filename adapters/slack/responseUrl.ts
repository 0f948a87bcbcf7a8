import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/**
 * Posts to a command's or an interaction's `response_url`. Same contract as Bolt's `respond` (JSON
 * POST, a non-2xx status is an error), but on node:http with keep-alive agents: under load, fetch's
 * per-request stream machinery cost more CPU than everything else the answer does.
 */
const agents = {
  'http:': new HttpAgent({ keepAlive: true, maxSockets: 64 }),
  'https:': new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
};

export class ResponseUrlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ResponseUrlError';
  }
}

export type Respond = (message: Record<string, unknown>) => Promise<void>;

export function responder(responseUrl: string, timeoutMs = 10_000): Respond {
  const url = URL.canParse(responseUrl) ? new URL(responseUrl) : undefined;
  const secure = url?.protocol === 'https:';
  return (message) =>
    new Promise<void>((resolve, reject) => {
      if (!url || (!secure && url.protocol !== 'http:')) return reject(new ResponseUrlError(0, 'response_url is not an http(s) URL'));
      const body = Buffer.from(JSON.stringify(message));
      const req = (secure ? httpsRequest : httpRequest)(
        url,
        { method: 'POST', agent: agents[url.protocol as 'http:' | 'https:'], headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length }, timeout: timeoutMs },
        (res) => {
          res.resume();
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve();
            else reject(new ResponseUrlError(status, `Failed to respond to the response_url: ${status} ${res.statusMessage ?? ''}`.trim()));
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new ResponseUrlError(0, `response_url did not answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
}
