/**
 * Production hardening: HTTPS behind a proxy, HSTS (an hour to start, subdomains and preload by
 * choice), a Content-Security-Policy, Argon2 passwords, a secret key that rotates without logging
 * everyone out, and an admin URL of the deploy's choosing; `check --deploy` passes clean.
 */
import type { Contribution, Feature } from '../feature.js';
import { compareVersions, PY } from '../versions.js';

/** Django 6.0 brought its own CSP middleware; before it, the django-csp package. */
const CSP: Record<'builtin' | 'package', Contribution> = {
  builtin: {
    middleware: [{ path: 'django.middleware.csp.ContentSecurityPolicyMiddleware' }],
    settings: [{ module: 'base', template: 'config/settings/partials/csp-django.py.ejs' }],
  },
  package: {
    requirements: [{ spec: PY.djangoCsp }],
    installedApps: ['csp'],
    middleware: [{ path: 'csp.middleware.CSPMiddleware' }],
    settings: [{ module: 'base', template: 'config/settings/partials/csp-package.py.ejs' }],
  },
};

/** HSTS max-age a new deploy starts with (seconds): the example and the settings default agree. */
export const HSTS_START = 3600;

declare module '../feature.js' {
  interface ModelFacts {
    /** HSTS max-age a new deploy starts with (seconds). */
    hstsStart?: number;
  }
}

export const security: Feature = {
  id: 'security',
  applies: () => true,
  contribute: (a) => {
    const csp = CSP[compareVersions(a.django, '6.0') >= 0 ? 'builtin' : 'package'];
    return {
    ...csp,
    facts: { hstsStart: HSTS_START },
    // Scripts, styles and images from this site only; other features add the origins they need.
    csp: {
      'default-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'object-src': ["'none'"],
      'base-uri': ["'self'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    },
    // Argon2 first in PASSWORD_HASHERS (base settings); older hashes upgrade at the next login.
    requirements: [{ spec: PY.argon2 }, ...(csp.requirements ?? [])],
    env: [
      {
        name: 'DJANGO_SECURE_SSL_REDIRECT',
        kind: { type: 'bool' },
        example: 'True',
        description: 'Redirect plain HTTP to HTTPS (the proxy must send X-Forwarded-Proto)',
        factor: 'III',
        compose: 'False',
      },
      {
        name: 'DJANGO_SECURE_HSTS_SECONDS',
        kind: { type: 'int', min: 0 },
        example: String(HSTS_START),
        description: 'How long browsers must use HTTPS only; an hour to start, raise it (31536000, a year) once HTTPS works everywhere',
        factor: 'III',
      },
      {
        name: 'DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS',
        kind: { type: 'bool' },
        example: 'False',
        description: 'HSTS for every subdomain too; only once they all serve HTTPS',
        factor: 'III',
      },
      {
        name: 'DJANGO_SECURE_HSTS_PRELOAD',
        kind: { type: 'bool' },
        example: 'False',
        description: "Ask to be on browsers' HSTS preload list; browsers keep it for months after you change your mind",
        factor: 'III',
      },
      {
        name: 'DJANGO_CSP_REPORT_ONLY',
        kind: { type: 'bool' },
        example: 'False',
        description: 'Send the Content-Security-Policy as report-only: browsers report violations without blocking',
        factor: 'III',
      },
      {
        name: 'DJANGO_ADMIN_URL',
        kind: { type: 'path' },
        example: 'admin/',
        description: 'URL path of the admin site; a hard-to-guess one keeps scanners off its login page',
        factor: 'III',
      },
      {
        name: 'DJANGO_SECRET_KEY_FALLBACKS',
        kind: { type: 'list' },
        example: '',
        description: 'Previous secret keys, comma-separated, still accepted for signatures: put the old key here when you rotate DJANGO_SECRET_KEY, remove it later',
        factor: 'III',
        secret: true,
      },
    ],
    };
  },
};
