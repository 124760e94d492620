/**
 * A person's browser against the generated project, as far as Django can tell: cookies kept between requests,
 * forms posted with the CSRF token of the page they came from and the Origin and Referer a browser sends, file
 * uploads as multipart. HTTPS is what the proxy in front says (X-Forwarded-Proto); traffic stays on 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';
import { send, type Response } from './http.js';

export interface Upload {
  filename: string;
  contentType: string;
  content: Buffer;
}

export class Browser {
  private readonly cookies = new Map<string, string>();
  private readonly origin: string;

  constructor(
    private readonly port: number,
    private readonly host: string,
  ) {
    this.origin = `https://${host}`;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return { Host: this.host, 'X-Forwarded-Proto': 'https', ...(cookie ? { Cookie: cookie } : {}), ...extra };
  }

  private keep(r: Response): Response {
    const set = r.headers['set-cookie'] ?? [];
    for (const line of set) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const [name, value] = [pair!.slice(0, at).trim(), pair!.slice(at + 1).trim()];
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '""') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return r;
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  async get(path: string): Promise<Response> {
    return this.keep(await send(this.port, 'GET', path, this.headers()));
  }

  /** Posts a form the way the page at `from` would: its CSRF token, Origin and Referer. */
  async post(from: Response, path: string, fields: Record<string, string>, files: Record<string, Upload> = {}): Promise<Response> {
    const token = csrfToken(from);
    if (!token) throw new Error(`the page posting to ${path} has no csrfmiddlewaretoken field`);
    const all = { csrfmiddlewaretoken: token, ...fields };
    const headers = { Origin: this.origin, Referer: `${this.origin}${path}` };
    if (Object.keys(files).length === 0) {
      const body = Buffer.from(new URLSearchParams(all).toString());
      return this.keep(await send(this.port, 'POST', path, this.headers({ ...headers, 'Content-Type': 'application/x-www-form-urlencoded' }), body));
    }
    const boundary = `----e2e${randomBytes(8).toString('hex')}`;
    const parts: Buffer[] = [];
    for (const [name, value] of Object.entries(all)) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    }
    for (const [name, f] of Object.entries(files)) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${f.filename}"\r\nContent-Type: ${f.contentType}\r\n\r\n`), f.content, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return this.keep(await send(this.port, 'POST', path, this.headers({ ...headers, 'Content-Type': `multipart/form-data; boundary=${boundary}` }), Buffer.concat(parts), 60_000));
  }
}

/** The CSRF token of the first form on a page. */
export function csrfToken(page: Response): string | undefined {
  return /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page.text)?.[1];
}
