/**
 * Facts about how the generated project runs that several outputs share (Dockerfile, compose, CI, Kubernetes,
 * settings, scripts), each one value here, read through the model: no template retypes them.
 */

/** The processes' unprivileged user, numeric so Kubernetes' runAsNonRoot can check it. */
export const APP_USER = { name: 'app', uid: 10001, gid: 10001 } as const;

/** The probe paths: the middleware answers them, the Dockerfile and Kubernetes probe them. */
export const PROBES = { liveness: '/healthz', readiness: '/readyz' } as const;

/** The settings package and its modules. */
export const SETTINGS_PACKAGE = 'config.settings';
export const SETTINGS_MODULES = ['base', 'development', 'production', 'test'] as const;
export type SettingsModule = (typeof SETTINGS_MODULES)[number];

/** A backing service's health check where it declares no interval, timeout or retries of its own. */
export const SERVICE_HEALTHCHECK = { interval: '5s', timeout: '3s', retries: 10 } as const;
