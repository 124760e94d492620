/**
 * Timeouts and windows that several outputs share (server config, Celery settings, compose's
 * stop_grace_period, Kubernetes' terminationGracePeriodSeconds): each is one value here, read
 * through the model, so a platform never kills a process that is still draining by design.
 */
export const TIMEOUTS = {
  /** After SIGTERM the web server lets in-flight requests finish for this long (seconds). */
  webGraceful: 25,
  /** A request still running after this is cut off by the server (seconds). */
  request: 30,
  /**
   * An idle keep-alive connection stays open this long (seconds): longer than load balancers' own
   * idle timeout (AWS ALB 60 s), so the balancer closes first and never reuses a closed connection.
   */
  keepAlive: 75,
  /** A Celery task gets SoftTimeLimitExceeded after this (seconds)... */
  taskSoft: 240,
  /** ...and is killed after this (seconds). */
  taskHard: 300,
  /** How long beat gets to save its state and exit after SIGTERM (seconds). */
  beatGraceful: 10,
  /** A platform waits this much longer than a process drains, so it exits by itself, not by SIGKILL. */
  stopMargin: 5,
  /** Heroku-style platforms SIGKILL this long after SIGTERM, whatever the process needs (seconds). */
  platformKill: 30,
  /** Kubernetes: the pause before SIGTERM while endpoints stop routing to the pod (seconds). */
  preStop: 5,
} as const;
