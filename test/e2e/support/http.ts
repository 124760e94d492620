/** HTTP to the generated project's server on 127.0.0.1 only, with any Host header. */
import http from 'node:http';

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export function request(
  port: number,
  path: string,
  headers: Record<string, string>,
  timeoutMs = 15_000,
): Promise<Response> {
  return send(port, 'GET', path, headers, undefined, timeoutMs);
}

/** One request with a method and a body (a form, an upload). */
export function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
  timeoutMs = 15_000,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method, headers: body ? { ...headers, 'Content-Length': String(body.length) } : headers, agent: false, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Polls until the server answers anything on `path`, at most `ms`. */
export async function waitForHttp(port: number, path: string, headers: Record<string, string>, ms: number): Promise<Response> {
  const until = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      return await request(port, path, headers, 2000);
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`nothing answered on 127.0.0.1:${port}${path} within ${ms} ms (${String(last)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function describeResponse(r: Response): string {
  const h = Object.entries(r.headers)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`)
    .join('\n');
  const isText = /text|json|html/.test(String(r.headers['content-type'])) && !r.headers['content-encoding'];
  return `HTTP ${r.status}\n${h}\n\n${isText ? r.text.slice(0, 1500) : `[${r.body.length} bytes]`}`;
}
